// The Perl value harness (value_harness.hpp). MultiPL-E's Perl test is
//
//   use Test::Deep;
//   sub testhumaneval {
//       my $candidate = \&NAME;
//           if(eq_deeply($candidate->(ARGS),EXPECTED)) {
//           print "ok!" }else{
//           exit 1;
//           }
//       ...
//   }
//   testhumaneval();
//
// Run as one program, the answer shares the checks' process (it can redefine eq_deeply or print
// the end-of-tests line it reads from its own file). Here each check is one item: its four lines
// as they stand, compared as eq_deeply compares (scalars by their string, undef apart, arrays in
// order, hashes by sorted keys).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// A check (its four lines, or only its `if(eq_deeply(CALL,EXPECTED)) {` line) as its sides, or
// nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> split_perl_check(const std::string& item);

// The test in the harness's shape, or nullopt. Decided from the test only.
std::optional<AssertTests> perl_checks_as_calls(const std::string& test);

// InvalidRequest naming the item that is not in the check's shape.
ValuePrograms build_perl_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
