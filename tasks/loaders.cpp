#include "tasks/loaders.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_input.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

std::string str(const json& row, const char* key) {
  if (!row.contains(key) || !row[key].is_string())
    throw InvalidRequest(std::string(key) + " must be a string");
  return row[key];
}

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}

// Copies the row's fields that the task did not take into its metadata.
void keep_rest(Task& t, const json& row, std::initializer_list<const char*> taken) {
  for (auto it = row.begin(); it != row.end(); ++it) {
    bool used = false;
    for (const char* k : taken) used = used || it.key() == k;
    if (!used) t.metadata[it.key()] = it.value();
  }
}

std::string id_or(const json& row, const char* key, const std::string& fallback) {
  if (!row.contains(key)) return fallback;
  return row[key].is_string() ? row[key].get<std::string>() : row[key].dump();
}

json io_tests(const json& inputs, const json& outputs, const std::string& where) {
  if (!inputs.is_array() || !outputs.is_array() || inputs.size() != outputs.size())
    throw InvalidRequest(where + ": inputs and outputs must be lists of the same length");
  json tests = json::array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto text = [&](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    tests.push_back({{"input", text(inputs[i])}, {"output", text(outputs[i])}});
  }
  return tests;
}

Task gsm8k(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Math;
  t.id = id_or(row, "id", "gsm8k-" + std::to_string(line));
  t.prompt = str(row, "question");
  std::string answer = str(row, "answer");
  auto mark = answer.rfind("####");
  if (mark == std::string::npos) throw InvalidRequest("answer has no '#### <number>' line");
  t.answer = trim(answer.substr(mark + 4));
  t.solution = trim(answer.substr(0, mark));
  t.source = "gsm8k";
  keep_rest(t, row, {"id", "question", "answer"});
  return t;
}

Task math(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Math;
  t.id = id_or(row, "id", "math-" + std::to_string(line));
  t.prompt = str(row, "problem");
  t.solution = str(row, "solution");
  t.answer = row.contains("answer") && row["answer"].is_string() ? row["answer"].get<std::string>()
                                                                 : last_boxed(t.solution);
  if (t.answer.empty()) throw InvalidRequest("solution has no \\boxed{...} answer");
  if (row.contains("level") && row["level"].is_string()) {
    t.difficulty_bucket = row["level"];
    auto digit = t.difficulty_bucket.find_first_of("0123456789");
    if (digit != std::string::npos) t.difficulty = std::stod(t.difficulty_bucket.substr(digit));
  }
  t.source = "math";
  keep_rest(t, row, {"id", "problem", "solution", "answer", "level"});
  return t;
}

Task humaneval(const json& row, size_t) {
  Task t;
  t.kind = Kind::Code;
  t.id = str(row, "task_id");
  t.prompt = str(row, "prompt");
  t.language = "python3";
  t.solution = t.prompt + str(row, "canonical_solution");
  t.tests = {{"harness",
              {{"entry_point", str(row, "entry_point")},
               {"setup", str(row, "test")},
               {"tests", {"check(candidate)"}}}}};
  t.source = "humaneval";
  keep_rest(t, row, {"task_id", "prompt", "canonical_solution", "test", "entry_point"});
  return t;
}

Task mbpp(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Code;
  t.id = "mbpp-" + id_or(row, "task_id", std::to_string(line));
  std::string text = str(row, "text");
  if (!row.contains("test_list") || !row["test_list"].is_array() || row["test_list"].empty())
    throw InvalidRequest("test_list must be a non-empty list");
  std::string shown;
  for (const auto& test : row["test_list"]) {
    if (!test.is_string()) throw InvalidRequest("test_list must hold strings");
    shown += test.get<std::string>() + "\n";
  }
  t.prompt = text + "\nYour code should pass these tests:\n" + shown;
  t.language = "python3";
  t.solution =
      row.contains("code") && row["code"].is_string() ? row["code"].get<std::string>() : "";
  std::string setup = row.contains("test_setup_code") && row["test_setup_code"].is_string()
                          ? row["test_setup_code"].get<std::string>()
                          : "";
  t.tests = {{"harness", {{"setup", setup}, {"tests", row["test_list"]}}}};
  t.source = "mbpp";
  keep_rest(t, row, {"task_id", "text", "code", "test_list", "test_setup_code"});
  return t;
}

Task apps(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Code;
  t.id = "apps-" + id_or(row, "problem_id", std::to_string(line));
  t.prompt = str(row, "question");
  json io =
      row.contains("input_output") && row["input_output"].is_string()
          ? parse_json_input_or_discarded(row["input_output"].get<std::string>(), "input_output")
          : row.value("input_output", json());
  if (io.is_discarded() || !io.is_object())
    throw InvalidRequest("input_output must hold a JSON object");
  if (io.contains("fn_name"))
    throw InvalidRequest(
        "input_output.fn_name: call-based APPS problems are not supported; only stdin/stdout ones");
  t.tests = {
      {"tests", io_tests(io.value("inputs", json()), io.value("outputs", json()), "input_output")}};
  if (row.contains("solutions")) {
    json solutions =
        row["solutions"].is_string()
            ? parse_json_input_or_discarded(row["solutions"].get<std::string>(), "solutions")
            : row["solutions"];
    if (solutions.is_array() && !solutions.empty() && solutions[0].is_string()) {
      t.solution = solutions[0];
      t.language = "python3";  // APPS solutions are Python
    }
  }
  if (row.contains("difficulty") && row["difficulty"].is_string())
    t.difficulty_bucket = row["difficulty"];
  t.source = "apps";
  keep_rest(t, row, {"problem_id", "question", "input_output", "solutions", "difficulty"});
  return t;
}

Task codecontests(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Code;
  t.id = "codecontests-" + id_or(row, "name", std::to_string(line));
  t.prompt = str(row, "description");
  json tests = json::array();
  for (const char* key : {"public_tests", "private_tests"})
    if (row.contains(key) && row[key].is_object())
      for (auto& test : io_tests(row[key].value("input", json::array()),
                                 row[key].value("output", json::array()), key))
        tests.push_back(test);
  if (tests.empty()) throw InvalidRequest("public_tests/private_tests hold no test");
  t.tests = {{"tests", tests}};
  // CodeContests language codes: 1 Python 2, 2 C++, 3 Python 3, 4 Java. Prefer Python 3.
  if (row.contains("solutions") && row["solutions"].is_object()) {
    const json& langs = row["solutions"].value("language", json::array());
    const json& codes = row["solutions"].value("solution", json::array());
    for (int want : {3, 2, 4})
      for (size_t i = 0; i < langs.size() && i < codes.size() && t.solution.empty(); ++i)
        if (langs[i].is_number() && langs[i].get<int>() == want && codes[i].is_string()) {
          t.solution = codes[i];
          t.language = want == 3 ? "python3" : want == 2 ? "cpp" : "java";
        }
  }
  if (row.contains("difficulty") && row["difficulty"].is_number())
    t.difficulty = row["difficulty"].get<double>();
  t.source = "codecontests";
  keep_rest(t, row,
            {"name", "description", "public_tests", "private_tests", "solutions", "difficulty"});
  return t;
}

Task verl(const json& row, size_t line) {
  Task t;
  if (!row.contains("prompt") || !row["prompt"].is_array() || row["prompt"].empty())
    throw InvalidRequest("prompt must be a non-empty list of {role, content}");
  t.messages = row["prompt"];
  for (const auto& m : t.messages) {
    if (!m.is_object() || !m.contains("content") || !m["content"].is_string())
      throw InvalidRequest("prompt must be a list of {role, content}");
    if (m.value("role", "") == "user") t.prompt = m["content"];
  }
  if (t.prompt.empty()) t.prompt = t.messages.back()["content"];
  if (!row.contains("reward_model") || !row["reward_model"].is_object() ||
      !row["reward_model"].contains("ground_truth"))
    throw InvalidRequest("reward_model.ground_truth is required");
  const json& truth = row["reward_model"]["ground_truth"];
  std::string ability = row.value("ability", "math");
  t.kind = ability.find("code") != std::string::npos ? Kind::Code : Kind::Math;
  if (t.kind == Kind::Math) {
    t.answer = truth.is_string() ? truth.get<std::string>() : truth.dump();
  } else {
    json gt = truth.is_string() ? parse_json_input_or_discarded(truth.get<std::string>(),
                                                                "reward_model.ground_truth")
                                : truth;
    if (gt.is_discarded() || !gt.is_object())
      throw InvalidRequest("reward_model.ground_truth must hold the tests");
    t.tests = {{"tests",
                io_tests(gt.value("inputs", json()), gt.value("outputs", json()), "ground_truth")}};
  }
  t.source = row.value("data_source", "verl");
  const json& extra = row.value("extra_info", json::object());
  t.id = t.source + "-" +
         (extra.contains("index") ? (extra["index"].is_string() ? extra["index"].get<std::string>()
                                                                : extra["index"].dump())
                                  : std::to_string(line));
  keep_rest(t, row, {"prompt", "reward_model", "data_source"});
  return t;
}

Task reasoning_gym(const json& row, size_t line) {
  Task t;
  t.kind = Kind::Math;
  t.prompt = str(row, "question");
  const json& answer = row.contains("answer") ? row["answer"] : json();
  if (answer.is_null()) throw InvalidRequest("answer is required");
  t.answer = answer.is_string() ? answer.get<std::string>() : answer.dump();
  const json& meta = row.value("metadata", json::object());
  t.source = meta.contains("source_dataset") && meta["source_dataset"].is_string()
                 ? meta["source_dataset"].get<std::string>()
                 : "reasoning_gym";
  t.id = t.source + "-" +
         (meta.contains("source_index") ? meta["source_index"].dump() : std::to_string(line));
  if (meta.contains("difficulty") && meta["difficulty"].is_number())
    t.difficulty = meta["difficulty"].get<double>();
  keep_rest(t, row, {"question", "answer"});
  return t;
}

}  // namespace

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> formats = {"gsm8k", "math",          "humaneval",
                                                   "mbpp",  "apps",          "codecontests",
                                                   "verl",  "reasoning_gym", "crucible"};
  return formats;
}

std::string last_boxed(const std::string& text) {
  size_t best = std::string::npos;
  for (const char* macro : {"\\boxed{", "\\fbox{"}) {
    auto at = text.rfind(macro);
    if (at != std::string::npos && (best == std::string::npos || at > best)) best = at;
  }
  if (best == std::string::npos) return "";
  size_t open = text.find('{', best);
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return text.substr(open + 1, i - open - 1);
  }
  return "";  // unbalanced
}

Task load_record(const std::string& format, const json& row, size_t line) {
  if (!row.is_object()) throw InvalidRequest("the row must be a JSON object");
  Task t;
  if (format == "gsm8k")
    t = gsm8k(row, line);
  else if (format == "math")
    t = math(row, line);
  else if (format == "humaneval")
    t = humaneval(row, line);
  else if (format == "mbpp")
    t = mbpp(row, line);
  else if (format == "apps")
    t = apps(row, line);
  else if (format == "codecontests")
    t = codecontests(row, line);
  else if (format == "verl")
    t = verl(row, line);
  else if (format == "reasoning_gym")
    t = reasoning_gym(row, line);
  else if (format == "crucible")
    return Task::from_json(row);
  else {
    std::string known;
    for (const auto& f : known_formats()) known += (known.empty() ? "" : ", ") + f;
    throw InvalidRequest("unknown format '" + format + "'; known: " + known);
  }
  json check = t;  // every loader's output passes the same validation as a native file
  if (auto errors = validate(check); !errors.empty()) throw InvalidRequest(errors.front());
  return t;
}

}  // namespace crucible::tasks
