// Critique in the loop at training time (rejection sampling with repair): the correct
// originals are kept; each wrong sample is critiqued and refined, and a refinement is kept
// when the verifier accepts it and it is not a shortcut (it does not reach the answer in
// far fewer steps than both the reference and the original), at most `max_kept` per
// critiqued sample. Refinements are kept under the task's own prompt (SFT pairs) or under
// the refinement prompt (critique-conditioned).
//
//   auto r = critique_rft(actor, critic, samples, options, scorer);
//   r.kept -> SFT; r.wrong, r.refined_correct, r.shortcuts, r.policy_calls
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

struct CritiqueRftOptions {
  size_t refinements = 2;  // refinement attempts per wrong sample
  size_t max_kept = 1;     // kept refinements per critiqued sample
  double shortcut_ratio = 0.5;
  bool critique_in_prompt = true;
  bool restart_at_first_wrong = true;
  bool critique_conditioned = false;  // train refinements under the refinement prompt
  policy::SamplingParams sampling;
  std::string prompt_template = "plain";
  // Whether a prompt fits the actor (a native model's context); those that do not are
  // skipped and counted, not sent. Unset: every prompt fits.
  std::function<bool(const std::string&)> fits;
};

struct RolledSample {
  const tasks::Task* task = nullptr;
  std::string completion;
  bool correct = false;
};

struct CritiqueRftResult {
  std::vector<TrainingExample> kept;
  size_t originals_correct = 0, wrong = 0, refined_correct = 0, shortcuts = 0;
  size_t malformed_critiques = 0, too_long = 0, policy_calls = 0;
};

// Steps of a solution as the critics count them (after "</think>").
size_t step_count(const std::string& solution);

// A refinement is a shortcut when it has fewer than ratio x the steps of the shorter of the
// reference solution (when the task has one) and the original attempt.
bool is_shortcut(const std::string& refinement, const std::string& original,
                 const tasks::Task& task, double ratio);

CritiqueRftResult critique_rft(policy::Policy& actor, Critic& critic,
                               const std::vector<RolledSample>& samples,
                               const CritiqueRftOptions& options, const rewards::Scorer& score);

}  // namespace crucible::critique
