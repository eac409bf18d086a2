// Inference for the native model: a KV cache per sequence slot, a decode step over many slots
// at once, and prompt prefill. With the BLAS backend the products and the attention run on
// packed kernels (packed_matmul.hpp) that equal the naive kernels bit for bit, so generation
// gives the same tokens under either backend and under every BLAS core type; training keeps
// BLAS, where products are large. A step over many sequences runs on policy_threads() threads.
//
//   Decoder decoder(model);                 // packs the weights (once per set of weights)
//   KvCache cache(model.config(), 1);
//   decoder.prefill(cache, 0, tokens, n, logits);            // logits [n, vocab]
//   decoder.step(cache, {0}, {next}, {n}, logits);           // logits [1, vocab]
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/fork_join.hpp"
#include "policy/model/packed_matmul.hpp"
#include "policy/model/recycled_memory.hpp"
#include "policy/model/transformer.hpp"

namespace crucible::policy {

// One sequence's keys and values. Keys are stored transposed, [layers, D, max_seq], so that
// one query's scores against every position are a vector loop; values are [layers, max_seq,
// D]. `tokens` are the tokens at the positions stored, and `stamp` names the weights that
// computed them: a cache is reused only by the same model at the same stamp, for a sequence
// that starts with exactly these tokens. Positions past the stored ones hold no set values.
struct KvState {
  RecycledBuffer k, v;
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
  // Calls work(begin, end) over parts of rows 0..n-1 on the decoder's threads (for work on a
  // step's rows that is independent row by row, such as drawing tokens).
  void split_rows(size_t n, const std::function<void(size_t, size_t)>& work);

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
    const size_t* slots;
    const size_t* positions;
    const int* tokens;
    size_t n;
    Rows part(size_t begin, size_t end) const {
      return {slots + begin, positions + begin, tokens + begin, end - begin};
    }
  };
  // Buffers of one thread's rows: x, xn, q, k, v, att, y [n, D]; a, b, h [n, F];
  // scores [heads, max_seq].
  struct Scratch {
    std::vector<float> x, xn, rstd, q, k, v, att, y, a, b, h, scores;
  };
  void run(KvCache& cache, const Rows& rows, std::vector<float>& logits);
  size_t parts_for(const Rows& rows) const;
  void forward(Scratch& s, KvCache& cache, const Rows& rows, float* logits) const;
  void apply(float* y, const float* x, const Linear& l, size_t n) const;
  void rope(float* x, const Rows& rows) const;
  void attend(Scratch& s, KvCache& cache, size_t layer, const Rows& rows) const;

  const Transformer<float>& model_;
  const ModelConfig& c_;
  bool packed_;
  Isa isa_;
  std::vector<LayerWeights> layers_;
  Linear output_;
  std::vector<float> rope_cos_, rope_sin_;  // [max_seq, head_dim / 2]
  // A step over many samples splits them between policy_threads() threads (the packed
  // kernels only; the naive reference stays on one). Each row's arithmetic is the same
  // wherever it runs, so the split changes no result.
  ForkJoin team_;
  std::vector<Scratch> scratch_;  // one per thread
};

}  // namespace crucible::policy
