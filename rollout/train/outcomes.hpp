// What an iteration's rewarded groups say, before the update: counts for the metrics line,
// attempts and successes per task for the curriculum, and the samples.jsonl lines.
//
//   Outcomes o = tally_outcomes(groups, iteration, config.pass_k, learner.tokenizer());
//   for (auto& [id, t] : o.per_task) curriculum.record(index_of(id), t.attempts, t.correct);
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/model/tokenizer.hpp"
#include "rollout/record.hpp"
#include "rollout/tool_tally.hpp"

namespace crucible::rollout {

struct Outcomes {
  size_t samples = 0, valid = 0, correct = 0, groups = 0, solved_groups = 0;
  size_t completion_tokens = 0, thinking_tokens = 0;
  double reward_sum = 0, pass_sum = 0;
  struct Task {
    size_t attempts = 0, correct = 0;  // valid samples, of which passed
  };
  std::map<std::string, Task> per_task;  // by task id
  ToolTally tools;                       // tool-integrated rollouts
  size_t tool_invalid = 0;               // samples a sandbox failure in a tool call voided
  std::string lines;                     // samples.jsonl: each record with its iteration

  // The metrics of these outcomes ("reward_mean", "accept_rate", "pass_at_k", ...).
  nlohmann::json metrics(size_t pass_k) const;
  // "tool_call_rate", "tool_calls_per_sample", "tool_errors", "tool_timeouts", "tool_invalid".
  nlohmann::json tool_metrics() const;
};

// `tokenizer` (the native policy's) counts thinking tokens; null counts none.
Outcomes tally_outcomes(const std::vector<std::vector<SampleRecord>>& groups, size_t iteration,
                        size_t pass_k, const policy::Tokenizer* tokenizer);

}  // namespace crucible::rollout
