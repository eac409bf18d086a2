#include "cli/judge_spec.hpp"

#include "base/error.hpp"
#include "sandbox/service/access.hpp"

namespace crucible::cli {

JudgeSpec make_judge(bool needed, const std::optional<std::string>& endpoints) {
  JudgeSpec spec;
  if (!needed) return spec;
  std::vector<std::string> list;
  if (endpoints) {
    size_t start = 0;
    while (start <= endpoints->size()) {
      size_t comma = endpoints->find(',', start);
      if (comma == std::string::npos) comma = endpoints->size();
      if (comma > start) list.push_back(endpoints->substr(start, comma - start));
      start = comma + 1;
    }
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
