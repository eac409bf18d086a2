// A small initialised native model over the byte tokenizer, for tests that need a real
// policy but not a trained one: width 16, 2 heads, MLP 32.
#pragma once

#include <memory>

#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"

namespace crucible::testing {

inline std::shared_ptr<policy::Transformer<float>> tiny_model(size_t layers, size_t max_seq,
                                                              uint64_t seed) {
  policy::ModelConfig c;
  c.vocab = policy::Tokenizer().vocab_size();
  c.dim = 16;
  c.layers = layers;
  c.heads = 2;
  c.mlp_dim = 32;
  c.max_seq = max_seq;
  auto m = std::make_shared<policy::Transformer<float>>(c);
  m->init(seed);
  return m;
}

}  // namespace crucible::testing
