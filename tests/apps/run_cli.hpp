// Test helper: runs the graphtx binary (GRAPHTX_CLI) through the shell, capturing stdout and
// stderr together and the exit code.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace graphtx::test {

struct CliRun {
  int code = -1;
  std::string out;
};

inline CliRun run_graphtx(const std::string& args) {
  const std::string command = std::string("'") + GRAPHTX_CLI + "' " + args + " 2>&1";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, got);
  const int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace graphtx::test
