#include "apps/command.hpp"

#include <utility>

namespace graphtx::cli {

std::vector<std::pair<std::string, CommandSetup>>& registered_commands() {
  static std::vector<std::pair<std::string, CommandSetup>> commands;
  return commands;
}

CommandRegistration::CommandRegistration(std::string name, CommandSetup setup) {
  registered_commands().emplace_back(std::move(name), std::move(setup));
}

}  // namespace graphtx::cli
