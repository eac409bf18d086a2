// Finding the answer in free-form model output, in priority order:
//   1. the last balanced \boxed{...} or \fbox{...} (or all of them, joined with ", ")
//   2. "final answer is ..." / "final answer: ...", then "the answer is ...", then "#### ..."
//   3. the last math span: $...$, $$...$$, \(...\), \[...\]
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
  std::string method;  // boxed | final_answer | the_answer | gsm8k | math_span | whole |
                       // last_number; "" = none
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
