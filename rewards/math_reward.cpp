#include "rewards/math_reward.hpp"

#include "rewards/math/verifier.hpp"

namespace crucible::rewards {

Reward math_reward(std::string_view reference, std::string_view completion,
                   const math::VerifyOptions& options) {
  math::Verification v = math::verify(reference, completion, options);
  nlohmann::json details = v;
  if (v.status == math::VerifyStatus::UnparseableGold || v.status == math::VerifyStatus::Timeout)
    return Reward::invalid(math::status_name(v.status), std::move(details));
  Reward r;
  r.value = v.correct ? 1 : 0;
  r.verdict = math::status_name(v.status);
  r.reason = v.reason;
  r.details = std::move(details);
  return r;
}

}  // namespace crucible::rewards
