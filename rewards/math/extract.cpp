#include "rewards/math/extract.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "rewards/math/chars.hpp"
#include "rewards/math/extract_text.hpp"
#include "rewards/math/parser.hpp"
#include "rewards/math/spans.hpp"

namespace crucible::rewards::math {

std::string trimmed(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

namespace {

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

}  // namespace

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The answer that starts `rest`: a box, a leading math span, or the text up to the end of
// its line or sentence (a leading currency sign dropped).
std::string phrase_answer(std::string_view rest) {
  size_t a = 0;
  while (a < rest.size() &&
         (rest[a] == ':' || rest[a] == '*' || rest[a] == ' ' || rest[a] == '\t' || rest[a] == '='))
    ++a;
  std::string r(rest.substr(a));
  size_t eol = r.find('\n');
  std::string line = eol == std::string::npos ? r : r.substr(0, eol);
  auto boxes = boxed_contents(line);
  if (!boxes.empty()) return boxes.back();
  if (!r.empty() && (r[0] == '$' || r[0] == '\\')) {
    auto spans = math_spans(r);
    if (!spans.empty() && spans[0].open == 0)
      return trimmed(
          std::string_view(r).substr(spans[0].inner, spans[0].inner_end - spans[0].inner));
  }
  r = line;
  if (r.rfind("\\$", 0) == 0) r.erase(0, 2);
  if (!r.empty() && r[0] == '$') r.erase(0, 1);  // "$18." with no closing sign: money
  // A sentence ends at ". " or a final "."; a decimal point is not an end.
  for (size_t i = 0; i < r.size(); ++i) {
    if (r[i] != '.') continue;
    bool digit_after = i + 1 < r.size() && is_digit(r[i + 1]);
    if (!digit_after) {
      r.resize(i);
      break;
    }
  }
  while (!r.empty() && (r.back() == '*' || r.back() == ' ')) r.pop_back();
  return trimmed(r);
}

namespace {

bool answer_like(std::string_view s);
std::optional<Extracted> first_number(std::string_view s);

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Skips the decoration a line may start with: spaces, Markdown bold, headings, quotes.
size_t line_body(std::string_view s, size_t line_start) {
  size_t i = line_start;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '#' ||
                          s[i] == '>' || s[i] == '-' || s[i] == '_'))
    ++i;
  return i;
}

struct Marker {
  size_t at;     // where the marker starts
  size_t after;  // where its answer starts
  const char* method;
  bool line_marker;  // "A: 20", "Answer: 20": only an answer counts
};

// Every final-answer marker of the text, in order of position.
std::vector<Marker> answer_markers(std::string_view s, std::string_view lower) {
  std::vector<Marker> out;
  // "answer" followed by "is" or ":" (possibly through bold marks): "the answer is",
  // "final answer:", "**Answer:**", "Answer**:".
  for (size_t at = lower.find("answer"); at != std::string_view::npos;
       at = lower.find("answer", at + 1)) {
    if (at > 0 && word_char(lower[at - 1])) continue;
    size_t p = at + 6;
    while (p < lower.size() && (lower[p] == '*' || lower[p] == ' ')) ++p;
    bool colon =
        p < lower.size() &&
        (lower[p] == ':' || (lower[p] == '=' && p + 1 < lower.size() && lower[p + 1] != '='));
    bool is = lower.compare(p, 2, "is") == 0 && (p + 2 >= lower.size() || !word_char(lower[p + 2]));
    if (!colon && !is) continue;
    size_t after = p + (colon ? 1 : 2);
    bool final = at >= 6 && lower.compare(at - 6, 6, "final ") == 0;
    size_t ls = lower.rfind('\n', at);
    ls = ls == std::string_view::npos ? 0 : ls + 1;
    bool at_line_start = line_body(lower, ls) == at && colon;
    out.push_back({at, after, final ? "final_answer" : (colon ? "answer_line" : "the_answer"),
                   at_line_start || (colon && !final)});
  }
  for (size_t at = s.find("####"); at != std::string_view::npos; at = s.find("####", at + 4))
    out.push_back({at, at + 4, "gsm8k", false});
  // A line "A: 20" (the few-shot answer prefix).
  for (size_t ls = 0; ls < s.size();) {
    size_t b = line_body(s, ls);
    if (s.compare(b, 2, "A:") == 0) out.push_back({b, b + 2, "answer_line", true});
    size_t nl = s.find('\n', ls);
    if (nl == std::string_view::npos) break;
    ls = nl + 1;
  }
  std::sort(out.begin(), out.end(), [](const Marker& a, const Marker& b) { return a.at < b.at; });
  return out;
}

std::optional<Extracted> after_marker(std::string_view output) {
  std::string lower = lowercase(output);
  auto markers = answer_markers(output, lower);
  for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
    std::string_view rest = output.substr(it->after);
    std::string answer = phrase_answer(rest);
    size_t eol = rest.find('\n');
    std::string source(output.substr(
        it->at, (eol == std::string_view::npos ? rest.size() : eol) + (it->after - it->at)));
    if (answer.empty()) continue;
    bool has_digit = std::any_of(answer.begin(), answer.end(), is_digit);
    // LaTeX is taken as written, so an unreadable answer is reported as unparseable.
    bool latex = answer.find('\\') != std::string::npos;
    if (answer_like(answer) || (!has_digit && answer.size() <= 60) || (latex && !it->line_marker))
      return Extracted{answer, it->method, source, {}};
    if (it->line_marker) continue;  // "A: Janet sells 16 - 3 - 4 = 9 eggs ...": working
    if (auto n = first_number(answer)) return Extracted{n->answer, it->method, source, {}};
  }
  return std::nullopt;
}

// Where the model's own answer ends: at an end-of-turn token a chat template leaves in the
// text ("<|im_start|>", "<|eot_id|>", "</s>", ...), or at a line that opens the next
// exercise ("Q:", "Question:", "Problem:", "User:", "Human:", "### Instruction") after the
// answer was given (a few-shot model writing on). Returns where to cut, or npos.
size_t continuation_start(std::string_view s, std::string_view lower) {
  size_t cut = std::string_view::npos;
  for (std::string_view token : {"<|im_start|>", "<|im_end|>", "<|eot_id|>", "<|endoftext|>",
                                 "<|end_of_text|>", "</s>", "<|user|>", "<|end|>"}) {
    size_t at = s.find(token);
    if (at != std::string_view::npos && at > 0) cut = std::min(cut, at);
  }
  std::string_view head = s.substr(0, cut == std::string_view::npos ? s.size() : cut);
  for (size_t nl = head.find('\n'); nl != std::string_view::npos; nl = head.find('\n', nl + 1)) {
    size_t b = nl + 1;
    while (b < head.size() && (head[b] == ' ' || head[b] == '*' || head[b] == '#')) ++b;
    bool question = false;
    for (std::string_view opener : {"Q:", "Question:", "Question ",
                                    "Problem:", "User:", "Human:", "Instruction:", "Instruction\n"})
      question |= head.compare(b, opener.size(), opener) == 0;
    if (!question) continue;
    if (!answer_markers(head.substr(0, nl), lower.substr(0, nl)).empty() ||
        lower.substr(0, nl).find("\\boxed") != std::string_view::npos)
      return nl;
  }
  return cut;
}

std::optional<Extracted> last_math_span(std::string_view s) {
  std::optional<Extracted> last;
  for (const MathSpan& span : math_spans(s)) {
    std::string inner = trimmed(s.substr(span.inner, span.inner_end - span.inner));
    if (!inner.empty())
      last = Extracted{
          inner, "math_span", std::string(s.substr(span.open, span.close_end - span.open)), {}};
  }
  return last;
}

// Every number of the text: "7,425,000", "-5", "2.75", "3/4".
std::vector<Extracted> numbers(std::string_view s) {
  std::vector<Extracted> out;
  for (size_t i = 0; i < s.size();) {
    if (!is_digit(s[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    bool in_word = start > 0 && std::isalpha(static_cast<unsigned char>(s[start - 1]));
    bool unicode_minus = start >= 3 && s.compare(start - 3, 3, "\xE2\x88\x92") == 0;
    if (start > 0 && s[start - 1] == '-' &&
        (start < 2 || !std::isalnum(static_cast<unsigned char>(s[start - 2]))))
      --start;
    size_t lead = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++lead;
    // Thousands groups "7,425,000" (a first group of at most three digits).
    while (lead <= 3 && i + 3 < s.size() + 0 && s[i] == ',' && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4])))
      i += 4;
    bool decimal_comma = false;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    } else if (i + 1 < s.size() && s[i] == ',' && is_digit(s[i + 1]) &&
               (start == 0 || s[start - 1] != ',')) {
      // "2,74 $": a comma with one or two digits after it, not in a list, is a decimal comma.
      size_t d = 1;
      while (i + d < s.size() && is_digit(s[i + d])) ++d;
      if (d <= 3 && (i + d >= s.size() || s[i + d] != ',')) {
        decimal_comma = true;
        i += d;
      }
    } else if (i + 1 < s.size() && s[i] == '/' && is_digit(s[i + 1])) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
    // "AZYUK2A": a digit inside a word is part of a name, not a number.
    if (in_word && i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) continue;
    std::string text(s.substr(start, i - start));
    if (unicode_minus) text = "-" + text;  // "−5" (U+2212) as models often write it
    if (decimal_comma) std::replace(text.begin(), text.end(), ',', '.');
    out.push_back(Extracted{text, "last_number", text, {}});
  }
  return out;
}

std::optional<Extracted> last_number(std::string_view s) {
  auto all = numbers(s);
  if (all.empty()) return std::nullopt;
  return all.back();
}

std::optional<Extracted> first_number(std::string_view s) {
  auto all = numbers(s);
  if (all.empty()) return std::nullopt;
  return all.front();
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

Extracted extract_answer(std::string_view raw_output, const ExtractOptions& options) {
  std::string prepared = without_calculator_annotations(raw_output);
  size_t cut = continuation_start(prepared, lowercase(prepared));
  if (cut != std::string::npos) prepared.resize(cut);
  std::string_view output = prepared;
  auto boxes = boxed_contents(output);
  if (!boxes.empty()) {
    // A final-answer statement after the last box ("... \\boxed{255} ... Final Answer: The
    // final answer is $10,455$.") is the later word, when it states a value.
    size_t last_box = output.rfind("box");
    if (auto p = after_marker(output.substr(last_box));
        p && p->method != std::string("answer_line") && answer_like(p->answer) &&
        boxed_contents(p->source).empty())
      return *p;
    std::vector<std::string> distinct;
    for (const auto& b : boxes)
      if (std::find(distinct.begin(), distinct.end(), b) == distinct.end()) distinct.push_back(b);
    if (!options.join_boxes)
      return {boxes.back(), "boxed", "\\boxed{" + boxes.back() + "}", distinct};
    std::string joined;
    for (const auto& b : boxes) joined += (joined.empty() ? "" : ", ") + b;
    return {joined, "boxed", joined, distinct};
  }
  if (auto p = after_marker(output)) return *p;
  if (auto m = last_math_span(output)) return *m;
  std::string whole = trimmed(output);
  if (answer_like(whole)) return {whole, "whole", whole, {}};
  if (auto n = last_number(output)) return *n;
  bool has_alnum = std::any_of(whole.begin(), whole.end(),
                               [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (has_alnum && whole.size() <= 200 && whole.find('\n') == std::string::npos)
    return {whole, "whole", whole, {}};
  return {};
}

}  // namespace crucible::rewards::math
