#include "sandbox/judge/code_scanner.hpp"

#include <cctype>
#include <sstream>

#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {

bool is_code_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::optional<std::string> code_structure(const std::string& s) {
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
      if (c == '"' && i > 0 && s[i - 1] == 'R') return std::nullopt;        // C++ raw string
      if (c == '"' && s.compare(i, 3, "\"\"\"") == 0) return std::nullopt;  // Java text block
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

std::string next_token(const std::string& m, size_t& i) {
  while (i < m.size() && is_code_space(m[i])) ++i;
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

std::optional<Block> statements_of_block(const std::string& m, size_t i) {
  Block out;
  int depth = 0;
  size_t start = i;
  auto add = [&](size_t end) {
    size_t b = start;
    while (b < end && is_code_space(m[b])) ++b;
    while (end > b && is_code_space(m[end - 1])) --end;
    if (end > b) out.statements.push_back({b, end});
  };
  for (; i < m.size(); ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c != '}') return std::nullopt;
        const size_t before = out.statements.size();
        add(i);
        if (out.statements.size() != before) return std::nullopt;  // a statement without ';'
        out.after = i + 1;
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

std::optional<Span> call_arguments(const std::string& m, Span s,
                                   std::initializer_list<const char*> callee) {
  size_t i = s.begin;
  for (const char* t : callee)
    if (next_token(m, i) != t) return std::nullopt;
  if (next_token(m, i) != "(") return std::nullopt;
  const size_t open = i;
  int depth = 1;
  for (; i < s.end && depth > 0; ++i) {
    if (m[i] == '(') ++depth;
    if (m[i] == ')') --depth;
  }
  if (depth != 0 || i != s.end) return std::nullopt;
  return Span{open, s.end - 1};
}

bool is_assert_call(const std::string& m, Span s) {
  return call_arguments(m, s, {"assert"}).has_value();
}

std::vector<std::string> nonblank_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::string t = trimmed(line);
    if (!t.empty()) lines.push_back(std::move(t));
  }
  return lines;
}

bool is_name(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!is_identifier_char(c)) return false;
  return true;
}

std::string text_of(const std::string& s, Span span) {
  size_t b = span.begin, e = span.end;
  while (b < e && is_code_space(s[b])) ++b;
  while (e > b && is_code_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string trimmed(const std::string& s) {
  return text_of(s, Span{0, s.size()});
}

std::optional<std::vector<Span>> top_level_elements(const std::string& m, size_t begin, size_t end,
                                                    bool angle_generics) {
  std::vector<Span> out;
  int depth = 0, angles = 0;
  size_t start = begin;
  for (size_t i = begin; i < end; ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth < 0) return std::nullopt;
    if (angle_generics && c == '<' && i > begin && is_identifier_char(m[i - 1])) ++angles;
    if (angle_generics && c == '>' && angles > 0) --angles;
    if (c == ',' && depth == 0 && angles == 0) {
      out.push_back({start, i});
      start = i + 1;
    }
  }
  if (depth != 0) return std::nullopt;
  out.push_back({start, end});
  return out;
}

std::optional<std::pair<Span, Span>> two_arguments(const std::string& m, size_t begin, size_t end) {
  const auto elements = top_level_elements(m, begin, end);
  if (!elements || elements->size() != 2 || text_of(m, (*elements)[0]).empty() ||
      text_of(m, (*elements)[1]).empty())
    return std::nullopt;
  return std::pair{(*elements)[0], (*elements)[1]};
}

}  // namespace crucible::sandbox::judge
