#include "apps/interrupt.hpp"

#include <csignal>

namespace graphtx::cli {

namespace {

volatile std::sig_atomic_t g_requested = 0;
using Handler = void (*)(int);
Handler g_previous = SIG_DFL;

extern "C" void on_interrupt(int) {
  g_requested = 1;
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_requested = 0;
  g_previous = std::signal(SIGINT, on_interrupt);
}

InterruptGuard::~InterruptGuard() { std::signal(SIGINT, g_previous == SIG_ERR ? SIG_DFL : g_previous); }

bool InterruptGuard::requested() { return g_requested != 0; }

}  // namespace graphtx::cli
