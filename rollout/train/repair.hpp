// The self-training loop's repair step (rule rft): wrong samples are critiqued and refined
// (critique in the loop), and tasks with too few accepted samples get guided resampling
// (GSI). What is found verified becomes extra training sequences; the counts become the
// iteration's metrics.
//
//   RepairOutcome r = repair_failures(config, iteration, groups, task_of, engine, tok, ctx,
//   critic); batch.insert(batch.end(), r.sequences...);   metrics.update(r.metrics);
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "critique/critic.hpp"
#include "critique/training_example.hpp"
#include "policy/model/pg_trainer.hpp"
#include "policy/native_policy.hpp"
#include "rollout/engine.hpp"
#include "rollout/record.hpp"
#include "rollout/train/train_config.hpp"

namespace crucible::rollout {

struct RepairOutcome {
  std::vector<critique::TrainingExample> examples;  // refined and guided solutions
  std::vector<policy::ScoredSequence> sequences;    // the same, tokenised for the update
  nlohmann::json metrics = nlohmann::json::object();
};

// Null metrics and nothing found when neither critique nor guidance is configured.
// `tokenizer` and `context` are the native policy's (prompts that do not fit are skipped;
// found solutions are tokenised for the update); null and 0 for a served policy.
RepairOutcome repair_failures(const TrainConfig& config, size_t iteration,
                              const std::vector<std::vector<SampleRecord>>& groups,
                              const std::function<const tasks::Task&(const std::string&)>& task_of,
                              const RolloutEngine& engine, const policy::Tokenizer* tokenizer,
                              size_t context, critique::Critic* critic);

// A kept solution as a training sequence: <bos> prompt, completion <eos>; the given prefix
// (masked_prefix_bytes) is masked from the loss.
policy::ScoredSequence to_sequence(const critique::TrainingExample& e,
                                   const policy::Tokenizer& tok);

}  // namespace crucible::rollout
