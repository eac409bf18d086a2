#include "cli/judge_spec.hpp"

#include "base/error.hpp"
#include "cli/flags.hpp"
#include "sandbox/service/access.hpp"

namespace crucible::cli {

JudgeSpec make_judge(bool needed, const std::optional<std::string>& endpoints) {
  JudgeSpec spec;
  if (!needed) return spec;
  std::vector<std::string> list;
  if (endpoints) {
    list = split_list(*endpoints);
    if (list.empty()) throw InvalidRequest("--sandbox: give http://host:port[,...]");
  } else {
    spec.sandbox = std::make_unique<sandbox::Sandbox>();
  }
  auto access = sandbox::service::sandbox_access(list, spec.sandbox.get());  // checks them
  spec.judge = std::move(access.judge);
  spec.tool_calls = std::move(access.tool_calls);
  spec.client = std::move(access.client);
  return spec;
}

bool has_code(const std::vector<tasks::Task>& tasks) {
  for (const auto& t : tasks)
    if (t.kind == tasks::Kind::Code) return true;
  return false;
}

}  // namespace crucible::cli
