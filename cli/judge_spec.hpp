// The judge a command runs programs with: this host's sandbox, or the `crucible serve`
// endpoints named by --sandbox URL[,URL...] (load spread across them).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/judge/judge.hpp"
#include "tasks/task.hpp"

namespace crucible::cli {

struct JudgeSpec {
  std::unique_ptr<sandbox::Sandbox> sandbox;  // only for the local judge
  std::unique_ptr<sandbox::judge::Judge> judge;
};

// Nothing when not `needed`; InvalidRequest names a bad endpoint.
JudgeSpec make_judge(bool needed, const std::optional<std::string>& endpoints);

bool has_code(const std::vector<tasks::Task>& tasks);

}  // namespace crucible::cli
