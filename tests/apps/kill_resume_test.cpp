// Crash safety of `graphtx pe`: runs on the shipped code2 sample are killed with SIGKILL at
// pseudo-random moments (fixed seed) of a small-chunk job. After each kill no complete-looking
// output may exist (only OUT.tmp and OUT.parts/, or OUT already identical to the reference), and
// `--resume` must finish with a file bitwise identical to one uninterrupted run (.npz and .pt).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Starts `graphtx pe` on data/code2 writing `out`; returns the child's pid.
pid_t start_pe(const fs::path& out, bool resume) {
  std::vector<std::string> args{GRAPHTX_CLI, "pe", "-q", "--dataset", "ogbg-code2", "--root",
                                std::string(GRAPHTX_DATA_DIR) + "/code2", "--pe", "rwse:K=2", "--chunk", "200",
                                "-j", "2", "--out", out.string()};
  if (resume) args.emplace_back("--resume");
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("graphtx pe: SIGKILL at random moments, then --resume gives the uninterrupted file", "[apps][kill]") {
  const fs::path work = fs::temp_directory_path() / ("graphtx_kill_" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  const std::vector<std::string> extensions{".npz", ".pt"};
  std::vector<std::string> reference;
  double longest = 0;
  for (const auto& ext : extensions) {
    const fs::path out = work / ("ref" + ext);
    const auto t0 = Clock::now();
    REQUIRE(wait_exit(start_pe(out, false)) == 0);
    longest = std::max(longest, std::chrono::duration<double>(Clock::now() - t0).count());
    reference.push_back(slurp(out));
    REQUIRE(reference.back().size() > 1000);
  }

  std::mt19937 rng(20261125);
  std::uniform_real_distribution<double> moment(0.0, longest);
  const std::regex allowed_part(R"((manifest\.json|chunk-\d+\.npz)(\.tmp)?)");
  int killed = 0;
  for (int run = 0; run < 20; ++run) {
    const std::string& ext = extensions[static_cast<std::size_t>(run) % 2];
    const fs::path dir = work / ("run" + std::to_string(run));
    fs::create_directories(dir);
    const fs::path out = dir / ("pe" + ext);
    const double delay = moment(rng);
    INFO("run " << run << " (" << ext << "), SIGKILL after " << delay << " s");
    const pid_t pid = start_pe(out, false);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    kill(pid, SIGKILL);
    const int code = wait_exit(pid);
    if (code == -SIGKILL) ++killed;
    else CHECK(code == 0);  // finished before the signal

    // No complete-looking output: OUT only if it is already the finished file.
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      INFO("left behind: " << name);
      if (name == out.filename().string()) CHECK(slurp(out) == reference[static_cast<std::size_t>(run) % 2]);
      else if (name == out.filename().string() + ".parts") {
        for (const auto& part : fs::directory_iterator(entry.path())) {
          INFO("in parts: " << part.path().filename().string());
          CHECK(std::regex_match(part.path().filename().string(), allowed_part));
        }
      } else CHECK(name == out.filename().string() + ".tmp");
    }
    REQUIRE(wait_exit(start_pe(out, true)) == 0);
    CHECK(slurp(out) == reference[static_cast<std::size_t>(run) % 2]);
    CHECK_FALSE(fs::exists(out.string() + ".parts"));
    fs::remove_all(dir);
  }
  CHECK(killed >= 15);  // the moments fall inside the runs, not after them
  fs::remove_all(work);
}
