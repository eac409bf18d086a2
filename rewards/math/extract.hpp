// Finding the answer in free-form model output. First the output is prepared: GSM8K
// calculator annotations ("<<48/2=24>>") are removed, and a few-shot continuation (a new
// "Q:" / "Question:" line after the answer was given) is cut off. Then, in priority order:
//   1. the last balanced \boxed{...} or \fbox{...} (or all of them, joined with ", ")
//   2. the last final-answer marker: "final answer is/:", "the answer is", "Answer:",
//      "**Answer:**", "####", a line "A: 20". A line marker counts only when what follows
//      is an answer; "the answer is 18 because ..." takes its first number.
//   3. the last math span: $...$, $$...$$, \(...\), \[...\] (a `$` before a number in prose
//      is currency, not math: see spans.hpp)
//   4. a short one-line output that is itself an answer ("x^2+1")
//   5. the last number ("... so she pays 7,425,000 dollars." -> "7,425,000")
//
//   Extracted x = extract_answer(output, {});   // x.answer, x.method ("boxed", ...)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::rewards::math {

struct Extracted {
  std::string answer;
  std::string method;  // boxed | final_answer | the_answer | answer_line | gsm8k | math_span |
                       // whole | last_number; "" = none
  std::string source;  // the piece of the output the rule read (for --explain)
  std::vector<std::string> boxes;  // every distinct \boxed{} of the output, in order
};

struct ExtractOptions {
  bool join_boxes = false;  // all boxes, joined with ", ", instead of the last
};

Extracted extract_answer(std::string_view output, const ExtractOptions& options);

// A reference answer: its box or "#### N" when it has one (MATH, GSM8K solutions),
// otherwise the whole text.
Extracted extract_gold(std::string_view gold);

// "C", "(C)", "C)", "\text{(C)}", "option C", "C. 42" -> 'C'; letters A to J only.
std::optional<char> choice_letter(std::string_view answer);

// The contents of every balanced \boxed{...}/\fbox{...}, in order ("\boxed 5" too).
std::vector<std::string> boxed_contents(std::string_view text);

}  // namespace crucible::rewards::math
