#include "rewards/math_reward.hpp"

#include "rewards/math/extract.hpp"
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

std::optional<std::string> majority_answer(const std::vector<std::string>& completions,
                                           const math::VerifyOptions& options) {
  std::vector<std::pair<std::string, size_t>> groups;  // representative, count
  for (const auto& c : completions) {
    auto x = math::extract_answer(c, {});
    if (x.method.empty()) continue;
    bool placed = false;
    for (auto& [rep, count] : groups)
      if (rep == x.answer || math::verify(rep, x.answer, options).correct) {
        ++count;
        placed = true;
        break;
      }
    if (!placed) groups.push_back({x.answer, 1});
  }
  if (groups.empty()) return std::nullopt;
  size_t best = 0;
  for (size_t i = 1; i < groups.size(); ++i)
    if (groups[i].second > groups[best].second) best = i;
  return groups[best].first;
}

}  // namespace crucible::rewards
