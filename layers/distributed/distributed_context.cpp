#include "layers/distributed/distributed_context.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <csignal>
#include <cstdlib>

namespace graphtx {
namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

// GLOO_SOCKET_IFNAME picks the interface as in PyTorch; a loopback master means a one-host job,
// so bind to loopback; otherwise Gloo's default (the address this host's name resolves to).
std::shared_ptr<::gloo::transport::Device> make_device(const std::string& master_addr) {
  const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
  if (interface != nullptr && *interface != '\0') return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  if (is_loopback(master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

void check_tensor(const torch::Tensor& t, const std::string& what) {
  if (!t.defined() || !t.device().is_cpu() || !t.is_contiguous() || t.layout() != torch::kStrided)
    throw UsageError(what + ": collectives need defined, contiguous, dense CPU tensors");
}

}  // namespace

DistributedContext::DistributedContext(int rank, int world_size, std::chrono::milliseconds timeout)
    : rank_(rank), world_size_(world_size), timeout_(timeout) {}

DistributedContext::~DistributedContext() = default;

std::shared_ptr<DistributedContext> DistributedContext::single() {
  return std::shared_ptr<DistributedContext>(new DistributedContext(0, 1, std::chrono::milliseconds(0)));
}

std::shared_ptr<DistributedContext> DistributedContext::connect(const DistributedConfig& config,
                                                                std::chrono::milliseconds timeout) {
  if (config.world_size < 1 || config.rank < 0 || config.rank >= config.world_size)
    throw UsageError("distributed: rank " + std::to_string(config.rank) + " is outside world size " +
                     std::to_string(config.world_size));
  if (timeout.count() <= 0) throw UsageError("distributed: the timeout must be positive");
  // A peer that closes its socket must give an error from the collective, not kill us by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::shared_ptr<DistributedContext> context(new DistributedContext(config.rank, config.world_size, timeout));
  const std::string where = config.master_addr + ":" + std::to_string(config.master_port);
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(config.master_port);
    store_options.isServer = config.rank == 0;
    store_options.numWorkers = static_cast<std::size_t>(config.world_size);
    store_options.waitWorkers = true;
    store_options.timeout = timeout;
    context->store_ = c10::make_intrusive<c10d::TCPStore>(config.master_addr, store_options);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(make_device(config.master_addr));
    options->threads = 2;
    context->group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(context->store_, config.rank, config.world_size, options);
  } catch (const std::exception& e) {
    throw DistributedError("distributed: rank " + std::to_string(config.rank) + " of " +
                           std::to_string(config.world_size) + " could not join the group at " + where +
                           " within " + std::to_string(timeout.count() / 1000) + " s (" + config.source +
                           "): " + e.what());
  }
  return context;
}

void DistributedContext::fail(const std::string& what, const std::string& cause) {
  // The Gloo worker threads may still be blocked on the dead peer; the group is abandoned rather
  // than destroyed (its destructor would wait for them), the process is about to exit anyway.
  group_.release();
  const std::string first_line = cause.substr(0, cause.find('\n'));
  throw DistributedError("distributed: rank " + std::to_string(rank_) + " of " + std::to_string(world_size_) +
                         ": " + what + " failed (a peer exited, or did not answer within " +
                         std::to_string(timeout_.count() / 1000) + " s): " + first_line);
}

void DistributedContext::allreduce_sum(std::vector<torch::Tensor>& tensors, const std::string& what) {
  for (const torch::Tensor& t : tensors) {
    check_tensor(t, what);
    bytes_allreduced_ += t.numel() * static_cast<std::int64_t>(t.element_size());
  }
  if (world_size_ == 1) return;
  if (!group_) fail(what, "the group was abandoned after an earlier failure");
  try {
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    works.reserve(tensors.size());
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    options.timeout = timeout_;
    for (torch::Tensor& t : tensors) {
      std::vector<torch::Tensor> one{t};  // one tensor per call: a list would be summed together
      works.push_back(group_->allreduce(one, options));
    }
    for (auto& work : works) work->wait(timeout_);
  } catch (const std::exception& e) {
    fail(what, e.what());
  }
}

void DistributedContext::broadcast(std::vector<torch::Tensor>& tensors, int root, const std::string& what) {
  for (const torch::Tensor& t : tensors) check_tensor(t, what);
  if (root < 0 || root >= world_size_) throw UsageError(what + ": broadcast root outside the world");
  if (world_size_ == 1) return;
  if (!group_) fail(what, "the group was abandoned after an earlier failure");
  try {
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = timeout_;
    for (torch::Tensor& t : tensors) {
      std::vector<torch::Tensor> one{t};
      works.push_back(group_->broadcast(one, options));
    }
    for (auto& work : works) work->wait(timeout_);
  } catch (const std::exception& e) {
    fail(what, e.what());
  }
}

void DistributedContext::barrier(const std::string& what) {
  if (world_size_ == 1) return;
  if (!group_) fail(what, "the group was abandoned after an earlier failure");
  try {
    c10d::BarrierOptions options;
    options.timeout = timeout_;
    group_->barrier(options)->wait(timeout_);
  } catch (const std::exception& e) {
    fail(what, e.what());
  }
}

std::vector<std::int64_t> allreduce_counts(DistributedContext& context, std::vector<std::int64_t> counts) {
  if (counts.empty() || context.world_size() == 1) return counts;
  torch::Tensor t = torch::from_blob(counts.data(), {static_cast<std::int64_t>(counts.size())}, torch::kInt64).clone();
  std::vector<torch::Tensor> list{t};
  context.allreduce_sum(list, "count reduction");
  std::copy(t.data_ptr<std::int64_t>(), t.data_ptr<std::int64_t>() + t.numel(), counts.begin());
  return counts;
}

std::vector<double> allreduce_sums(DistributedContext& context, std::vector<double> sums) {
  if (sums.empty() || context.world_size() == 1) return sums;
  torch::Tensor t = torch::from_blob(sums.data(), {static_cast<std::int64_t>(sums.size())}, torch::kFloat64).clone();
  std::vector<torch::Tensor> list{t};
  context.allreduce_sum(list, "sum reduction");
  std::copy(t.data_ptr<double>(), t.data_ptr<double>() + t.numel(), sums.begin());
  return sums;
}

}  // namespace graphtx
