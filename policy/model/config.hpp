// A model's size and shape, from JSON; every field is checked and named when wrong.
//
//   {"dim": 64, "layers": 4, "heads": 4, "mlp_dim": 176, "max_seq": 256,
//    "mlp": "swiglu", "rope_theta": 10000, "norm_eps": 1e-5}
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace crucible::policy {

struct ModelConfig {
  size_t vocab = 0;  // set from the tokenizer
  size_t dim = 64;
  size_t layers = 4;
  size_t heads = 4;
  size_t mlp_dim = 176;
  size_t max_seq = 256;
  bool swiglu = true;  // "swiglu" or "gelu"
  double rope_theta = 10000;
  double norm_eps = 1e-5;

  size_t head_dim() const { return dim / heads; }
  // Parameters in the contiguous buffer.
  size_t parameter_count() const;

  static ModelConfig from_json(const nlohmann::json& j);
};

void to_json(nlohmann::json& j, const ModelConfig& c);

}  // namespace crucible::policy
