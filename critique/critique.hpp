// A critique of a solution: a verdict per step (where it is in the text, whether it is
// right, why not), the first wrong step, a verdict on the final answer, and a rendering a
// policy can read (each step, "Correctness of the step: Correct|Wrong" and the reason,
// then the final-answer verdict).
//
//   Critique c = critique_arithmetic(task, solution);
//   if (c.first_wrong) ...;   std::string prompt_part = c.render();
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace crucible::critique {

struct StepVerdict {
  size_t index = 0;
  size_t begin = 0, end = 0;  // byte span of the step in the solution
  std::string text;
  bool ok = true;
  std::string feedback;  // why it is wrong (empty when right)
};

struct Critique {
  std::string critic;  // "arithmetic", "execution", "model"
  std::vector<StepVerdict> steps;
  std::optional<size_t> first_wrong;  // index into steps
  std::optional<bool> final_correct;  // unknown without a reference or a final answer
  std::string final_feedback;

  std::string render() const;
};

void to_json(nlohmann::json& j, const Critique& c);

}  // namespace crucible::critique
