#include "policy/model/optimizer.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::policy {

OptimizerConfig OptimizerConfig::from_json(const nlohmann::json& j) {
  OptimizerConfig c;
  if (j.is_null()) return c;
  JsonFields f(j, "optimizer.");
  f.number("lr", 0, 10, c.lr);
  f.number("min_lr_ratio", 0, 1, c.min_lr_ratio);
  f.count("warmup", 0, 1000000000, c.warmup);
  f.count("total", 0, 1000000000, c.total);
  f.number("beta1", 0, 0.999999, c.beta1);
  f.number("beta2", 0, 0.999999, c.beta2);
  f.number("eps", 1e-12, 1, c.eps);
  f.number("weight_decay", 0, 1, c.weight_decay);
  f.number("clip_norm", 0, 1e6, c.clip_norm);
  f.done();
  return c;
}

AdamW::AdamW(size_t size, std::vector<uint8_t> decays, OptimizerConfig config)
    : config_(config), decays_(std::move(decays)), m_(size, 0.f), v_(size, 0.f) {
  if (decays_.size() != size)
    throw InvalidRequest("optimizer: decay mask does not match the parameters");
}

double AdamW::learning_rate(size_t step) const {
  const auto& c = config_;
  if (c.warmup > 0 && step < c.warmup)
    return c.lr * static_cast<double>(step + 1) / static_cast<double>(c.warmup);
  if (c.total <= c.warmup) return c.lr;
  double progress =
      std::min(1.0, static_cast<double>(step - c.warmup) / static_cast<double>(c.total - c.warmup));
  double min_lr = c.lr * c.min_lr_ratio;
  return min_lr + 0.5 * (c.lr - min_lr) * (1 + std::cos(M_PI * progress));
}

double AdamW::step(std::vector<float>& params, const std::vector<float>& grads) {
  double sq = 0;
  for (float g : grads) sq += static_cast<double>(g) * g;
  double norm = std::sqrt(sq);
  float clip = config_.clip_norm > 0 && norm > config_.clip_norm
                   ? static_cast<float>(config_.clip_norm / norm)
                   : 1.f;
  double lr = learning_rate(step_);
  ++step_;
  const float b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
  const double c1 = 1 - std::pow(config_.beta1, static_cast<double>(step_));
  const double c2 = 1 - std::pow(config_.beta2, static_cast<double>(step_));
  const float step_size = static_cast<float>(lr / c1), root_c2 = static_cast<float>(std::sqrt(c2));
  const float decay = static_cast<float>(lr * config_.weight_decay),
              eps = static_cast<float>(config_.eps);
  for (size_t i = 0; i < params.size(); ++i) {
    float g = grads[i] * clip;
    m_[i] = b1 * m_[i] + (1 - b1) * g;
    v_[i] = b2 * v_[i] + (1 - b2) * g * g;
    if (decays_[i]) params[i] -= decay * params[i];
    params[i] -= step_size * m_[i] / (std::sqrt(v_[i]) / root_c2 + eps);
  }
  return norm;
}

}  // namespace crucible::policy
