// HumanEval-X's C++ tests in the C++ function-call harness (harness_cpp.hpp). CodeGeeX writes
// each as
//
//   #undef NDEBUG
//   #include<assert.h>
//   bool issame(vector<int> a, vector<int> b) { ... }   // helpers, sometimes
//   int main(){
//       assert (f(ARGS) == EXPECTED);
//       assert (issame(f(ARGS), {...}));
//       ...                                              // or loops and locals around them
//   }
//
// and runs it as one program after the answer, which then shares the asserts' process (an exit
// before them, its own operator== or __assert_fail). Here the test is compiled into the sealed
// test program, without the answer, and calls the answer's function over the harness's pipes.
#pragma once

#include <optional>
#include <string>

#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

// The test as C++ harness calls, or nullopt when it has another shape or its values cannot cross
// as plain data (boost::any). The entry point is the
// function the declaration opens last (`signature`: its declaration); `setup` is the declaration's
// code before it (the task's helpers, which tests call: encode_cyclic) and the test's code before
// main (its helpers). When main holds only asserts, each is an item; otherwise main's body is one
// item. A final `return 0;` is dropped; any other return keeps the one-program run. Decided from
// the declaration and the test only, never from the answer.
std::optional<HarnessSpec> humaneval_x_cpp_calls(const std::string& declaration,
                                                 const std::string& test);

}  // namespace crucible::sandbox::judge
