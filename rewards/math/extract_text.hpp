// Text helpers shared by the answer extractors (extract.cpp, extract_gold.cpp).
#pragma once

#include <string>
#include <string_view>

namespace crucible::rewards::math {

// `s` without leading and trailing whitespace.
std::string trimmed(std::string_view s);
std::string lowercase(std::string_view s);
// The answer that starts `rest`: a box, a leading math span, or the text up to the end of
// its line or sentence (a leading currency sign dropped).
std::string phrase_answer(std::string_view rest);

}  // namespace crucible::rewards::math
