#include "sandbox/judge/harness_lua.hpp"

#include <cctype>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Values in one canonical form, as luaunit's assertEquals compares them: numbers by value (an
// integral float as its integer), strings quoted on one line, tables by their sorted entries.
// Local to the block, with the calls after it.
constexpr const char* kLuaStart = R"LUA(
do
  local crucible_out = io.stdout
  local function crucible_value(v, depth)
    if depth > 100 then error("a value nested over 100 deep") end
    local t = type(v)
    if t == "number" then
      if v ~= v then return "nan" end
      if math.type(v) == "integer" then return string.format("%d", v) end
      if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", math.tointeger(v)) end
      return string.format("%.17g", v)
    end
    if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
    if t == "table" then
      local parts = {}
      for k, x in pairs(v) do parts[#parts + 1] = crucible_value(k, depth + 1) .. "=" .. crucible_value(x, depth + 1) end
      table.sort(parts)
      return "{" .. table.concat(parts, ",") .. "}"
    end
    if t == "nil" or t == "boolean" then return tostring(v) end
    return "?" .. t
  end
  local function crucible_item(index, ok, value)
    if ok then crucible_out:write("\n", index, " =", value, "\n")
    else crucible_out:write("\n", index, " !", (tostring(value):gsub("[\r\n]", " ")), "\n") end
  end
  -- what the code prints while it works goes to stderr, apart from the items' lines
  print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
    io.stderr:write(table.concat(parts, "\t"), "\n")
  end
)LUA";

// clang-format on

std::string lua_item_line(size_t index, const std::string& expression) {
  return "  crucible_item(" + std::to_string(index) + ", pcall(function() return crucible_value(" +
         expression + ", 0) end))\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_lua_assert(const std::string& statement) {
  const auto m = code_structure(statement);
  // Lua's comments and long strings are not followed: such a statement is not read.
  if (!m || m->find("--") != std::string::npos || m->find("[[") != std::string::npos ||
      m->find("[=") != std::string::npos || m->find('\n') != std::string::npos)
    return std::nullopt;
  const std::string t = trimmed(*m);
  const size_t begin = m->find_first_not_of(" \t\r");
  const auto args = call_arguments(*m, Span{begin, begin + t.size()}, {"lu", ".", "assertEquals"});
  if (!args) return std::nullopt;
  const auto sides = two_arguments(*m, args->begin, args->end);
  if (!sides) return std::nullopt;
  return std::pair{text_of(statement, sides->first), text_of(statement, sides->second)};
}

std::optional<AssertTests> lua_asserts_as_calls(const std::string& test) {
  const std::vector<std::string> lines = nonblank_lines(test);
  if (lines.size() < 6 || lines[0] != "lu = require('luaunit')" ||
      lines[1] != "function test_humaneval()" || lines[lines.size() - 2] != "end" ||
      lines.back() != "os.exit(lu.LuaUnit.run())")
    return std::nullopt;
  const std::string naming = "local candidate = ";
  if (lines[2].rfind(naming, 0) != 0) return std::nullopt;
  AssertTests out;
  out.spec.entry_point = lines[2].substr(naming.size());
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  if (!add_assert_lines(out, lines, 3, lines.size() - 2, split_lua_assert)) return std::nullopt;
  return out;
}

ValuePrograms build_lua_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items =
      item_statements(spec, split_lua_assert, lua_item_line,
                      "lu.assertEquals(CALL, EXPECTED) on one line (the Lua harness's shape)");
  const std::string end = "  crucible_out:flush()\nend\n";
  ValuePrograms p;
  p.candidate_source = candidate + "\n" + kLuaStart + "  local candidate = " + spec.entry_point +
                       "\n" + items.calls + end;
  p.expected_source = std::string(kLuaStart) + items.expected + end;
  return p;
}

}  // namespace crucible::sandbox::judge
