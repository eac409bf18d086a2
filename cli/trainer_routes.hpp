// The routes `crucible serve` adds for trainers beside the sandbox's own API: OpenRLHF's
// remote reward endpoint (answered by the reward library) and the environment of
// tool-integrated rollouts (rollout/tool_env.hpp), whose episodes `env` holds.
//
//   options.extra_routes = trainer_routes(std::make_shared<rollout::ToolEnvironment>());
#pragma once

#include <memory>
#include <vector>

#include "rollout/tool_env.hpp"
#include "sandbox/service/service.hpp"

namespace crucible::cli {

//   POST /get_reward     {query, prompts, labels} -> {rewards, scores, extra_logs}
//   POST /v1/env/reset   {task, template?} -> {session_id, observation, ...}
//   POST /v1/env/step    {session_id, action} -> {observation, reward, done, ...}
std::vector<sandbox::service::ExtraRoute> trainer_routes(
    std::shared_ptr<rollout::ToolEnvironment> env);

}  // namespace crucible::cli
