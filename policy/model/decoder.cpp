#include "policy/model/decoder.hpp"

#include <algorithm>
#include <cmath>

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
      isa_(default_isa()) {
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
  scores_.resize(c_.heads * c_.max_seq);
}

void Decoder::apply(float* y, const float* x, const Linear& l, size_t n) const {
  if (packed_)
    packed_matmul(y, x, l.packed, n, isa_);
  else
    matmul_forward(Backend::Naive, y, x, l.w, n, l.in, l.out);
}

void Decoder::rope(float* x, const std::vector<size_t>& positions) const {
  const size_t heads = c_.heads, hd = c_.head_dim(), half = hd / 2;
  for (size_t r = 0; r < positions.size(); ++r)
    for (size_t j = 0; j < half; ++j) {
      float cs = rope_cos_[positions[r] * half + j], sn = rope_sin_[positions[r] * half + j];
      for (size_t h = 0; h < heads; ++h) {
        float* p = x + r * heads * hd + h * hd + 2 * j;
        float a = p[0], b = p[1];
        p[0] = a * cs - b * sn;
        p[1] = a * sn + b * cs;
      }
    }
}

void Decoder::attend(KvCache& cache, size_t layer, const Rows& rows) {
  const size_t d = c_.dim, hd = c_.head_dim(), seq = c_.max_seq;
  const float scale = 1.f / std::sqrt(static_cast<float>(hd));
  const size_t n = rows.slots.size();
  // Every row's key and value go in first: a row attends to its own position, and rows of
  // one slot (in position order) to the rows before them.
  for (size_t i = 0; i < n; ++i) {
    float* K = cache.keys(layer, rows.slots[i]);
    float* V = cache.values(layer, rows.slots[i]);
    const size_t p = rows.positions[i];
    for (size_t j = 0; j < d; ++j) K[j * seq + p] = k_[i * d + j];
    std::copy(v_.begin() + static_cast<long>(i * d), v_.begin() + static_cast<long>((i + 1) * d),
              V + p * d);
  }
  float* scores = scores_.data();
  for (size_t i = 0; i < n; ++i) {
    const float* K = cache.keys(layer, rows.slots[i]);
    const float* V = cache.values(layer, rows.slots[i]);
    const size_t last = rows.positions[i];
    float* o = att_.data() + i * d;
    const float* q = q_.data() + i * d;
    if (packed_)
      packed_attend(o, scores, q, K, seq, V, d, c_.heads, hd, last, scale, isa_);
    else
      naive_attend(o, scores, q, K, seq, V, d, c_.heads, hd, last, scale);
  }
}

void Decoder::run(KvCache& cache, const Rows& rows, std::vector<float>& logits) {
  const size_t n = rows.slots.size(), d = c_.dim, f = c_.mlp_dim;
  const float* P = model_.params.data();
  const float eps = static_cast<float>(c_.norm_eps);
  for (auto* buf : {&x_, &xn_, &q_, &k_, &v_, &att_, &y_}) buf->resize(n * d);
  for (auto* buf : {&a_, &b_, &h_}) buf->resize(n * f);
  rstd_.resize(n);
  embedding_forward(x_.data(), rows.tokens, P + model_.layout().embedding, n, d);
  for (size_t l = 0; l < c_.layers; ++l) {
    const auto& L = model_.layout().layers[l];
    const LayerWeights& W = layers_[l];
    rmsnorm_forward(xn_.data(), rstd_.data(), x_.data(), P + L.attn_norm, n, d, eps);
    apply(q_.data(), xn_.data(), W.wq, n);
    apply(k_.data(), xn_.data(), W.wk, n);
    apply(v_.data(), xn_.data(), W.wv, n);
    rope(q_.data(), rows.positions);
    rope(k_.data(), rows.positions);
    attend(cache, l, rows);
    apply(y_.data(), att_.data(), W.wo, n);
    for (size_t i = 0; i < n * d; ++i) x_[i] += y_[i];
    rmsnorm_forward(xn_.data(), rstd_.data(), x_.data(), P + L.mlp_norm, n, d, eps);
    apply(a_.data(), xn_.data(), W.w1, n);
    if (c_.swiglu) {
      apply(b_.data(), xn_.data(), W.w3, n);
      swiglu_forward(h_.data(), a_.data(), b_.data(), n * f);
    } else {
      gelu_forward(h_.data(), a_.data(), n * f);
    }
    apply(y_.data(), h_.data(), W.w2, n);
    for (size_t i = 0; i < n * d; ++i) x_[i] += y_[i];
  }
  rmsnorm_forward(xn_.data(), rstd_.data(), x_.data(), P + model_.layout().final_norm, n, d, eps);
  logits.resize(n * c_.vocab);
  apply(logits.data(), xn_.data(), output_, n);
}

void Decoder::step(KvCache& cache, const std::vector<size_t>& slots, const std::vector<int>& tokens,
                   const std::vector<size_t>& positions, std::vector<float>& logits) {
  run(cache, Rows{slots, positions, tokens.data()}, logits);
}

void Decoder::prefill(KvCache& cache, size_t slot, const int* tokens, size_t n,
                      std::vector<float>& logits) {
  Rows rows{std::vector<size_t>(n, slot), std::vector<size_t>(n), tokens};
  for (size_t i = 0; i < n; ++i) rows.positions[i] = i;
  run(cache, rows, logits);
}

}  // namespace crucible::policy
