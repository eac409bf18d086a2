// The arithmetic-step critic: splits a math solution into steps and checks every
// arithmetic claim in them exactly with the verifier's expression engine: equation chains
// written in the text or in LaTeX ("16 - 3 - 4 = 9", "\frac{3}{4} \cdot 8 = 6") and GSM8K
// annotations ("<<9*2=18>>"). With the problem text it also flags a step whose computation
// uses a number found neither in the problem, nor earlier in the solution, nor among small
// constants (a copied-wrong number); with a reference answer it judges the final answer.
//
//   Critique c = critique_arithmetic(solution, {.problem = task.prompt, .reference = task.answer});
#pragma once

#include <optional>
#include <string>

#include "critique/critique.hpp"

namespace crucible::critique {

struct ArithmeticContext {
  std::string problem;                   // empty: no copied-number check
  std::optional<std::string> reference;  // the reference answer, when known
};

Critique critique_arithmetic(const std::string& solution, const ArithmeticContext& context);

}  // namespace crucible::critique
