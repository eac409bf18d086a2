// HumanEval-X's Java tests in the Java value harness (harness_java.hpp). CodeGeeX writes each as
//
//   public class Main {
//       public static void main(String[] args) {
//           Solution s = new Solution();
//           List<Boolean> correct = Arrays.asList(
//                   s.f(ARGS) == EXPECTED,   s.f(ARGS).equals(EXPECTED),
//                   Objects.equals(s.f(ARGS), EXPECTED),   !s.f(ARGS),   s.f(ARGS),   ...
//           );
//           if (correct.contains(false)) {
//               throw new AssertionError();
//           }
//       }
//   }
//
// Run as one program with the answer, the answer shares the checks' process (an always-equal
// return value, an exit before them). Here each check is one item: the answer's program prints what
// each call returns, a program without the answer prints what it should be.
#pragma once

#include <optional>
#include <string>

#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

// The test's checks as Java harness items (`assert(CALL == (EXPECTED));` or
// `assert(CALL.equals(EXPECTED));`, a negated call expecting false, a bare call true; the call may
// be under a cast, `(int) s.f(x).get()`), or nullopt
// when the test or one check has another shape (a tolerance, `&&`, an expected value that names
// `s`). `spec.setup` gets the prompt's imports. Decided from the prompt and test only.
std::optional<AssertTests> java_correct_list_as_calls(const std::string& prompt,
                                                      const std::string& test);

// What the answer's class is followed by so that the harness's main can call `s.f(...)`: a
// class Main holding the instance the checks call.
std::string java_correct_list_opening();

}  // namespace crucible::sandbox::judge
