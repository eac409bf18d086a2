// The execution critic for code: the program is taken from the completion (its last fenced
// block), judged against the task's tests, and what the run says becomes the critique:
// compiler errors and a runtime error on the lines they name (those lines are wrong),
// static-analysis findings as notes on their lines, and the first failing test (input, expected,
// actual, verdict) as the verdict on the final answer. Steps are the program's lines.
//
//   Critique c = critique_execution(task, completion, judge, {});
//   Critique c = critique_judged(completion, code, judge_result, "main.py");  // no run
#pragma once

#include <string>

#include "critique/critic.hpp"
#include "rewards/code_reward.hpp"
#include "sandbox/judge/judge.hpp"

namespace crucible::critique {

struct ExecutionCriticOptions {
  bool analysis = true;  // run the language's static analyzer too
  rewards::CodeRewardOptions code;
};

// Runs the program. A failure of the sandbox itself is thrown (SandboxFailure), never
// turned into a critique of the program.
Critique critique_execution(const tasks::Task& task, const std::string& completion,
                            sandbox::judge::Judge& judge, const ExecutionCriticOptions& options);

// The mapping alone: a judged program's result as a critique. `source_file` is the file
// name the program had in the jail ("main.py"; "Main.java"), which traces name.
Critique critique_judged(const std::string& completion, const rewards::ExtractedCode& code,
                         const sandbox::judge::JudgeResult& result, const std::string& source_file);

class ExecutionCritic : public Critic {
 public:
  ExecutionCritic(sandbox::judge::Judge& judge, ExecutionCriticOptions options)
      : judge_(judge), options_(std::move(options)) {}
  Critique critique(const tasks::Task& task, const std::string& completion) override {
    return critique_execution(task, completion, judge_, options_);
  }
  std::string name() const override { return "execution"; }

 private:
  sandbox::judge::Judge& judge_;
  ExecutionCriticOptions options_;
};

}  // namespace crucible::critique
