// Submissions from the public dataset shapes, so their JSONL rows judge as they are:
//   native    {language, source, tests|checker|harness, limits, options} (strict)
//   HumanEval {task_id, prompt, test, entry_point, completion | canonical_solution}
//   HumanEval-X {task_id "CPP/0" | "Java/0" | ..., prompt, declaration, test,
//             generation | completion | canonical_solution} (humaneval_x.hpp)
//   MBPP      {text, code | completion, test_list, test_setup_code}
//   APPS      {inputs[], outputs[]} or {input_output: "<json>"} or CodeContests'
//             {public_tests|private_tests: {input[], output[]}}, with the program in
//             source | solution | completion | code.
// Dataset rows keep their other fields (ignored here); an "id" or "task_id" is echoed.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sandbox/judge/judge.hpp"

namespace crucible::sandbox::judge {

struct Record {
  Submission submission;
  std::string format;  // "native", "humaneval", "humaneval-x", "mbpp", "apps"
  std::string id;      // from "id" or "task_id", if any
};

// Throws InvalidRequest naming what is missing or malformed.
Record record_from_json(const nlohmann::json& j);

}  // namespace crucible::sandbox::judge
