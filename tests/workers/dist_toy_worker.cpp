// Test worker for tests/layers/distributed_test.cpp: one rank of a data-parallel run of a toy MLP
// regression (37 samples, 16 hidden units, global batch 8, Adam by default) through
// DistributedContext, broadcast_parameters, GradientAllReducer and ShardedBatchSampler. Ranks
// start from different random weights, so equal losses also prove the broadcast. Rank 0 prints
// "step loss" per step (%.9g), then the gradient bytes all-reduced per step and the wall time.
//   dist_toy_worker [--epochs E] [--samples N --hidden H --batch B]
//                   [--die-rank R --die-step S --die-how kill|stop]
// The rank and world come from the torchrun variables; GRAPHTX_DIST_TIMEOUT sets the timeout.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "layers/distributed/distributed_context.hpp"
#include "layers/distributed/gradient_allreducer.hpp"
#include "layers/distributed/sharded_sampler.hpp"

namespace {

struct Args {
  std::int64_t epochs = 3, samples = 37, hidden = 16, batch = 8;
  int die_rank = -1;
  std::int64_t die_step = -1;
  std::string die_how = "kill";
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--epochs") args.epochs = std::stoll(value);
    else if (key == "--samples") args.samples = std::stoll(value);
    else if (key == "--hidden") args.hidden = std::stoll(value);
    else if (key == "--batch") args.batch = std::stoll(value);
    else if (key == "--die-rank") args.die_rank = std::stoi(value);
    else if (key == "--die-step") args.die_step = std::stoll(value);
    else if (key == "--die-how") args.die_how = value;
    else throw graphtx::UsageError("unknown option " + key);
  }
  return args;
}

int run(const Args& args) {
  using namespace graphtx;
  torch::set_num_threads(1);
  const auto context =
      DistributedContext::connect(distributed_config_from_environment(),
                                  distributed_timeout_from_environment(std::chrono::seconds(60)));
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({args.samples, 6});
  const torch::Tensor y = (x.sum(1, true) * 0.5).sin() + 0.1 * torch::randn({args.samples, 1});

  torch::manual_seed(100 + context->rank());
  torch::nn::Sequential model(torch::nn::Linear(6, args.hidden), torch::nn::Tanh(), torch::nn::Linear(args.hidden, args.hidden),
                              torch::nn::Tanh(), torch::nn::Linear(args.hidden, 1));
  broadcast_parameters(*model, *context);
  GradientAllReducer reducer(model->parameters(), *context);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
  ShardedBatchSampler sampler(x.size(0), args.batch, 11, context->rank(), context->world_size());
  const auto start = std::chrono::steady_clock::now();

  std::int64_t global_step = 0;
  for (std::int64_t epoch = 0; epoch < args.epochs; ++epoch) {
    sampler.set_epoch(epoch);
    for (std::int64_t step = 0; step < sampler.steps_per_epoch(); ++step, ++global_step) {
      if (context->rank() == args.die_rank && global_step == args.die_step)
        raise(args.die_how == "stop" ? SIGSTOP : SIGKILL);
      const ShardedBatchSampler::Batch batch = sampler.batch(step);
      optimizer.zero_grad();
      double local_sum = 0.0;
      if (!batch.indices.empty()) {
        const torch::Tensor index = torch::tensor(batch.indices, torch::kInt64);
        const torch::Tensor squared = (model->forward(x.index_select(0, index)) - y.index_select(0, index)).pow(2);
        // Sum over this rank's samples / global batch, times W: the rank mean is then the global mean.
        (squared.sum() * (static_cast<double>(context->world_size()) / batch.global_size)).backward();
        local_sum = squared.sum().item<double>();
      }
      reducer.reduce();
      optimizer.step();
      const double loss = allreduce_sums(*context, {local_sum})[0] / batch.global_size;
      if (context->is_main()) std::printf("%lld %.9g\n", static_cast<long long>(global_step), loss);
    }
  }
  context->barrier("end of training");
  if (context->is_main())
    std::printf("bytes_per_step %lld buckets %lld seconds %.3f\n", static_cast<long long>(reducer.bytes_per_step()),
                static_cast<long long>(reducer.bucket_count()),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const graphtx::UsageError& e) {
    std::cerr << "dist_toy_worker: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dist_toy_worker: " << e.what() << "\n";
    return 1;
  }
}
