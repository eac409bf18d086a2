#include "sandbox/judge/harness_go.hpp"

#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// A test function that prints each item's value as its test compares it (`format`: MultiPL-E's
// %v text, or testify's type and Go syntax), quoted on one line; a panic prints what it panicked
// with, and the next item still runs.
constexpr const char* kGoStart = R"GO(
func TestCrucibleValues(t *testing.T) {
	crucibleItem := func(index int, format string, value func() interface{}) {
		defer func() {
			if thrown := recover(); thrown != nil {
				fmt.Printf("\n%d !%q\n", index, fmt.Sprint(thrown))
			}
		}()
		v := value()
		text := fmt.Sprintf("%v", v)
		if format == "typed" {
			text = fmt.Sprintf("%T %#v", v, v)
		}
		fmt.Printf("\n%d =%q\n", index, text)
	}
)GO";

// clang-format on

std::string go_item_line(size_t index, const char* format, const std::string& expression) {
  return "\tcrucibleItem(" + std::to_string(index) + ", \"" + format +
         "\", func() interface{} { return " + expression + " })\n";
}

// `line` with each run of whitespace made one space.
std::string spaced(const std::string& line) {
  std::string out;
  for (char c : line) {
    if (is_code_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The lines of MultiPL-E's Go test around its table, spaced.
const std::vector<std::string> kTableHead = {"type test struct {", "actual interface{}",
                                             "expected interface{}", "}", "tests := []test{"};
const std::vector<std::string> kTableTail = {
    "}",
    "for i, tc := range tests {",
    "t.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {",
    "if fmt.Sprintf(\"%v\", tc.actual) != fmt.Sprintf(\"%v\", tc.expected) {",
    "t.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)",
    "}",
    "})",
    "}",
    "}"};

// The text after `field` and a ':' at the start of `side`, or "" when it is not there.
std::string field_value(const std::string& side, const std::string& field) {
  if (side.rfind(field, 0) != 0) return "";
  size_t i = field.size();
  while (i < side.size() && is_code_space(side[i])) ++i;
  if (i >= side.size() || side[i] != ':') return "";
  return trimmed(side.substr(i + 1));
}

// `func TestNAME(t *testing.T) {`, spaced.
bool is_test_function_header(const std::string& line) {
  const std::string head = "func Test", tail = "(t *testing.T) {";
  return line.rfind(head, 0) == 0 && line.size() > head.size() + tail.size() &&
         line.compare(line.size() - tail.size(), tail.size(), tail) == 0 &&
         is_name(line.substr(head.size(), line.size() - head.size() - tail.size()));
}

// `line`'s structure (code_structure), or nullopt when it spans lines or holds a raw string
// (backquotes), which the scanner does not follow.
std::optional<std::string> one_line_structure(const std::string& line) {
  auto structure = code_structure(line);
  if (!structure || structure->find('`') != std::string::npos ||
      structure->find('\n') != std::string::npos)
    return std::nullopt;
  return structure;
}

// The statements `lines` holds, each on one line: a line whose brackets stay open is joined (by a
// space) with the lines that close them, as a composite literal written over several lines
// (`[]string{` ... `}`) is one expression. Nullopt when a line is not one_line_structure's or
// the brackets never close.
std::optional<std::vector<std::string>> statements_on_one_line(
    const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  int depth = 0;
  for (const std::string& line : lines) {
    const auto structure = one_line_structure(line);
    if (!structure) return std::nullopt;
    // A line comment ends where the line does; joined, it would swallow the next line.
    size_t code_end = line.size();
    for (size_t i = 0; i + 1 < line.size(); ++i)
      if ((*structure)[i] == ' ' && line.compare(i, 2, "//") == 0) {
        code_end = i;
        break;
      }
    const std::string code = trimmed(line.substr(0, code_end));
    if (code.empty()) continue;
    if (depth > 0)
      out.back() += " " + code;
    else
      out.push_back(code);
    for (char c : *structure) {
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
    }
    if (depth < 0) return std::nullopt;
  }
  if (depth != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_go_entry(const std::string& line) {
  const auto structure = one_line_structure(line);
  if (!structure) return std::nullopt;
  const std::string& m = *structure;
  const size_t open = m.find_first_not_of(" \t\r");
  size_t close = m.find_last_not_of(" \t\r");
  if (open == std::string::npos || m[open] != '{') return std::nullopt;
  if (m[close] == ',') close = m.find_last_not_of(" \t\r", close - 1);
  if (close == std::string::npos || close <= open || m[close] != '}') return std::nullopt;
  // The entry's braces enclose everything between them.
  int depth = 0;
  for (size_t i = open; i <= close; ++i) {
    if (m[i] == '(' || m[i] == '[' || m[i] == '{') ++depth;
    if (m[i] == ')' || m[i] == ']' || m[i] == '}') --depth;
    if (depth == 0 && i < close) return std::nullopt;
  }
  const auto sides = two_arguments(m, open + 1, close);
  if (!sides) return std::nullopt;
  std::string call = field_value(text_of(line, sides->first), "actual");
  std::string expected = field_value(text_of(line, sides->second), "expected");
  if (call.empty() || expected.empty()) return std::nullopt;
  return std::pair{std::move(call), std::move(expected)};
}

std::optional<AssertTests> go_asserts_as_calls(const std::string& prompt, const std::string& test) {
  if (prompt.find("\"testing\"") == std::string::npos ||
      prompt.find("\"fmt\"") == std::string::npos)
    return std::nullopt;
  std::vector<std::string> lines = nonblank_lines(test);
  for (auto& l : lines) l = spaced(l);
  const size_t head = 2 + kTableHead.size();
  if (lines.size() < head + kTableTail.size() + 1) return std::nullopt;
  const std::string& first = lines[0];
  if (!is_test_function_header(first)) return std::nullopt;
  const std::string naming = "candidate := ";
  if (lines[1].rfind(naming, 0) != 0) return std::nullopt;
  AssertTests out;
  out.spec.entry_point = lines[1].substr(naming.size());
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  for (size_t k = 0; k < kTableHead.size(); ++k)
    if (lines[2 + k] != kTableHead[k]) return std::nullopt;
  const size_t tail = lines.size() - kTableTail.size();
  for (size_t k = 0; k < kTableTail.size(); ++k)
    if (lines[tail + k] != kTableTail[k]) return std::nullopt;
  if (!add_assert_lines(out, lines, head, tail, split_go_entry)) return std::nullopt;
  return out;
}

std::optional<std::pair<std::string, std::string>> split_testify_equal(const std::string& line) {
  const auto structure = one_line_structure(line);
  if (!structure) return std::nullopt;
  const std::string& m = *structure;
  const size_t begin = m.find_first_not_of(" \t\r");
  const size_t end = m.find_last_not_of(" \t\r");
  if (begin == std::string::npos) return std::nullopt;
  const auto args = call_arguments(m, Span{begin, end + 1}, {"assert", ".", "Equal"});
  if (!args) return std::nullopt;
  // Arguments after the two compared (testify's msgAndArgs) only word a failure.
  const auto arguments = top_level_elements(m, args->begin, args->end);
  if (!arguments || arguments->size() < 2) return std::nullopt;
  const std::string expected = text_of(line, (*arguments)[0]),
                    call = text_of(line, (*arguments)[1]);
  if (expected.empty() || call.empty()) return std::nullopt;
  return std::pair{call, expected};
}

std::optional<AbsDifference> split_testify_tolerance(const std::string& line) {
  const auto sides = split_testify_equal(line);
  if (!sides || sides->second != "true") return std::nullopt;
  auto within = abs_difference_below(sides->first, {"math", ".", "Abs"});
  if (!within || !is_constant_arithmetic(within->second)) return std::nullopt;
  return within;
}

std::optional<AssertTests> go_testify_asserts_as_calls(const std::string& test) {
  const std::vector<std::string> lines = nonblank_lines(test);
  if (lines.size() < 4 || lines.back() != "}" || !is_test_function_header(spaced(lines[0])))
    return std::nullopt;
  // The statements between the function's header and its closing brace.
  const auto body = statements_on_one_line({lines.begin() + 1, lines.end() - 1});
  if (!body || body->size() < 2 || spaced((*body)[0]) != "assert := assert.New(t)")
    return std::nullopt;
  AssertTests out;
  if (!add_assert_lines(out, *body, 1, body->size(), split_testify_equal)) return std::nullopt;
  return out;
}

std::optional<GoItem> read_go_item(const std::string& item) {
  // A float compared within a tolerance: each side printed as a float64, compared in the judge.
  if (const auto within = split_testify_tolerance(item))
    return GoItem{"float64(" + within->first + ")", "float64(" + within->second + ")", "text",
                  within->tolerance};
  if (auto sides = split_go_entry(item))
    return GoItem{std::move(sides->first), std::move(sides->second), "text"};
  if (auto sides = split_testify_equal(item))
    return GoItem{std::move(sides->first), std::move(sides->second), "typed"};
  return std::nullopt;
}

ValuePrograms build_go_harness(const std::string& candidate, const HarnessSpec& spec) {
  std::string calls, expected;
  std::vector<double> tolerances(spec.items.size(), 0.0);
  for (size_t i = 0; i < spec.items.size(); ++i) {
    const auto item = read_go_item(spec.items[i]);
    if (!item)
      throw InvalidRequest(
          "harness.tests[" + std::to_string(i) +
          "] is not { actual: CALL, expected: EXPECTED }, or assert.Equal(EXPECTED, "
          "CALL) on one line (the Go harness's shapes)");
    calls += go_item_line(i, item->format, item->call);
    expected += go_item_line(i, item->format, item->expected);
    tolerances[i] = item->tolerance;
  }
  ValuePrograms p;
  p.language = "go_test";
  p.candidate_source = candidate + "\n" + kGoStart + "\tcandidate := " + spec.entry_point +
                       "\n\t_ = candidate\n" + calls + "}\n";
  p.expected_source =
      std::string("package crucible_expected_test\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n)\n") +
      kGoStart + expected + "}\n";
  p.tolerances = std::move(tolerances);
  return p;
}

}  // namespace crucible::sandbox::judge
