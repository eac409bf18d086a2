#include "policy/model/config.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::policy {

size_t ModelConfig::parameter_count() const {
  size_t per_layer = 2 * dim + 4 * dim * dim + (swiglu ? 3 : 2) * dim * mlp_dim;
  return vocab * dim + layers * per_layer + dim;
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  ModelConfig c;
  JsonFields f(j, "model config: ");
  f.count("dim", 4, 4096, c.dim);
  f.count("layers", 1, 64, c.layers);
  f.count("heads", 1, 64, c.heads);
  f.count("mlp_dim", 1, 16384, c.mlp_dim);
  f.count("max_seq", 2, 65536, c.max_seq);
  f.count("vocab", 1, 1 << 20, c.vocab);
  std::string mlp = c.swiglu ? "swiglu" : "gelu";
  f.text("mlp", mlp, {"swiglu", "gelu"});
  c.swiglu = mlp == "swiglu";
  f.number("rope_theta", 1e-9, 1e12, c.rope_theta);
  f.number("norm_eps", 1e-12, 1, c.norm_eps);
  f.done();
  if (c.dim % c.heads != 0) throw InvalidRequest("model config: dim must be a multiple of heads");
  if (c.head_dim() % 2 != 0)
    throw InvalidRequest("model config: dim / heads must be even (rotary pairs)");
  return c;
}

void to_json(nlohmann::json& j, const ModelConfig& c) {
  j = {{"vocab", c.vocab},
       {"dim", c.dim},
       {"layers", c.layers},
       {"heads", c.heads},
       {"mlp_dim", c.mlp_dim},
       {"max_seq", c.max_seq},
       {"mlp", c.swiglu ? "swiglu" : "gelu"},
       {"rope_theta", c.rope_theta},
       {"norm_eps", c.norm_eps}};
}

}  // namespace crucible::policy
