// The PHP value harness (value_harness.hpp). MultiPL-E's PHP test is
//
//   function candidate(...$args) {
//       return NAME(...$args);
//   }
//   function test(): void {
//       if (CALL !== EXPECTED) { throw new Exception("Test failed!"); }
//       ...
//   }
//   test();
//
// Run as one program, the answer shares the asserts' process (it can print the end-of-tests line
// it reads from its own file). Here each check is one item, compared as !== compares: types,
// values, and arrays' keys in order.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `if (CALL !== EXPECTED) { throw new Exception("Test failed!"); }` as its sides, or nullopt for
// any other statement.
std::optional<std::pair<std::string, std::string>> split_php_check(const std::string& statement);

// The test in the harness's shape, one check per line, or nullopt. Decided from the test only.
std::optional<AssertTests> php_checks_as_calls(const std::string& test);

// InvalidRequest naming the item that is not in the check's shape.
ValuePrograms build_php_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
