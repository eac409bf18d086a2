#include "cli/policy_spec.hpp"

#include "base/error.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"

namespace crucible::cli {

std::unique_ptr<policy::Policy> make_policy(const std::string& spec, const std::string& model) {
  if (spec.rfind("native:", 0) == 0) return std::make_unique<policy::NativePolicy>(spec.substr(7));
  if (spec.rfind("openai:", 0) == 0) {
    if (model.empty()) throw InvalidRequest("openai:URL needs --model NAME");
    return std::make_unique<policy::HttpPolicy>(
        policy::HttpPolicyOptions{.base_url = spec.substr(7), .model = model});
  }
  throw InvalidRequest("a policy must be native:CKPT or openai:URL (got '" + spec + "')");
}

}  // namespace crucible::cli
