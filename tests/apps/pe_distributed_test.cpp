// graphtx pe --distributed: without --shard the shard comes from RANK/WORLD_SIZE (or
// SLURM_PROCID/SLURM_NTASKS); the shards merge to the bytes of an unsharded run.
#include "tests/apps/run_cli.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;
using graphtx::test::run_graphtx;

namespace {

// Sets environment variables for its lifetime (nullopt = unset), then restores them.
class ScopedEnv {
 public:
  explicit ScopedEnv(const std::map<std::string, std::optional<std::string>>& values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      set(name, value);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) set(name, value);
  }

 private:
  static void set(const std::string& name, const std::optional<std::string>& value) {
    if (value) ::setenv(name.c_str(), value->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::map<std::string, std::optional<std::string>> kNoRank{
    {"RANK", std::nullopt}, {"WORLD_SIZE", std::nullopt}, {"SLURM_PROCID", std::nullopt}, {"SLURM_NTASKS", std::nullopt}};

}  // namespace

TEST_CASE("graphtx pe --distributed: shard from RANK/WORLD_SIZE or Slurm, merged bytes equal one run", "[apps]") {
  const fs::path dir = fs::temp_directory_path() / ("graphtx_pe_distributed_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string base = "pe --dataset tu --root '" + std::string(GRAPHTX_DATA_DIR) +
                           "/tu' --name MUTAG --pe lap:k=4 --pe rwse:K=4 --chunk 40 -q --out ";
  const std::string full = (dir / "full.npz").string(), sharded = (dir / "sharded.npz").string();
  {
    ScopedEnv env(kNoRank);
    REQUIRE(run_graphtx(base + "'" + full + "'").code == 0);
    const auto missing = run_graphtx(base + "'" + sharded + "' --distributed");
    CHECK(missing.code == 2);
    CHECK_THAT(missing.out, Catch::Contains("RANK and WORLD_SIZE"));
  }
  {
    auto values = kNoRank;
    values["RANK"] = "0";
    values["WORLD_SIZE"] = "2";
    ScopedEnv env(values);
    const auto run = run_graphtx(base + "'" + sharded + "' --distributed");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK_THAT(run.out, Catch::Contains("shard 0/2 done"));
  }
  {
    auto values = kNoRank;
    values["SLURM_PROCID"] = "1";
    values["SLURM_NTASKS"] = "2";
    ScopedEnv env(values);
    const auto run = run_graphtx(base + "'" + sharded + "' --distributed");
    INFO(run.out);
    REQUIRE(run.code == 0);
    CHECK_THAT(run.out, Catch::Contains("shard 1/2 done"));
  }
  REQUIRE(run_graphtx("pe-merge --out '" + sharded + "' '" + sharded + ".parts'").code == 0);
  CHECK(slurp(sharded) == slurp(full));
  fs::remove_all(dir);
}
