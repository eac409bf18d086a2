// MultiPL-E's C++ tests as calls into the C++ function-call harness. Its translator writes each
// test as the brace that closes the answer's function, then
//
//   int main() {
//       auto candidate = NAME;
//       assert(candidate(ARGS) == EXPECTED);
//       ...
//   }
//
// Run as one program, the answer shares the process of the asserts and can redefine what they
// use (a global operator== for the return type, its own __assert_fail). Split into the
// harness's two programs, the asserts run where the answer's code never is, and the answer
// only answers calls with plain values.
#pragma once

#include <optional>
#include <string>

#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

// Whether (comment-free) code names a type whose values cannot cross between the harness's
// programs: std::any or boost::any, or a union it declares (MultiPL-E's Union_... types).
bool cpp_has_opaque_type(const std::string& code);

// The test in the harness's shape, or nullopt when it has another shape (anything but the
// candidate's name and asserts in main) or its values cannot cross as plain data: a parameter
// or result of std::any or of a union the prompt declares. Decided from the prompt and the test
// only, never from the answer, so an answer cannot choose the one-program run.
std::optional<AssertTests> cpp_asserts_as_calls(const std::string& prompt, const std::string& test);

}  // namespace crucible::sandbox::judge
