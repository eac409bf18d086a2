// The one task shape every rollout, dataset and training loop starts from.
//
//   Task t = Task::from_json(j);        // throws InvalidRequest naming the field
//   nlohmann::json back = t;            // round trip; unknown fields live in metadata
//
// kind "math": `answer` is the reference answer (a verifier compares against it) and
// `solution` an optional worked rationale. kind "code": `tests` holds what the judge
// understands ({"tests": [...]}, {"harness": {...}} or {"checker": ..., "tests": ...}),
// and `solution` an optional reference program in `language`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace crucible::tasks {

enum class Kind { Math, Code };

struct Task {
  std::string id;
  Kind kind = Kind::Math;
  std::string prompt;
  nlohmann::json messages;  // optional chat form: [{role, content}, ...] (null when absent)
  std::string answer;
  std::string solution;
  nlohmann::json tests;  // code tasks: judge-ready tests (null for math)
  std::string language;  // code tasks: the reference solution's language
  std::optional<double> difficulty;
  std::string difficulty_bucket;  // "easy", "medium", "hard", a level name, ...
  std::string source;
  nlohmann::json metadata = nlohmann::json::object();  // kept verbatim, unknown fields too

  // Strict about known fields' types; unknown top-level fields move into metadata.
  static Task from_json(const nlohmann::json& j);
};

const char* kind_name(Kind k);

void to_json(nlohmann::json& j, const Task& t);

// Every problem of a task record, each naming its field ("prompt: must be a non-empty
// string"); empty when the record is valid.
std::vector<std::string> validate(const nlohmann::json& j);

}  // namespace crucible::tasks
