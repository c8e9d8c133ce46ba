// One training run with the CLI's progress display, shared by `graphtx train` and `graphtx bench`:
// an encoding bar while PEs are computed, a batch bar per epoch ("epoch e/E"), a summary line per
// epoch, Ctrl-C -> checkpoint and return (result.interrupted). Plain lines when stderr is not a
// TTY; nothing when quiet.
#pragma once

#include "layers/distributed/distributed_context.hpp"
#include "layers/training/trainer.hpp"

#include <string>

namespace graphtx::cli {

// With `distributed` (a group of more than one rank): data-parallel training (train_runner.cpp).
TrainResult train_with_progress(const TrainOptions& options, bool resume, bool quiet,
                                DistributedContext* distributed = nullptr);

}  // namespace graphtx::cli
