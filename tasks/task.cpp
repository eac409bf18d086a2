#include "tasks/task.hpp"

#include "base/error.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

const char* const kKnown[] = {"id",       "kind",    "prompt",   "messages",   "answer",
                              "solution", "tests",   "language", "difficulty", "difficulty_bucket",
                              "source",   "metadata"};

bool known(const std::string& key) {
  for (const char* k : kKnown)
    if (key == k) return true;
  return false;
}

void check_string(const json& j, const char* key, bool required, std::vector<std::string>& errors) {
  if (!j.contains(key)) {
    if (required) errors.push_back(std::string(key) + ": is required");
    return;
  }
  if (!j[key].is_string()) errors.push_back(std::string(key) + ": must be a string");
}

}  // namespace

const char* kind_name(Kind k) {
  return k == Kind::Math ? "math" : "code";
}

std::vector<std::string> validate(const json& j) {
  std::vector<std::string> errors;
  if (!j.is_object()) return {"the record must be a JSON object"};
  check_string(j, "id", true, errors);
  if (j.contains("id") && j["id"].is_string() && j["id"].get<std::string>().empty())
    errors.push_back("id: must not be empty");
  if (!j.contains("kind") || !j["kind"].is_string() || (j["kind"] != "math" && j["kind"] != "code"))
    errors.push_back("kind: must be \"math\" or \"code\"");
  check_string(j, "prompt", true, errors);
  if (j.contains("prompt") && j["prompt"].is_string() && j["prompt"].get<std::string>().empty())
    errors.push_back("prompt: must not be empty");
  for (const char* key : {"answer", "solution", "language", "difficulty_bucket", "source"})
    check_string(j, key, false, errors);
  if (j.contains("messages") && !j["messages"].is_null()) {
    if (!j["messages"].is_array()) {
      errors.push_back("messages: must be a list of {role, content}");
    } else {
      for (size_t i = 0; i < j["messages"].size(); ++i) {
        const json& m = j["messages"][i];
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string() ||
            !m.contains("content") || !m["content"].is_string())
          errors.push_back("messages[" + std::to_string(i) + "]: must be {role, content} strings");
      }
    }
  }
  if (j.contains("difficulty") && !j["difficulty"].is_null() && !j["difficulty"].is_number())
    errors.push_back("difficulty: must be a number");
  if (j.contains("metadata") && !j["metadata"].is_object())
    errors.push_back("metadata: must be an object");
  bool math = j.contains("kind") && j["kind"] == "math";
  bool code = j.contains("kind") && j["kind"] == "code";
  if (math &&
      (!j.contains("answer") || !j["answer"].is_string() || j["answer"].get<std::string>().empty()))
    errors.push_back("answer: a math task needs a non-empty reference answer");
  if (code) {
    if (!j.contains("tests") || !j["tests"].is_object())
      errors.push_back("tests: a code task needs an object with tests, harness or checker");
    else if (!j["tests"].contains("tests") && !j["tests"].contains("harness"))
      errors.push_back("tests: must hold \"tests\" (stdin/stdout) or \"harness\" (function calls)");
  }
  return errors;
}

Task Task::from_json(const json& j) {
  auto errors = validate(j);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
    throw InvalidRequest(all);
  }
  Task t;
  t.id = j["id"];
  t.kind = j["kind"] == "math" ? Kind::Math : Kind::Code;
  t.prompt = j["prompt"];
  t.messages = j.value("messages", json());
  t.answer = j.value("answer", "");
  t.solution = j.value("solution", "");
  t.tests = j.value("tests", json());
  t.language = j.value("language", "");
  if (j.contains("difficulty") && j["difficulty"].is_number())
    t.difficulty = j["difficulty"].get<double>();
  t.difficulty_bucket = j.value("difficulty_bucket", "");
  t.source = j.value("source", "");
  t.metadata = j.value("metadata", json::object());
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known(it.key())) t.metadata[it.key()] = it.value();  // preserved, never dropped
  return t;
}

void to_json(json& j, const Task& t) {
  j = {{"id", t.id}, {"kind", kind_name(t.kind)}, {"prompt", t.prompt}};
  if (!t.messages.is_null()) j["messages"] = t.messages;
  if (!t.answer.empty()) j["answer"] = t.answer;
  if (!t.solution.empty()) j["solution"] = t.solution;
  if (!t.tests.is_null()) j["tests"] = t.tests;
  if (!t.language.empty()) j["language"] = t.language;
  if (t.difficulty) j["difficulty"] = *t.difficulty;
  if (!t.difficulty_bucket.empty()) j["difficulty_bucket"] = t.difficulty_bucket;
  if (!t.source.empty()) j["source"] = t.source;
  j["metadata"] = t.metadata;
}

}  // namespace crucible::tasks
