#include "sandbox/judge/java_assert_tests.hpp"

#include <sstream>

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// Whether `m[begin, end)` holds, outside brackets, only a postfix expression's characters:
// names, dots and whitespace (a call such as `f((1l), (2l))` or `Problem.f(x)`).
bool is_postfix_expression(const std::string& m, size_t begin, size_t end) {
  int depth = 0;
  bool any = false;
  for (size_t i = begin; i < end; ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (depth == 0 && !is_identifier_char(c) && c != '.' && !is_code_space(c) && c != ')' &&
        c != ']' && c != '}')
      return false;
    if (c == ')' || c == ']' || c == '}') --depth;
    any = any || !is_code_space(c);
  }
  return any && depth == 0;
}

// The position of the one `==` outside brackets in `m[begin, end)`, or npos when there is none,
// or there are more, or an operator that binds looser than `==` (`&`, `|`, `^`, `?`, `=`, `!=`)
// stands outside brackets: then the assert is not one comparison.
size_t the_top_equality(const std::string& m, size_t begin, size_t end, bool& other_operator) {
  size_t found = std::string::npos;
  int depth = 0;
  other_operator = false;
  for (size_t i = begin; i < end; ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth != 0) continue;
    if (c == '=' && i + 1 < end && m[i + 1] == '=') {
      const bool joined = (i > begin && std::string("=!<>").find(m[i - 1]) != std::string::npos) ||
                          (i + 2 < end && m[i + 2] == '=');
      if (joined || found != std::string::npos) other_operator = true;
      found = i++;
      continue;
    }
    if (c == '&' || c == '|' || c == '^' || c == '?' || c == '=' ||
        (c == '!' && i + 1 < end && m[i + 1] == '='))
      other_operator = true;
  }
  return other_operator ? std::string::npos : found;
}

}  // namespace

std::optional<Span> java_assert_arguments(const std::string& m) {
  size_t end = m.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  if (m[end] == ';') end = m.find_last_not_of(" \t\r\n", end - 1);
  if (end == std::string::npos) return std::nullopt;
  const Span whole{0, end + 1};
  if (!is_assert_call(m, whole)) return std::nullopt;
  size_t open = 0;
  next_token(m, open);  // assert
  next_token(m, open);  // (
  return Span{open, end};
}

std::optional<std::pair<std::string, std::string>> split_java_assert(const std::string& statement) {
  const auto structure = code_structure(statement);
  if (!structure) return std::nullopt;
  const std::string& m = *structure;
  const auto arguments = java_assert_arguments(m);
  if (!arguments) return std::nullopt;
  const size_t open = arguments->begin;
  const size_t close = arguments->end;  // the assert's ')'
  bool other_operator = false;
  const size_t eq = the_top_equality(m, open, close, other_operator);
  if (other_operator) return std::nullopt;
  if (eq != std::string::npos) {
    std::pair<std::string, std::string> a{text_of(statement, Span{open, eq}),
                                          text_of(statement, Span{eq + 2, close})};
    if (a.first.empty() || a.second.empty()) return std::nullopt;
    return a;
  }
  // A.equals(B): `.equals(` outside brackets whose ')' ends the assert's argument.
  const std::string last_inner = text_of(m, Span{open, close});
  if (last_inner.empty() || last_inner.back() != ')') return std::nullopt;
  int depth = 0;
  size_t call_open = std::string::npos;
  for (size_t i = close; i-- > open;) {
    if (m[i] == ')' || m[i] == ']' || m[i] == '}') ++depth;
    if (m[i] == '(' || m[i] == '[' || m[i] == '{') {
      if (--depth == 0) {
        call_open = i;
        break;
      }
    }
  }
  if (call_open == std::string::npos) return std::nullopt;
  size_t name_end = call_open;
  while (name_end > open && is_code_space(m[name_end - 1])) --name_end;
  if (name_end < open + 6 || m.compare(name_end - 6, 6, "equals") != 0) return std::nullopt;
  size_t dot = name_end - 6;
  while (dot > open && is_code_space(m[dot - 1])) --dot;
  if (dot == open || m[dot - 1] != '.') return std::nullopt;
  --dot;
  if (!is_postfix_expression(m, open, dot)) return std::nullopt;
  const size_t close_of_call = m.find_last_of(')', close - 1);
  std::pair<std::string, std::string> a{text_of(statement, Span{open, dot}),
                                        text_of(statement, Span{call_open + 1, close_of_call})};
  if (a.first.empty() || a.second.empty()) return std::nullopt;
  return a;
}

std::optional<AssertTests> java_asserts_as_calls(const std::string& prompt,
                                                 const std::string& test) {
  const auto m = code_structure(test);
  if (!m) return std::nullopt;
  AssertTests out;
  size_t i = 0;
  while (i < m->size() && (is_code_space((*m)[i]) || (*m)[i] == '}')) ++i;
  out.answer_end = test.substr(0, i);
  if (!read_tokens(*m, i, {"public", "static", "void", "main", "(", "String", "[", "]"}))
    return std::nullopt;
  next_token(*m, i);  // the parameter's name
  if (!read_tokens(*m, i, {")", "{"})) return std::nullopt;
  const auto block = statements_of_block(*m, i);
  if (!block || block->statements.empty()) return std::nullopt;
  // After main, only the braces that close the answer's class.
  for (size_t k = block->after; k < m->size(); ++k)
    if (!is_code_space((*m)[k]) && (*m)[k] != '}') return std::nullopt;
  for (const Span& span : block->statements) {
    std::string item = test.substr(span.begin, span.end - span.begin) + ";";
    if (!split_java_assert(item)) return std::nullopt;
    out.spec.items.push_back(std::move(item));
  }
  // The expected values' program starts with the prompt's imports (the task's, not the answer's).
  std::istringstream lines(prompt);
  for (std::string line; std::getline(lines, line);) {
    const std::string t = trimmed(line);
    if (t.rfind("import ", 0) == 0 && t.back() == ';') out.spec.setup += t + "\n";
  }
  return out;
}

}  // namespace crucible::sandbox::judge
