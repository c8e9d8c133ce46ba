// ThreadSanitizer canary for the TSan build (GRAPHTX_SANITIZE=thread): proves that the stage can
// see races inside oneTBB tasks and that oneTBB's own task hand-off is not reported.
//   race_canary race     two oneTBB tasks on two threads write one plain int: TSan must report
//                        "data race" (ctest passes on that output; exit code ignored).
//   race_canary ordered  the main thread writes inputs, two tasks on two threads write separate
//                        outputs, the main thread reads them after parallel_for: exit 0 with no
//                        report (an uninstrumented libtbb makes TSan report this hand-off).
// Both modes first make the two tasks meet, so a second thread really runs one of them; if none
// arrives within 10 s the program exits 3. In "race" mode the two writes then take turns through a
// relaxed atomic: an order in time that is no happens-before for TSan. Two writes at the same instant
// can both miss the other's shadow store (TSan missed the race about once in 300 runs that way).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace {

int shared_counter = 0;  // written without synchronisation in "race" mode

// Blocks until `parties` callers have arrived or 10 s have passed; false on timeout.
bool meet(std::atomic<int>& arrived, int parties) {
  arrived.fetch_add(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (arrived.load() < parties)
    if (std::chrono::steady_clock::now() > deadline) return false;
    else std::this_thread::yield();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool race = argc == 2 && std::strcmp(argv[1], "race") == 0;
  if (argc != 2 || (!race && std::strcmp(argv[1], "ordered") != 0)) {
    std::fprintf(stderr, "usage: race_canary race|ordered\n");
    return 2;
  }
  std::vector<int> input{20, 22}, output(2, 0);
  std::atomic<int> arrived{0};
  std::atomic<bool> alone{false};
  std::atomic<int> turn{0};  // relaxed only: orders the racing writes in time, not for TSan
  tbb::task_arena(2).execute([&] {
    tbb::parallel_for(tbb::blocked_range<int>(0, 2, 1), [&](const tbb::blocked_range<int>& r) {
      for (int i = r.begin(); i != r.end(); ++i) {
        if (!meet(arrived, 2)) alone = true;
        if (race) {
          while (turn.load(std::memory_order_relaxed) != i) std::this_thread::yield();
          ++shared_counter;
          turn.store(i + 1, std::memory_order_relaxed);
        }
        output[i] = 2 * input[i];
      }
    });
  });
  if (alone) {
    std::fprintf(stderr, "race_canary: the two tasks never ran on two threads\n");
    return 3;
  }
  const int sum = output[0] + output[1];
  std::printf("%s: sum %d, counter %d\n", argv[1], sum, shared_counter);
  return sum == 84 ? 0 : 1;
}
