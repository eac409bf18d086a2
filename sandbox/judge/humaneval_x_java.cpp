#include "sandbox/judge/humaneval_x_java.hpp"

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"
#include "sandbox/judge/java_assert_tests.hpp"
#include "sandbox/judge/tolerance_assert.hpp"

namespace crucible::sandbox::judge {
namespace {

// Whether `text` names the test's instance `s` (as `s.`): the expected program has none.
bool names_the_instance(const std::string& m) {
  for (size_t i = m.find("s."); i != std::string::npos; i = m.find("s.", i + 1))
    if (i == 0 || (!is_identifier_char(m[i - 1]) && m[i - 1] != '.')) return true;
  return false;
}

// Just past a cast that opens `m[span]` (`(int) `, `(String) `, `(List<Integer>) `), else
// span.begin: a type's name, dots, generics' brackets and commas, array brackets, nothing else.
size_t past_cast(const std::string& m, Span span) {
  size_t i = span.begin;
  if (i >= span.end || m[i] != '(') return span.begin;
  for (++i; i < span.end && m[i] != ')'; ++i)
    if (!is_identifier_char(m[i]) && !is_code_space(m[i]) && m[i] != '.' && m[i] != '<' &&
        m[i] != '>' && m[i] != ',' && m[i] != '[' && m[i] != ']' && m[i] != '?')
      return span.begin;
  if (i >= span.end || text_of(m, Span{span.begin + 1, i}).empty()) return span.begin;
  return i + 1;
}

// Whether `m[span]` is a call on the instance, `s.NAME(...)` (perhaps under a cast), then perhaps
// fields or calls without arguments on what it returns (`.get()`), and nothing else: no expected
// value enters the answer's process (`s.f(x).equals(y)` is split instead, and compared in the
// judge).
bool is_instance_call(const std::string& m, Span span) {
  size_t i = past_cast(m, span);
  if (!read_tokens(m, i, {"s", "."})) return false;
  bool called = false;
  while (true) {
    if (!is_name(next_token(m, i))) return false;
    while (i < span.end && is_code_space(m[i])) ++i;
    if (i < span.end && m[i] == '(') {
      const size_t open = i;
      int depth = 0;
      for (; i < span.end; ++i) {
        if (m[i] == '(' || m[i] == '[' || m[i] == '{') ++depth;
        if (m[i] == ')' || m[i] == ']' || m[i] == '}') --depth;
        if (depth == 0) break;
      }
      if (i >= span.end || (called && !text_of(m, Span{open + 1, i}).empty())) return false;
      ++i;
      called = true;
    }
    while (i < span.end && is_code_space(m[i])) ++i;
    if (i == span.end) return called;
    if (m[i] != '.') return false;
    ++i;
  }
}

// One check (`m[span]`, masked; `test` the text) as a harness item, or nullopt.
std::optional<std::string> item_of(const std::string& test, const std::string& m, Span span) {
  while (span.begin < span.end && is_code_space(m[span.begin])) ++span.begin;
  while (span.end > span.begin && is_code_space(m[span.end - 1])) --span.end;
  if (span.begin == span.end) return std::nullopt;
  // A float within a tolerance: the call on the instance, the expected value plain data.
  if (const auto within = abs_difference_below(text_of(test, span), {"Math", ".", "abs"})) {
    const auto call = code_structure(within->first);
    const auto expected = code_structure(within->second);
    if (!call || !expected || !is_instance_call(*call, Span{0, call->size()}) ||
        names_the_instance(*expected))
      return std::nullopt;
    return "assert(Math.abs(" + within->first + " - (" + within->second + ")) < " +
           nlohmann::json(within->tolerance).dump() + ");";
  }
  std::optional<std::string> item;
  if (m[span.begin] == '!') {
    const Span called{span.begin + 1, span.end};
    if (is_instance_call(m, called)) item = "assert(" + text_of(test, called) + " == (false));";
  } else if (is_instance_call(m, span)) {
    item = "assert(" + text_of(test, span) + " == (true));";
  } else if (const auto args = call_arguments(m, span, {"Objects", ".", "equals"})) {
    if (const auto sides = two_arguments(m, args->begin, args->end))
      item = "assert(" + text_of(test, sides->first) + ".equals(" + text_of(test, sides->second) +
             "));";
  } else {
    item = "assert(" + text_of(test, span) + ");";
  }
  if (!item) return std::nullopt;
  const auto sides = split_java_assert(*item);
  if (!sides) return std::nullopt;
  // The call is on the instance; the expected value is plain data, without it.
  const auto call = code_structure(sides->first);
  const auto expected = code_structure(sides->second);
  if (!call || !expected || !is_instance_call(*call, Span{0, call->size()}) ||
      names_the_instance(*expected))
    return std::nullopt;
  return item;
}

}  // namespace

std::optional<AssertTests> java_correct_list_as_calls(const std::string& prompt,
                                                      const std::string& test) {
  const auto structure = code_structure(test);
  if (!structure) return std::nullopt;
  const std::string& m = *structure;
  size_t i = 0;
  if (!read_tokens(
          m, i,
          {"public",  "class",    "Main",   "{",    "public", "static", "void",     "main",    "(",
           "String",  "[",        "]",      "args", ")",      "{",      "Solution", "s",       "=",
           "new",     "Solution", "(",      ")",    ";",      "List",   "<",        "Boolean", ">",
           "correct", "=",        "Arrays", ".",    "asList", "("}))
    return std::nullopt;
  const size_t open = i;
  int depth = 1;
  for (; i < m.size() && depth > 0; ++i) {
    if (m[i] == '(') ++depth;
    if (m[i] == ')') --depth;
  }
  if (depth != 0) return std::nullopt;
  const size_t close = i - 1;
  if (!read_tokens(
          m, i, {";", "if",    "(",   "correct",        ".", "contains", "(", "false", ")", ")",
                 "{", "throw", "new", "AssertionError", "(", ")",        ";", "}",     "}", "}"}) ||
      !next_token(m, i).empty())
    return std::nullopt;
  // Generics' commas (`new HashMap<String, Integer>()`) do not split the list.
  const auto elements = top_level_elements(m, open, close, /*angle_generics=*/true);
  if (!elements) return std::nullopt;
  AssertTests out;
  for (const Span& element : *elements) {
    auto item = item_of(test, m, element);
    if (!item) return std::nullopt;
    out.spec.items.push_back(std::move(*item));
  }
  std::istringstream lines(prompt);
  for (std::string line; std::getline(lines, line);) {
    const std::string t = trimmed(line);
    if (t.rfind("import ", 0) == 0 && t.back() == ';') out.spec.setup += t + "\n";
  }
  return out;
}

std::string java_correct_list_opening() {
  return "\npublic class Main {\n    static Solution s = new Solution();\n";
}

}  // namespace crucible::sandbox::judge
