// The bad-input corpus tests/data/bad/: every file listed in expected.tsv is run through the CLI
// (graphtx info, graphtx pe, graphtx info --dataset with the file swapped into a small valid
// ogbg-code2 or TU dataset) and must give the listed exit code and message (expected.tsv says
// how); rejected files give "graphtx: FILE:LINE: problem" with exit 2, never an internal error.
#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using graphtx::test::run_graphtx;

namespace {

const fs::path kBad = fs::path(GRAPHTX_FIXTURES_DIR) / "bad";

struct Case {
  int line = 0;
  std::string file, command, message;
  int exit = 0;
};

std::vector<Case> read_manifest() {
  std::ifstream in(kBad / "expected.tsv");
  REQUIRE(in);
  std::vector<Case> cases;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream row(text);
    for (std::string field; std::getline(row, field, '\t');) fields.push_back(field);
    INFO("expected.tsv:" << line << ": " << text);
    if (fields.size() == 3) fields.emplace_back();  // no message expected
    REQUIRE(fields.size() == 4);
    Case c;
    c.line = line;
    c.file = fields[0];
    c.command = fields[1];
    c.exit = std::stoi(fields[2]);
    c.message = fields[3];
    cases.push_back(c);
  }
  return cases;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

// Runs one case in `work`; returns the CLI output and sets `path` to the bad file's path as the CLI sees it.
graphtx::test::CliRun run_case(const Case& c, const fs::path& work, std::string& path) {
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path bad = kBad / c.file;
  const std::string out = quote(work / "out.npz");
  const auto colon = c.command.find(':');
  const std::string kind = c.command.substr(0, colon);
  const std::string target = colon == std::string::npos ? "" : c.command.substr(colon + 1);
  if (kind == "info" || kind == "pe") {
    path = bad.string();
    if (kind == "info") return run_graphtx("info " + quote(bad));
    return run_graphtx("pe -q --input " + quote(bad) + " --pe rwse:K=2 --out " + out);
  }
  if (kind == "code2" || kind == "pe-code2") {
    fs::copy(kBad / "code2_base", work / "root", fs::copy_options::recursive);
    path = (work / "root" / "ogbg_code2" / target).string();
    fs::copy_file(bad, path, fs::copy_options::overwrite_existing);
    if (kind == "code2") return run_graphtx("info --dataset ogbg-code2 --root " + quote(work / "root"));
    return run_graphtx("pe -q --dataset ogbg-code2 --root " + quote(work / "root") + " --pe rwse:K=2 --out " + out);
  }
  REQUIRE(kind == "tu");
  fs::copy(kBad / "tu_base", work / "root", fs::copy_options::recursive);
  path = (work / "root" / "T" / ("T_" + target + ".txt")).string();
  fs::copy_file(bad, path, fs::copy_options::overwrite_existing);
  return run_graphtx("info --dataset tu --root " + quote(work / "root") + " --name T");
}

}  // namespace

TEST_CASE("bad-input corpus: every file gives its exit code and a message naming file and line", "[apps][bad]") {
  const std::vector<Case> cases = read_manifest();
  const fs::path work = fs::temp_directory_path() / ("graphtx_bad_input_" + std::to_string(getpid()));
  std::set<std::string> listed;
  int rejected = 0;
  for (const Case& c : cases) {
    listed.insert(c.file);
    std::string path;
    const auto run = run_case(c, work, path);
    std::string message = c.message;
    const std::string dir = fs::path(path).parent_path().string();
    const std::string dataset_dir = c.command.find("code2") != std::string::npos ? (work / "root" / "ogbg_code2").string() : dir;
    for (std::size_t at; (at = message.find("{file}")) != std::string::npos;) message.replace(at, 6, path);
    for (std::size_t at; (at = message.find("{dir}")) != std::string::npos;) message.replace(at, 5, dataset_dir);
    INFO("expected.tsv:" << c.line << ": " << c.file << " via " << c.command << "\noutput:\n" << run.out);
    CHECK(run.code == c.exit);
    CHECK(run.out.find("internal error") == std::string::npos);
    if (c.exit == 2) {
      ++rejected;
      // "graphtx: FILE:LINE: problem" (or "FILE: problem" where the manifest says so), FILE a path.
      const bool names_a_file = message.rfind(work.string(), 0) == 0 || message.rfind(kBad.string(), 0) == 0;
      CHECK(names_a_file);
      CHECK(run.out.find("graphtx: " + message) != std::string::npos);
      CHECK_FALSE(fs::exists(work / "out.npz"));
    } else {
      CHECK(run.out.find(message) != std::string::npos);
    }
  }
  fs::remove_all(work);
  CHECK(rejected >= 40);
  // Every corpus file is listed, so none can sit untested.
  for (const auto& entry : fs::directory_iterator(kBad)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name != "expected.tsv" && name != "README.md") {
      INFO(name);
      CHECK(listed.count(name) == 1);
    }
  }
}
