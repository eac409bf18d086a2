// The row format verl's RL datasets read (data_source, chat prompt, ability, a rule reward
// model with the ground truth, extra_info), written by `crucible label --export verl` and by
// each training iteration's export. Callers add their own fields to extra_info.
//
//   json row = verl_row(task, prompt, completion, 1.0);
//   row["extra_info"]["iteration"] = 3;
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tasks/task.hpp"

namespace crucible::rollout {

nlohmann::json verl_row(const tasks::Task& task, const std::string& prompt,
                        const std::string& response, double reward);

}  // namespace crucible::rollout
