// The roll-out step of the self-training loop: an iteration's tasks, in the curriculum's
// order, become groups of rewarded samples through the rollout engine: parallel groups
// (with DAPO's dynamic sampling and GSI's extra samples for never-solved tasks), serial
// groups (S-GRPO), or UloRL segments whose unfinished samples carry into the next
// iteration. It takes only its slice of the config.
//
//   RolloutStep step(RolloutStepConfig::of(config), {eos});
//   IterationRollout r = step.run(engine, iteration, ordered, never_solved);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rewards/advantages.hpp"
#include "rollout/engine.hpp"
#include "rollout/record.hpp"
#include "rollout/serial.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct TrainConfig;

struct RolloutStepConfig {
  uint64_t seed = 1;
  std::string mode = "parallel";  // parallel | serial
  size_t tasks_per_iteration = 16, group_size = 8, exits = 4, segments = 1;
  std::string answer_forcing = kDefaultAnswerForcing;  // serial groups' exits
  std::string exit_loss = "answer";                    // SerialOptions::exit_loss
  std::string exit_at = "token";                       // SerialOptions::exit_at
  size_t max_tokens = 64;
  double temperature = 1.0;
  std::string prompt_template = "plain";
  bool dynamic_sampling = false;
  size_t max_rounds = 3;
  size_t extra_samples = 0;
  rewards::AdvantageMode advantage = rewards::AdvantageMode::Standard;

  static RolloutStepConfig of(const TrainConfig& config);
};

struct IterationRollout {
  std::vector<std::vector<SampleRecord>> groups;
  size_t dropped = 0;
  size_t in_flight = 0, groups_waiting = 0;  // segmented: carried to the next iteration
  double seconds = 0;
};

class RolloutStep {
 public:
  // `stop_tokens`: where a native policy's samples end (none for a served policy).
  RolloutStep(RolloutStepConfig config, std::vector<int> stop_tokens);
  ~RolloutStep();

  // `never_solved(task)`: whether GSI's extra samples go to the task.
  IterationRollout run(const RolloutEngine& engine, size_t iteration,
                       const std::vector<tasks::Task>& ordered,
                       const std::function<bool(const tasks::Task&)>& never_solved);

 private:
  void run_parallel(const RolloutEngine& engine, size_t iteration,
                    const std::vector<tasks::Task>& ordered, size_t wanted,
                    const policy::SamplingParams& sampling,
                    const std::function<bool(const tasks::Task&)>& never_solved,
                    IterationRollout& out);
  void run_segmented(const RolloutEngine& engine, size_t iteration,
                     const std::vector<tasks::Task>& ordered, size_t wanted,
                     const policy::SamplingParams& sampling, IterationRollout& out);

  RolloutStepConfig config_;
  std::vector<int> stop_tokens_;
  // Segmented rollouts: samples in flight across iterations, and finished samples of
  // groups not yet complete (by group id).
  std::unique_ptr<SegmentedRollout> segmented_;
  std::map<std::string, std::vector<SampleRecord>> waiting_;
  size_t open_groups_ = 0;  // started and not yet trained on
};

}  // namespace crucible::rollout
