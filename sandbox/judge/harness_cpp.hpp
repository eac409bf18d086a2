// The C++ function-call harness: two programs. The candidate's program is its code and a
// loop that answers calls; the test program holds the tests and the nonce, starts the
// candidate's program (/data/main) with pipes as its stdin and stdout, and calls it by
// message: arguments and results cross as plain values (numbers, strings, containers). The
// candidate never shares a process, a file or a descriptor with the tests; see
// harness.hpp for the output protocol and SECURITY.md for the trust boundary.
//
//   CppHarness h = build_cpp_harness(candidate_source, spec);
//   // compile h.candidate_source and h.tests_source; run the tests with /data = candidate
#pragma once

#include <string>

#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

struct CppHarness {
  std::string candidate_source;  // the candidate's code and the call loop
  std::string tests_source;      // the tests and the caller; nothing of the candidate
};

CppHarness build_cpp_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
