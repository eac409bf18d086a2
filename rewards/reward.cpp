#include "rewards/reward.hpp"

namespace crucible::rewards {

Reward Reward::invalid(std::string reason, nlohmann::json details) {
  Reward r;
  r.verdict = "invalid";
  r.reason = std::move(reason);
  r.details = std::move(details);
  r.valid = false;
  return r;
}

void to_json(nlohmann::json& j, const Reward& r) {
  j = {{"value", r.value}, {"verdict", r.verdict}, {"reason", r.reason}, {"valid", r.valid}};
  if (!r.details.empty()) j["details"] = r.details;
}

}  // namespace crucible::rewards
