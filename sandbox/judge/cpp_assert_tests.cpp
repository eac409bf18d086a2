#include "sandbox/judge/cpp_assert_tests.hpp"

#include <cctype>
#include <initializer_list>
#include <vector>

#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// `s` with comments blanked and the insides of string and character literals masked (same
// length, newlines and quotes kept), so brackets and semicolons can be read off it; nullopt
// for what this reader does not follow (a raw string, an unterminated literal or comment).
std::optional<std::string> structure_of(const std::string& s) {
  std::string m = s;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '/' && next == '/') {
      for (; i < s.size() && s[i] != '\n'; ++i) m[i] = ' ';
    } else if (c == '/' && next == '*') {
      const size_t end = s.find("*/", i + 2);
      if (end == std::string::npos) return std::nullopt;
      for (; i < end + 2; ++i)
        if (m[i] != '\n') m[i] = ' ';
    } else if (c == '"' ||
               (c == '\'' &&
                !(i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1])))) /* 1'000 */) {
      if (c == '"' && i > 0 && s[i - 1] == 'R') return std::nullopt;
      size_t j = i + 1;
      for (; j < s.size() && s[j] != c; ++j) {
        if (s[j] == '\\') m[j++] = '_';
        if (j >= s.size() || s[j] == '\n') return std::nullopt;
        m[j] = '_';
      }
      if (j >= s.size()) return std::nullopt;
      i = j + 1;
    } else {
      ++i;
    }
  }
  return m;
}

// The next token of `m` from `i` (a word or one other character), "" at the end.
std::string next_token(const std::string& m, size_t& i) {
  while (i < m.size() && is_space(m[i])) ++i;
  if (i >= m.size()) return "";
  const size_t start = i;
  if (is_identifier_char(m[i])) {
    while (i < m.size() && is_identifier_char(m[i])) ++i;
  } else {
    ++i;
  }
  return m.substr(start, i - start);
}

bool read_tokens(const std::string& m, size_t& i, std::initializer_list<const char*> tokens) {
  for (const char* t : tokens)
    if (next_token(m, i) != t) return false;
  return true;
}

// Whether (comment-free) code names a type whose values cannot cross between the harness's
// programs: std::any, or a union it declares (MultiPL-E's Union_... types).
bool has_opaque_type(const std::string& m) {
  if (m.find("std::any") != std::string::npos) return true;
  for (size_t i = 0; i < m.size();) {
    const std::string t = next_token(m, i);
    if (t.empty()) return false;
    if (t != "union") continue;
    size_t j = i;
    const std::string name = next_token(m, j);
    if (!name.empty() && is_identifier_char(name[0]) && next_token(m, j) == "{") return true;
  }
  return false;
}

struct Span {
  size_t begin, end;
};

// main's statements (trimmed, without their ';') from just after its '{'; nullopt when its
// braces do not close, text follows the closing brace, or a statement lacks its ';'.
std::optional<std::vector<Span>> statements_of_main(const std::string& m, size_t i) {
  std::vector<Span> out;
  int depth = 0;
  size_t start = i;
  auto add = [&](size_t end) {
    size_t b = start;
    while (b < end && is_space(m[b])) ++b;
    while (end > b && is_space(m[end - 1])) --end;
    if (end > b) out.push_back({b, end});
  };
  for (; i < m.size(); ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c != '}') return std::nullopt;
        const size_t before = out.size();
        add(i);
        if (out.size() != before) return std::nullopt;  // a statement without its ';'
        for (size_t k = i + 1; k < m.size(); ++k)
          if (!is_space(m[k])) return std::nullopt;
        return out;
      }
      --depth;
    } else if (c == ';' && depth == 0) {
      add(i);
      start = i + 1;
    }
  }
  return std::nullopt;
}

// Whether the statement is `assert(...)` and nothing after its closing parenthesis.
bool is_assert(const std::string& m, Span s) {
  size_t i = s.begin;
  if (next_token(m, i) != "assert" || next_token(m, i) != "(") return false;
  int depth = 1;
  for (; i < s.end && depth > 0; ++i) {
    if (m[i] == '(') ++depth;
    if (m[i] == ')') --depth;
  }
  return depth == 0 && i == s.end;
}

}  // namespace

std::optional<CppAssertTests> cpp_asserts_as_calls(const std::string& prompt,
                                                   const std::string& test) {
  const auto prompt_structure = structure_of(prompt);
  const auto m = structure_of(test);
  if (!prompt_structure || !m || has_opaque_type(*prompt_structure) || has_opaque_type(*m))
    return std::nullopt;
  CppAssertTests out;
  size_t i = 0;
  while (i < m->size() && (is_space((*m)[i]) || (*m)[i] == '}')) ++i;
  out.answer_end = test.substr(0, i);
  if (!read_tokens(*m, i, {"int", "main", "(", ")", "{"})) return std::nullopt;
  const auto statements = statements_of_main(*m, i);
  if (!statements || statements->size() < 2) return std::nullopt;
  const std::string naming =
      m->substr((*statements)[0].begin, (*statements)[0].end - (*statements)[0].begin);
  size_t k = 0;
  if (!read_tokens(naming, k, {"auto", "candidate", "="})) return std::nullopt;
  out.spec.entry_point = next_token(naming, k);
  if (out.spec.entry_point.empty() || !is_identifier_char(out.spec.entry_point[0]) ||
      !next_token(naming, k).empty())
    return std::nullopt;
  for (size_t s = 1; s < statements->size(); ++s) {
    const Span span = (*statements)[s];
    if (!is_assert(*m, span)) return std::nullopt;
    out.spec.items.push_back(test.substr(span.begin, span.end - span.begin) + ";");
  }
  return out;
}

}  // namespace crucible::sandbox::judge
