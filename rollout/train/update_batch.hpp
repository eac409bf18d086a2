// The update step's batch: an iteration's rewarded groups as training sequences. Policy
// gradient rules take every valid sample with its advantage; rejection sampling (rft) takes
// verified-correct samples only, distinct, at most `max_accepted_per_task` per task, each
// with advantage 1.
//
//   auto batch = update_batch(groups, config.update.rule, config.max_accepted_per_task);
#pragma once

#include <vector>

#include "policy/model/pg_trainer.hpp"
#include "rollout/record.hpp"

namespace crucible::rollout {

std::vector<policy::ScoredSequence> update_batch(
    const std::vector<std::vector<SampleRecord>>& groups, policy::UpdateRule rule,
    size_t max_accepted_per_task);

}  // namespace crucible::rollout
