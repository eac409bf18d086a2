// The Go value harness (value_harness.hpp). MultiPL-E's Go test is a test function of the
// prompt's _test package:
//
//   func TestNAME(t *testing.T) {
//     candidate := NAME
//     type test struct { actual interface{}; expected interface{} }   (on four lines)
//     tests := []test{
//       { actual: CALL, expected: EXPECTED },
//       ...
//     }
//     for i, tc := range tests { ... fmt.Sprintf("%v", tc.actual) != fmt.Sprintf("%v", tc.expected)
//     ... }
//   }
//
// Run by `go test` with the answer, the answer shares the test's process: it can read the
// expected values from its own source or binary, or print the runner's summary itself. Here each
// table entry is one item, compared as the test compares it: by its `%v` text. HumanEval-X's Go
// tests (testify's assert.Equal on each call) are read the same way.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `{ actual: CALL, expected: EXPECTED },` as its sides, or nullopt for any other line (a raw
// string, another field, more than one entry).
std::optional<std::pair<std::string, std::string>> split_go_entry(const std::string& line);

// The test in the harness's shape, or nullopt. Decided from the prompt (it must import "fmt" and
// "testing", which both programs use) and the test, never the answer.
std::optional<AssertTests> go_asserts_as_calls(const std::string& prompt, const std::string& test);

// HumanEval-X's Go: testify's `assert.Equal(EXPECTED, CALL)` as its sides (call first), or
// nullopt for any other line. Arguments after the two (a failure message) are left out.
std::optional<std::pair<std::string, std::string>> split_testify_equal(const std::string& line);

// HumanEval-X's Go float checks: `assert.Equal(true, math.Abs(CALL-EXPECTED) < EPS)` where
// EXPECTED is arithmetic on number literals (`2.0/3.0`), or nullopt.
std::optional<AbsDifference> split_testify_tolerance(const std::string& line);

// One Go harness item as the two programs print it and the judge compares it: a float check
// within a tolerance, else a table entry, else testify's assert.Equal; nullopt for another
// shape.
struct GoItem {
  std::string call, expected;   // Go expressions, one per program
  const char* format = "text";  // MultiPL-E's %v text, or testify's "typed"
  double tolerance = 0;         // above 0: both sides floats, compared within it
};
std::optional<GoItem> read_go_item(const std::string& item);

// HumanEval-X's Go test (`func TestX(t *testing.T) {`, `assert := assert.New(t)`, then one
// assert.Equal per statement, which may span lines) as items compared as testify's Equal
// compares (type and Go syntax), or nullopt. The calls name the function itself; the caller sets
// the entry point.
std::optional<AssertTests> go_testify_asserts_as_calls(const std::string& test);

// Both programs are test files (`go_test`): the candidate's is its package with a test function
// that makes each call; the expected program is a package of its own. InvalidRequest naming the
// item that is in neither shape.
ValuePrograms build_go_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
