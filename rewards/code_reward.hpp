// Rewards for code: the program is taken from the completion (the last fenced block),
// judged against the task's tests, and the judge's result becomes a reward.
//
//   CodeRewardOptions o;                     // mode: binary | fraction | graded
//   Reward r = code_reward(judge_result, o);
//   Reward r = code_task_reward(task, completion, judge, o);   // extract, judge, score
//
// A SandboxError is never a reward: the sample is invalid and excluded from its group.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "rewards/reward.hpp"
#include "sandbox/judge/judge.hpp"
#include "tasks/task.hpp"

namespace crucible::rewards {

enum class CodeRewardMode {
  Binary,    // 1 when every test passes, else 0
  Fraction,  // passed / total (0 on a compile error)
  Graded,    // a value per verdict (graded_values), 1 for accepted
};

struct CodeRewardOptions {
  CodeRewardMode mode = CodeRewardMode::Binary;
  // Graded mode: the reward of a submission whose final verdict is the key.
  std::map<sandbox::Verdict, double> graded_values = {
      {sandbox::Verdict::Accepted, 1.0},     {sandbox::Verdict::WrongAnswer, 0.2},
      {sandbox::Verdict::TimeLimit, 0.1},    {sandbox::Verdict::MemoryLimit, 0.1},
      {sandbox::Verdict::OutputLimit, 0.1},  {sandbox::Verdict::RuntimeError, 0.1},
      {sandbox::Verdict::CompileError, 0.0}, {sandbox::Verdict::SecurityViolation, 0.0},
  };
  sandbox::Limits limits;  // for each test run

  // {"mode": "graded", "graded_values": {"WrongAnswer": 0.3, ...}}; names bad fields.
  static CodeRewardOptions from_json(const nlohmann::json& j);
};

Reward code_reward(const sandbox::judge::JudgeResult& result, const CodeRewardOptions& options);

struct ExtractedCode {
  std::string source;
  std::string language;  // from the fence's info string ("python" -> "python3"); "" when none
};

// The last fenced code block of a completion (after </think> when there is one; an
// "output" block, a tool's observation, is no program), or nothing when it has no fence.
std::optional<ExtractedCode> extract_code(std::string_view completion);

// The judge's submission for a program written for `task`: the task's tests, in the task's
// language (or the fence's, or detection), within `options.limits` unless the task sets
// its own. Throws InvalidRequest when the task's tests are malformed.
sandbox::judge::Submission code_submission(const tasks::Task& task, const ExtractedCode& code,
                                           const CodeRewardOptions& options);

// Extracts the program, judges it against `task.tests` in the task's language (or the
// fence's, or detection) and scores the result. No program in the completion scores 0
// with reason "no_code".
Reward code_task_reward(const tasks::Task& task, std::string_view completion,
                        sandbox::judge::Judge& judge, const CodeRewardOptions& options);

}  // namespace crucible::rewards
