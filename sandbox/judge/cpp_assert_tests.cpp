#include "sandbox/judge/cpp_assert_tests.hpp"

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {

bool cpp_has_opaque_type(const std::string& m) {
  if (m.find("std::any") != std::string::npos || m.find("boost::any") != std::string::npos)
    return true;
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

std::optional<AssertTests> cpp_asserts_as_calls(const std::string& prompt,
                                                const std::string& test) {
  const auto prompt_structure = code_structure(prompt);
  const auto m = code_structure(test);
  if (!prompt_structure || !m || cpp_has_opaque_type(*prompt_structure) || cpp_has_opaque_type(*m))
    return std::nullopt;
  AssertTests out;
  size_t i = 0;
  while (i < m->size() && (is_code_space((*m)[i]) || (*m)[i] == '}')) ++i;
  out.answer_end = test.substr(0, i);
  if (!read_tokens(*m, i, {"int", "main", "(", ")", "{"})) return std::nullopt;
  const auto block = statements_of_block(*m, i);
  if (!block || block->statements.size() < 2) return std::nullopt;
  for (size_t k = block->after; k < m->size(); ++k)
    if (!is_code_space((*m)[k])) return std::nullopt;
  const std::vector<Span>& statements = block->statements;
  const std::string naming =
      m->substr(statements[0].begin, statements[0].end - statements[0].begin);
  size_t k = 0;
  if (!read_tokens(naming, k, {"auto", "candidate", "="})) return std::nullopt;
  out.spec.entry_point = next_token(naming, k);
  if (out.spec.entry_point.empty() || !is_identifier_char(out.spec.entry_point[0]) ||
      !next_token(naming, k).empty())
    return std::nullopt;
  for (size_t s = 1; s < statements.size(); ++s) {
    const Span span = statements[s];
    if (!is_assert_call(*m, span)) return std::nullopt;
    out.spec.items.push_back(test.substr(span.begin, span.end - span.begin) + ";");
  }
  return out;
}

}  // namespace crucible::sandbox::judge
