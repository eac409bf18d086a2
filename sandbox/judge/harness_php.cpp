#include "sandbox/judge/harness_php.hpp"

#include <cctype>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"
#include "sandbox/judge/program_end.hpp"
#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Values in one canonical form, as !== compares them: an int and a float differ, strings are
// quoted and escaped on one line, arrays keep their keys in order. What the code echoes while
// it works goes to stderr (an output buffer's handler), apart from the items' lines.
constexpr const char* kPhpValues = R"PHP(
function crucible_value($v, $depth = 0) {
    if ($depth > 100) throw new Exception("a value nested over 100 deep");
    if (is_null($v)) return "null";
    if (is_bool($v)) return $v ? "true" : "false";
    if (is_int($v)) return (string)$v;
    if (is_float($v)) return "float " . var_export($v, true);
    if (is_string($v)) return '"' . addcslashes($v, "\0..\37\"\\\177..\377") . '"';
    if (is_array($v)) {
        $parts = [];
        foreach ($v as $k => $x) $parts[] = crucible_value($k, $depth + 1) . "=>" . crucible_value($x, $depth + 1);
        return "[" . implode(",", $parts) . "]";
    }
    if (is_object($v)) return "?" . get_class($v) . ":" . crucible_value(get_object_vars($v), $depth + 1);
    return "?" . gettype($v);
}
function crucible_item($index, $call) {
    try {
        $line = $index . " =" . crucible_value($call());
    } catch (Throwable $e) {
        $line = $index . " !" . str_replace(["\r", "\n"], " ", get_class($e) . ": " . $e->getMessage());
    }
    fwrite(STDOUT, "\n" . $line . "\n");
}
ob_start(function ($text) { fwrite(STDERR, $text); return ""; }, 1);
)PHP";

// clang-format on

constexpr const char* kThrow = "{ throw new Exception(\"Test failed!\"); }";

std::string php_item_line(size_t index, const std::string& expression) {
  return "crucible_item(" + std::to_string(index) + ", function () { return " + expression +
         "; });\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_php_check(const std::string& statement) {
  const auto structure = code_structure(statement);
  // PHP's # comments and heredocs are not followed: such a statement is not read.
  if (!structure || structure->find('#') != std::string::npos ||
      structure->find("<<<") != std::string::npos || structure->find('\n') != std::string::npos)
    return std::nullopt;
  const std::string& m = *structure;
  size_t i = 0;
  if (!read_tokens(m, i, {"if", "("})) return std::nullopt;
  const size_t open = i;
  int depth = 1;
  for (; i < m.size() && depth > 0; ++i) {
    if (m[i] == '(' || m[i] == '[' || m[i] == '{') ++depth;
    if (m[i] == ')' || m[i] == ']' || m[i] == '}') --depth;
  }
  if (depth != 0) return std::nullopt;
  const size_t close = i - 1;
  if (trimmed(statement.substr(i)) != kThrow) return std::nullopt;
  // One !== outside brackets, and no operator that binds looser (&&, ||, ?, and, or, =).
  size_t at = std::string::npos;
  depth = 0;
  for (size_t k = open; k < close; ++k) {
    const char c = m[k];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (depth != 0) continue;
    if (m.compare(k, 3, "!==") == 0) {
      if (at != std::string::npos) return std::nullopt;
      at = k;
      k += 2;
      continue;
    }
    if (c == '&' || c == '|' || c == '?' || c == '=' || c == '!' || c == '<' || c == '>')
      return std::nullopt;
    if (is_identifier_char(c) && (k == open || !is_identifier_char(m[k - 1]))) {
      size_t e = k;
      while (e < close && is_identifier_char(m[e])) ++e;
      const std::string word = m.substr(k, e - k);
      if (word == "and" || word == "or" || word == "xor") return std::nullopt;
      k = e - 1;
    }
  }
  if (at == std::string::npos) return std::nullopt;
  std::pair<std::string, std::string> sides{text_of(statement, Span{open, at}),
                                            text_of(statement, Span{at + 3, close})};
  if (sides.first.empty() || sides.second.empty()) return std::nullopt;
  return sides;
}

std::optional<AssertTests> php_checks_as_calls(const std::string& test) {
  const std::vector<std::string> lines = nonblank_lines(test);
  if (lines.size() < 7 || lines[0] != "function candidate(...$args) {" || lines[2] != "}" ||
      lines[3] != "function test(): void {" || lines[lines.size() - 2] != "}" ||
      lines.back() != "test();")
    return std::nullopt;
  const std::string returning = "return ";
  const std::string forwarding = "(...$args);";
  const std::string& call = lines[1];
  if (call.rfind(returning, 0) != 0 || call.size() <= returning.size() + forwarding.size() ||
      call.compare(call.size() - forwarding.size(), forwarding.size(), forwarding) != 0)
    return std::nullopt;
  AssertTests out;
  out.spec.entry_point =
      call.substr(returning.size(), call.size() - returning.size() - forwarding.size());
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  if (!add_assert_lines(out, lines, 4, lines.size() - 2, split_php_check)) return std::nullopt;
  return out;
}

ValuePrograms build_php_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items = item_statements(
      spec, split_php_check, php_item_line,
      "if (CALL !== EXPECTED) { throw new Exception(\"Test failed!\"); } on one line (the PHP "
      "harness's shape)");
  ValuePrograms p;
  // An answer that ends with ?> (as many do) would make the calls text: the tag is dropped.
  std::string answer = candidate;
  const auto& php = languages::Registry::builtin().find("php");
  if (php.program_end) drop_answer_closing(*php.program_end, answer);
  p.candidate_source = answer + "\n" + kPhpValues + "function candidate(...$args) {\n    return " +
                       spec.entry_point + "(...$args);\n}\n" + items.calls;
  p.expected_source = std::string("<?php\n") + kPhpValues + items.expected;
  return p;
}

}  // namespace crucible::sandbox::judge
