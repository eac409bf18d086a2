// A hard bound on one verification's work: a step count and a wall-clock deadline,
// checked by the code doing the work (never a signal), so a verifier call always returns.
//
//   Budget budget(std::chrono::milliseconds(50), 2'000'000);
//   while (...) { if (!budget.spend()) return timeout; ... }
#pragma once

#include <chrono>
#include <cstdint>

namespace crucible::rewards::math {

class Budget {
 public:
  Budget(std::chrono::microseconds time, uint64_t steps)
      : deadline_(std::chrono::steady_clock::now() + time), steps_left_(steps) {}

  // Counts one step; false once the steps or the time are used up (and ever after).
  bool spend(uint64_t steps = 1) {
    if (exhausted_) return false;
    if (steps >= steps_left_) return exhausted_ = true, false;
    steps_left_ -= steps;
    if ((++calls_ & 255) == 0 && std::chrono::steady_clock::now() > deadline_) exhausted_ = true;
    return !exhausted_;
  }
  bool exhausted() const { return exhausted_; }

 private:
  std::chrono::steady_clock::time_point deadline_;
  uint64_t steps_left_;
  uint64_t calls_ = 0;
  bool exhausted_ = false;
};

}  // namespace crucible::rewards::math
