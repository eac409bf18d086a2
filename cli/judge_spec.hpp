// The judge a command runs programs with: this host's sandbox, or the `crucible serve`
// endpoints named by --sandbox URL[,URL...] (load spread across them).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/judge/judge.hpp"
#include "sandbox/service/client.hpp"
#include "tasks/task.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::cli {

struct JudgeSpec {
  std::unique_ptr<sandbox::Sandbox> sandbox;  // only for the local judge
  std::unique_ptr<sandbox::judge::Judge> judge;
  tasks::ToolRunner tool_calls;  // the policy's tool calls, in the same sandbox
  std::unique_ptr<sandbox::service::SandboxClient> client;  // the endpoints' (remote only)
};

// Nothing when not `needed`; InvalidRequest names a bad endpoint.
JudgeSpec make_judge(bool needed, const std::optional<std::string>& endpoints);

bool has_code(const std::vector<tasks::Task>& tasks);

}  // namespace crucible::cli
