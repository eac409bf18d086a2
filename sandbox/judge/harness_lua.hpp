// The Lua value harness (value_harness.hpp). MultiPL-E's Lua test is
//
//   lu = require('luaunit')
//   function test_humaneval()
//   local candidate = NAME
//       lu.assertEquals(CALL, EXPECTED)
//       ...
//   end
//   os.exit(lu.LuaUnit.run())
//
// Run as one program, the answer shares the asserts' process (it can replace lu.assertEquals or
// print the end-of-tests line it reads from its own file). Here each assert is one item.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sandbox/judge/value_harness.hpp"

namespace crucible::sandbox::judge {

// `lu.assertEquals(CALL, EXPECTED)` as its sides, or nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> split_lua_assert(const std::string& statement);

// The test in the harness's shape, one assert per line, or nullopt. Decided from the test only.
std::optional<AssertTests> lua_asserts_as_calls(const std::string& test);

// InvalidRequest naming the item that is not `lu.assertEquals(CALL, EXPECTED)`.
ValuePrograms build_lua_harness(const std::string& candidate, const HarnessSpec& spec);

}  // namespace crucible::sandbox::judge
