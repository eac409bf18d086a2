// The TypeScript value harness (value_harness.hpp): MultiPL-E's TypeScript
// test is
//
//   declare var require: any;
//   const assert = require('node:assert');
//   function test() {
//     let candidate = NAME;
//     assert.deepEqual(CALL, EXPECTED);
//     ...
//   }
//   test();
//
// Run as one program, the answer shares the asserts' process (it can replace assert.deepEqual or
// read the end-of-tests line from its own file). Here the expected values are printed by a
// program built from the test alone, the answer's program prints what each call returns, both in
// one canonical form, and the judge compares the lines.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `assert.deepEqual(CALL, EXPECTED);` as its sides, or nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> split_typescript_assert(
    const std::string& statement);

// The test in the harness's shape (entry point: the candidate's name; one item per assert), or
// nullopt when it has another shape. Decided from the test only, never from the answer.
std::optional<AssertTests> typescript_asserts_as_calls(const std::string& test);

// InvalidRequest naming the item that is not `assert.deepEqual(CALL, EXPECTED);`.
ValuePrograms build_typescript_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
