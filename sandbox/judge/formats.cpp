#include "sandbox/judge/formats.hpp"

#include <cctype>
#include <cstring>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_input.hpp"
#include "sandbox/judge/harness.hpp"
#include "sandbox/judge/humaneval_x.hpp"
#include "sandbox/judge/identifier.hpp"
#include "sandbox/judge/program_end.hpp"
#include "sandbox/judge/value_harness.hpp"
#include "sandbox/languages/registry.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string())
    throw InvalidRequest(std::string(key) + " must be a string");
  return j[key];
}

std::string id_of(const json& j) {
  for (const char* key : {"id", "task_id"}) {
    if (!j.contains(key)) continue;
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
  }
  return "";
}

std::string program_of(const json& j) {
  for (const char* key : {"source", "completion", "solution", "code"})
    if (j.contains(key) && j[key].is_string()) return j[key];
  throw InvalidRequest("the record has no program: give source, completion, solution or code");
}

// Converts a test value to stdin/stdout text: strings stay, lists become lines.
std::string as_text(const json& v, const std::string& where) {
  if (v.is_string()) return v;
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (x.is_string() ? x.get<std::string>() : x.dump()) + "\n";
    return out;
  }
  if (v.is_number() || v.is_boolean()) return v.dump() + "\n";
  throw InvalidRequest(where + " must be a string or a list");
}

void add_io(Submission& s, const json& inputs, const json& outputs, const std::string& where) {
  if (!inputs.is_array() || !outputs.is_array() || inputs.size() != outputs.size())
    throw InvalidRequest(where + ": inputs and outputs must be lists of the same length");
  for (size_t i = 0; i < inputs.size(); ++i)
    s.tests.push_back({as_text(inputs[i], where + ".inputs[" + std::to_string(i) + "]"),
                       as_text(outputs[i], where + ".outputs[" + std::to_string(i) + "]")});
}

// The registry's name for `language`, or "" when it knows none (the judge names that).
std::string registry_name(const std::string& language) {
  try {
    return languages::Registry::builtin().find(language).name;
  } catch (const InvalidRequest&) {
    return "";
  }
}

// Whether a HumanEval-shaped record's test can run in a function-call harness: its language
// has one (or is unknown: the judge says so), and a C++ test is not a whole main().
bool function_call_harness_fits(const std::string& name, const std::string& test) {
  if (name.empty()) return true;
  if (name == "cpp") return test.find("main(") == std::string::npos;
  return harness_supports(name);
}

// The identifier that starts at `at` in `s` ("" if none).
std::string identifier_at(const std::string& s, size_t at) {
  size_t end = at;
  while (end < s.size() && is_identifier_char(s[end])) ++end;
  if (end == at || std::isdigit(static_cast<unsigned char>(s[at]))) return "";
  return s.substr(at, end - at);
}

// MultiPL-E's rows name no entry point: its test names it (`check(NAME)` in Python,
// `candidate = NAME` in most translations), and so does the row's name (HumanEval_0_NAME,
// mbpp_65_NAME). "" when neither does.
std::string entry_point_named_by(const std::string& test, const std::string& row_name) {
  for (size_t at = test.rfind("check("); at != std::string::npos;
       at = at == 0 ? std::string::npos : test.rfind("check(", at - 1)) {
    const std::string name = identifier_at(test, at + 6);
    if (!name.empty() && name != "candidate" && test.compare(at + 6 + name.size(), 1, ")") == 0)
      return name;
  }
  for (const char* naming : {"candidate = ", "candidate := "}) {
    const size_t at = test.find(naming);
    if (at != std::string::npos) {
      const std::string name = identifier_at(test, at + std::strlen(naming));
      if (!name.empty()) return name;
    }
  }
  const size_t first = row_name.find('_');
  const size_t second = first == std::string::npos ? first : row_name.find('_', first + 1);
  return second == std::string::npos ? "" : identifier_at(row_name, second + 1);
}

// MultiPL-E names its rows by `name`; "" when the record has none.
std::string row_name(const json& j) {
  return j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "";
}

// A completion cut at the first of the row's stop tokens, as MultiPL-E cuts a generation.
std::string cut_at_stop_tokens(std::string completion, const json& j) {
  if (!j.contains("stop_tokens")) return completion;
  if (!j["stop_tokens"].is_array()) throw InvalidRequest("stop_tokens must be a list of strings");
  for (const auto& token : j["stop_tokens"]) {
    if (!token.is_string()) throw InvalidRequest("stop_tokens must be a list of strings");
    const std::string t = token;
    const size_t at = t.empty() ? std::string::npos : completion.find(t);
    if (at != std::string::npos) completion.resize(at);
  }
  return completion;
}

}  // namespace

Record record_from_json(const json& j) {
  if (!j.is_object()) throw InvalidRequest("each record must be a JSON object");
  Record r;
  r.id = id_of(j);
  if (is_humaneval_x(j)) {
    r.format = "humaneval-x";
    r.submission = humaneval_x_submission(j);
    return r;
  }
  // MultiPL-E's dataset rows: prompt, tests (the test program as a string) and stop_tokens.
  const bool multipl_e =
      j.contains("prompt") && j.contains("tests") && j["tests"].is_string() && !j.contains("test");
  if (multipl_e || (j.contains("prompt") && j.contains("test") && j.contains("entry_point"))) {
    r.format = multipl_e ? "multipl-e" : "humaneval";
    if (r.id.empty()) r.id = row_name(j);
    std::string body =
        j.contains("completion") ? text(j, "completion") : text(j, "canonical_solution");
    if (multipl_e) body = cut_at_stop_tokens(body, j);
    r.submission.language = j.contains("language") ? text(j, "language") : "python3";
    // MultiPL-E names Go's rows "go_test.go": the runner, then the file's extension.
    if (const size_t dot = r.submission.language.find('.'); multipl_e && dot != std::string::npos)
      r.submission.language.resize(dot);
    r.submission.source = text(j, "prompt") + body;
    const std::string test = text(j, multipl_e ? "tests" : "test");
    const std::string name = registry_name(r.submission.language);
    if (!function_call_harness_fits(name, test)) {
      // MultiPL-E's asserts (C++, and the value harnesses' languages) run in two-program
      // harnesses, apart from the answer. A completion cut at a stop token ends without a newline,
      // perhaps in a comment.
      if (auto calls = asserts_as_calls(name, text(j, "prompt"), test)) {
        r.submission.source += "\n" + calls->answer_end;
        r.submission.harness = std::move(calls->spec);
        return r;
      }
      // MultiPL-E's translations into languages without a function-call harness (or a C++
      // test that is a main()): the prompt, the answer and the test are one program, which
      // passes by exiting 0, as MultiPL-E runs them. The answer shares the tests' process: where
      // the language says how, the test also prints an end-of-tests line, which must be there.
      // MultiPL-E's Go is a _test package of Test functions: `go test`, not a program.
      if (name == "go" && test.find("*testing.T") != std::string::npos)
        r.submission.language = "go_test";
      make_program_of_tests(
          r.submission, name.empty() ? nullptr : &languages::Registry::builtin().find(name), test);
      return r;
    }
    // HumanEval's test defines check(candidate); MultiPL-E's translations into other
    // languages run their own assertions (`test();` at the end of JavaScript's): the whole
    // test is then the one test.
    const std::string entry_point = j.contains("entry_point")
                                        ? text(j, "entry_point")
                                        : entry_point_named_by(test, row_name(j));
    if (entry_point.empty())
      throw InvalidRequest("the record names no entry point: give entry_point");
    if (test.find("check(") != std::string::npos)
      r.submission.harness = HarnessSpec{entry_point, test, {"check(candidate)"}};
    else
      r.submission.harness = HarnessSpec{entry_point, "", {test}};
    return r;
  }
  if (j.contains("test_list")) {
    r.format = "mbpp";
    r.submission.language = j.value("language", "python3");
    r.submission.source = j.contains("completion") ? text(j, "completion") : text(j, "code");
    HarnessSpec h;
    h.setup = j.contains("test_setup_code") && j["test_setup_code"].is_string()
                  ? j["test_setup_code"]
                  : "";
    if (!j["test_list"].is_array() || j["test_list"].empty())
      throw InvalidRequest("test_list must be a non-empty list");
    for (const auto& t : j["test_list"]) {
      if (!t.is_string()) throw InvalidRequest("test_list must hold strings");
      h.items.push_back(t);
    }
    r.submission.harness = h;
    return r;
  }
  bool apps = j.contains("inputs") || j.contains("input_output") || j.contains("public_tests") ||
              j.contains("private_tests");
  if (apps && !j.contains("tests")) {
    r.format = "apps";
    r.submission.language = j.value("language", "auto");
    r.submission.source = program_of(j);
    if (j.contains("inputs"))
      add_io(r.submission, j["inputs"], j.value("outputs", json()), "inputs/outputs");
    if (j.contains("input_output")) {
      json io =
          j["input_output"].is_string()
              ? parse_json_input_or_discarded(j["input_output"].get<std::string>(), "input_output")
              : j["input_output"];
      if (io.is_discarded() || !io.is_object())
        throw InvalidRequest("input_output must be a JSON object");
      add_io(r.submission, io.value("inputs", json()), io.value("outputs", json()), "input_output");
    }
    for (const char* key : {"public_tests", "private_tests", "generated_tests"})
      if (j.contains(key))
        add_io(r.submission, j[key].value("input", json()), j[key].value("output", json()), key);
    if (r.submission.tests.empty()) throw InvalidRequest("the record has no test cases");
    if (j.contains("limits")) r.submission.limits = j["limits"].get<Limits>();
    r.submission.limits.validate();
    return r;
  }
  r.format = "native";
  json native = j;
  native.erase("id");
  native.erase("task_id");
  r.submission = Submission::from_json(native);
  return r;
}

}  // namespace crucible::sandbox::judge
