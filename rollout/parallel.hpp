// Parallel groups (GRPO): n independent samples per prompt, rewarded, with group-relative
// advantages. With dynamic sampling (DAPO), groups whose valid rewards are all equal carry
// no signal: they are dropped and replaced from further prompts until the batch is full
// or the round cap is reached, and the counts are reported.
//
//   TaskCursor tasks(task_list);
//   GroupBatch b = run_parallel_groups(policy, scorer, tasks, options);
//   b.groups[g][i].advantage, b.dropped_equal, b.rounds, b.full
#pragma once

#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rewards/advantages.hpp"
#include "rewards/scorer.hpp"
#include "rollout/record.hpp"
#include "rollout/reward_pool.hpp"
#include "rollout/tool_turns.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

// Hands out tasks in order, cycling; counts how many it handed out.
class TaskCursor {
 public:
  explicit TaskCursor(const std::vector<tasks::Task>& tasks);
  const tasks::Task& next();
  size_t taken() const { return taken_; }

 private:
  const std::vector<tasks::Task>& tasks_;
  size_t taken_ = 0;
};

struct GroupOptions {
  size_t group_size = 8;
  size_t groups_per_batch = 4;
  bool dynamic_sampling = false;
  size_t max_rounds = 4;  // generation rounds, the first included
  rewards::AdvantageMode advantage = rewards::AdvantageMode::Standard;
  policy::SamplingParams sampling;
  std::string prompt_template = "boxed";
  RewardPool* reward_pool = nullptr;  // score concurrently, with timeouts (else inline)
  // Tool-integrated turns (rollout/tool_turns.hpp): the policy runs code while it reasons.
  const ToolUse* tools = nullptr;
};

struct GroupBatch {
  std::vector<std::vector<SampleRecord>> groups;  // kept groups, in order
  size_t groups_generated = 0;
  size_t dropped_equal = 0;  // dynamic sampling: all valid rewards equal
  size_t rounds = 0;
  bool full = false;  // reached groups_per_batch
};

GroupBatch run_parallel_groups(policy::Policy& policy, const rewards::Scorer& score,
                               TaskCursor& tasks, const GroupOptions& options);

}  // namespace crucible::rollout
