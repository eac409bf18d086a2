#include "sandbox/judge/tolerance_assert.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The whole of `text` as a finite number (strtod's syntax), else nullopt.
std::optional<double> number_of(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// Whether the '+' or '-' at `m[i]` is an exponent's sign (`1e-6`, `0x1p-3`): right after an e
// or p that ends a word starting with a digit or a '.'.
bool is_exponent_sign(const std::string& m, size_t begin, size_t i) {
  if (i == begin) return false;
  const char e = m[i - 1];
  if (e != 'e' && e != 'E' && e != 'p' && e != 'P') return false;
  size_t start = i - 1;
  while (start > begin && (is_identifier_char(m[start - 1]) || m[start - 1] == '.')) --start;
  return is_digit(m[start]) || (m[start] == '.' && start + 1 < i && is_digit(m[start + 1]));
}

// The one binary '+' or '-' outside brackets in `m[begin, end)`, or npos when there is none or
// more than one (a sign in front of an operand is not binary).
size_t only_additive_operator(const std::string& m, size_t begin, size_t end, bool& several) {
  size_t found = std::string::npos;
  int depth = 0;
  bool operand_before = false;  // an operand ends just before, outside brackets
  for (size_t i = begin; i < end; ++i) {
    const char c = m[i];
    if (is_code_space(c)) continue;
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      --depth;
      if (depth == 0) operand_before = true;
      continue;
    }
    if (depth > 0) continue;
    if ((c == '+' || c == '-') && operand_before && !is_exponent_sign(m, begin, i)) {
      if (found != std::string::npos) several = true;
      found = i;
      operand_before = false;
      continue;
    }
    operand_before = is_identifier_char(c) || c == '.' || c == '"' || c == '\'';
  }
  return found;
}

}  // namespace

std::optional<AbsDifference> abs_difference_below(const std::string& expression,
                                                  std::initializer_list<const char*> abs) {
  const auto structure = code_structure(expression);
  if (!structure) return std::nullopt;
  const std::string& m = *structure;
  // The one '<' outside brackets, not part of `<=` or `<<`.
  size_t less = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    const char c = m[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth != 0 || c != '<') continue;
    if (less != std::string::npos || (i + 1 < m.size() && (m[i + 1] == '=' || m[i + 1] == '<')))
      return std::nullopt;
    less = i;
  }
  if (less == std::string::npos) return std::nullopt;
  Span left{0, less};
  while (left.begin < left.end && is_code_space(m[left.begin])) ++left.begin;
  while (left.end > left.begin && is_code_space(m[left.end - 1])) --left.end;
  const auto args = call_arguments(m, left, abs);
  if (!args) return std::nullopt;
  bool several = false;
  const size_t minus = only_additive_operator(m, args->begin, args->end, several);
  if (minus == std::string::npos || several || m[minus] != '-') return std::nullopt;
  AbsDifference out;
  out.first = text_of(expression, Span{args->begin, minus});
  out.second = text_of(expression, Span{minus + 1, args->end});
  std::string eps = text_of(expression, Span{less + 1, m.size()});
  // Java's float and double suffixes.
  if (!eps.empty() && std::string("fFdD").find(eps.back()) != std::string::npos &&
      eps.find_first_of("xX") == std::string::npos)
    eps.pop_back();
  const auto tolerance = number_of(eps);
  if (out.first.empty() || out.second.empty() || !tolerance || !std::isfinite(*tolerance) ||
      *tolerance <= 0 || !is_digit(eps.back()))
    return std::nullopt;
  out.tolerance = *tolerance;
  return out;
}

bool is_constant_arithmetic(const std::string& text) {
  bool digit = false;
  for (char c : text) {
    if (is_digit(c)) {
      digit = true;
    } else if (std::string(".eE+-*/() \t_").find(c) == std::string::npos) {
      return false;
    }
  }
  return digit;
}

bool within_tolerance(const std::string& actual, const std::string& expected, double tolerance) {
  auto unquoted = [](const std::string& s) {
    return s.size() >= 2 && s.front() == '"' && s.back() == '"' ? s.substr(1, s.size() - 2) : s;
  };
  const auto a = number_of(unquoted(actual)), e = number_of(unquoted(expected));
  return a && e && std::fabs(*a - *e) < tolerance;
}

}  // namespace crucible::sandbox::judge
