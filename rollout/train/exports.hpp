// Each iteration's samples in the formats external trainers read, so that a run whose
// policy is served elsewhere (vLLM, SGLang) feeds a trainer that is elsewhere too:
//   exports/iteration-NNNN.verl.jsonl  every valid sample as a verl-style row, its reward
//                                      and group advantage in extra_info;
//   exports/iteration-NNNN.sft.jsonl   verified solutions as {prompt, completion, origin}:
//                                      accepted samples and repaired (critiqued, guided) ones.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "critique/training_example.hpp"
#include "rollout/record.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct ExportCounts {
  size_t verl_rows = 0, sft_pairs = 0;
};

ExportCounts write_iteration_exports(
    const std::filesystem::path& run_dir, size_t iteration,
    const std::vector<std::vector<SampleRecord>>& groups,
    const std::vector<critique::TrainingExample>& repaired,
    const std::function<const tasks::Task&(const std::string&)>& task_of);

}  // namespace crucible::rollout
