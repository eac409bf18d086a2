// The Rust value harness (value_harness.hpp). MultiPL-E's Rust test is the brace that closes the
// answer's function, then
//
//   fn main() {
//       let candidate = NAME;
//       assert_eq!(CALL, EXPECTED);
//       ...
//   }
//
// Run as one program, the answer shares the asserts' process: it can read the expected values or
// the end-of-tests line from its own source or binary and exit 0. Here each assert is one item.
// The expected values' program is the task's prompt (the entry point's signature, its body never
// run) and the expected expressions, each typed as the call's result would be, so `vec![]` and
// `None` compile as they do beside the call.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `assert_eq!(CALL, EXPECTED);` as its sides, or nullopt for any other statement (a message
// argument, a raw string, a generic argument list with a comma at the top).
std::optional<std::pair<std::string, std::string>> split_rust_assert(const std::string& statement);

// The test in the harness's shape, one assert per line, or nullopt; `spec.setup` is the prompt.
// Decided from the prompt and test only, never the answer.
std::optional<AssertTests> rust_asserts_as_calls(const std::string& prompt,
                                                 const std::string& test);

// `spec.setup` is the task's code up to the entry point's opening brace (MultiPL-E's prompt):
// the expected values take their types from it. InvalidRequest naming what is missing or the
// item that is not `assert_eq!(CALL, EXPECTED);`.
ValuePrograms build_rust_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
