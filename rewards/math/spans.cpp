#include "rewards/math/spans.hpp"

#include <cctype>

#include "rewards/math/chars.hpp"

namespace crucible::rewards::math {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// One past the closing delimiter of a single-dollar span opened at `open`, or npos.
size_t close_of_dollar(std::string_view s, size_t open) {
  size_t start = open + 1;
  if (start >= s.size() || s[start] == '$' || s[start] == '\n') return std::string_view::npos;
  // "$ \\begin{pmatrix}...\\end{pmatrix} $": padded on both sides with spaces is math too.
  bool padded = s[start] == ' ' || s[start] == '\t';
  for (size_t j = start; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;  // an escaped character, "\$" among them
      continue;
    }
    if (s[j] == '\n' && j + 1 < s.size() && s[j + 1] == '\n') return std::string_view::npos;
    if (s[j] != '$') continue;
    bool after_digit = j + 1 < s.size() && is_digit(s[j + 1]);
    if (after_digit || j == start) continue;
    bool space_before = s[j - 1] == ' ' || s[j - 1] == '\t';
    if (padded ? space_before : !is_space(s[j - 1])) return j + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<MathSpan> math_spans(std::string_view s) {
  std::vector<MathSpan> out;
  for (size_t i = 0; i < s.size();) {
    std::string_view close;
    size_t open_len = 2;
    if (s.compare(i, 2, "\\(") == 0)
      close = "\\)";
    else if (s.compare(i, 2, "\\[") == 0)
      close = "\\]";
    else if (s.compare(i, 2, "$$") == 0)
      close = "$$";
    if (!close.empty()) {
      size_t end = s.find(close, i + open_len);
      if (end == std::string_view::npos) {
        i += open_len;
        continue;
      }
      out.push_back({i, i + open_len, end, end + close.size()});
      i = end + close.size();
      continue;
    }
    if (s[i] == '\\') {
      i += 2;  // "\$" and other escapes
      continue;
    }
    if (s[i] == '$') {
      size_t end = close_of_dollar(s, i);
      if (end != std::string_view::npos) {
        out.push_back({i, i + 1, end - 1, end});
        i = end;
        continue;
      }
    }
    ++i;
  }
  return out;
}

std::string without_calculator_annotations(std::string_view s) {
  constexpr size_t kMaxAnnotation = 200;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "<<") == 0) {
      size_t end = s.find(">>", i + 2);
      if (end != std::string_view::npos && end - i <= kMaxAnnotation &&
          s.substr(i + 2, end - i - 2).find_first_of("<>\n") == std::string_view::npos &&
          s.substr(i + 2, end - i - 2).find('=') != std::string_view::npos) {
        i = end + 2;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

}  // namespace crucible::rewards::math
