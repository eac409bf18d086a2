// Format and length shaping: rewards about how a completion is written, not whether it
// is right. Each returns a Reward whose reason names the defect it found.
//
//   Reward f = format_reward(completion, {.think = true, .answer = AnswerForm::Boxed});
//   double p = overlong_penalty(tokens, {.max_tokens = 4096, .cache_tokens = 512});
//   LengthHistory h;  Reward l = h.reward(task_id, tokens, correct);
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "rewards/reward.hpp"

namespace crucible::rewards {

enum class AnswerForm {
  Boxed,       // exactly one \boxed{...} after the reasoning
  AnswerLine,  // exactly one "Answer: ..." line after the reasoning
  CodeFence,   // exactly one fenced code block after the reasoning
  Any,         // some non-empty text after the reasoning
};

struct FormatSpec {
  bool think = true;  // the completion opens with <think> ... </think>, once
  AnswerForm answer = AnswerForm::Boxed;

  static FormatSpec from_json(const nlohmann::json& j);
};

// 1 when the completion has the form, else 0; reasons: ok, missing_think, unclosed_think,
// repeated_think, empty_think, text_before_think, no_answer, multiple_answers, empty_answer.
Reward format_reward(std::string_view completion, const FormatSpec& spec);

// DAPO's soft overlong punishment: 0 up to max - cache tokens, then falling linearly to -1
// at max tokens, and -1 beyond.
struct OverlongSpec {
  size_t max_tokens = 4096;
  size_t cache_tokens = 512;

  static OverlongSpec from_json(const nlohmann::json& j);
};
double overlong_penalty(size_t completion_tokens, const OverlongSpec& spec);

// A per-problem length reward that remembers the shortest and longest completion seen
// for each task: lambda = 0.5 - (len - min) / (max - min). Correct completions get
// lambda (shorter is better), wrong ones min(0, lambda), so a short wrong answer is never
// rewarded for being short and never punished beyond 0 for it. Thread-safe.
class LengthHistory {
 public:
  Reward reward(const std::string& task_id, size_t completion_tokens, bool correct);
  // Records lengths without scoring, e.g. a whole group before scoring its members.
  void observe(const std::string& task_id, size_t completion_tokens);

 private:
  struct Range {
    size_t min = 0, max = 0;
    bool seen = false;
  };
  std::mutex mu_;
  std::map<std::string, Range> ranges_;
};

}  // namespace crucible::rewards
