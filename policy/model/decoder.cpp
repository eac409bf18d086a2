#include "policy/model/decoder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/error.hpp"
#include "policy/model/layers.hpp"

namespace crucible::policy {

std::shared_ptr<KvState> empty_kv_state(const ModelConfig& c) {
  auto s = std::make_shared<KvState>();
  s->k.resize(c.layers * c.max_seq * c.dim);
  s->v.resize(s->k.size());
  return s;
}

KvCache::KvCache(const ModelConfig& c, size_t slots) : stride_(c.max_seq * c.dim) {
  for (size_t i = 0; i < slots; ++i) slots_.push_back(empty_kv_state(c));
}

Decoder::Decoder(const Transformer<float>& model)
    : model_(model),
      c_(model.config()),
      packed_(model.backend() != Backend::Naive),
      isa_(default_isa()),
      team_(packed_ ? static_cast<size_t>(policy_threads()) : 1),
      scratch_(team_.threads()) {
  const float* P = model.params.data();
  const size_t d = c_.dim, f = c_.mlp_dim;
  auto linear = [&](size_t offset, size_t out, size_t in) {
    Linear l{P + offset, out, in, {}};
    if (packed_) l.packed = pack_matrix(l.w, out, in);
    return l;
  };
  for (const auto& L : model.layout().layers)
    layers_.push_back({linear(L.wq, d, d), linear(L.wk, d, d), linear(L.wv, d, d),
                       linear(L.wo, d, d), linear(L.w1, f, d),
                       c_.swiglu ? linear(L.w3, f, d) : Linear{nullptr, 0, 0, {}},
                       linear(L.w2, d, f)});
  output_ = linear(model.layout().embedding, c_.vocab, d);
  // Rotation angles per position, computed as rope_apply computes them.
  const size_t half = c_.head_dim() / 2;
  const float theta = static_cast<float>(c_.rope_theta);
  std::vector<float> freq(half);
  for (size_t j = 0; j < half; ++j)
    freq[j] = std::pow(theta, -static_cast<float>(2 * j) / static_cast<float>(c_.head_dim()));
  rope_cos_.resize(c_.max_seq * half);
  rope_sin_.resize(c_.max_seq * half);
  for (size_t p = 0; p < c_.max_seq; ++p)
    for (size_t j = 0; j < half; ++j) {
      float angle = static_cast<float>(static_cast<int>(p)) * freq[j];
      rope_cos_[p * half + j] = std::cos(angle);
      rope_sin_[p * half + j] = std::sin(angle);
    }
  for (auto& sc : scratch_) sc.scores.resize(c_.heads * c_.max_seq);
}

void Decoder::apply(float* y, const float* x, const Linear& l, size_t n) const {
  if (packed_)
    packed_matmul(y, x, l.packed, n, isa_);
  else
    matmul_forward(Backend::Naive, y, x, l.w, n, l.in, l.out);
}

void Decoder::rope(float* x, const Rows& rows) const {
  const size_t heads = c_.heads, hd = c_.head_dim(), half = hd / 2;
  for (size_t r = 0; r < rows.n; ++r)
    for (size_t j = 0; j < half; ++j) {
      const size_t at = rows.positions[r] * half + j;
      float cs = rope_cos_[at], sn = rope_sin_[at];
      for (size_t h = 0; h < heads; ++h) {
        float* p = x + r * heads * hd + h * hd + 2 * j;
        float a = p[0], b = p[1];
        p[0] = a * cs - b * sn;
        p[1] = a * sn + b * cs;
      }
    }
}

void Decoder::attend(Scratch& s, KvCache& cache, size_t layer, const Rows& rows) const {
  const size_t d = c_.dim, hd = c_.head_dim(), seq = c_.max_seq;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  const size_t n = rows.n;
  // Every row's key and value go in first: a row attends to its own position, and rows of
  // one slot (in position order) to the rows before them.
  for (size_t i = 0; i < n; ++i) {
    float* K = cache.keys(layer, rows.slots[i]);
    float* V = cache.values(layer, rows.slots[i]);
    const size_t p = rows.positions[i];
    for (size_t j = 0; j < d; ++j) K[j * seq + p] = s.k[i * d + j];
    std::copy(s.v.begin() + static_cast<long>(i * d), s.v.begin() + static_cast<long>((i + 1) * d),
              V + p * d);
  }
  float* scores = s.scores.data();
  for (size_t i = 0; i < n; ++i) {
    const float* K = cache.keys(layer, rows.slots[i]);
    const float* V = cache.values(layer, rows.slots[i]);
    const size_t last = rows.positions[i];
    float* o = s.att.data() + i * d;
    const float* q = s.q.data() + i * d;
    if (packed_)
      packed_attend(o, scores, q, K, seq, V, d, c_.heads, hd, last, scale, isa_);
    else
      naive_attend(o, scores, q, K, seq, V, d, c_.heads, hd, last, scale);
  }
}

size_t Decoder::parts_for(const Rows& rows) const {
  // Rows of one slot depend on each other through its cache, so only steps whose rows are
  // all different slots are split.
  if (team_.threads() == 1 || rows.n < 2) return 1;
  std::vector<size_t> slots(rows.slots, rows.slots + rows.n);
  std::sort(slots.begin(), slots.end());
  if (std::adjacent_find(slots.begin(), slots.end()) != slots.end()) return 1;
  return std::min(team_.threads(), rows.n);
}

void Decoder::run(KvCache& cache, const Rows& rows, std::vector<float>& logits) {
  logits.resize(rows.n * c_.vocab);
  team_.run_slices(rows.n, parts_for(rows), [&](size_t part, size_t begin, size_t end) {
    forward(scratch_[part], cache, rows.part(begin, end), logits.data() + begin * c_.vocab);
  });
}

void Decoder::split_rows(size_t n, const std::function<void(size_t, size_t)>& work) {
  team_.run_slices(n, std::min(team_.threads(), n),
                   [&](size_t, size_t begin, size_t end) { work(begin, end); });
}

void Decoder::forward(Scratch& s, KvCache& cache, const Rows& rows, float* logits) const {
  const size_t n = rows.n, d = c_.dim, f = c_.mlp_dim;
  const float* P = model_.params.data();
  const float eps = static_cast<float>(c_.norm_eps);
  for (auto* buf : {&s.x, &s.xn, &s.q, &s.k, &s.v, &s.att, &s.y}) buf->resize(n * d);
  for (auto* buf : {&s.a, &s.b, &s.h}) buf->resize(n * f);
  s.rstd.resize(n);
  embedding_forward(s.x.data(), rows.tokens, P + model_.layout().embedding, n, d);
  for (size_t l = 0; l < c_.layers; ++l) {
    const auto& L = model_.layout().layers[l];
    const LayerWeights& W = layers_[l];
    rmsnorm_forward(s.xn.data(), s.rstd.data(), s.x.data(), P + L.attn_norm, n, d, eps);
    apply(s.q.data(), s.xn.data(), W.wq, n);
    apply(s.k.data(), s.xn.data(), W.wk, n);
    apply(s.v.data(), s.xn.data(), W.wv, n);
    rope(s.q.data(), rows);
    rope(s.k.data(), rows);
    attend(s, cache, l, rows);
    apply(s.y.data(), s.att.data(), W.wo, n);
    for (size_t i = 0; i < n * d; ++i) s.x[i] += s.y[i];
    rmsnorm_forward(s.xn.data(), s.rstd.data(), s.x.data(), P + L.mlp_norm, n, d, eps);
    apply(s.a.data(), s.xn.data(), W.w1, n);
    if (c_.swiglu) {
      apply(s.b.data(), s.xn.data(), W.w3, n);
      swiglu_forward(s.h.data(), s.a.data(), s.b.data(), n * f);
    } else {
      gelu_forward(s.h.data(), s.a.data(), n * f);
    }
    apply(s.y.data(), s.h.data(), W.w2, n);
    for (size_t i = 0; i < n * d; ++i) s.x[i] += s.y[i];
  }
  rmsnorm_forward(s.xn.data(), s.rstd.data(), s.x.data(), P + model_.layout().final_norm, n, d,
                  eps);
  apply(logits, s.xn.data(), output_, n);
}

void Decoder::step(KvCache& cache, const std::vector<size_t>& slots, const std::vector<int>& tokens,
                   const std::vector<size_t>& positions, std::vector<float>& logits) {
  if (tokens.size() != slots.size() || positions.size() != slots.size())
    throw InvalidRequest("Decoder::step: " + std::to_string(slots.size()) + " slots, " +
                         std::to_string(tokens.size()) + " tokens and " +
                         std::to_string(positions.size()) + " positions");
  run(cache, Rows{slots.data(), positions.data(), tokens.data(), slots.size()}, logits);
}

void Decoder::prefill(KvCache& cache, size_t slot, const int* tokens, size_t n,
                      std::vector<float>& logits) {
  std::vector<size_t> slots(n, slot), positions(n);
  for (size_t i = 0; i < n; ++i) positions[i] = i;
  run(cache, Rows{slots.data(), positions.data(), tokens, n}, logits);
}

}  // namespace crucible::policy
