#include "rewards/advantages.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::rewards {

std::vector<double> group_advantages(const std::vector<double>& r, AdvantageMode mode, double eps) {
  std::vector<double> a(r.size(), 0.0);
  if (r.empty()) return a;
  bool all_equal = std::all_of(r.begin(), r.end(), [&](double x) { return x == r[0]; });
  if (all_equal) return a;  // no signal: every advantage is exactly zero
  double n = static_cast<double>(r.size());
  double sum = std::accumulate(r.begin(), r.end(), 0.0);
  double mean = sum / n;
  switch (mode) {
    case AdvantageMode::Standard: {
      double var = 0;
      for (double x : r) var += (x - mean) * (x - mean);
      double std = std::sqrt(var / n);
      for (size_t i = 0; i < r.size(); ++i) a[i] = (r[i] - mean) / (std + eps);
      break;
    }
    case AdvantageMode::NoStd:
      for (size_t i = 0; i < r.size(); ++i) a[i] = r[i] - mean;
      break;
    case AdvantageMode::LeaveOneOut:
      if (r.size() == 1) return a;
      for (size_t i = 0; i < r.size(); ++i) a[i] = r[i] - (sum - r[i]) / (n - 1);
      break;
  }
  return a;
}

std::vector<std::optional<double>> group_advantages(const std::vector<Reward>& rewards,
                                                    AdvantageMode mode, double eps) {
  std::vector<double> valid;
  for (const auto& r : rewards)
    if (r.valid) valid.push_back(r.value);
  std::vector<double> a = group_advantages(valid, mode, eps);
  std::vector<std::optional<double>> out;
  size_t k = 0;
  for (const auto& r : rewards)
    out.push_back(r.valid ? std::optional<double>(a[k++]) : std::nullopt);
  return out;
}

DecaySchedule DecaySchedule::from_json(const nlohmann::json& j) {
  DecaySchedule s;
  if (j.is_null()) return s;
  JsonFields f(j, "decay.");
  std::string kind;
  if (f.text("kind", kind, {"exponential", "linear", "custom"}))
    s.kind = kind == "exponential" ? DecayKind::Exponential
             : kind == "linear"    ? DecayKind::Linear
                                   : DecayKind::Custom;
  f.number("base", 1e-12, 1, s.base);
  if (const nlohmann::json* values = f.value("values")) {
    if (!values->is_array() || values->empty()) f.fail("values", "must be a non-empty array");
    for (const auto& v : *values) {
      if (!v.is_number() || v.get<double>() < 0) f.fail("values", "must all be numbers >= 0");
      s.custom.push_back(v.get<double>());
    }
  }
  f.done();
  if (s.kind == DecayKind::Custom && s.custom.empty())
    throw InvalidRequest("decay.values: required for kind custom");
  return s;
}

double DecaySchedule::value(size_t k, size_t n) const {
  switch (kind) {
    case DecayKind::Exponential:
      return std::pow(base, static_cast<double>(k - 1));
    case DecayKind::Linear:
      return 1.0 - static_cast<double>(k - 1) / static_cast<double>(n);
    case DecayKind::Custom:
      if (k > custom.size())
        throw InvalidRequest("decay.values: has " + std::to_string(custom.size()) +
                             " values but the group has " + std::to_string(n) + " exits");
      return custom[k - 1];
  }
  return 0;
}

std::vector<double> serial_rewards(const std::vector<bool>& correct,
                                   const DecaySchedule& schedule) {
  std::vector<double> r(correct.size(), 0.0);
  size_t correct_so_far = 0;
  for (size_t i = 0; i < correct.size(); ++i)
    if (correct[i]) r[i] = schedule.value(++correct_so_far, correct.size());
  return r;
}

}  // namespace crucible::rewards
