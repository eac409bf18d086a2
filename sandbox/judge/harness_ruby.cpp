#include "sandbox/judge/harness_ruby.hpp"

#include <cctype>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Values in one canonical form, as assert_equal's == compares them: numbers by value (an
// integral float as its integer), strings and symbols quoted on one line, arrays in order,
// hashes by their sorted entries.
constexpr const char* kRubyStart = R"RUBY(
def crucible_value(v, depth = 0)
  raise "a value nested over 100 deep" if depth > 100
  case v
  when nil then "nil"
  when true, false then v.to_s
  when Integer then v.to_s
  when Float
    if v.nan? then "nan"
    elsif v.finite? && v == v.floor && v.abs < 2**53 then v.to_i.to_s
    else v.to_s
    end
  when String then v.dump
  when Symbol then ":" + v.to_s.dump
  when Array then "[" + v.map { |x| crucible_value(x, depth + 1) }.join(",") + "]"
  when Hash then "{" + v.map { |k, x| crucible_value(k, depth + 1) + "=>" + crucible_value(x, depth + 1) }.sort.join(",") + "}"
  else "?" + v.class.name.to_s + ":" + v.inspect.dump
  end
end
def crucible_item(out, index)
  line = "#{index} =#{crucible_value(yield)}"
rescue StandardError, ScriptError, SystemStackError => e
  line = "#{index} !#{e.class}: #{e.message}".gsub(/[\r\n]/, " ")
ensure
  out.write("\n" + line + "\n") if line
end
crucible_out = $stdout.dup
crucible_out.sync = true
# what the code prints while it works goes to stderr, apart from the items' lines
$stdout = $stderr
)RUBY";

// clang-format on

std::string ruby_item_line(size_t index, const std::string& expression) {
  return "crucible_item(crucible_out, " + std::to_string(index) + ") { " + expression + " }\n";
}

// The call first: the harness's sides are (call, expected).
std::optional<std::pair<std::string, std::string>> ruby_sides(const std::string& statement,
                                                              const std::string& m) {
  const size_t begin = m.find_first_not_of(" \t\r");
  const auto args = call_arguments(m, Span{begin, begin + trimmed(m).size()}, {"assert_equal"});
  if (!args) return std::nullopt;
  const auto sides = two_arguments(m, args->begin, args->end);
  if (!sides) return std::nullopt;
  return std::pair{text_of(statement, sides->second), text_of(statement, sides->first)};
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_ruby_assert(const std::string& statement) {
  const auto m = code_structure(statement);
  // Ruby's comments, heredocs and %-literals are not followed: such a statement is not read.
  if (!m || m->find('#') != std::string::npos || m->find("<<") != std::string::npos ||
      m->find('%') != std::string::npos || m->find('\n') != std::string::npos)
    return std::nullopt;
  return ruby_sides(statement, *m);
}

std::optional<AssertTests> ruby_asserts_as_calls(const std::string& test) {
  const std::vector<std::string> lines = nonblank_lines(test);
  if (lines.size() < 7 || lines[0] != "require 'test/unit'" ||
      lines[1] != "class TestHumanEval < Test::Unit::TestCase" ||
      lines[2].rfind("def test_", 0) != 0 || lines[lines.size() - 2] != "end" ||
      lines.back() != "end")
    return std::nullopt;
  const std::string naming = "candidate = method(:";
  if (lines[3].rfind(naming, 0) != 0 || lines[3].back() != ')') return std::nullopt;
  AssertTests out;
  out.spec.entry_point = lines[3].substr(naming.size(), lines[3].size() - naming.size() - 1);
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  if (!add_assert_lines(out, lines, 4, lines.size() - 2, split_ruby_assert)) return std::nullopt;
  return out;
}

ValuePrograms build_ruby_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items =
      item_statements(spec, split_ruby_assert, ruby_item_line,
                      "assert_equal(EXPECTED, CALL) on one line (the Ruby harness's shape)");
  ValuePrograms p;
  p.candidate_source = candidate + "\n" + kRubyStart + "candidate = method(:" + spec.entry_point +
                       ")\n" + items.calls + "crucible_out.flush\n";
  p.expected_source = std::string(kRubyStart) + items.expected + "crucible_out.flush\n";
  return p;
}

}  // namespace crucible::sandbox::judge
