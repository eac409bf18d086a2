// Function-call harnesses: the HumanEval/MBPP shape (a candidate program, test code that
// calls its entry point) for Python, JavaScript, C++ and (MultiPL-E's asserts) Java.
//
// A harness prints one line per test item, "<nonce> <index> pass|fail|error <message>",
// and "<nonce> done" at the end. The nonce reaches the harness on stdin at run time (so the
// compiled harness stays cacheable); a program that exits early, patches the test
// machinery, or prints look-alike lines produces no valid "done" line.
//
//   Python:     the candidate runs in a forked child with no stdin and no stdout; the test
//               code runs in the non-dumpable parent, which reads the nonce only after the
//               fork and receives plain values over a pipe (marshal, type-checked).
//   JavaScript: the candidate runs in its own vm realm with no `process` or `require`;
//               values cross as JSON; the harness compares with references taken before.
//   C++:        two programs (harness_cpp.hpp): the candidate's code answers calls over
//               pipes from its own process; the test program, sealed unreadable and
//               non-dumpable, holds the tests and the nonce. Values cross as plain data.
//   Java:       two programs run apart (harness_java.hpp): the candidate's prints what its
//               calls return, the task's prints the expected values; the judge compares.
//   In every language the program's file holds no tests (they arrive on stdin after the
//   nonce, or are compiled into the sealed test program).
#pragma once

#include <string>
#include <vector>

namespace crucible::sandbox::judge {

struct HarnessSpec {
  std::string entry_point;         // the candidate's function
  std::string setup;               // run once before the items (MBPP's test_setup_code)
  std::vector<std::string> items;  // each a statement or block; one result per item
  // C++ only, may be empty: the entry point's declaration (`int strlen(string str)`), which
  // picks the answer's function out of an overload set that holds a library function too.
  std::string signature = {};
};

// A test read into harness items (MultiPL-E's asserts): `answer_end` is the test's text that
// closes the answer (the brace of its function), `spec` names the candidate and holds the items.
struct AssertTests {
  std::string answer_end;
  HarnessSpec spec;
};

struct HarnessProgram {
  std::string language;          // "python3", "javascript", "cpp" or "java"
  std::string source;            // the program that runs the tests
  std::string candidate_source;  // C++: the candidate's own program, run from /data/main;
                                 // Java: the candidate's program that prints its calls' values
  std::string expected_source;   // Java: the task's program that prints the expected values
  std::vector<double> tolerances = {};  // value harnesses: as ValuePrograms'
};

// Every `from` in `s` replaced by `to` (the harness templates' @PLACEHOLDER@s).
std::string replace_all(std::string s, const std::string& from, const std::string& to);

// Languages with a harness, by registry name.
bool harness_supports(const std::string& language);

// Builds the harness program around `candidate`; throws InvalidRequest for an unsupported
// language or an entry point that is not an identifier.
HarnessProgram build_harness(const std::string& language, const std::string& candidate,
                             const HarnessSpec& spec);

// The harness's stdin: the nonce, then (Python, JavaScript) the tests as one JSON line. The
// tests travel here, not in the program's file, so the candidate never sees them.
std::string harness_input(const std::string& language, const std::string& nonce,
                          const HarnessSpec& spec);

// A fresh random nonce (128 bits, hex).
std::string make_nonce();

struct ItemResult {
  enum class Status { Pass, Fail, Error, Missing } status = Status::Missing;
  std::string message;
};

// Parses the harness's stdout for `nonce`; `done` tells whether the harness finished.
std::vector<ItemResult> parse_harness_output(const std::string& stdout_data,
                                             const std::string& nonce, size_t items, bool& done);

}  // namespace crucible::sandbox::judge
