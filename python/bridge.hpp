// The Python package's view of Crucible: every call takes and returns JSON text, so the
// binding layer (module.cpp) stays a thin list of functions and the Python side converts
// with the json module. Each function names a bad argument with InvalidRequest.
//
//   std::string r = bridge::verify("\\frac12", "the answer is 0.5", "{}");
#pragma once

#include <memory>
#include <string>

#include "sandbox/judge/judge.hpp"
#include "sandbox/sandbox.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::rollout {
class ToolEnvironment;
}

namespace crucible::python {

std::string verify(const std::string& gold, const std::string& pred, const std::string& options);
std::string explain(const std::string& gold, const std::string& pred, const std::string& options);

std::string math_reward(const std::string& reference, const std::string& completion,
                        const std::string& options);
std::string format_reward(const std::string& completion, const std::string& spec);
double overlong_penalty(size_t completion_tokens, const std::string& spec);
std::string group_advantages(const std::string& rewards, const std::string& mode);
std::string serial_rewards(const std::string& correct, const std::string& schedule);

std::string generate_tasks(const std::string& family, size_t count, int difficulty,
                           unsigned long long seed);
std::string load_tasks(const std::string& format, const std::string& path);

// One jail helper and compile cache for many calls, from many threads.
class SandboxHandle {
 public:
  explicit SandboxHandle(const std::string& cache_dir);
  // {language, source, stdin, limits, filename} -> the outcome.
  std::string run(const std::string& request);
  // A submission in any shape the judge reads (native, HumanEval, MBPP, APPS) -> the result.
  std::string judge(const std::string& submission);
  // A code task and a completion (its last fenced block is the program) -> the reward.
  std::string code_reward(const std::string& task, const std::string& completion,
                          const std::string& options);
  // rewards::judge_against_tests: the judge's result, or null when there is no program.
  std::string judge_tests(const std::string& completion, const std::string& tests,
                          const std::string& limits);
  // Labels tasks with a policy ({"checkpoint": dir} or {"url", "model"} of an
  // OpenAI-compatible server) into a reward-labeled JSONL file (resumable); the summary.
  std::string label(const std::string& tasks, const std::string& policy, const std::string& options,
                    const std::string& reward, const std::string& out_path);

 private:
  friend class EnvHandle;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<sandbox::judge::Judge> judge_;
};

// Tool-integrated episodes (rollout/tool_env.hpp) whose calls run in a SandboxHandle's jail.
class EnvHandle {
 public:
  // {"max_turns", "languages", "max_output_bytes", "max_sessions", "ttl_seconds"}
  EnvHandle(SandboxHandle& sandbox, const std::string& options);
  ~EnvHandle();
  std::string reset(const std::string& request);
  std::string step(const std::string& request);

 private:
  SandboxHandle& box_;
  std::unique_ptr<rollout::ToolEnvironment> env_;
  tasks::ToolRunner run_;
};

}  // namespace crucible::python
