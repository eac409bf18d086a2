#include "base/fork_join.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

namespace crucible {
namespace {

// How long a waiting thread spins before it sleeps. A decode step's rounds come every few
// hundred microseconds, and waking a sleeping thread (a futex wake and a context switch) took
// tens of microseconds on a virtual machine, every round.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(100);

template <class T>
void await_change(const std::atomic<T>& value, T old) {
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 1; value.load(std::memory_order_acquire) == old; ++i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() - start > kSpinBeforeSleep) {
      value.wait(old);
      return;
    }
  }
}

}  // namespace

ForkJoin::ForkJoin(size_t threads) {
  if (threads == 0) throw std::invalid_argument("ForkJoin needs at least one thread");
  errors_.resize(threads);
  for (size_t part = 1; part < threads; ++part)
    helpers_.emplace_back([this, part] { helper(part); });
}

ForkJoin::~ForkJoin() {
  stop_.store(true);
  round_.fetch_add(1);
  round_.notify_all();
  for (auto& t : helpers_) t.join();
}

void ForkJoin::helper(size_t part) {
  unsigned long seen = 0;
  while (true) {
    await_change(round_, seen);
    seen = round_.load();
    if (stop_.load()) return;
    if (part < parts_) {
      try {
        (*work_)(part);
      } catch (...) {
        errors_[part] = std::current_exception();
      }
    }
    // Every helper answers every round, working or not, so none is still waking from an
    // old round while the caller sets up the next one.
    if (pending_.fetch_sub(1) == 1) pending_.notify_one();
  }
}

void ForkJoin::run(size_t parts, const std::function<void(size_t)>& work) {
  if (parts > threads())
    throw std::invalid_argument("ForkJoin::run: " + std::to_string(parts) + " parts for " +
                                std::to_string(threads()) + " threads");
  if (parts == 0) return;
  for (auto& e : errors_) e = nullptr;
  work_ = &work;
  parts_ = parts;
  pending_.store(parts > 1 ? helpers_.size() : 0);
  if (parts > 1) {
    round_.fetch_add(1);
    round_.notify_all();
  }
  try {
    work(0);
  } catch (...) {
    errors_[0] = std::current_exception();
  }
  for (size_t left = pending_.load(); left != 0; left = pending_.load())
    await_change(pending_, left);
  for (auto& e : errors_)
    if (e) std::rethrow_exception(e);
}

void ForkJoin::run_slices(size_t n, size_t parts,
                          const std::function<void(size_t, size_t, size_t)>& work) {
  if (parts <= 1) return work(0, 0, n);
  run(parts, [&](size_t part) { work(part, n * part / parts, n * (part + 1) / parts); });
}

}  // namespace crucible
