// The Ruby value harness (value_harness.hpp). MultiPL-E's Ruby test is
//
//   require 'test/unit'
//   class TestHumanEval < Test::Unit::TestCase
//     def test_NAME
//       candidate = method(:NAME)
//       assert_equal(EXPECTED, candidate.call(ARGS))
//       ...
//     end
//   end
//
// Run as one program, the answer shares the asserts' process (it can redefine assert_equal or
// print the end-of-tests line it reads from its own file). Here each assert is one item.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `assert_equal(EXPECTED, CALL)` as its sides (the call first), or nullopt for any other
// statement.
std::optional<std::pair<std::string, std::string>> split_ruby_assert(const std::string& statement);

// The test in the harness's shape, one assert per line, or nullopt. Decided from the test only.
std::optional<AssertTests> ruby_asserts_as_calls(const std::string& test);

// InvalidRequest naming the item that is not `assert_equal(EXPECTED, CALL)`.
ValuePrograms build_ruby_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
