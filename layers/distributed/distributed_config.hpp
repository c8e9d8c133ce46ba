// Where this process sits in a multi-process job, read from the torchrun / Slurm conventions:
// MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK (or SLURM_NTASKS, SLURM_PROCID). Torch-free so that
// commands which only need the rank (graphtx pe --distributed) do not include LibTorch.
// Missing or inconsistent variables give a UsageError naming them. Cost: a few getenv calls.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "graph/errors.hpp"

namespace graphtx {

// A collective that failed: a peer exited, hung past the timeout, or the rendezvous failed.
class DistributedError : public Error {
 public:
  using Error::Error;
};

struct DistributedConfig {
  int rank = 0;
  int world_size = 1;
  std::string master_addr;  // host of rank 0's TCPStore
  int master_port = 0;
  std::string source;  // "RANK/WORLD_SIZE" or "SLURM_PROCID/SLURM_NTASKS": where rank and size came from
};

// Looks up one environment variable; nullopt when unset (empty counts as unset).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Rank and world size only (master fields empty), for jobs without collectives: RANK/WORLD_SIZE
// win; SLURM_PROCID/SLURM_NTASKS are used when those are unset and must agree when both are set.
DistributedConfig parse_rank_and_world(const EnvLookup& env);
DistributedConfig rank_and_world_from_environment();
// Rank and world size as above, plus the required MASTER_ADDR and MASTER_PORT.
DistributedConfig parse_distributed_config(const EnvLookup& env);
DistributedConfig distributed_config_from_environment();

// Collective timeout: GRAPHTX_DIST_TIMEOUT seconds when set, else `fallback`.
std::chrono::milliseconds distributed_timeout_from_environment(std::chrono::milliseconds fallback);

}  // namespace graphtx
