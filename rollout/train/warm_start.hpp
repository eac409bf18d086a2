// The warm start: SFT of the native model on the demonstrations of tasks (through the
// imperfect teacher of teacher.hpp when its slip rates are set, and with tool calls in a
// share of them when `tool_demos` is set), before self-training.
//
//   train_warm_start(model, tokenizer, tasks, warm_start_options(config), on_step);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct TrainConfig;

struct WarmStartOptions {
  size_t steps = 0, batch = 32;
  double lr = 3e-3;
  bool rationale = false;
  double sign_slips = 0, print_slips = 0;
  // The share of demonstrations that run the task's program as a tool call (tasks with a
  // program only); the others answer directly.
  double tool_demos = 0;
  // The share of rationale demonstrations that repeat their computation as a check.
  double rechecks = 0;
  std::string prompt_template = "plain";
  uint64_t seed = 1;  // the run's seed: batches and slips draw from their own streams
};

WarmStartOptions warm_start_options(const TrainConfig& config);

// `on_step(step, loss)` after every step (1-based).
void train_warm_start(policy::Transformer<float>& model, const policy::Tokenizer& tokenizer,
                      const std::vector<tasks::Task>& tasks, const WarmStartOptions& options,
                      const std::function<void(size_t, double)>& on_step);

}  // namespace crucible::rollout
