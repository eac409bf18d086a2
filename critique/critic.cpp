#include "critique/critic.hpp"

#include "base/error.hpp"
#include "critique/arithmetic_critic.hpp"
#include "critique/execution_critic.hpp"
#include "critique/model_critic.hpp"

namespace crucible::critique {

std::unique_ptr<Critic> make_critic(const std::string& name, const CriticResources& resources) {
  if (name == "arithmetic") return std::make_unique<ArithmeticCritic>(resources.use_reference);
  if (name == "execution") {
    if (!resources.judge) throw InvalidRequest("critic \"execution\" needs the sandbox");
    return std::make_unique<ExecutionCritic>(*resources.judge, ExecutionCriticOptions{});
  }
  if (name == "model") {
    if (!resources.model) throw InvalidRequest("critic \"model\" needs a policy to ask");
    policy::SamplingParams params;
    params.temperature = 0;
    params.max_tokens = 512;
    return std::make_unique<ModelCritic>(*resources.model, params);
  }
  throw InvalidRequest("unknown critic \"" + name + "\" (known: arithmetic, execution, model)");
}

}  // namespace crucible::critique
