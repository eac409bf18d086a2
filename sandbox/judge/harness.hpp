// Function-call harnesses: the HumanEval/MBPP shape (a candidate program, test code that
// calls its entry point) for Python, JavaScript and C++.
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
//   C++:        in-process; `assert` is redefined after the candidate, return values
//               must be plain types (no operator== tricks). A candidate that reads stdin
//               in a static initializer could steal the nonce (see SECURITY.md).
#pragma once

#include <string>
#include <vector>

namespace crucible::sandbox::judge {

struct HarnessSpec {
  std::string entry_point;         // the candidate's function
  std::string setup;               // run once before the items (MBPP's test_setup_code)
  std::vector<std::string> items;  // each a statement or block; one result per item
};

struct HarnessProgram {
  std::string language;  // "python3", "javascript" or "cpp"
  std::string source;
};

// Languages with a harness, by registry name.
bool harness_supports(const std::string& language);

// Builds the harness program around `candidate`; throws InvalidRequest for an unsupported
// language or an entry point that is not an identifier.
HarnessProgram build_harness(const std::string& language, const std::string& candidate,
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
