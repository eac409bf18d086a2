// The sandbox as rollouts and training use it, bound once: a judge for code rewards, a
// runner of reference programs (the expected outputs of generated code tasks) and a runner
// of the policy's tool calls, either on this host's jail or spread over `crucible serve`
// endpoints.
//
//   SandboxAccess a = sandbox_access(config.remote.sandbox_endpoints, &local_sandbox);
//   SelfTrainer t(config, dir, false, {a.judge.get(), a.reference_outputs});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sandbox/judge/judge.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/service/client.hpp"
#include "tasks/generators.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::sandbox::service {

struct SandboxAccess {
  std::unique_ptr<judge::Judge> judge;       // null when there is no sandbox at all
  tasks::ReferenceRunner reference_outputs;  // empty when there is no sandbox at all
  tasks::ToolRunner tool_calls;              // under tool_call_limits(); empty likewise
  std::unique_ptr<SandboxClient> client;     // the endpoints' client (remote access only)
};

// A tool call's limits: 2 s of CPU, 5 s wall, 256 MiB, 16 processes, 64 KiB of output.
Limits tool_call_limits();

// Remote when `endpoints` is not empty, else `local` (which may be null: math tasks only).
SandboxAccess sandbox_access(const std::vector<std::string>& endpoints, Sandbox* local);

}  // namespace crucible::sandbox::service
