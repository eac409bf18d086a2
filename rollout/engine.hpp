// The rollout engine: a policy and the scorer bound to it once, producing rewarded samples
// in every shape the project labels, trains and evaluates with. `crucible label`, the
// self-training loop and held-out evaluation all roll out through it, so a sample is
// scored the same way wherever it is produced.
//
//   RolloutEngine engine(policy, rewards::Scorer(reward, &judge), &pool);
//   GroupBatch b = engine.parallel(cursor, group_options);        // GRPO / DAPO groups
//   SerialGroup g = engine.serial(task, "boxed", serial_options);  // S-GRPO early exits
//   auto segmented = engine.segmented(tasks, segment_options);     // UloRL segments
//   auto samples = engine.greedy(tasks, "plain", params);          // evaluation
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rewards/scorer.hpp"
#include "rollout/parallel.hpp"
#include "rollout/reward_pool.hpp"
#include "rollout/segmented.hpp"
#include "rollout/serial.hpp"
#include "rollout/tool_turns.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

// A completion with its reward (what evaluation keeps of a greedy sample).
struct ScoredSample {
  std::string prompt;
  policy::Sample sample;
  rewards::Reward reward;
  std::vector<ToolCall> calls;  // with tools
};

class RolloutEngine {
 public:
  // `pool` (optional) scores samples concurrently, with a timeout each; `tools` (optional)
  // lets the policy run code while it reasons, in parallel groups and single samples.
  RolloutEngine(policy::Policy& policy, rewards::Scorer score, RewardPool* pool = nullptr,
                const ToolUse* tools = nullptr);

  // Parallel groups over `tasks` (the engine's pool replaces the options').
  GroupBatch parallel(TaskCursor& tasks, GroupOptions options) const;
  // One serial group on the task's prompt rendered with `prompt_template`.
  SerialGroup serial(const tasks::Task& task, const std::string& prompt_template,
                     const SerialOptions& options) const;
  // A segmented rollout over `tasks` (more can be added as it runs).
  std::unique_ptr<SegmentedRollout> segmented(const std::vector<tasks::Task>& tasks,
                                              const SegmentOptions& options) const;
  // One sample per task with `params` (greedy for evaluation), scored, in task order.
  std::vector<ScoredSample> sample_each(const std::vector<tasks::Task>& tasks,
                                        const std::string& prompt_template,
                                        const policy::SamplingParams& params) const;

  policy::Policy& policy() const { return policy_; }
  const rewards::Scorer& scorer() const { return score_; }

 private:
  policy::Policy& policy_;
  rewards::Scorer score_;
  RewardPool* pool_;
  const ToolUse* tools_;
};

}  // namespace crucible::rollout
