#include "cli/train_progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crucible::cli {
namespace {

using nlohmann::json;

std::string fixed(double v, int digits = 3) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

}  // namespace

std::string live_line(const json& m) {
  auto get = [&](const char* k) {
    return m.contains(k) && m[k].is_number() ? m[k].get<double>() : -1;
  };
  std::string line = "iter " + std::to_string(m["iteration"].get<size_t>());
  if (get("heldout_accuracy") >= 0) {
    line += "  held-out " + fixed(get("heldout_accuracy"));
    if (m.contains("heldout_by_source") && m["heldout_by_source"].size() > 1)
      for (const auto& [source, acc] : m["heldout_by_source"].items())
        line.append(" ")
            .append(source.substr(source.rfind('/') + 1))
            .append(" ")
            .append(fixed(acc.get<double>()));
  }
  if (m["iteration"].get<size_t>() == 0) return line + "  (after warm start, before training)";
  line += "  reward " + fixed(get("reward_mean")) + "  pass@" +
          std::to_string(m["k"].get<size_t>()) + " " + fixed(get("pass_at_k")) + "  len " +
          fixed(get("completion_tokens"), 1) + "  think " + fixed(get("thinking_tokens"), 1);
  if (get("policy_entropy") >= 0) line += "  entropy " + fixed(get("policy_entropy"));
  line +=
      "  " + fixed(get("samples_per_second"), 1) + " samples/s  " + fixed(get("seconds"), 1) + " s";
  return line;
}

std::string human_duration(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  char b[32];
  if (s < 60)
    std::snprintf(b, sizeof b, "%ld s", s);
  else
    std::snprintf(b, sizeof b, "%ld min %02ld s", s / 60, s % 60);
  return b;
}

TrainProgress::TrainProgress(size_t warmup_steps, size_t iterations)
    : warmup_steps_(warmup_steps), iterations_(iterations), warmup_start_(Clock::now()) {}

void TrainProgress::warmup_step(size_t step, double loss) {
  if (step == 1) warmup_start_ = Clock::now();  // preparing tasks is not warm-start time
  if (step % 50 != 0 && step != warmup_steps_) return;
  double spent = std::chrono::duration<double>(Clock::now() - warmup_start_).count();
  double left = spent / static_cast<double>(step) * static_cast<double>(warmup_steps_ - step);
  std::fprintf(stderr, "warm start: SFT step %zu/%zu, loss %.4f, %s left\n", step, warmup_steps_,
               loss, human_duration(left).c_str());
}

void TrainProgress::iteration_done(const json& metrics) {
  size_t iteration = metrics.value("iteration", size_t{0});
  std::string line = live_line(metrics);
  if (!iterations_started_) {  // the "before" evaluation (or the first line after a resume)
    iterations_started_ = true;
    iterations_start_ = Clock::now();
    first_iteration_ = iteration;
  } else if (iteration > first_iteration_ && iteration <= iterations_) {
    double spent = std::chrono::duration<double>(Clock::now() - iterations_start_).count();
    double per = spent / static_cast<double>(iteration - first_iteration_);
    line += "  (" + human_duration(per * static_cast<double>(iterations_ - iteration)) + " left)";
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace crucible::cli
