#include "policy/model/config.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace crucible::policy {

size_t ModelConfig::parameter_count() const {
  size_t per_layer = 2 * dim + 4 * dim * dim + (swiglu ? 3 : 2) * dim * mlp_dim;
  return vocab * dim + layers * per_layer + dim;
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw InvalidRequest("model config: must be a JSON object");
  ModelConfig c;
  auto size = [&](const std::string& key, size_t lo, size_t hi) {
    const auto& v = j.at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < static_cast<int64_t>(lo) ||
        v.get<int64_t>() > static_cast<int64_t>(hi))
      throw InvalidRequest("model config: " + key + " must be an integer from " +
                           std::to_string(lo) + " to " + std::to_string(hi));
    return v.get<size_t>();
  };
  for (const auto& [key, value] : j.items()) {
    if (key == "dim")
      c.dim = size(key, 4, 4096);
    else if (key == "layers")
      c.layers = size(key, 1, 64);
    else if (key == "heads")
      c.heads = size(key, 1, 64);
    else if (key == "mlp_dim")
      c.mlp_dim = size(key, 1, 16384);
    else if (key == "max_seq")
      c.max_seq = size(key, 2, 65536);
    else if (key == "vocab")
      c.vocab = size(key, 1, 1 << 20);
    else if (key == "mlp") {
      std::string m = value.is_string() ? value.get<std::string>() : "";
      if (m != "swiglu" && m != "gelu")
        throw InvalidRequest("model config: mlp must be \"swiglu\" or \"gelu\"");
      c.swiglu = m == "swiglu";
    } else if (key == "rope_theta" || key == "norm_eps") {
      if (!value.is_number() || value.get<double>() <= 0)
        throw InvalidRequest("model config: " + key + " must be a positive number");
      (key == "rope_theta" ? c.rope_theta : c.norm_eps) = value.get<double>();
    } else {
      throw InvalidRequest(
          "model config: unknown field '" + key +
          "' (known: dim, layers, heads, mlp_dim, max_seq, mlp, rope_theta, norm_eps)");
    }
  }
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
