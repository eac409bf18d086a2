#include "rewards/math/extract.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "rewards/math/parser.hpp"

namespace crucible::rewards::math {
namespace {

std::string trimmed(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

// Index just past the brace that closes the one at `open`, or npos when unbalanced.
size_t matching_brace(std::string_view s, size_t open) {
  size_t depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The math inside a leading $...$ / \(...\) / \[...\], or the text up to the end of its
// sentence or line.
std::string phrase_answer(std::string_view rest) {
  std::string r = trimmed(rest);
  while (!r.empty() && (r[0] == ':' || r[0] == ' ')) r.erase(0, 1);
  auto boxes = boxed_contents(r);
  if (!boxes.empty()) return boxes.back();
  size_t eol = r.find('\n');
  if (eol != std::string::npos) r.resize(eol);
  for (auto [open, close] : {std::pair{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}}) {
    std::string_view o(open), c(close);
    if (r.compare(0, o.size(), o) == 0) {
      size_t end = r.find(c, o.size());
      if (end != std::string::npos)
        return trimmed(std::string_view(r).substr(o.size(), end - o.size()));
    }
  }
  // A sentence ends at ". " or a final "."; a decimal point is not an end.
  for (size_t i = 0; i < r.size(); ++i) {
    if (r[i] != '.') continue;
    bool digit_after = i + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[i + 1]));
    if (!digit_after) {
      r.resize(i);
      break;
    }
  }
  return trimmed(r);
}

std::optional<Extracted> after_phrase(std::string_view output) {
  std::string lower = lowercase(output);
  struct Phrase {
    const char* text;
    const char* method;
  };
  for (Phrase p :
       {Phrase{"final answer is", "final_answer"}, Phrase{"final answer:", "final_answer"},
        Phrase{"the answer is", "the_answer"}, Phrase{"####", "gsm8k"}}) {
    size_t at = lower.rfind(p.text);
    if (at == std::string::npos) continue;
    std::string answer = phrase_answer(output.substr(at + std::string_view(p.text).size()));
    if (!answer.empty()) return Extracted{answer, p.method};
  }
  return std::nullopt;
}

std::optional<Extracted> last_math_span(std::string_view s) {
  std::optional<Extracted> last;
  for (size_t i = 0; i < s.size();) {
    std::string_view open, close;
    if (s.compare(i, 2, "\\(") == 0)
      open = "\\(", close = "\\)";
    else if (s.compare(i, 2, "\\[") == 0)
      open = "\\[", close = "\\]";
    else if (s.compare(i, 2, "$$") == 0)
      open = "$$", close = "$$";
    else if (s[i] == '$' && (i == 0 || s[i - 1] != '\\'))
      open = "$", close = "$";
    if (open.empty()) {
      i += s[i] == '\\' ? 2 : 1;
      continue;
    }
    size_t start = i + open.size();
    size_t end = s.find(close, start);
    while (close == "$" && end != std::string_view::npos && s[end - 1] == '\\')
      end = s.find(close, end + 1);
    if (end == std::string_view::npos) break;
    std::string inner = trimmed(s.substr(start, end - start));
    if (!inner.empty()) last = Extracted{inner, "math_span"};
    i = end + close.size();
  }
  return last;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<Extracted> last_number(std::string_view s) {
  std::optional<Extracted> last;
  for (size_t i = 0; i < s.size();) {
    if (!is_digit(s[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    if (start > 0 && s[start - 1] == '-' &&
        (start < 2 || !std::isalnum(static_cast<unsigned char>(s[start - 2]))))
      --start;
    size_t lead = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++lead;
    // Thousands groups "7,425,000" (a first group of at most three digits).
    while (lead <= 3 && i + 3 < s.size() + 0 && s[i] == ',' && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4])))
      i += 4;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    } else if (i + 1 < s.size() && s[i] == '/' && is_digit(s[i + 1])) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
    last = Extracted{std::string(s.substr(start, i - start)), "last_number"};
  }
  return last;
}

bool answer_like(std::string_view s) {
  if (s.size() > 200 || s.find('\n') != std::string_view::npos) return false;
  try {
    return parse_answer(s, ParseLimits{}).kind != ExprKind::Text;
  } catch (const ParseError&) {
    return false;
  }
}

}  // namespace

std::vector<std::string> boxed_contents(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t at = std::min(text.find("\\boxed", i), text.find("\\fbox", i));
    if (at == std::string_view::npos) break;
    size_t p = at + (text.compare(at, 6, "\\boxed") == 0 ? 6 : 5);
    while (p < text.size() && text[p] == ' ') ++p;
    if (p < text.size() && text[p] == '{') {
      size_t end = matching_brace(text, p);
      if (end == std::string_view::npos) {
        i = p + 1;  // unbalanced: not an answer
        continue;
      }
      out.push_back(trimmed(text.substr(p + 1, end - p - 2)));
      i = end;
    } else {
      size_t end = p;  // "\boxed 5": up to the next space or math delimiter
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
             text[end] != '$')
        ++end;
      if (end > p) out.push_back(std::string(text.substr(p, end - p)));
      i = std::max(end, p + 1);
    }
  }
  return out;
}

Extracted extract_answer(std::string_view output, const ExtractOptions& options) {
  auto boxes = boxed_contents(output);
  if (!boxes.empty()) {
    if (!options.join_boxes) return {boxes.back(), "boxed"};
    std::string joined;
    for (const auto& b : boxes) joined += (joined.empty() ? "" : ", ") + b;
    return {joined, "boxed"};
  }
  if (auto p = after_phrase(output)) return *p;
  if (auto m = last_math_span(output)) return *m;
  std::string whole = trimmed(output);
  if (answer_like(whole)) return {whole, "whole"};
  if (auto n = last_number(output)) return *n;
  bool has_alnum = std::any_of(whole.begin(), whole.end(),
                               [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (has_alnum && whole.size() <= 200 && whole.find('\n') == std::string::npos)
    return {whole, "whole"};
  return {};
}

Extracted extract_gold(std::string_view gold) {
  auto boxes = boxed_contents(gold);
  if (!boxes.empty()) return {boxes.back(), "boxed"};
  size_t hashes = gold.rfind("####");
  if (hashes != std::string_view::npos) return {phrase_answer(gold.substr(hashes + 4)), "gsm8k"};
  return {trimmed(gold), "whole"};
}

std::optional<char> choice_letter(std::string_view answer) {
  std::string s;
  for (size_t i = 0; i < answer.size(); ++i) {
    // Drop \text / \textbf / \mathrm wrappers and math delimiters; keep their content.
    if (answer[i] == '\\') {
      while (i + 1 < answer.size() && std::isalpha(static_cast<unsigned char>(answer[i + 1]))) ++i;
      continue;
    }
    if (answer[i] == '{' || answer[i] == '}' || answer[i] == '$') continue;
    s += answer[i];
  }
  s = trimmed(s);
  std::string lower = lowercase(s);
  for (std::string_view prefix : {"option", "choice", "answer"}) {
    if (lower.rfind(prefix, 0) == 0) {
      s = trimmed(std::string_view(s).substr(prefix.size()));
      break;
    }
  }
  size_t i = 0;
  bool paren = i < s.size() && s[i] == '(';
  if (paren) ++i;
  if (i >= s.size() || s[i] < 'A' || s[i] > 'J') return std::nullopt;
  char letter = s[i++];
  bool closed = i < s.size() && s[i] == ')';
  if (closed) ++i;
  if (paren && !closed) return std::nullopt;
  // What may follow: nothing; or, after "(C)", "C)", "C." or "C:", the option's text.
  if (i == s.size()) return letter;
  if (closed) return s[i] == ' ' ? std::optional<char>(letter) : std::nullopt;
  return (s[i] == '.' || s[i] == ':') ? std::optional<char>(letter) : std::nullopt;
}

}  // namespace crucible::rewards::math
