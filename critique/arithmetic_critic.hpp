// The arithmetic-step critic: splits a math solution into steps and checks every
// arithmetic claim in them exactly with the verifier's expression engine: equation chains
// written in the text or in LaTeX ("16 - 3 - 4 = 9", "\frac{3}{4} \cdot 8 = 6") and GSM8K
// annotations ("<<9*2=18>>"). It flags a copied-wrong number: an operand written nowhere
// before (neither in the problem nor in the solution) that is one digit away from an
// earlier result. With a reference answer it judges the final answer.
//
//   Critique c = critique_arithmetic(solution, {.problem = task.prompt, .reference = task.answer});
#pragma once

#include <optional>
#include <string>

#include "critique/critic.hpp"

namespace crucible::critique {

struct ArithmeticContext {
  std::string problem;                   // empty: no copied-number check
  std::optional<std::string> reference;  // the reference answer, when known
};

Critique critique_arithmetic(const std::string& solution, const ArithmeticContext& context);

// As a Critic: the task's prompt is the problem, its answer (when it has one) the reference;
// the completion is read after "</think>".
class ArithmeticCritic : public Critic {
 public:
  explicit ArithmeticCritic(bool use_reference = true) : use_reference_(use_reference) {}
  Critique critique(const tasks::Task& task, const std::string& completion) override;
  std::string name() const override { return "arithmetic"; }

 private:
  bool use_reference_;
};

}  // namespace crucible::critique
