// Inference for the native model: a KV cache per sequence slot, a decode step over many slots
// at once, and prompt prefill. With the BLAS backend the products and the attention run on
// packed kernels (packed_matmul.hpp) that equal the naive kernels bit for bit, so generation
// gives the same tokens under either backend and under every BLAS core type; training keeps
// BLAS, where products are large.
//
//   Decoder decoder(model);                 // packs the weights (once per set of weights)
//   KvCache cache(model.config(), 1);
//   decoder.prefill(cache, 0, tokens, n, logits);            // logits [n, vocab]
//   decoder.step(cache, {0}, {next}, {n}, logits);           // logits [1, vocab]
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "policy/model/packed_matmul.hpp"
#include "policy/model/transformer.hpp"

namespace crucible::policy {

// One sequence's keys and values. Keys are stored transposed, [layers, D, max_seq], so that
// one query's scores against every position are a vector loop; values are [layers, max_seq,
// D]. `tokens` are the tokens at the positions stored, and `stamp` names the weights that
// computed them: a cache is reused only by the same model at the same stamp, for a sequence
// that starts with exactly these tokens.
struct KvState {
  std::vector<float> k, v;
  std::vector<int> tokens;
  const void* model = nullptr;
  std::string stamp;
};

std::shared_ptr<KvState> empty_kv_state(const ModelConfig& config);

// A cache of keys and values per sequence slot. Each slot owns a KvState, so a slot can be
// handed to a sample and adopted again by a later call.
class KvCache {
 public:
  KvCache(const ModelConfig& config, size_t slots);
  // Layer `layer`'s keys of a slot: D rows of max_seq positions.
  float* keys(size_t layer, size_t slot) { return slots_[slot]->k.data() + layer * stride_; }
  // Layer `layer`'s values of a slot: max_seq rows of D.
  float* values(size_t layer, size_t slot) { return slots_[slot]->v.data() + layer * stride_; }
  size_t slots() const { return slots_.size(); }
  std::shared_ptr<KvState>& state(size_t slot) { return slots_[slot]; }
  void adopt(std::shared_ptr<KvState> state) { slots_.push_back(std::move(state)); }

 private:
  size_t stride_;
  std::vector<std::shared_ptr<KvState>> slots_;
};

class Decoder {
 public:
  // Reads the model's weights now (packing them for the BLAS backend): build a new Decoder
  // after the weights change.
  explicit Decoder(const Transformer<float>& model);

  // Runs one position for each listed slot: tokens[i] at positions[i]; logits [n, vocab].
  void step(KvCache& cache, const std::vector<size_t>& slots, const std::vector<int>& tokens,
            const std::vector<size_t>& positions, std::vector<float>& logits);
  // Runs positions 0..n-1 of one sequence in a single pass (prompt prefill), filling the
  // slot's cache; logits [n, vocab], equal bit for bit to step() position by position.
  void prefill(KvCache& cache, size_t slot, const int* tokens, size_t n,
               std::vector<float>& logits);

 private:
  struct Linear {
    const float* w;  // [out, in] in the model's buffer
    size_t out, in;
    PackedMatrix packed;  // empty with the naive kernels
  };
  struct LayerWeights {
    Linear wq, wk, wv, wo, w1, w3, w2;
  };
  // Rows of one decode pass: slot, position and token of each.
  struct Rows {
    std::vector<size_t> slots, positions;
    const int* tokens;
  };
  void run(KvCache& cache, const Rows& rows, std::vector<float>& logits);
  void apply(float* y, const float* x, const Linear& l, size_t n) const;
  void rope(float* x, const std::vector<size_t>& positions) const;
  void attend(KvCache& cache, size_t layer, const Rows& rows);

  const Transformer<float>& model_;
  const ModelConfig& c_;
  bool packed_;
  Isa isa_;
  std::vector<LayerWeights> layers_;
  Linear output_;
  std::vector<float> rope_cos_, rope_sin_;  // [max_seq, head_dim / 2]
  // Scratch, by row: x, xn, q, k, v, att, y [n, D]; a, b, h [n, F]; scores [max_seq].
  std::vector<float> x_, xn_, rstd_, q_, k_, v_, att_, y_, a_, b_, h_, scores_;
};

}  // namespace crucible::policy
