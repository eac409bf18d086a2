#include "sandbox/judge/value_harness.hpp"

#include <cctype>
#include <sstream>

#include "base/error.hpp"
#include "sandbox/judge/cpp_assert_tests.hpp"
#include "sandbox/judge/harness_bash.hpp"
#include "sandbox/judge/harness_java.hpp"
#include "sandbox/judge/harness_lua.hpp"
#include "sandbox/judge/harness_perl.hpp"
#include "sandbox/judge/harness_php.hpp"
#include "sandbox/judge/harness_ruby.hpp"
#include "sandbox/judge/harness_typescript.hpp"
#include "sandbox/judge/java_assert_tests.hpp"

namespace crucible::sandbox::judge {

ItemStatements item_statements(const HarnessSpec& spec, SplitAssert split, ValueStatement statement,
                               const std::string& shape) {
  ItemStatements out;
  for (size_t i = 0; i < spec.items.size(); ++i) {
    const auto sides = split(spec.items[i]);
    if (!sides) throw InvalidRequest("harness.tests[" + std::to_string(i) + "] is not " + shape);
    out.calls += statement(i, sides->first);
    out.expected += statement(i, sides->second);
  }
  return out;
}

bool add_assert_lines(AssertTests& out, const std::vector<std::string>& lines, size_t begin,
                      size_t end, SplitAssert split) {
  for (size_t i = begin; i < end; ++i) {
    if (!split(lines[i])) return false;
    out.spec.items.push_back(lines[i]);
  }
  return true;
}

bool value_harness_supports(const std::string& language) {
  return language == "java" || language == "typescript" || language == "lua" ||
         language == "ruby" || language == "php" || language == "perl" || language == "bash";
}

ValuePrograms build_value_harness(const std::string& language, const std::string& candidate,
                                  const HarnessSpec& spec) {
  if (language == "java") return build_java_harness(candidate, spec);
  // The others' tests call the function by the name `candidate`, bound to the entry point.
  if (spec.entry_point.empty())
    throw InvalidRequest("harness.entry_point is required for " + language);
  if (language == "typescript") return build_typescript_harness(candidate, spec);
  if (language == "ruby") return build_ruby_harness(candidate, spec);
  if (language == "php") return build_php_harness(candidate, spec);
  if (language == "perl") return build_perl_harness(candidate, spec);
  if (language == "bash") return build_bash_harness(candidate, spec);
  return build_lua_harness(candidate, spec);
}

std::optional<AssertTests> asserts_as_calls(const std::string& language, const std::string& prompt,
                                            const std::string& test) {
  if (language == "cpp") return cpp_asserts_as_calls(prompt, test);
  if (language == "java") return java_asserts_as_calls(prompt, test);
  if (language == "typescript") return typescript_asserts_as_calls(test);
  if (language == "lua") return lua_asserts_as_calls(test);
  if (language == "ruby") return ruby_asserts_as_calls(test);
  if (language == "php") return php_checks_as_calls(test);
  if (language == "perl") return perl_checks_as_calls(test);
  if (language == "bash") return bash_checks_as_calls(test);
  return std::nullopt;
}

std::vector<std::optional<ValueLine>> read_value_lines(const std::string& stdout_data,
                                                       size_t items) {
  std::vector<std::optional<ValueLine>> out(items);
  std::istringstream in(stdout_data);
  for (std::string line; std::getline(in, line);) {
    size_t digits = 0;
    while (digits < line.size() && digits < 9 &&
           std::isdigit(static_cast<unsigned char>(line[digits])))
      ++digits;
    if (digits == 0 || line.size() < digits + 2 || line[digits] != ' ' ||
        (line[digits + 1] != '=' && line[digits + 1] != '!'))
      continue;
    const size_t index = std::stoul(line.substr(0, digits));
    if (index >= items) continue;
    out[index] = ValueLine{line[digits + 1] == '!', line.substr(digits + 2)};
  }
  return out;
}

}  // namespace crucible::sandbox::judge
