// Reading references: a gold answer's boxes (several boxes joined when only separators lie
// between them), GSM8K's "####" line, a wrapping math span, or a worked solution read like
// a model's output; and multiple-choice letters.
#include <algorithm>
#include <cctype>
#include <vector>

#include "rewards/math/extract.hpp"
#include "rewards/math/extract_text.hpp"
#include "rewards/math/parser.hpp"
#include "rewards/math/spans.hpp"

namespace crucible::rewards::math {
namespace {

// Between the boxes of a text, nothing but separators (punctuation, spacing, math
// delimiters, "and"/"or") and at most one unit word after each box:
// "\(\boxed{1}\) and \(\boxed{-2}\)", "\boxed{1} papers and \boxed{2} bins"; not
// "\boxed{1} no no no no no \boxed{2}".
bool only_separators_between_boxes(std::string_view text) {
  size_t first = text.find("\\boxed"), last = text.rfind("\\boxed");
  if (first == last) return true;
  std::string between;
  size_t depth = 0;
  for (size_t i = first; i < last; ++i) {
    if (text.compare(i, 6, "\\boxed") == 0) {
      between += '|';  // a box starts here
      i += 5;
      continue;
    }
    char c = text[i];
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) {
      --depth;
      continue;
    }
    if (depth == 0) between += std::isalpha(static_cast<unsigned char>(c)) ? c : ' ';
  }
  std::string words = lowercase(between);
  size_t others = 0;  // words after one box that are not separators
  for (size_t i = 0; i < words.size();) {
    size_t j = words.find_first_of(" |", i);
    if (j == std::string::npos) j = words.size();
    std::string_view w = std::string_view(words).substr(i, j - i);
    bool separator =
        w.empty() || w == "and" || w == "or" || w == "text" || w == "quad" || w == "qquad";
    if (!separator && ++others > 1) return false;
    if (j < words.size() && words[j] == '|') others = 0;
    i = j + 1;
  }
  return true;
}

}  // namespace

Extracted extract_gold(std::string_view gold) {
  auto boxes = boxed_contents(gold);
  if (!boxes.empty()) {
    // Several boxes in a reference ("\\(\\boxed{1}\\) and \\(\\boxed{-2}\\)") are one answer.
    std::vector<std::string> distinct;
    for (const auto& b : boxes)
      if (std::find(distinct.begin(), distinct.end(), b) == distinct.end()) distinct.push_back(b);
    if (!only_separators_between_boxes(gold)) return {boxes.back(), "boxed", std::string(gold), {}};
    std::string joined;
    for (const auto& b : distinct) joined += (joined.empty() ? "" : ", ") + b;
    return {joined, "boxed", std::string(gold), distinct};
  }
  size_t hashes = gold.rfind("####");
  if (hashes != std::string_view::npos)
    return {phrase_answer(gold.substr(hashes + 4)), "gsm8k", std::string(gold.substr(hashes)), {}};
  std::string whole = trimmed(gold);
  // A reference wrapped in one math span ("$(p,q)=(3,2)$", "\\(x^2\\)") is its inside.
  auto spans = math_spans(whole);
  if (spans.size() == 1 && spans[0].open == 0 && spans[0].close_end == whole.size())
    return {trimmed(std::string_view(whole).substr(spans[0].inner,
                                                   spans[0].inner_end - spans[0].inner)),
            "whole",
            whole,
            {}};
  // A worked solution as the reference: read its answer like a model's.
  if (whole.size() > 200 || whole.find('\n') != std::string::npos) {
    bool math = false;
    try {
      math = parse_answer(whole, ParseLimits{}).kind != ExprKind::Text;
    } catch (const ParseError&) {
    }
    if (!math) {
      Extracted e = extract_answer(whole, {});
      if (!e.method.empty()) return e;
    }
  }
  return {whole, "whole", whole, {}};
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
