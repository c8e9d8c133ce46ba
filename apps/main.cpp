// graphtx: command-line entry point. Subcommands live in cmd_*.cpp; errors map to exit codes:
// 0 success, 2 bad input or usage (message "FILE:LINE: what is wrong"), 1 internal error.
#include "apps/command.hpp"
#include "apps/version.hpp"
#include "graph/errors.hpp"

#include <algorithm>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"graphtx: positional encodings, graph transformers and tree-field integrators for directed "
               "and undirected graphs.\nRun 'graphtx COMMAND --help' for the options of a command."};
  app.set_version_flag("--version", [] { return graphtx::cli::version_report(); }, "Print versions of graphtx, its libraries and the BLAS in use");
  app.require_subcommand(1);
  auto& commands = graphtx::cli::registered_commands();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [name, setup] : commands) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const graphtx::InputError& e) {
    std::cerr << "graphtx: " << e.what() << "\n";
    return 2;
  } catch (const graphtx::UsageError& e) {
    std::cerr << "graphtx: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "graphtx: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
