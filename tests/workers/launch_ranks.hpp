// Test helper: launches W ranks of a program on loopback (MASTER_ADDR=127.0.0.1, a free port
// picked at run time, RANK/WORLD_SIZE set per process), each with stdout+stderr in its own file,
// and waits for all of them with a deadline (processes still running then are killed).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace graphtx::test {

inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("could not bind a loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

struct RankResult {
  int exit_code = -1;  // -1: killed by a signal or by the deadline
  bool timed_out = false;
  double seconds = 0;  // from launch to exit
  std::string output;  // stdout and stderr
};

class RankLauncher {
 public:
  // Starts `world` processes of `program args...`; `extra_env` holds "NAME=value" strings.
  RankLauncher(const std::string& program, const std::vector<std::string>& args, int world,
               const std::vector<std::string>& extra_env, const std::string& log_prefix)
      : start_(std::chrono::steady_clock::now()) {
    const int port = free_loopback_port();
    for (int rank = 0; rank < world; ++rank) {
      std::vector<std::string> env;
      for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        if (entry.rfind("RANK=", 0) != 0 && entry.rfind("WORLD_SIZE=", 0) != 0 && entry.rfind("SLURM_", 0) != 0 &&
            entry.rfind("MASTER_", 0) != 0)
          env.push_back(entry);
      }
      env.push_back("MASTER_ADDR=127.0.0.1");
      env.push_back("MASTER_PORT=" + std::to_string(port));
      env.push_back("RANK=" + std::to_string(rank));
      env.push_back("WORLD_SIZE=" + std::to_string(world));
      env.insert(env.end(), extra_env.begin(), extra_env.end());
      std::vector<std::string> argv{program};
      argv.insert(argv.end(), args.begin(), args.end());
      logs_.push_back(log_prefix + ".rank" + std::to_string(rank) + ".log");
      pids_.push_back(spawn(argv, env, logs_.back()));
    }
  }

  pid_t pid(int rank) const { return pids_.at(static_cast<std::size_t>(rank)); }

  // Waits for every rank until `deadline` after launch; kills those still running.
  std::vector<RankResult> wait(std::chrono::seconds deadline) {
    std::vector<RankResult> results(pids_.size());
    std::vector<bool> done(pids_.size(), false);
    std::size_t remaining = pids_.size();
    while (remaining > 0) {
      for (std::size_t r = 0; r < pids_.size(); ++r) {
        if (done[r]) continue;
        int status = 0;
        if (::waitpid(pids_[r], &status, WNOHANG) == pids_[r]) {
          done[r] = true;
          --remaining;
          results[r].exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
          results[r].seconds = elapsed();
        }
      }
      if (remaining > 0 && elapsed() > static_cast<double>(deadline.count())) {
        for (std::size_t r = 0; r < pids_.size(); ++r) {
          if (done[r]) continue;
          ::kill(pids_[r], SIGKILL);
          ::waitpid(pids_[r], nullptr, 0);
          results[r].timed_out = true;
          results[r].seconds = elapsed();
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (std::size_t r = 0; r < pids_.size(); ++r) {
      std::ifstream in(logs_[r]);
      std::ostringstream text;
      text << in.rdbuf();
      results[r].output = text.str();
    }
    pids_.clear();
    return results;
  }

  ~RankLauncher() {
    for (pid_t pid : pids_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  // Everything the child needs is prepared before fork(): it only redirects and execs.
  static pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& log) {
    std::vector<char*> cargv, cenv;
    for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    for (const std::string& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
    cenv.push_back(nullptr);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log);
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fd);
      throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execve(cargv[0], cargv.data(), cenv.data());
      ::_exit(127);
    }
    ::close(fd);
    return pid;
  }

  std::chrono::steady_clock::time_point start_;
  std::vector<pid_t> pids_;
  std::vector<std::string> logs_;
};

}  // namespace graphtx::test
