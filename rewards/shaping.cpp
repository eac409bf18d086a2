#include "rewards/shaping.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "rewards/code_reward.hpp"
#include "rewards/math/extract.hpp"

namespace crucible::rewards {
namespace {

Reward verdict(bool ok, const char* reason) {
  Reward r;
  r.value = ok ? 1 : 0;
  r.verdict = ok ? "ok" : "bad_format";
  r.reason = reason;
  return r;
}

size_t count(std::string_view s, std::string_view what) {
  size_t n = 0;
  for (size_t i = 0; (i = s.find(what, i)) != std::string_view::npos; i += what.size()) ++n;
  return n;
}

bool blank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

size_t answer_lines(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    size_t eol = s.find('\n', i);
    std::string_view line =
        s.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i);
    size_t a = line.find_first_not_of(" \t");
    if (a != std::string_view::npos && line.substr(a).rfind("Answer:", 0) == 0) ++n;
    if (eol == std::string_view::npos) break;
    i = eol + 1;
  }
  return n;
}

}  // namespace

FormatSpec FormatSpec::from_json(const nlohmann::json& j) {
  FormatSpec s;
  if (j.is_null()) return s;
  JsonFields f(j, "format.");
  f.boolean("think", s.think);
  std::string answer;
  if (f.text("answer", answer, {"boxed", "answer_line", "code_fence", "any"}))
    s.answer = answer == "boxed"         ? AnswerForm::Boxed
               : answer == "answer_line" ? AnswerForm::AnswerLine
               : answer == "code_fence"  ? AnswerForm::CodeFence
                                         : AnswerForm::Any;
  f.done();
  return s;
}

Reward format_reward(std::string_view completion, const FormatSpec& spec) {
  std::string_view answer = completion;
  if (spec.think) {
    size_t open = completion.find("<think>");
    if (open == std::string_view::npos) return verdict(false, "missing_think");
    if (!blank(completion.substr(0, open))) return verdict(false, "text_before_think");
    if (count(completion, "<think>") > 1 || count(completion, "</think>") > 1)
      return verdict(false, "repeated_think");
    size_t close = completion.find("</think>");
    if (close == std::string_view::npos || close < open) return verdict(false, "unclosed_think");
    if (blank(completion.substr(open + 7, close - open - 7))) return verdict(false, "empty_think");
    answer = completion.substr(close + 8);
  }
  if (blank(answer)) return verdict(false, "no_answer");
  switch (spec.answer) {
    case AnswerForm::Boxed: {
      auto boxes = math::boxed_contents(answer);
      if (boxes.empty()) return verdict(false, "no_answer");
      if (boxes.size() > 1) return verdict(false, "multiple_answers");
      if (blank(boxes[0])) return verdict(false, "empty_answer");
      break;
    }
    case AnswerForm::AnswerLine: {
      size_t n = answer_lines(answer);
      if (n == 0) return verdict(false, "no_answer");
      if (n > 1) return verdict(false, "multiple_answers");
      break;
    }
    case AnswerForm::CodeFence: {
      size_t fences = count(answer, "```");
      if (fences < 2) return verdict(false, "no_answer");
      if (fences > 2) return verdict(false, "multiple_answers");
      if (!extract_code(answer)) return verdict(false, "empty_answer");
      break;
    }
    case AnswerForm::Any:
      break;
  }
  return verdict(true, "ok");
}

OverlongSpec OverlongSpec::from_json(const nlohmann::json& j) {
  OverlongSpec s;
  if (j.is_null()) return s;
  JsonFields f(j, "overlong.");
  f.count("max_tokens", 0, 1 << 24, s.max_tokens);
  f.count("cache_tokens", 0, 1 << 24, s.cache_tokens);
  f.done();
  if (s.cache_tokens == 0 || s.cache_tokens > s.max_tokens)
    throw InvalidRequest("overlong.cache_tokens: must be between 1 and max_tokens");
  return s;
}

double overlong_penalty(size_t tokens, const OverlongSpec& spec) {
  size_t safe = spec.max_tokens - spec.cache_tokens;
  if (tokens <= safe) return 0;
  if (tokens > spec.max_tokens) return -1;
  return (static_cast<double>(safe) - static_cast<double>(tokens)) /
         static_cast<double>(spec.cache_tokens);
}

void LengthHistory::observe(const std::string& task_id, size_t tokens) {
  std::lock_guard lock(mu_);
  Range& r = ranges_[task_id];
  if (!r.seen) r = {tokens, tokens, true};
  r.min = std::min(r.min, tokens);
  r.max = std::max(r.max, tokens);
}

Reward LengthHistory::reward(const std::string& task_id, size_t tokens, bool correct) {
  observe(task_id, tokens);
  Range range;
  {
    std::lock_guard lock(mu_);
    range = ranges_[task_id];
  }
  Reward r;
  r.verdict = correct ? "correct" : "wrong";
  r.reason = "length";
  if (range.max == range.min) {
    r.value = 0;  // one length seen so far: nothing to compare against
  } else {
    double lambda =
        0.5 - static_cast<double>(tokens - range.min) / static_cast<double>(range.max - range.min);
    r.value = correct ? lambda : std::min(0.0, lambda);
  }
  r.details = {{"min_tokens", range.min}, {"max_tokens", range.max}, {"tokens", tokens}};
  return r;
}

}  // namespace crucible::rewards
