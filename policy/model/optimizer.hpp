// AdamW over the one contiguous parameter buffer, with global gradient-norm clipping and
// a warmup + cosine learning-rate schedule. Norm gains do not decay.
//
//   AdamW opt(model.params.size(), decay_mask, {.lr = 3e-3, .warmup = 20, .total = 500});
//   double norm = opt.step(model.params, model.grads);   // the gradient norm before clipping
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace crucible::policy {

struct OptimizerConfig {
  double lr = 3e-3;
  double min_lr_ratio = 0.1;  // cosine decays to lr * this
  size_t warmup = 0;          // steps of linear warmup
  size_t total = 0;           // schedule length (0: constant after warmup)
  double beta1 = 0.9, beta2 = 0.95, eps = 1e-8;
  double weight_decay = 0.01;
  double clip_norm = 1.0;  // 0: no clipping

  static OptimizerConfig from_json(const nlohmann::json& j);
};

class AdamW {
 public:
  AdamW(size_t size, std::vector<uint8_t> decays, OptimizerConfig config);

  // One update; returns the global gradient norm measured before clipping.
  double step(std::vector<float>& params, const std::vector<float>& grads);
  double learning_rate(size_t step) const;  // at 0-based step

  size_t steps() const { return step_; }
  // Optimizer state for checkpoints: moments and the step count.
  std::vector<float>& m() { return m_; }
  std::vector<float>& v() { return v_; }
  void set_steps(size_t s) { step_ = s; }
  const OptimizerConfig& config() const { return config_; }

 private:
  OptimizerConfig config_;
  std::vector<uint8_t> decays_;
  std::vector<float> m_, v_;
  size_t step_ = 0;
};

}  // namespace crucible::policy
