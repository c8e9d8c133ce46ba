// Shared by the fuzz entry points (tests/fuzz/fuzz_*.cpp): expected errors are swallowed, any
// other exception escapes and is reported by libFuzzer (or the replay driver) as a finding.
// Dataset readers need files: write_parts() splits the input at 0xFF bytes into the files of a
// scratch directory (one per process) and rewrites them for every input. Cost O(input size).
#pragma once

#include "graph/errors.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace graphtx::fuzz {

// Runs fn(); InputError and UsageError are the expected outcome of bad input.
template <class Fn>
void expect_clean(Fn&& fn) {
  try {
    fn();
  } catch (const InputError&) {
  } catch (const UsageError&) {
  }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// The pieces of `text` between 0xFF bytes; exactly `count` pieces (missing ones empty, extra
// ones appended to the last).
inline std::vector<std::string> split_parts(std::string_view text, std::size_t count) {
  std::vector<std::string> parts(count);
  std::size_t k = 0;
  for (char c : text) {
    if (c == '\xFF' && k + 1 < count) ++k;
    else parts[k].push_back(c);
  }
  return parts;
}

// A per-process scratch directory in /dev/shm (tmpfs: the file rewrites of every input cost no
// disk filesystem work) if it exists, else under the system temp directory.
inline std::filesystem::path scratch_dir(const std::string& tag) {
  std::error_code ec;
  const std::filesystem::path base =
      std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
  const auto dir = base / ("graphtx-fuzz-" + tag + "-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace graphtx::fuzz
