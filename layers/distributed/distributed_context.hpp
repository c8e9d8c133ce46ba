// DistributedContext: this process's rank in a c10d process group (Gloo over TCP, rendezvous
// through rank 0's c10d::TCPStore at MASTER_ADDR:MASTER_PORT), or a single process with no network.
// Collectives act in place on CPU tensors and wait at most the timeout: a peer that exits or
// hangs makes them throw DistributedError instead of blocking forever. Cost of an all-reduce of
// S bytes over W ranks (ring): about 2 (W-1)/W S bytes sent and received per rank.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "layers/distributed/distributed_config.hpp"

namespace c10d {
class Store;
class ProcessGroup;
}  // namespace c10d

namespace graphtx {

class DistributedContext {
 public:
  // World of one: every collective is the identity, nothing touches the network.
  static std::shared_ptr<DistributedContext> single();
  // Joins the group described by `config`; every rank must call it. Throws DistributedError when
  // the rendezvous does not complete within `timeout`.
  static std::shared_ptr<DistributedContext> connect(const DistributedConfig& config,
                                                     std::chrono::milliseconds timeout);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  bool is_main() const { return rank_ == 0; }  // the rank that writes files
  std::chrono::milliseconds timeout() const { return timeout_; }

  // Element-wise sums over ranks, in place. `what` names the operation in error messages.
  void allreduce_sum(std::vector<torch::Tensor>& tensors, const std::string& what);
  // Overwrites every rank's tensors with rank `root`'s.
  void broadcast(std::vector<torch::Tensor>& tensors, int root, const std::string& what);
  // Returns once every rank has reached it.
  void barrier(const std::string& what);

  // Bytes of tensor data this rank passed to allreduce_sum so far (payload, not wire traffic).
  std::int64_t bytes_allreduced() const { return bytes_allreduced_; }

 private:
  DistributedContext(int rank, int world_size, std::chrono::milliseconds timeout);
  [[noreturn]] void fail(const std::string& what, const std::string& cause);

  int rank_ = 0;
  int world_size_ = 1;
  std::chrono::milliseconds timeout_{0};
  std::int64_t bytes_allreduced_ = 0;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d::ProcessGroup> group_;
};

// Sums of exact counts over ranks (TP/FP/FN, correct predictions, graph counts): int64 all-reduce,
// so the result does not depend on how the data was split.
std::vector<std::int64_t> allreduce_counts(DistributedContext& context, std::vector<std::int64_t> counts);
// Sums of double-precision partial sums (loss sums, absolute errors); exact up to the order of
// the additions across ranks.
std::vector<double> allreduce_sums(DistributedContext& context, std::vector<double> sums);

}  // namespace graphtx
