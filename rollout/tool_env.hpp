// An environment for external trainers (`crucible serve`'s /v1/env/*, Python's
// crucible.Env): a task in, the prompt out; then the policy's text in, and either the
// output of the tool call it ends with (the protocol of tool_turns.hpp) or, when it ends
// without one, the reward of the whole transcript. Episodes are held server-side, at most
// `max_sessions` at once, each dropped `ttl` after its last use.
//
//   ToolEnvironment env(options);
//   json first = env.reset({{"task", task_json}});                 // {"session_id", "observation"}
//   json next = env.step({{"session_id", id}, {"action", text}}, scorer, runner);
//   // {"observation", "reward", "done", "turn", ...}
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "rewards/scorer.hpp"
#include "rollout/tool_turns.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

struct EnvOptions {
  ToolOptions tools;  // max_turns, max_output_bytes, languages (max_tokens is the client's)
  size_t max_sessions = 1024;
  std::chrono::seconds ttl{600};
  // Memory is bounded by max_sessions x max_transcript_bytes (64 MiB by default).
  size_t max_action_bytes = 32 << 10;      // one step's text
  size_t max_transcript_bytes = 64 << 10;  // an episode's, prompt and observations included
};

class ToolEnvironment {
 public:
  explicit ToolEnvironment(EnvOptions options = {});

  // {"task": a task (tasks/task.hpp's JSON), "template": prompt template (default
  // "plain")} -> {"session_id", "observation" (the rendered prompt), "done": false,
  // "max_turns", "languages", "ttl_seconds"}. Busy when max_sessions are open.
  nlohmann::json reset(const nlohmann::json& request);

  // {"session_id", "action": the policy's text since the last observation} ->
  //   ends with a tool call: {"observation": the output and closing fence, "reward": 0,
  //                           "done": false, "turn", "call": {language, verdict, seconds}}
  //   otherwise (or no tool turns left): {"observation": "", "reward", "done": true,
  //                           "turn", "verdict", "valid": true, "reward_details"}
  //   a sandbox failure in the call: {"done": true, "valid": false, "reward": null, "error"}
  // NotFound for an unknown or expired session; the session ends when done.
  nlohmann::json step(const nlohmann::json& request, const rewards::Scorer& score,
                      const ToolRunner& run);

 private:
  using Clock = std::chrono::steady_clock;
  struct Session {
    tasks::Task task;
    std::string transcript;  // everything after the prompt
    Notebook book;
    size_t turns = 0;
    Clock::time_point last_used;
    bool busy = false;  // a step is running
  };
  std::shared_ptr<Session> checkout(const std::string& id);
  void drop_expired(Clock::time_point now);

  EnvOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace crucible::rollout
