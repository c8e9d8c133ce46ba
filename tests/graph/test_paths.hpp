// Test helper: paths of graph fixtures (tests/data/graph) and of scratch files in a temp folder.
#pragma once

#include <filesystem>
#include <string>

namespace graphtx::test {

inline std::string fixture(const std::string& name) { return std::string(GRAPHTX_FIXTURES_DIR) + "/graph/" + name; }

inline std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "graphtx_test_graph";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace graphtx::test
