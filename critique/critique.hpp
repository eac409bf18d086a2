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
  // Programs are long: their critiques show only the steps (lines) with findings.
  bool show_only_findings = false;
  // A model critic's output that could not be read: why, and the output itself. Such a
  // critique has no verdicts and must not be acted on.
  std::string malformed;
  std::string raw;

  bool usable() const { return malformed.empty(); }
  std::string render() const;
};

void to_json(nlohmann::json& j, const Critique& c);

// The splitting every critic shares for prose: lines, and sentences within a line ('. '
// before a capital letter); byte spans, surrounding space trimmed, empty steps dropped.
struct Span {
  size_t begin, end;
};
std::vector<Span> split_steps(const std::string& text);

// The part of a completion a critique reads: after "</think>" when there is one.
std::string answer_part(const std::string& completion);

}  // namespace crucible::critique
