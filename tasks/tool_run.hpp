// A program run for a policy's tool call (tool-integrated rollouts, rollout/tool_turns.hpp):
// what it printed, the sandbox's verdict and how long it took. The runner is bound to the
// sandbox by the caller (sandbox/service/access.hpp), like the ReferenceRunner of generated
// code tasks, so rollouts reach the sandbox only through it.
#pragma once

#include <functional>
#include <string>

namespace crucible::tasks {

struct ToolRun {
  std::string stdout_data, stderr_data;
  std::string verdict;  // the sandbox's: Accepted, RuntimeError, TimeLimit, ...
  double seconds = 0;
};

// Runs `source` in `language` under the tool's per-call limits; throws SandboxFailure when
// the sandbox itself failed (the sample is then invalid, never scored 0).
using ToolRunner = std::function<ToolRun(const std::string& language, const std::string& source)>;

}  // namespace crucible::tasks
