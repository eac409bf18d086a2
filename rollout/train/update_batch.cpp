#include "rollout/train/update_batch.hpp"

#include <set>

namespace crucible::rollout {

std::vector<policy::ScoredSequence> update_batch(
    const std::vector<std::vector<SampleRecord>>& groups, policy::UpdateRule rule,
    size_t max_accepted_per_task) {
  std::vector<policy::ScoredSequence> batch;
  for (const auto& g : groups) {
    std::set<std::vector<int>> kept;
    for (const auto& rec : g) {
      policy::ScoredSequence s{rec.prompt_tokens, rec.completion_tokens,     rec.loss_mask,
                               rec.logprobs,      rec.advantage.value_or(0), rec.reward.value};
      if (rule == policy::UpdateRule::Rft) {
        if (!rec.reward.passed() || kept.size() >= max_accepted_per_task ||
            !kept.insert(rec.completion_tokens).second)
          continue;
        s.advantage = 1;
      } else if (!rec.advantage) {
        continue;  // invalid: excluded from its group
      }
      batch.push_back(std::move(s));
    }
  }
  return batch;
}

}  // namespace crucible::rollout
