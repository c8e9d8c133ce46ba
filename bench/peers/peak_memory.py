"""Peak resident memory of this process, as the C++ benchmarks measure it (Linux /proc)."""


def reset_peak():
    """Resets the kernel's peak-RSS mark (VmHWM)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_mb():
    """Peak RSS (VmHWM) in MiB since the last reset_peak()."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0
