#include "critique/critique.hpp"

#include <cctype>

namespace crucible::critique {

std::vector<Span> split_steps(const std::string& s) {
  std::vector<Span> out;
  size_t start = 0;
  auto push = [&](size_t b, size_t e) {
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    if (e > b) out.push_back({b, e});
  };
  for (size_t i = 0; i < s.size(); ++i) {
    bool line_end = s[i] == '\n';
    bool sentence_end = s[i] == '.' && i + 2 < s.size() && s[i + 1] == ' ' &&
                        std::isupper(static_cast<unsigned char>(s[i + 2]));
    if (line_end || sentence_end) {
      push(start, sentence_end ? i + 1 : i);
      start = i + 1;
    }
  }
  push(start, s.size());
  return out;
}

std::string answer_part(const std::string& completion) {
  auto think = completion.rfind("</think>");
  return think == std::string::npos ? completion : completion.substr(think + 8);
}

std::string Critique::render() const {
  std::string out;
  if (!usable()) return "The critique could not be read: " + malformed + "\n";
  for (const auto& s : steps) {
    if (show_only_findings && s.ok && s.feedback.empty()) continue;
    out.append(show_only_findings ? "Line " : "Step ")
        .append(std::to_string(s.index + 1))
        .append(": ")
        .append(s.text);
    out.append("\nCorrectness of the step: ").append(s.ok ? "Correct" : "Wrong").append("\n");
    if (!s.feedback.empty())
      out.append(s.ok ? "Note: " : "Explanation: ").append(s.feedback).append("\n");
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
  if (!c.usable()) {
    j["malformed"] = c.malformed;
    j["raw"] = c.raw;
  }
}

}  // namespace crucible::critique
