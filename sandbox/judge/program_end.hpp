// The end-of-tests line of a program of tests (languages::ProgramEnd): MultiPL-E's records
// run prompt, answer and test as one program, and an answer that ends that process with
// status 0 before the tests ran must not pass.
#pragma once

#include <string>

#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::judge {

// Rewrites `test` to print a line holding a marker once its tests ran to their end, and
// returns that line; returns "" (and leaves `test` as it was) when the language has no
// ProgramEnd or the test holds none of its anchors. The marker is a keyed hash of the program
// under a key drawn once per process: unknown to the answer, and the same for the same program
// (so its build is cached).
std::string add_end_of_tests_line(const languages::Language& language, const std::string& answer,
                                  std::string& test);

}  // namespace crucible::sandbox::judge
