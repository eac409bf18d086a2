// The Java value harness: two programs and a comparison in the judge. The candidate's program
// is its code and a main that makes each item's call and prints what it returned, one line per
// item; the expected program, built from the task alone, prints each item's expected value the
// same way. The judge compares the lines. The candidate's process never holds an expected
// value, a nonce or a marker: a line it forges passes only if it is the right value. Values
// print in one canonical form (numbers by value, as Java's == compares them; lists in order;
// maps and sets sorted; Optional, javatuples and arrays by their contents).
//
//   JavaHarness h = build_java_harness(candidate_source, spec);  // spec.items: java asserts
//   // run h.expected_source and h.candidate_source apart; read_value_lines on each stdout
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sandbox/judge/harness.hpp"

namespace crucible::sandbox::judge {

struct JavaHarness {
  std::string candidate_source;  // the candidate's class, closed by the harness's main
  std::string expected_source;   // the items' expected values; nothing of the candidate
};

// `candidate` is the class up to where MultiPL-E's test starts its main (the answer's class
// left open); `spec.setup` is the expected program's imports; each item is
// `assert(CALL == (EXPECTED));` or `assert(CALL.equals(EXPECTED));` (InvalidRequest naming
// the item otherwise).
JavaHarness build_java_harness(const std::string& candidate, const HarnessSpec& spec);

struct ValueLine {
  bool error = false;  // the expression threw; `text` is what it threw
  std::string text;    // the value in canonical form
};

// The value lines of a harness program's stdout, one per item (nullopt for an item with
// none); a later line for the same item replaces an earlier one.
std::vector<std::optional<ValueLine>> read_value_lines(const std::string& stdout_data,
                                                       size_t items);

}  // namespace crucible::sandbox::judge
