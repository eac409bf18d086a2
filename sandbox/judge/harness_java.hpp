// The Java value harness (value_harness.hpp): the candidate's program is its class closed by a
// main that makes each item's call and prints what it returned; the expected program prints
// each item's expected value. Values print in one canonical form (numbers by value, as Java's ==
// compares them; lists in order; maps and sets sorted; Optional, javatuples and arrays by their
// contents).
//
#pragma once

#include <string>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `candidate` is the class up to where MultiPL-E's test starts its main (the answer's class
// left open); `spec.setup` is the expected program's imports; each item is
// `assert(CALL == (EXPECTED));`, `assert(CALL.equals(EXPECTED));` or, for floats compared within
// a tolerance, `assert(Math.abs(CALL - EXPECTED) < EPS);` (InvalidRequest naming the item
// otherwise).
ValuePrograms build_java_harness(const std::string& candidate, const HarnessSpec& spec);

// `assert(Math.abs(CALL - EXPECTED) < EPS);` read into its parts, or nullopt.
std::optional<AbsDifference> split_java_tolerance(const std::string& statement);

}  // namespace crucible::sandbox::judge
