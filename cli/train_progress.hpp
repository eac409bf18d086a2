// What `crucible train` prints while it works: one line per phase step with the time the
// phase has left, estimated from the pace so far (warm-start steps, then iterations).
//
//   TrainProgress p(warmup_steps, iterations);
//   p.warmup_step(step, loss);     // every 50 steps: "warm start: SFT step 50/1500 ... left ~2m"
//   p.iteration_done(metrics);    // "iter 3 held-out ... (17 s left)"
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace crucible::cli {

class TrainProgress {
 public:
  TrainProgress(size_t warmup_steps, size_t iterations);
  void warmup_step(size_t step, double loss);
  void iteration_done(const nlohmann::json& metrics);

 private:
  using Clock = std::chrono::steady_clock;
  size_t warmup_steps_, iterations_, first_iteration_ = 0;
  Clock::time_point warmup_start_, iterations_start_;
  bool iterations_started_ = false;
};

// "42 s", "3 min 05 s": a duration as a person reads it.
std::string human_duration(double seconds);
// The live line of one iteration's metrics (held-out accuracy by source, reward, pass@k...).
std::string live_line(const nlohmann::json& metrics);

}  // namespace crucible::cli
