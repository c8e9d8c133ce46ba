#include "layers/distributed/distributed_config.hpp"

#include <cstdlib>
#include <limits>

namespace graphtx {
namespace {

long long parse_integer(const std::string& name, const std::string& text, long long low, long long high) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw UsageError("environment variable " + name + "='" + text + "' is not an integer");
  if (value < low || value > high)
    throw UsageError("environment variable " + name + "=" + text + " is out of range [" + std::to_string(low) +
                     ", " + std::to_string(high) + "]");
  return value;
}

std::string required(const EnvLookup& env, const std::string& name, const std::string& hint) {
  const std::optional<std::string> value = env(name);
  if (!value) throw UsageError("--distributed needs the environment variable " + name + " (" + hint + ")");
  return *value;
}

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

DistributedConfig parse_rank_and_world(const EnvLookup& env) {
  constexpr long long kMaxWorld = std::numeric_limits<int>::max();
  const std::optional<std::string> rank = env("RANK"), world = env("WORLD_SIZE");
  const std::optional<std::string> slurm_rank = env("SLURM_PROCID"), slurm_world = env("SLURM_NTASKS");
  if (rank.has_value() != world.has_value())
    throw UsageError("set both RANK and WORLD_SIZE or neither (RANK is " + std::string(rank ? "set" : "unset") +
                     ", WORLD_SIZE is " + (world ? "set" : "unset") + ")");
  if (slurm_rank.has_value() != slurm_world.has_value())
    throw UsageError("SLURM_PROCID and SLURM_NTASKS must be set together");
  if (!rank && !slurm_rank)
    throw UsageError("--distributed needs RANK and WORLD_SIZE (torchrun) or SLURM_PROCID and SLURM_NTASKS (srun)");

  DistributedConfig config;
  if (rank) {
    config.world_size = static_cast<int>(parse_integer("WORLD_SIZE", *world, 1, kMaxWorld));
    config.rank = static_cast<int>(parse_integer("RANK", *rank, 0, config.world_size - 1));
    config.source = "RANK/WORLD_SIZE";
    if (slurm_rank) {
      const long long sw = parse_integer("SLURM_NTASKS", *slurm_world, 1, kMaxWorld);
      const long long sr = parse_integer("SLURM_PROCID", *slurm_rank, 0, sw - 1);
      if (sw != config.world_size || sr != config.rank)
        throw UsageError("RANK/WORLD_SIZE = " + *rank + "/" + *world + " disagree with SLURM_PROCID/SLURM_NTASKS = " +
                         *slurm_rank + "/" + *slurm_world + "; unset one pair");
    }
  } else {
    config.world_size = static_cast<int>(parse_integer("SLURM_NTASKS", *slurm_world, 1, kMaxWorld));
    config.rank = static_cast<int>(parse_integer("SLURM_PROCID", *slurm_rank, 0, config.world_size - 1));
    config.source = "SLURM_PROCID/SLURM_NTASKS";
  }
  return config;
}

DistributedConfig parse_distributed_config(const EnvLookup& env) {
  DistributedConfig config = parse_rank_and_world(env);
  config.master_addr = required(env, "MASTER_ADDR", "host name or address of rank 0");
  config.master_port = static_cast<int>(
      parse_integer("MASTER_PORT", required(env, "MASTER_PORT", "a free TCP port on MASTER_ADDR"), 1, 65535));
  return config;
}

DistributedConfig rank_and_world_from_environment() { return parse_rank_and_world(process_environment); }

DistributedConfig distributed_config_from_environment() { return parse_distributed_config(process_environment); }

std::chrono::milliseconds distributed_timeout_from_environment(std::chrono::milliseconds fallback) {
  const char* value = std::getenv("GRAPHTX_DIST_TIMEOUT");
  if (value == nullptr || *value == '\0') return fallback;
  return std::chrono::seconds(parse_integer("GRAPHTX_DIST_TIMEOUT", value, 1, 7 * 24 * 3600));
}

}  // namespace graphtx
