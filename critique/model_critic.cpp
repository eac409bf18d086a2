#include "critique/model_critic.hpp"

#include <cctype>

#include "base/error.hpp"

namespace crucible::critique {

namespace {

std::string trimmed(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

Critique malformed(std::string why, const std::string& text) {
  Critique c;
  c.critic = "model";
  c.malformed = std::move(why);
  c.raw = text;
  return c;
}

}  // namespace

std::string critique_prompt(const std::string& problem, const std::string& solution) {
  std::string prompt = "Check the solution to the problem step by step.\nProblem: ";
  prompt.append(problem).append("\nSolution:\n");
  std::string answer = answer_part(solution);
  size_t k = 0;
  for (const Span& s : split_steps(answer))
    prompt.append("Step ")
        .append(std::to_string(++k))
        .append(": ")
        .append(answer.substr(s.begin, s.end - s.begin))
        .append("\n");
  prompt.append(
      "For every step write \"Step k: <the step>\", then \"Correctness of the step: Correct\" "
      "or \"Correctness of the step: Wrong\" and, when wrong, \"Explanation: <why>\". End "
      "with \"Final answer: Correct\" or \"Final answer: Wrong\".\nCritique:\n");
  return prompt;
}

Critique parse_critique(const std::string& text, const std::string& solution) {
  std::string answer = answer_part(solution);
  size_t offset = solution.size() - answer.size();
  std::vector<Span> spans = split_steps(answer);
  Critique c;
  c.critic = "model";
  c.raw = text;
  std::optional<size_t> current;  // the step being read (0-based)
  bool verdict_seen = false, final_seen = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = trimmed(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    if (final_seen) return malformed("text after the \"Final answer:\" line: " + line, text);
    if (starts_with(line, "Step ")) {
      size_t digits = 5;
      while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])))
        ++digits;
      if (digits == 5 || digits - 5 > 6)
        return malformed("a \"Step\" line without a step number: " + line, text);
      size_t k = std::stoul(line.substr(5, digits - 5));
      size_t expected = current ? *current + 2 : 1;
      if (current && !verdict_seen)
        return malformed(
            "step " + std::to_string(*current + 1) + " has no \"Correctness of the step\" line",
            text);
      if (k != expected)
        return malformed(
            "step " + std::to_string(k) + " where step " + std::to_string(expected) + " was due",
            text);
      if (k > spans.size())
        return malformed("step " + std::to_string(k) + " but the solution has " +
                             std::to_string(spans.size()) + " steps",
                         text);
      current = k - 1;
      verdict_seen = false;
      StepVerdict v;
      v.index = k - 1;
      v.begin = offset + spans[k - 1].begin;
      v.end = offset + spans[k - 1].end;
      v.text = answer.substr(spans[k - 1].begin, spans[k - 1].end - spans[k - 1].begin);
      c.steps.push_back(std::move(v));
    } else if (starts_with(line, "Correctness of the step:")) {
      if (!current) return malformed("a verdict before any \"Step\" line", text);
      if (verdict_seen)
        return malformed("step " + std::to_string(*current + 1) + " has two verdicts", text);
      std::string verdict = trimmed(line.substr(24));
      if (verdict != "Correct" && verdict != "Wrong")
        return malformed("step " + std::to_string(*current + 1) + ": the verdict \"" + verdict +
                             "\" is neither Correct nor Wrong",
                         text);
      c.steps.back().ok = verdict == "Correct";
      if (!c.steps.back().ok && !c.first_wrong) c.first_wrong = *current;
      verdict_seen = true;
    } else if (starts_with(line, "Explanation:")) {
      if (!verdict_seen) return malformed("an explanation before its step's verdict", text);
      c.steps.back().feedback = trimmed(line.substr(12));
    } else if (starts_with(line, "Final answer:")) {
      if (current && !verdict_seen)
        return malformed(
            "step " + std::to_string(*current + 1) + " has no \"Correctness of the step\" line",
            text);
      std::string verdict = trimmed(line.substr(13));
      auto paren = verdict.find(" (");
      if (paren != std::string::npos) {
        c.final_feedback = trimmed(verdict.substr(paren + 2));
        if (!c.final_feedback.empty() && c.final_feedback.back() == ')')
          c.final_feedback.pop_back();
        verdict = verdict.substr(0, paren);
      }
      if (verdict == "Correct" || verdict == "Wrong")
        c.final_correct = verdict == "Correct";
      else if (verdict != "not judged")
        return malformed(
            "the final verdict \"" + verdict + "\" is not Correct, Wrong or not judged", text);
      final_seen = true;
    } else if (current && verdict_seen && !c.steps.back().feedback.empty()) {
      c.steps.back().feedback += " " + line;  // an explanation over several lines
    } else if (!current) {
      continue;  // a preamble before the first step is allowed
    } else {
      return malformed("a line outside the format: " + line, text);
    }
  }
  if (!final_seen) return malformed("no \"Final answer:\" line", text);
  if (c.steps.size() != spans.size())
    return malformed("the critique covers " + std::to_string(c.steps.size()) + " of " +
                         std::to_string(spans.size()) + " steps",
                     text);
  c.raw.clear();
  return c;
}

std::vector<Critique> ModelCritic::critique_all(const std::vector<const tasks::Task*>& tasks,
                                                const std::vector<std::string>& completions) {
  if (tasks.size() != completions.size())
    throw InvalidRequest("model critic: " + std::to_string(tasks.size()) + " tasks but " +
                         std::to_string(completions.size()) + " completions");
  std::vector<std::string> prompts;
  for (size_t i = 0; i < tasks.size(); ++i)
    prompts.push_back(critique_prompt(tasks[i]->prompt, completions[i]));
  std::vector<policy::Sample> samples = model_.generate(prompts, params_);
  std::vector<Critique> out;
  for (size_t i = 0; i < samples.size(); ++i) {
    Critique c = parse_critique(samples[i].text, completions[i]);
    if (!c.usable() && samples[i].finish_reason != "stop")
      c.malformed += " (the critic stopped at its token limit)";
    out.push_back(std::move(c));
  }
  return out;
}

Critique ModelCritic::critique(const tasks::Task& task, const std::string& completion) {
  return critique_all({&task}, {completion}).front();
}

}  // namespace crucible::critique
