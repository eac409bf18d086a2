#include "cli/trainer_routes.hpp"

#include "rewards/remote_reward.hpp"
#include "rewards/scorer.hpp"
#include "sandbox/judge/judge.hpp"
#include "sandbox/service/access.hpp"

namespace crucible::cli {

using nlohmann::json;

std::vector<sandbox::service::ExtraRoute> trainer_routes(
    std::shared_ptr<rollout::ToolEnvironment> env) {
  std::vector<sandbox::service::ExtraRoute> routes;
  routes.push_back({"/get_reward", "POST", true, [](const json& body, sandbox::Sandbox& sandbox) {
                      sandbox::judge::Judge judge(sandbox);
                      return rewards::openrlhf_rewards(body, judge, 2);
                    }});
  // A reset runs no code; a step may (the tool call, or the judge of a code task).
  routes.push_back({"/v1/env/reset", "POST", false,
                    [env](const json& body, sandbox::Sandbox&) { return env->reset(body); }});
  routes.push_back(
      {"/v1/env/step", "POST", true, [env](const json& body, sandbox::Sandbox& sandbox) {
         sandbox::judge::Judge judge(sandbox);
         auto access = sandbox::service::sandbox_access({}, &sandbox);
         return env->step(body, rewards::Scorer({}, &judge), access.tool_calls);
       }});
  return routes;
}

}  // namespace crucible::cli
