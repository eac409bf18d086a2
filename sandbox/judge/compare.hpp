// Output comparators for stdin/stdout tests. Pure functions: the expected output never
// enters the jail; the judge compares the program's stdout here.
//
//   CompareOptions opt;                         // whitespace-normalised by default
//   CompareResult r = compare("1 2\n", "1  2", opt);   // r.ok
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace crucible::sandbox::judge {

enum class Comparator {
  Exact,            // byte for byte
  Whitespace,       // equal token sequences per line, trailing blank lines ignored (default)
  Float,            // tokens equal, or numerically within abs_tol or rel_tol
  CaseInsensitive,  // Whitespace, ignoring ASCII case
  UnorderedLines,   // the same multiset of (whitespace-normalised) lines
  UnorderedTokens,  // the same multiset of tokens
  ExitStatus,  // the run passes by exiting 0 (a program of asserts) and, when the expected output
               // is not empty, by printing it as one of its lines (an end-of-tests line)
};

struct CompareOptions {
  Comparator kind = Comparator::Whitespace;
  double abs_tol = 1e-6;
  double rel_tol = 1e-6;
};

struct CompareResult {
  bool ok = false;
  std::string message;  // for a mismatch: where and how, e.g. "line 3: expected '5', got '6'"
};

CompareResult compare(std::string_view expected, std::string_view actual,
                      const CompareOptions& options);

// "exact", "whitespace", "float", "case_insensitive", "unordered_lines", "unordered_tokens",
// "exit_status".
const char* comparator_name(Comparator c);
// Throws InvalidRequest naming the value.
Comparator comparator_from_name(const std::string& name);

void to_json(nlohmann::json& j, const CompareOptions& o);
// Fields: "comparator", "abs_tol", "rel_tol"; unknown fields are an InvalidRequest.
void from_json(const nlohmann::json& j, CompareOptions& o);

}  // namespace crucible::sandbox::judge
