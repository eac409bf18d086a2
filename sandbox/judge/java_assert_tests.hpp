// MultiPL-E's Java tests as calls in the Java value harness (harness_java.hpp). Its translator
// writes each test as the brace that closes the answer's method, then
//
//   public static void main(String[] args) {
//   assert(CALL == (EXPECTED));        or        assert(CALL.equals(EXPECTED));
//   ...
//   }
//   }
//
// Run as one program, the answer shares the asserts' process: a returned ArrayList subclass
// whose equals is always true, or an answer that reads the end-of-tests marker from its own
// source, passed. Split, the expected values are computed in a program without the answer,
// and the answer's program only prints what its calls return.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

// The span of the arguments of `assert(...)` (a trailing ';' allowed) in `m`, a statement's
// code_structure; nullopt for any other statement or text after the assert.
std::optional<Span> java_assert_arguments(const std::string& m);

// `assert(A == B);` or `assert(A.equals(B));` as its two sides (the call, the expected value), or
// nullopt for any other statement (another operator at the top of the assert, text after it, a
// literal this reader does not follow). A trailing ';' is optional.
std::optional<std::pair<std::string, std::string>> split_java_assert(const std::string& statement);

// The test in the harness's shape, or nullopt when it has another shape. Decided from the
// prompt and the test only, never from the answer, so an answer cannot choose the one-program
// run.
std::optional<AssertTests> java_asserts_as_calls(const std::string& prompt,
                                                 const std::string& test);

}  // namespace crucible::sandbox::judge
