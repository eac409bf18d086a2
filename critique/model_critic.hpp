// The model critic: a policy (native or over HTTP) is shown the problem and the solution
// cut into numbered steps, and asked for a critique in the format Critique::render()
// writes; its output is parsed back. Output that does not follow the format is reported
// (Critique::malformed names what is wrong), never guessed into verdicts.
//
//   ModelCritic critic(policy, params);
//   Critique c = critic.critique(task, completion);   // c.usable() or c.malformed
#pragma once

#include <string>
#include <vector>

#include "critique/critic.hpp"
#include "policy/policy.hpp"

namespace crucible::critique {

// The prompt: the problem, the numbered steps and the format to answer in.
std::string critique_prompt(const std::string& problem, const std::string& solution);

// Reads a critique of `solution` from a critic's text. Every step needs exactly one
// "Correctness of the step: Correct|Wrong" line, in order; "Explanation:" lines are
// optional; a "Final answer: Correct|Wrong|not judged" line is required.
Critique parse_critique(const std::string& text, const std::string& solution);

class ModelCritic : public Critic {
 public:
  ModelCritic(policy::Policy& model, policy::SamplingParams params)
      : model_(model), params_(std::move(params)) {}
  Critique critique(const tasks::Task& task, const std::string& completion) override;
  // Several at once (one batch for the policy).
  std::vector<Critique> critique_all(const std::vector<const tasks::Task*>& tasks,
                                     const std::vector<std::string>& completions);
  std::string name() const override { return "model"; }

 private:
  policy::Policy& model_;
  policy::SamplingParams params_;
};

}  // namespace crucible::critique
