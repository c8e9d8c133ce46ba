// Error types shared by every graphtx layer, each mapped once to an exit code by the CLI:
//   InputError      bad data in a file or argument data (exit 2); carries "file:line: " context.
//   UsageError      bad options or a misuse of the API (exit 2).
//   NumericalError  a computation that cannot give a trustworthy result (exit 1).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace graphtx {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input data. what() is "FILE:LINE: message", "FILE: message" or just "message".
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(message), message_(message) {}
  InputError(const std::string& file, std::int64_t line, const std::string& message)
      : Error(format(file, line, message)), file_(file), line_(line), message_(message) {}

  const std::string& file() const { return file_; }
  std::int64_t line() const { return line_; }  // 0 when unknown
  const std::string& message() const { return message_; }

 private:
  static std::string format(const std::string& file, std::int64_t line, const std::string& message) {
    if (file.empty()) return message;
    if (line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ": " + message;
  }
  std::string file_;
  std::int64_t line_ = 0;
  std::string message_;
};

class UsageError : public Error {
 public:
  using Error::Error;
};

class NumericalError : public Error {
 public:
  using Error::Error;
};

}  // namespace graphtx
