// Where the math is in free-form text, and where a dollar sign is money.
//
// Inline `$...$` follows the rule Markdown renderers use (Pandoc's tex_math_dollars): an
// opening `$` has a non-space character right after it, a closing `$` has a non-space
// character right before it (or both are padded with spaces: "$ x $"), and no digit right
// after it, and a span does not cross a
// blank line. So "She pays $12 + $8 = $20 in total." has no math span (three currency
// signs), while "$12 + 8 = 20$" and "$x$ and $y$" do. `$$...$$`, `\(...\)` and `\[...\]`
// are always math; `\$` is an escaped (literal) dollar.
//
//   for (const MathSpan& s : math_spans(text)) use(text.substr(s.inner, s.inner_end - s.inner));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::rewards::math {

struct MathSpan {
  size_t open = 0;       // offset of the opening delimiter
  size_t inner = 0;      // first byte inside
  size_t inner_end = 0;  // one past the last byte inside
  size_t close_end = 0;  // one past the closing delimiter
};

// Every math span of `text`, in order, outermost only.
std::vector<MathSpan> math_spans(std::string_view text);

// `text` with GSM8K calculator annotations ("<<48/2=24>>") removed: they are working, never
// the answer, and repeat the numbers around them.
std::string without_calculator_annotations(std::string_view text);

}  // namespace crucible::rewards::math
