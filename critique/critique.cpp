#include "critique/critique.hpp"

namespace crucible::critique {

std::string Critique::render() const {
  std::string out;
  for (const auto& s : steps) {
    out.append("Step ").append(std::to_string(s.index + 1)).append(": ").append(s.text);
    out.append("\nCorrectness of the step: ").append(s.ok ? "Correct" : "Wrong").append("\n");
    if (!s.ok) out.append("Explanation: ").append(s.feedback).append("\n");
  }
  out.append("Final answer: ");
  if (!final_correct)
    out.append("not judged");
  else
    out.append(*final_correct ? "Correct" : "Wrong");
  if (!final_feedback.empty()) out.append(" (").append(final_feedback).append(")");
  out.append("\n");
  return out;
}

void to_json(nlohmann::json& j, const Critique& c) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : c.steps)
    steps.push_back({{"index", s.index},
                     {"span", {s.begin, s.end}},
                     {"text", s.text},
                     {"ok", s.ok},
                     {"feedback", s.feedback}});
  j = {{"critic", c.critic},
       {"steps", steps},
       {"first_wrong", c.first_wrong ? nlohmann::json(*c.first_wrong) : nlohmann::json(nullptr)},
       {"final_correct",
        c.final_correct ? nlohmann::json(*c.final_correct) : nlohmann::json(nullptr)},
       {"final_feedback", c.final_feedback}};
}

}  // namespace crucible::critique
