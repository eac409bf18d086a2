#include "rewards/math/verifier.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "rewards/math/equivalence.hpp"
#include "rewards/math/extract.hpp"
#include "rewards/math/parser.hpp"

namespace crucible::rewards::math {
namespace {

// Byte offset of the first invalid UTF-8 sequence, if any.
std::optional<size_t> invalid_utf8_at(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    if (n == 2 && c < 0xC2) return i;  // overlong
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += n;
  }
  return std::nullopt;
}

// A comparison key for answers read as text: case, spacing and typesetting dropped.
std::string text_key(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      size_t j = i + 1;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      std::string_view name = s.substr(i + 1, j - i - 1);
      if (name == "text" || name == "textbf" || name == "mathrm" || name == "mbox" ||
          name == "textit" || name == "left" || name == "right" || name == "displaystyle") {
        i = j - 1;
        continue;
      }
    }
    if (std::isspace(static_cast<unsigned char>(c)) || c == '{' || c == '}' || c == '$') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// A gold answer that is nothing but a choice letter: "C", "(C)", "\text{(C)}".
std::optional<char> gold_choice(std::string_view gold) {
  auto letter = choice_letter(gold);
  std::string key = text_key(gold);
  std::erase_if(key, [](char c) { return c == '(' || c == ')'; });
  if (letter && key.size() == 1) return letter;
  return std::nullopt;
}

// The last "(X)" in the output, for multiple-choice answers not stated as such.
std::optional<char> last_parenthesised_letter(std::string_view s) {
  for (size_t i = s.size(); i >= 3; --i) {
    if (s[i - 1] == ')' && s[i - 3] == '(' && s[i - 2] >= 'A' && s[i - 2] <= 'J') return s[i - 2];
  }
  return std::nullopt;
}

// A reference of several items: a list, or a set of more than one element.
bool several_items(const Expr& e) {
  return (e.kind == ExprKind::List || e.kind == ExprKind::Set) && e.kids.size() > 1;
}

bool holds_several(const std::string& answer, const ParseLimits& limits) {
  try {
    return several_items(parse_answer(answer, limits));
  } catch (const ParseError&) {
    return false;
  }
}

Verification finish(Verification v, VerifyStatus status, std::string reason,
                    std::string message = {}) {
  v.status = status;
  v.correct = status == VerifyStatus::Correct;
  v.reason = std::move(reason);
  v.message = std::move(message);
  return v;
}

}  // namespace

const char* status_name(VerifyStatus s) {
  switch (s) {
    case VerifyStatus::Correct:
      return "correct";
    case VerifyStatus::Wrong:
      return "wrong";
    case VerifyStatus::NoAnswer:
      return "no_answer";
    case VerifyStatus::UnparseablePred:
      return "unparseable";
    case VerifyStatus::UnparseableGold:
      return "unparseable_gold";
    case VerifyStatus::Timeout:
      return "timeout";
  }
  return "?";
}

Verification verify(std::string_view gold, std::string_view pred, const VerifyOptions& o) {
  Verification v;
  if (pred.size() > o.max_output_bytes)
    return finish(v, VerifyStatus::UnparseablePred, "too_long",
                  "output is " + std::to_string(pred.size()) + " bytes; the limit is " +
                      std::to_string(o.max_output_bytes));
  if (gold.size() > o.max_output_bytes)
    return finish(v, VerifyStatus::UnparseableGold, "too_long",
                  "reference is " + std::to_string(gold.size()) + " bytes");
  if (auto at = invalid_utf8_at(gold))
    return finish(v, VerifyStatus::UnparseableGold, "invalid_utf8",
                  "reference: invalid UTF-8 at byte " + std::to_string(*at));
  if (auto at = invalid_utf8_at(pred))
    return finish(v, VerifyStatus::UnparseablePred, "invalid_utf8",
                  "output: invalid UTF-8 at byte " + std::to_string(*at));

  Extracted g = extract_gold(gold);
  v.gold_answer = g.answer;
  if (g.answer.empty())
    return finish(v, VerifyStatus::UnparseableGold, "empty", "the reference answer is empty");
  Extracted p = extract_answer(pred, ExtractOptions{o.join_boxes});
  v.pred_answer = p.answer;
  v.extraction = p.method;

  if (auto letter = gold_choice(g.answer)) {
    v.gold_parsed = std::string("choice(") + *letter + ")";
    auto chosen = p.method.empty() ? std::nullopt : choice_letter(p.answer);
    if (!chosen) chosen = last_parenthesised_letter(pred);
    if (!chosen)
      return finish(v, VerifyStatus::NoAnswer, "no_choice", "no choice letter A-J in the output");
    v.pred_parsed = std::string("choice(") + *chosen + ")";
    return finish(v, *chosen == *letter ? VerifyStatus::Correct : VerifyStatus::Wrong,
                  *chosen == *letter ? "choice" : "not_equal");
  }
  if (p.method.empty())
    return finish(v, VerifyStatus::NoAnswer, "no_answer", "no answer found in the output");

  bool same_text = text_key(g.answer) == text_key(p.answer);
  Expr gold_expr, pred_expr;
  try {
    gold_expr = parse_answer(g.answer, o.parse);
  } catch (const ParseError& e) {
    if (same_text) return finish(v, VerifyStatus::Correct, "text");
    return finish(v, VerifyStatus::UnparseableGold, "unparseable_gold",
                  std::string("reference: ") + e.what());
  }
  v.gold_parsed = to_text(gold_expr);
  bool several = several_items(gold_expr);
  // Against a reference of several items, the boxes of the output are one unordered
  // collection ("\\boxed{2}, \\boxed{3}, \\boxed{5}" for {2, 3, 5}), unless the last box
  // already holds several items.
  if (several && p.method == "boxed" && p.boxes.size() > 1 && !o.join_boxes &&
      !holds_several(p.answer, o.parse)) {
    p.answer.clear();
    for (const auto& b : p.boxes) p.answer += (p.answer.empty() ? "" : ", ") + b;
    p.method = "boxes";
    v.pred_answer = p.answer;
    v.extraction = p.method;
  }
  ParseLimits pred_limits = o.parse;
  if (several) pred_limits.decimal_comma = false;  // "2,3" is a list when a list is asked
  // A math span that cannot be read, with prose after it: the answer may be stated there
  // ("$$\\frac{\\Delta x'}{\\Delta x} \\geq 2$$. So the error grows by 100%.").
  auto number_after_span = [&]() -> std::optional<Extracted> {
    if (p.method != "math_span") return std::nullopt;
    size_t at = pred.rfind(p.source);
    if (at == std::string_view::npos) return std::nullopt;
    Extracted later = extract_answer(pred.substr(at + p.source.size()), {});
    if (later.method != "last_number") return std::nullopt;
    return later;
  };
  try {
    pred_expr = parse_answer(p.answer, pred_limits);
  } catch (const ParseError& e) {
    std::optional<Extracted> later = number_after_span();
    if (!later) {
      if (same_text) return finish(v, VerifyStatus::Correct, "text");
      return finish(v, VerifyStatus::UnparseablePred, "unparseable",
                    std::string("prediction: ") + e.what());
    }
    p = *later;
    v.pred_answer = p.answer;
    v.extraction = p.method;
    try {
      pred_expr = parse_answer(p.answer, pred_limits);
    } catch (const ParseError& e2) {
      return finish(v, VerifyStatus::UnparseablePred, "unparseable",
                    std::string("prediction: ") + e2.what());
    }
  }
  v.pred_parsed = to_text(pred_expr);

  Budget budget(o.timeout, o.max_steps);
  Comparison c = compare(gold_expr, pred_expr, o, budget);
  if (budget.exhausted() && !c.equal)
    return finish(v, VerifyStatus::Timeout, "timeout",
                  "the verification budget ran out before a decision");
  return finish(v, c.equal ? VerifyStatus::Correct : VerifyStatus::Wrong, c.reason);
}

void to_json(nlohmann::json& j, const Verification& v) {
  j = {{"correct", v.correct},         {"status", status_name(v.status)},
       {"reason", v.reason},           {"gold_answer", v.gold_answer},
       {"pred_answer", v.pred_answer}, {"gold_parsed", v.gold_parsed},
       {"pred_parsed", v.pred_parsed}, {"extraction", v.extraction}};
  if (!v.message.empty()) j["message"] = v.message;
}

VerifyOptions VerifyOptions::from_json(const nlohmann::json& j) {
  VerifyOptions o;
  if (j.is_null()) return o;
  JsonFields f(j, "options.");
  size_t digits = static_cast<size_t>(o.significant_digits);
  if (f.count("significant_digits", 1, 15, digits)) o.significant_digits = static_cast<int>(digits);
  f.number("tolerance", 1e-15, 0.1, o.tolerance);
  size_t points = static_cast<size_t>(o.random_points);
  if (f.count("random_points", 1, 50, points)) o.random_points = static_cast<int>(points);
  double timeout_ms = 0;
  if (f.number("timeout_ms", 1, 10000, timeout_ms))
    o.timeout = std::chrono::microseconds(static_cast<int64_t>(timeout_ms * 1000));
  f.boolean("join_boxes", o.join_boxes);
  f.boolean("inequality_for_interval", o.inequality_for_interval);
  std::string percent;
  if (f.text("percent", percent, {"either", "fraction", "value"}))
    o.percent = percent == "either"     ? PercentReading::Either
                : percent == "fraction" ? PercentReading::Fraction
                                        : PercentReading::Value;
  f.done();
  return o;
}

}  // namespace crucible::rewards::math

namespace crucible::rewards::math {
namespace {

const char* kind_name(ExprKind k) {
  static const char* kNames[] = {
      "number", "symbol", "constant",  "add",     "neg",       "mul",      "div",
      "pow",    "func",   "factorial", "percent", "plusminus", "relation", "list",
      "tuple",  "set",    "interval",  "union",   "matrix",    "text",     "choice"};
  return kNames[static_cast<size_t>(k)];
}

nlohmann::json tree_json(const Expr& e) {
  nlohmann::json j = {{"kind", kind_name(e.kind)}};
  if (e.kind == ExprKind::Number) j["value"] = e.value.str();
  if (!e.name.empty()) j["name"] = e.name;
  if (e.kind == ExprKind::Relation) {
    nlohmann::json ops = nlohmann::json::array();
    for (RelOp op : e.ops) ops.push_back(relop_text(op));
    j["ops"] = ops;
  }
  if (!e.kids.empty()) {
    nlohmann::json kids = nlohmann::json::array();
    for (const auto& k : e.kids) kids.push_back(tree_json(k));
    j["kids"] = kids;
  }
  return j;
}

nlohmann::json side(const Extracted& x, const ParseLimits& limits) {
  nlohmann::json j = {
      {"rule", x.method.empty() ? "none" : x.method}, {"source", x.source}, {"answer", x.answer}};
  if (x.boxes.size() > 1) j["boxes"] = x.boxes;
  if (x.answer.empty()) return j;
  try {
    j["tree"] = tree_json(parse_answer(x.answer, limits));
  } catch (const ParseError& e) {
    j["error"] = e.what();
  }
  return j;
}

}  // namespace

nlohmann::json explain(std::string_view gold, std::string_view pred, const VerifyOptions& o) {
  if (gold.size() > o.max_output_bytes || pred.size() > o.max_output_bytes ||
      invalid_utf8_at(gold) || invalid_utf8_at(pred))
    return {{"error", "input too long or not UTF-8; see the verification's message"}};
  return {{"gold", side(extract_gold(gold), o.parse)},
          {"pred", side(extract_answer(pred, ExtractOptions{o.join_boxes}), o.parse)}};
}

}  // namespace crucible::rewards::math
