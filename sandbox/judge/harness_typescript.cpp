#include "sandbox/judge/harness_typescript.hpp"

#include <cctype>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Values in one canonical form, as node's loose assert.deepEqual compares them where it matters
// for returned values: arrays in order, objects by sorted keys, Map and Set sorted, -0 as 0.
// (Stricter in one way: 1 and "1" differ.)
constexpr const char* kTsValues = R"TS(
function crucibleValue(v: any, depth: number): string {
  if (depth > 100) throw new Error("a value nested over 100 deep");
  if (v === undefined || v === null) return "null";
  switch (typeof v) {
    case "boolean": return String(v);
    case "number": return Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "0" : String(v);
    case "bigint": return String(v) + "n";
    case "string": return JSON.stringify(v);
  }
  const inner = (x: any) => crucibleValue(x, depth + 1);
  if (Array.isArray(v)) return "[" + v.map(inner).join(",") + "]";
  if (v instanceof Map)
    return "map{" + Array.from(v, ([k, x]: [any, any]) => inner(k) + ":" + inner(x)).sort().join(",") + "}";
  if (v instanceof Set) return "set{" + Array.from(v, inner).sort().join(",") + "}";
  if (typeof v === "object")
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + inner(v[k])).join(",") + "}";
  return "?" + typeof v + ":" + JSON.stringify(String(v));
}
)TS";

// The items' lines go to the process's stdout; console's own methods then write to stderr, so
// what the code prints while it works does not mix with them.
constexpr const char* kTsStart = R"TS(
;(function crucibleCalls() {
  const crucibleWrite = (line: string) => (globalThis as any).process.stdout.write("\n" + line + "\n");
  console.log = console.info = console.debug = console.error;
)TS";

// clang-format on

std::string ts_item_line(size_t index, const std::string& expression) {
  const std::string i = std::to_string(index);
  return "  try { crucibleWrite(\"" + i + " =\" + crucibleValue(" + expression +
         ", 0)); } catch (crucibleThrown) { crucibleWrite(\"" + i +
         " !\" + String(crucibleThrown).replace(/[\\r\\n]/g, \" \")); }\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_typescript_assert(
    const std::string& statement) {
  if (statement.find('`') != std::string::npos) return std::nullopt;  // template literals
  const auto m = code_structure(statement);
  if (!m) return std::nullopt;
  size_t end = m->find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  if ((*m)[end] == ';') end = m->find_last_not_of(" \t\r\n", end - 1);
  if (end == std::string::npos) return std::nullopt;
  const auto args = call_arguments(*m, Span{0, end + 1}, {"assert", ".", "deepEqual"});
  if (!args) return std::nullopt;
  const auto sides = two_arguments(*m, args->begin, args->end);
  if (!sides) return std::nullopt;
  return std::pair{text_of(statement, sides->first), text_of(statement, sides->second)};
}

std::optional<AssertTests> typescript_asserts_as_calls(const std::string& test) {
  if (test.find('`') != std::string::npos) return std::nullopt;
  const auto m = code_structure(test);
  if (!m) return std::nullopt;
  size_t i = 0;
  size_t at = i;
  if (read_tokens(*m, at, {"declare", "var", "require", ":", "any", ";"})) i = at;
  at = i;
  if (!read_tokens(*m, at, {"const", "assert", "=", "require", "("})) return std::nullopt;
  const std::string module = next_token(test, at);  // the literal, from the unmasked text
  if (module != "'" && module != "\"") return std::nullopt;
  const size_t close = test.find(module, at);
  if (close == std::string::npos) return std::nullopt;
  const std::string name = test.substr(at, close - at);
  if (name != "node:assert" && name != "assert") return std::nullopt;
  at = close + 1;
  if (!read_tokens(*m, at, {")", ";", "function", "test", "(", ")", "{"})) return std::nullopt;
  const auto block = statements_of_block(*m, at);
  if (!block || block->statements.size() < 2) return std::nullopt;
  at = block->after;
  if (!read_tokens(*m, at, {"test", "(", ")"})) return std::nullopt;
  size_t rest = at;
  if (next_token(*m, rest) == ";") at = rest;
  if (!next_token(*m, at).empty()) return std::nullopt;
  AssertTests out;
  size_t k = block->statements[0].begin;
  if (!read_tokens(*m, k, {"let", "candidate", "="})) return std::nullopt;
  out.spec.entry_point = next_token(*m, k);
  if (!is_name(out.spec.entry_point) || k != block->statements[0].end) return std::nullopt;
  for (size_t s = 1; s < block->statements.size(); ++s) {
    const Span span = block->statements[s];
    std::string item = test.substr(span.begin, span.end - span.begin) + ";";
    if (!split_typescript_assert(item)) return std::nullopt;
    out.spec.items.push_back(std::move(item));
  }
  return out;
}

ValuePrograms build_typescript_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items =
      item_statements(spec, split_typescript_assert, ts_item_line,
                      "assert.deepEqual(CALL, EXPECTED); (the TypeScript harness's shape)");
  ValuePrograms p;
  p.candidate_source = candidate + "\n" + kTsStart + "  const candidate = " + spec.entry_point +
                       ";\n" + items.calls + "})();\n" + kTsValues;
  p.expected_source = std::string(kTsStart) + items.expected + "})();\n" + kTsValues;
  return p;
}

}  // namespace crucible::sandbox::judge
