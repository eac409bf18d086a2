// Guided resampling (Guided Self-Improvement) for hard queries, those with fewer than c
// correct samples out of n: up to `rounds` rounds of `samples` attempts each, with one of
// four kinds of guidance, until `wanted` correct solutions are found:
//   answer     the reference answer is shown in the prompt;
//   rationale  the reference solution is shown as a reference;
//   critique   a critic names the wrong step of the previous attempt, which is refined;
//   state_reset a growing prefix of the reference rationale is prefilled (round r of R keeps
//              r/(R+1) of its steps) and kept in the solution, masked from the loss.
// A solution found with guidance is trained under the task's own prompt: the guide is
// removed. The baseline (brute_force) spends the same rounds x samples on plain samples.
//
//   auto found = guided_resample(actor, &critic, hard, options, scorer);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "critique/critic.hpp"
#include "critique/training_example.hpp"
#include "policy/policy.hpp"
#include "rewards/composite.hpp"
#include "rewards/scorer.hpp"
#include "tasks/task.hpp"

namespace crucible::critique {

enum class Guidance { None, Answer, Rationale, Critique, StateReset };

// "none" (brute force), "answer", "rationale", "critique", "state_reset"; InvalidRequest
// names any other.
Guidance guidance_from_name(const std::string& name);
std::string guidance_name(Guidance g);

struct GuidedOptions {
  Guidance guidance = Guidance::StateReset;
  size_t rounds = 2;
  size_t samples = 4;  // attempts per round per task
  size_t wanted = 1;   // stop a task once this many correct solutions are found
  policy::SamplingParams sampling;
  std::string prompt_template = "plain";
  // Whether a prompt fits the actor (a native model's context); those that do not are
  // skipped and counted, not sent. Unset: every prompt fits.
  std::function<bool(const std::string&)> fits;
};

struct GuidedResult {
  std::string task_id;
  std::vector<TrainingExample> found;
  size_t policy_calls = 0;
  size_t rounds_used = 0;
  size_t too_long = 0;  // prompts skipped: they did not fit the actor
};

// The guide added to the prompt (answer, rationale), or the reference prefix to prefill
// (state reset) in round `round` (1-based) of `rounds`.
std::string guided_prompt(const std::string& base_prompt, const tasks::Task& task, Guidance g);
std::string reference_prefix(const tasks::Task& task, size_t round, size_t rounds);

// `critic` is needed by Guidance::Critique only (InvalidRequest without it). Tasks whose
// guidance needs a reference (answer, rationale, state reset) and have none are named.
std::vector<GuidedResult> guided_resample(policy::Policy& actor, Critic* critic,
                                          const std::vector<const tasks::Task*>& hard,
                                          const GuidedOptions& options,
                                          const rewards::Scorer& score);

}  // namespace crucible::critique
