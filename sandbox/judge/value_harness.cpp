#include "sandbox/judge/value_harness.hpp"

#include <cctype>
#include <sstream>

#include "base/error.hpp"
#include "sandbox/judge/cpp_assert_tests.hpp"
#include "sandbox/judge/harness_bash.hpp"
#include "sandbox/judge/harness_go.hpp"
#include "sandbox/judge/harness_java.hpp"
#include "sandbox/judge/harness_lua.hpp"
#include "sandbox/judge/harness_perl.hpp"
#include "sandbox/judge/harness_php.hpp"
#include "sandbox/judge/harness_ruby.hpp"
#include "sandbox/judge/harness_rust.hpp"
#include "sandbox/judge/harness_typescript.hpp"
#include "sandbox/judge/java_assert_tests.hpp"

namespace crucible::sandbox::judge {

ItemStatements item_statements(const HarnessSpec& spec, SplitAssert split, ValueStatement statement,
                               const std::string& shape, ValueStatement expected_statement,
                               ToleranceItems tolerance) {
  if (!expected_statement) expected_statement = statement;
  ItemStatements out;
  out.tolerances.assign(spec.items.size(), 0.0);
  for (size_t i = 0; i < spec.items.size(); ++i) {
    if (tolerance.split)
      if (const auto within = tolerance.split(spec.items[i])) {
        out.calls += tolerance.number_statement(i, within->first);
        out.expected += tolerance.number_statement(i, within->second);
        out.tolerances[i] = within->tolerance;
        continue;
      }
    const auto sides = split(spec.items[i]);
    if (!sides) throw InvalidRequest("harness.tests[" + std::to_string(i) + "] is not " + shape);
    out.calls += statement(i, sides->first);
    out.expected += expected_statement(i, sides->second);
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

namespace {

using ReadAsserts = std::optional<AssertTests> (*)(const std::string& prompt,
                                                   const std::string& test);
using BuildPrograms = ValuePrograms (*)(const std::string& candidate, const HarnessSpec& spec);

// Each language whose MultiPL-E asserts are read into harness items: its reader and, for the
// value harnesses, its programs (C++ has a harness of its own, harness_cpp.hpp).
struct AssertLanguage {
  const char* name;
  ReadAsserts read;
  BuildPrograms build;
};

constexpr AssertLanguage kAssertLanguages[] = {
    {"cpp", cpp_asserts_as_calls, nullptr},
    {"java", java_asserts_as_calls, build_java_harness},
    {"typescript",
     [](const std::string&, const std::string& t) { return typescript_asserts_as_calls(t); },
     build_typescript_harness},
    {"lua", [](const std::string&, const std::string& t) { return lua_asserts_as_calls(t); },
     build_lua_harness},
    {"ruby", [](const std::string&, const std::string& t) { return ruby_asserts_as_calls(t); },
     build_ruby_harness},
    {"php", [](const std::string&, const std::string& t) { return php_checks_as_calls(t); },
     build_php_harness},
    {"perl", [](const std::string&, const std::string& t) { return perl_checks_as_calls(t); },
     build_perl_harness},
    {"bash", [](const std::string&, const std::string& t) { return bash_checks_as_calls(t); },
     build_bash_harness},
    {"rust", rust_asserts_as_calls, build_rust_harness},
    // MultiPL-E names its Go rows' language go_test (the runner its tests need).
    {"go", go_asserts_as_calls, build_go_harness},
    {"go_test", go_asserts_as_calls, build_go_harness},
};

const AssertLanguage* assert_language(const std::string& name) {
  for (const auto& l : kAssertLanguages)
    if (name == l.name) return &l;
  return nullptr;
}

}  // namespace

bool value_harness_supports(const std::string& language) {
  const AssertLanguage* l = assert_language(language);
  return l && l->build;
}

std::vector<std::string> value_harness_languages() {
  std::vector<std::string> names;
  for (const auto& l : kAssertLanguages)
    if (l.build) names.emplace_back(l.name);
  return names;
}

ValuePrograms build_value_harness(const std::string& language, const std::string& candidate,
                                  const HarnessSpec& spec) {
  const AssertLanguage* l = assert_language(language);
  if (!l || !l->build) throw InvalidRequest("no value harness for " + language);
  // All but Java's tests call the function by the name `candidate`, bound to the entry point.
  if (language != "java" && spec.entry_point.empty())
    throw InvalidRequest("harness.entry_point is required for " + language);
  return l->build(candidate, spec);
}

std::optional<AssertTests> asserts_as_calls(const std::string& language, const std::string& prompt,
                                            const std::string& test) {
  const AssertLanguage* l = assert_language(language);
  return l ? l->read(prompt, test) : std::nullopt;
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
