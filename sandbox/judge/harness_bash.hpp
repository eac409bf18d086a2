// The Bash value harness (value_harness.hpp). MultiPL-E's Bash test is
//
//   }
//   candidate() {
//       NAME "$@"
//   }
//   set -e
//   run_test() {
//       [[ $(candidate ARGS) = "EXPECTED" ]]
//       ...
//   }
//   run_test
//
// Run as one program, the answer shares the checks' shell (it can print the end-of-tests line it
// reads from its own file). Here each check is one item: what the call prints, compared as the
// check compares it (the string, its trailing newlines stripped).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `[[ $(candidate ARGS) = "EXPECTED" ]]` as its sides (`candidate ARGS`, `"EXPECTED"`), or
// nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> split_bash_check(const std::string& statement);

// The test in the harness's shape, or nullopt. Decided from the test only.
std::optional<AssertTests> bash_checks_as_calls(const std::string& test);

// The two programs; InvalidRequest naming the item that is not in the check's shape.
ValuePrograms build_bash_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
