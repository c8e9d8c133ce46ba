// Subcommand registry of the graphtx CLI. Each cmd_*.cpp registers itself with a static
// CommandRegistration{"name", setup}; setup adds a CLI11 subcommand and its callback. Callbacks
// throw graphtx errors; main maps them to exit codes (InputError/UsageError 2, others 1).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace graphtx::cli {

using CommandSetup = std::function<void(CLI::App& app)>;

struct CommandRegistration {
  CommandRegistration(std::string name, CommandSetup setup);
};

// Registered commands, sorted by name.
std::vector<std::pair<std::string, CommandSetup>>& registered_commands();

}  // namespace graphtx::cli
