// The end-of-tests line of a program of tests (languages::ProgramEnd): MultiPL-E's records
// run prompt, answer and test as one program, and an answer that ends that process with
// status 0 before the tests ran must not pass.
#pragma once

#include <string>

#include "sandbox/judge/judge.hpp"
#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::judge {

// Rewrites `test` to print a line holding a marker once its tests ran to their end, and
// returns that line (ProgramEnd::line); returns "" (and leaves `test` as it was) when the language
// has no ProgramEnd or the test holds none of its anchors. The marker is a keyed hash of the
// program under a key drawn once per process: unknown to the answer, and the same for the same
// program (so its build is cached).
std::string add_end_of_tests_line(const languages::Language& language, const std::string& answer,
                                  std::string& test);

// Drops the closing tag (`?>`) that ends `source`, where the language names one: after it, the
// test (or the harness's calls) would be text that is printed, never run.
void drop_answer_closing(const languages::ProgramEnd& end, std::string& source);

// Makes `s` one program of its source and `test` that passes by exiting 0 (the exit_status
// comparator) and, where the language has a ProgramEnd, by printing its end-of-tests line.
// `language` is null when the registry knows none (the judge names that).
void make_program_of_tests(Submission& s, const languages::Language* language,
                           const std::string& test);

}  // namespace crucible::sandbox::judge
