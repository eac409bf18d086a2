// A HumanEval-shaped record (prompt, completion, test, entry point) as MultiPL-E ships them in
// every language, read the way `crucible judge` reads a record.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sandbox/judge/formats.hpp"

namespace crucible::testing {

inline sandbox::judge::Submission humaneval_record(const std::string& language,
                                                   const std::string& prompt,
                                                   const std::string& completion,
                                                   const std::string& test,
                                                   const std::string& entry_point) {
  const nlohmann::json record = {{"task_id", "HumanEval_53_" + entry_point},
                                 {"language", language},
                                 {"prompt", prompt},
                                 {"completion", completion},
                                 {"test", test},
                                 {"entry_point", entry_point}};
  return sandbox::judge::record_from_json(record).submission;
}

// HumanEval-X's Java/2 as CodeGeeX ships it: its prompt, which is also its declaration.
inline constexpr const char* kHumanEvalXJava2Prompt =
    "import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n"
    "    public double truncateNumber(double number) {\n";

}  // namespace crucible::testing
