// Value harnesses (Java, TypeScript, Lua, Ruby, PHP, Perl, Bash, Rust, Go): two programs run apart
// and a comparison in the judge. The candidate's program is its code and calls that print what each
// returned, one line per item; the expected program, built from the task alone, prints each item's
// expected value the same way; the judge compares the lines. The candidate's process never holds an
// expected value, a nonce or a marker: a line it forges passes only if it is the right value.
//
// Each language reads MultiPL-E's test into items (one per assert) and builds the two programs;
// both print a value in one canonical form of that language (numbers by value, lists in order,
// maps and sets sorted), as "<index> =<value>" or "<index> !<what it threw>", each on a line of
// its own (a newline first, so a print without one before it cannot swallow the line).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/judge/harness.hpp"
#include "sandbox/judge/tolerance_assert.hpp"

namespace crucible::sandbox::judge {

struct ValuePrograms {
  std::string candidate_source;  // the answer, then the calls, each value printed
  std::string expected_source;   // the expected values printed; nothing of the answer
  std::string language;          // the registry name both run as ("": the harness's language)
  // Per item: above 0, the two values are numbers that pass when they differ by less
  // (tolerance_assert.hpp); 0 (or no entry), their texts must be equal.
  std::vector<double> tolerances = {};
};

// Whether `language` (a registry name) has a value harness.
bool value_harness_supports(const std::string& language);

// The registry names of the languages with a value harness, in the table's order.
std::vector<std::string> value_harness_languages();

// The two programs; InvalidRequest naming an item that is not in the language's assert shape.
ValuePrograms build_value_harness(const std::string& language, const std::string& candidate,
                                  const HarnessSpec& spec);

// MultiPL-E's test in `language` as harness items, or nullopt when it has another shape (or the
// language has no harness for its asserts). Decided from the prompt and test, never the answer.
std::optional<AssertTests> asserts_as_calls(const std::string& language, const std::string& prompt,
                                            const std::string& test);

// An assert read into its two sides: the call and the expected value (nullopt: another shape).
using SplitAssert = std::optional<std::pair<std::string, std::string>> (*)(const std::string&);
// The statement that prints `expression`'s value as item `index`.
using ValueStatement = std::string (*)(size_t index, const std::string& expression);

struct ItemStatements {
  std::string calls, expected;     // each item's statement, one side each
  std::vector<double> tolerances;  // per item, as ValuePrograms'
};

// A language's asserts within a tolerance (tolerance_assert.hpp): the reader of one (an item
// that is not one goes to SplitAssert) and the statement that prints a value as a float.
struct ToleranceItems {
  std::optional<AbsDifference> (*split)(const std::string& item) = nullptr;
  ValueStatement number_statement = nullptr;
};

// Every item of `spec` split and made into the two programs' statements (the expected side's by
// `expected_statement` where it is given, else by `statement`); InvalidRequest naming the first
// item that is not `shape`. With `tolerance`, an item it reads compares within its tolerance.
ItemStatements item_statements(const HarnessSpec& spec, SplitAssert split, ValueStatement statement,
                               const std::string& shape,
                               ValueStatement expected_statement = nullptr,
                               ToleranceItems tolerance = {});

// Adds `lines[begin, end)` to `out`'s items, each one assert; false when one is not `split`'s.
bool add_assert_lines(AssertTests& out, const std::vector<std::string>& lines, size_t begin,
                      size_t end, SplitAssert split);

struct ValueLine {
  bool error = false;  // the expression threw; `text` is what it threw
  std::string text;    // the value in canonical form
};

// The value lines of a program's stdout, one per item (nullopt for an item with none); a later
// line for the same item replaces an earlier one.
std::vector<std::optional<ValueLine>> read_value_lines(const std::string& stdout_data,
                                                       size_t items);

}  // namespace crucible::sandbox::judge
