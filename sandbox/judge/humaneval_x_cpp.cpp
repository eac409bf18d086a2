#include "sandbox/judge/humaneval_x_cpp.hpp"

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/cpp_assert_tests.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

struct OpenedFunction {
  std::string name;
  size_t line_start = 0;
  size_t brace = 0;
};

// The last function whose body opens at namespace scope in (comment-free) code: `NAME(...) {`.
// The declaration ends inside it, so its braces need not close.
std::optional<OpenedFunction> last_opened_function(const std::string& m) {
  // One pass for the last brace at namespace scope after a ')', then one look back from it:
  // linear in the text, whatever it holds.
  size_t brace = std::string::npos, close = 0;
  int depth = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '}' && depth > 0) --depth;
    if (m[i] != '{' || depth++ != 0) continue;
    size_t k = i;
    while (k > 0 && is_code_space(m[k - 1])) --k;
    if (k > 0 && m[k - 1] == ')') {
      brace = i;
      close = k - 1;
    }
  }
  if (brace == std::string::npos) return std::nullopt;
  int parens = 0;
  size_t open = close;
  for (;; --open) {
    if (m[open] == ')') ++parens;
    if (m[open] == '(' && --parens == 0) break;
    if (open == 0) return std::nullopt;
  }
  size_t end = open;
  while (end > 0 && is_code_space(m[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && is_identifier_char(m[begin - 1])) --begin;
  const std::string name = m.substr(begin, end - begin);
  if (!is_name(name)) return std::nullopt;
  const size_t newline = m.rfind('\n', begin);
  return OpenedFunction{name, newline == std::string::npos ? 0 : newline + 1, brace};
}

// Where `int main() {` opens at namespace scope (just past its brace), or npos.
size_t main_body_start(const std::string& m, size_t& header) {
  int depth = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '{') ++depth;
    if (m[i] == '}') --depth;
    if (depth != 0 || !is_identifier_char(m[i]) || (i > 0 && is_identifier_char(m[i - 1])))
      continue;
    size_t k = i;
    if (read_tokens(m, k, {"int", "main", "(", ")", "{"})) {
      header = i;
      return k;
    }
  }
  return std::string::npos;
}

// Just past the brace that closes the block opened before `i`, or npos.
size_t block_end(const std::string& m, size_t i) {
  for (int depth = 1; i < m.size(); ++i) {
    if (m[i] == '{') ++depth;
    if (m[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

bool names(const std::string& m, size_t begin, size_t end, const std::string& word) {
  for (size_t i = begin; i < end;) {
    const std::string t = next_token(m, i);
    if (t.empty() || i > end) return false;
    if (t == word) return true;
  }
  return false;
}

// Where a last statement `return 0;` before `close` (main's closing brace) starts, or npos.
size_t final_return_zero(const std::string& m, size_t body, size_t close) {
  size_t k = close;
  auto skip_space = [&] {
    while (k > body && is_code_space(m[k - 1])) --k;
  };
  skip_space();
  if (k == body || m[k - 1] != ';') return std::string::npos;
  --k;
  skip_space();
  if (k == body || m[k - 1] != '0') return std::string::npos;
  --k;
  skip_space();
  const std::string word = "return";
  if (k < body + word.size() || m.compare(k - word.size(), word.size(), word) != 0)
    return std::string::npos;
  k -= word.size();
  if (k > body && is_identifier_char(m[k - 1])) return std::string::npos;
  return k;
}

}  // namespace

std::optional<HarnessSpec> humaneval_x_cpp_calls(const std::string& declaration,
                                                 const std::string& test) {
  const auto d = code_structure(declaration);
  auto m = code_structure(test);
  if (!d || !m || cpp_has_opaque_type(*d) || cpp_has_opaque_type(*m)) return std::nullopt;
  const auto entry = last_opened_function(*d);
  if (!entry || entry->name == "main" || entry->name == "candidate") return std::nullopt;
  size_t header = 0;
  const size_t body = main_body_start(*m, header);
  if (body == std::string::npos) return std::nullopt;
  const size_t end = block_end(*m, body);
  if (end == std::string::npos || !trimmed(m->substr(end)).empty()) return std::nullopt;
  // A main that ends with `return 0;` reports as one that falls off its end: the statement goes.
  std::string text = test;
  if (const size_t ret = final_return_zero(*m, body, end - 1); ret != std::string::npos) {
    const size_t semicolon = m->find(';', ret);
    for (size_t k = ret; k <= semicolon; ++k) (*m)[k] = text[k] = ' ';
  }
  // Any other return would leave main before the harness reports.
  if (names(*m, body, end - 1, "return")) return std::nullopt;
  HarnessSpec spec;
  spec.entry_point = entry->name;
  const std::string signature =
      trimmed(d->substr(entry->line_start, entry->brace - entry->line_start));
  // Default arguments cannot be part of a function pointer's type; none of its tasks has one.
  if (signature.find('=') == std::string::npos) spec.signature = signature;
  spec.setup = declaration.substr(0, entry->line_start) + test.substr(0, header);
  const auto block = statements_of_block(*m, body);
  bool only_asserts = block && !block->statements.empty();
  if (block)
    for (const Span& s : block->statements) only_asserts = only_asserts && is_assert_call(*m, s);
  if (only_asserts) {
    for (const Span& s : block->statements) spec.items.push_back(text_of(text, s) + ";");
  } else {
    spec.items.push_back("{\n" + text.substr(body, end - 1 - body) + "\n}");
  }
  return spec;
}

}  // namespace crucible::sandbox::judge
