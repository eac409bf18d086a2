#include "sandbox/judge/harness_bash.hpp"

#include <vector>

#include "sandbox/judge/code_scanner.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// The items' lines go to a descriptor of their own (9); the shell's stdout then points at stderr,
// so what the code prints outside a call does not mix with them. A value is the call's output
// (a command substitution's: its trailing newlines stripped), quoted on one line by printf %q.
constexpr const char* kBashStart = R"BASH(
exec 9>&1 1>&2
crucible_item() {
    printf '\n%s =%q\n' "$1" "$2" >&9
}
)BASH";

// clang-format on

std::string bash_item_line(size_t index, const std::string& expression) {
  return "crucible_item " + std::to_string(index) + " \"$(" + expression + ")\"\n";
}

// The expected side is a string the check compares with: its value is itself.
std::string bash_expected_line(size_t index, const std::string& expression) {
  return "crucible_item " + std::to_string(index) + " " + expression + "\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_bash_check(const std::string& statement) {
  const auto structure = code_structure(statement);
  // Comments, single quotes (no escapes in Bash) and backquotes are not followed.
  if (!structure || structure->find('#') != std::string::npos ||
      structure->find('\'') != std::string::npos || structure->find('`') != std::string::npos ||
      structure->find('\n') != std::string::npos)
    return std::nullopt;
  const std::string m = trimmed(*structure);
  const std::string s = trimmed(statement);
  const std::string head = "[[ $(candidate", tail = " ]]";
  if (m.rfind(head, 0) != 0 || m.size() < head.size() + tail.size() ||
      m.compare(m.size() - tail.size(), tail.size(), tail) != 0)
    return std::nullopt;
  // The substitution's ')' is the first outside quotes; then ` = "..."` and nothing else.
  int depth = 1;
  size_t i = 5;  // after "[[ $("
  for (; i < m.size() && depth > 0; ++i) {
    if (m[i] == '(') ++depth;
    if (m[i] == ')') --depth;
  }
  if (depth != 0) return std::nullopt;
  const size_t close = i - 1;
  const std::string rest = m.substr(i, m.size() - tail.size() - i);
  if (rest.size() < 5 || rest.compare(0, 4, " = \"") != 0 || rest.back() != '"' ||
      rest.find('"', 4) != rest.size() - 1)
    return std::nullopt;
  std::pair<std::string, std::string> sides{s.substr(5, close - 5),
                                            s.substr(i + 3, rest.size() - 3)};
  if (sides.second.find('$') != std::string::npos) return std::nullopt;  // only plain strings
  return sides;
}

std::optional<AssertTests> bash_checks_as_calls(const std::string& test) {
  const size_t naming = test.find("candidate() {");
  if (naming == std::string::npos) return std::nullopt;
  AssertTests out;
  out.answer_end = test.substr(0, naming);
  if (trimmed(out.answer_end) != "}") return std::nullopt;
  const std::vector<std::string> lines = nonblank_lines(test.substr(naming));
  const std::string forwarding = " \"$@\"";
  if (lines.size() < 8 || lines[0] != "candidate() {" || lines[2] != "}" || lines[3] != "set -e" ||
      lines[4] != "run_test() {" || lines[lines.size() - 2] != "}" || lines.back() != "run_test" ||
      lines[1].size() <= forwarding.size() ||
      lines[1].compare(lines[1].size() - forwarding.size(), forwarding.size(), forwarding) != 0)
    return std::nullopt;
  out.spec.entry_point = lines[1].substr(0, lines[1].size() - forwarding.size());
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  if (!add_assert_lines(out, lines, 5, lines.size() - 2, split_bash_check)) return std::nullopt;
  return out;
}

ValuePrograms build_bash_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items = item_statements(
      spec, split_bash_check, bash_item_line,
      "[[ $(candidate ARGS) = \"EXPECTED\" ]] on one line (the Bash harness's shape)",
      bash_expected_line);
  ValuePrograms p;
  p.candidate_source = candidate + "\n" + kBashStart + "candidate() {\n    " + spec.entry_point +
                       " \"$@\"\n}\n" + items.calls;
  p.expected_source = std::string("#!/bin/bash\n") + kBashStart + items.expected;
  return p;
}

}  // namespace crucible::sandbox::judge
