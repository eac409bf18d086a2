// Loaders from the public dataset formats to Task, one row at a time:
//   gsm8k          {question, answer: "...#### 72"}
//   math           {problem, solution with \boxed{...}, level, type}
//   humaneval      {task_id, prompt, canonical_solution, test, entry_point}
//   mbpp           {task_id, text, code, test_list, test_setup_code}
//   apps           {problem_id, question, solutions: "<json list>", input_output: "<json>",
//                   difficulty, starter_code}
//   codecontests   {name, description, public_tests, private_tests, generated_tests,
//                   solutions: {language[], solution[]}, difficulty}
//   verl           {data_source, prompt: [{role, content}], ability,
//                   reward_model: {ground_truth}, extra_info}
//   reasoning_gym  {question, answer, metadata}
//   crucible       the Task shape itself
// Fields a format has beyond what Task holds are kept in metadata.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace crucible::tasks {

const std::vector<std::string>& known_formats();

// Converts one row; `line` numbers ids that the row does not carry. Throws InvalidRequest
// naming the missing or malformed field.
Task load_record(const std::string& format, const nlohmann::json& row, size_t line);

// The content of the last balanced \boxed{...} (or \fbox{...}); "" when there is none.
std::string last_boxed(const std::string& text);

}  // namespace crucible::tasks
