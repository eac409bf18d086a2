// A few helper threads that split one piece of work with the caller and wait for it: for
// short parallel sections repeated many times (a decode step), where starting threads or
// queueing jobs each time would cost more than the section itself.
//
//   ForkJoin team(2);                                 // the caller plus one helper thread
//   team.run(2, [&](size_t part) { work(part); });    // part 0 on the caller, 1 on the helper
//   team.run_slices(n, 2, [&](size_t part, size_t begin, size_t end) { ... });
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace crucible {

class ForkJoin {
 public:
  // `threads` counts the caller: ForkJoin(1) has no helpers and runs everything inline.
  explicit ForkJoin(size_t threads);
  ~ForkJoin();
  ForkJoin(const ForkJoin&) = delete;
  ForkJoin& operator=(const ForkJoin&) = delete;

  size_t threads() const { return helpers_.size() + 1; }
  // Calls work(0) .. work(parts - 1), part 0 on the caller and the others on helpers, and
  // returns when all have returned. parts must not exceed threads(). The first exception
  // any part threw is rethrown here, after every part has finished.
  void run(size_t parts, const std::function<void(size_t)>& work);
  // work(part, begin, end) for `parts` consecutive slices of 0..n-1, as run() spreads its
  // parts; one slice on the caller when parts <= 1.
  void run_slices(size_t n, size_t parts, const std::function<void(size_t, size_t, size_t)>& work);

 private:
  void helper(size_t part);

  std::vector<std::thread> helpers_;
  const std::function<void(size_t)>* work_ = nullptr;
  size_t parts_ = 0;
  std::atomic<unsigned long> round_{0};  // bumped to start a round; helpers wait on it
  std::atomic<size_t> pending_{0};       // helpers still working in this round
  std::atomic<bool> stop_{false};
  std::vector<std::exception_ptr> errors_;
};

}  // namespace crucible
