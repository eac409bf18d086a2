#include "cli/judge_spec.hpp"

#include "sandbox/service/remote_judge.hpp"

namespace crucible::cli {

JudgeSpec make_judge(bool needed, const std::optional<std::string>& endpoints) {
  JudgeSpec spec;
  if (!needed) return spec;
  if (endpoints) {
    sandbox::service::ClientOptions options;
    size_t start = 0;
    while (start <= endpoints->size()) {
      size_t comma = endpoints->find(',', start);
      if (comma == std::string::npos) comma = endpoints->size();
      if (comma > start) options.endpoints.push_back(endpoints->substr(start, comma - start));
      start = comma + 1;
    }
    spec.judge = std::make_unique<sandbox::service::RemoteJudge>(options);  // checks them
    return spec;
  }
  spec.sandbox = std::make_unique<sandbox::Sandbox>();
  spec.judge = std::make_unique<sandbox::judge::Judge>(*spec.sandbox);
  return spec;
}

bool has_code(const std::vector<tasks::Task>& tasks) {
  for (const auto& t : tasks)
    if (t.kind == tasks::Kind::Code) return true;
  return false;
}

}  // namespace crucible::cli
