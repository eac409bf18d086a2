#include "policy/model/transformer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "base/error.hpp"
#include "base/fork_join.hpp"
#include "base/rng.hpp"
#include "policy/model/layers.hpp"

namespace crucible::policy {
namespace {

// Runs work(first, end) over [0, pairs) split between the policy's threads: the attention's
// (sequence, head) pairs, which write disjoint parts of every output. Each calling thread has
// its own helpers, so two models trained on two threads never share them.
void split_pairs(size_t pairs, const std::function<void(size_t, size_t)>& work) {
  const size_t threads = static_cast<size_t>(policy_threads());
  const size_t parts = std::min(threads, pairs);
  if (parts <= 1) return work(0, pairs);
  thread_local std::unique_ptr<ForkJoin> team;
  if (!team || team->threads() != threads) team = std::make_unique<ForkJoin>(threads);
  team->run_slices(pairs, parts, [&](size_t, size_t begin, size_t end) { work(begin, end); });
}

}  // namespace

ParamLayout::ParamLayout(const ModelConfig& c) {
  size_t at = 0;
  auto take = [&](size_t n) {
    size_t o = at;
    at += n;
    return o;
  };
  size_t d = c.dim, f = c.mlp_dim;
  embedding = take(c.vocab * d);
  for (size_t l = 0; l < c.layers; ++l) {
    Layer L{};
    L.attn_norm = take(d);
    L.wq = take(d * d);
    L.wk = take(d * d);
    L.wv = take(d * d);
    L.wo = take(d * d);
    L.mlp_norm = take(d);
    L.w1 = take(f * d);
    L.w3 = c.swiglu ? take(f * d) : 0;
    L.w2 = take(d * f);
    layers.push_back(L);
  }
  final_norm = take(d);
  total = at;
}

std::vector<ParamLayout::Tensor> ParamLayout::tensors(const ModelConfig& c) const {
  size_t d = c.dim, f = c.mlp_dim;
  std::vector<Tensor> out{{"embedding", embedding, c.vocab, d, true}};
  for (size_t l = 0; l < layers.size(); ++l) {
    std::string p = "layers." + std::to_string(l) + ".";
    const Layer& L = layers[l];
    out.push_back({p + "attn_norm", L.attn_norm, d, 1, false});
    out.push_back({p + "wq", L.wq, d, d, true});
    out.push_back({p + "wk", L.wk, d, d, true});
    out.push_back({p + "wv", L.wv, d, d, true});
    out.push_back({p + "wo", L.wo, d, d, true});
    out.push_back({p + "mlp_norm", L.mlp_norm, d, 1, false});
    out.push_back({p + "w1", L.w1, f, d, true});
    if (c.swiglu) out.push_back({p + "w3", L.w3, f, d, true});
    out.push_back({p + "w2", L.w2, d, f, true});
  }
  out.push_back({"final_norm", final_norm, d, 1, false});
  return out;
}

template <typename T>
Transformer<T>::Transformer(const ModelConfig& config, Backend backend)
    : params(ParamLayout(config).total),
      grads(params.size()),
      config_(config),
      layout_(config),
      backend_(backend) {}

template <typename T>
void Transformer<T>::init(uint64_t seed) {
  Rng rng(seed, "init");
  auto normal = [&] {
    double u1 = std::max(rng.uniform01(), 1e-300), u2 = rng.uniform01();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  };
  double residual_scale = 1.0 / std::sqrt(2.0 * static_cast<double>(config_.layers));
  for (const auto& t : layout_.tensors(config_)) {
    bool residual = t.name.ends_with(".wo") || t.name.ends_with(".w2");
    for (size_t i = 0; i < t.rows * t.cols; ++i)
      params[t.offset + i] =
          t.cols == 1 ? T(1) : static_cast<T>(0.02 * normal() * (residual ? residual_scale : 1));
  }
}

template <typename T>
void Transformer<T>::zero_grad() {
  std::fill(grads.begin(), grads.end(), T(0));
}

template <typename T>
const T* Transformer<T>::forward(const int* tokens, size_t batch, size_t seq) {
  const size_t n = batch * seq, d = config_.dim, f = config_.mlp_dim, heads = config_.heads,
               hd = config_.head_dim(), vocab = config_.vocab;
  const T eps = static_cast<T>(config_.norm_eps), theta = static_cast<T>(config_.rope_theta);
  batch_ = batch;
  seq_ = seq;
  tokens_.assign(tokens, tokens + n);
  positions_.resize(n);
  for (size_t r = 0; r < n; ++r) positions_[r] = static_cast<int>(r % seq);
  acts_.resize(config_.layers);
  const T* P = params.data();

  std::vector<T>& x = x_;  // x[N,D]: the residual stream
  std::vector<T>& y = y_;  // y[N,D]
  x.resize(n * d);
  y.resize(n * d);
  embedding_forward(x.data(), tokens_.data(), P + layout_.embedding, n, d);
  for (size_t l = 0; l < config_.layers; ++l) {
    const auto& L = layout_.layers[l];
    LayerActs& A = acts_[l];
    A.x_in = x;
    A.xn.resize(n * d);
    A.rstd1.resize(n);
    rmsnorm_forward(A.xn.data(), A.rstd1.data(), x.data(), P + L.attn_norm, n, d, eps);
    A.q.resize(n * d);
    A.k.resize(n * d);
    A.v.resize(n * d);
    matmul_forward(backend_, A.q.data(), A.xn.data(), P + L.wq, n, d, d);
    matmul_forward(backend_, A.k.data(), A.xn.data(), P + L.wk, n, d, d);
    matmul_forward(backend_, A.v.data(), A.xn.data(), P + L.wv, n, d, d);
    rope_apply(A.q.data(), positions_.data(), n, heads, hd, theta, 1);
    rope_apply(A.k.data(), positions_.data(), n, heads, hd, theta, 1);
    A.att.resize(batch * heads * seq * seq);
    A.attn_out.resize(n * d);
    split_pairs(batch * heads, [&](size_t first, size_t end) {
      attention_forward(A.attn_out.data(), A.att.data(), A.q.data(), A.k.data(), A.v.data(), batch,
                        seq, heads, hd, first, end);
    });
    matmul_forward(backend_, y.data(), A.attn_out.data(), P + L.wo, n, d, d);
    for (size_t i = 0; i < n * d; ++i) x[i] += y[i];
    A.x_mid = x;
    A.xn2.resize(n * d);
    A.rstd2.resize(n);
    rmsnorm_forward(A.xn2.data(), A.rstd2.data(), x.data(), P + L.mlp_norm, n, d, eps);
    A.a.resize(n * f);  // a, b, h: [N,F]
    A.h.resize(n * f);
    matmul_forward(backend_, A.a.data(), A.xn2.data(), P + L.w1, n, d, f);
    if (config_.swiglu) {
      A.b.resize(n * f);
      matmul_forward(backend_, A.b.data(), A.xn2.data(), P + L.w3, n, d, f);
      swiglu_forward(A.h.data(), A.a.data(), A.b.data(), n * f);
    } else {
      gelu_forward(A.h.data(), A.a.data(), n * f);
    }
    matmul_forward(backend_, y.data(), A.h.data(), P + L.w2, n, f, d);
    for (size_t i = 0; i < n * d; ++i) x[i] += y[i];
  }
  x_final_ = x;
  xf_.resize(n * d);
  rstd_f_.resize(n);
  rmsnorm_forward(xf_.data(), rstd_f_.data(), x.data(), P + layout_.final_norm, n, d, eps);
  logits_.resize(n * vocab);  // logits[N,V] = xf E^T (tied embedding)
  matmul_forward(backend_, logits_.data(), xf_.data(), P + layout_.embedding, n, d, vocab);
  return logits_.data();
}

template <typename T>
void Transformer<T>::backward(const T* dlogits) {
  const size_t n = batch_ * seq_, d = config_.dim, f = config_.mlp_dim, heads = config_.heads,
               hd = config_.head_dim(), vocab = config_.vocab;
  const T theta = static_cast<T>(config_.rope_theta);
  const T* P = params.data();
  T* G = grads.data();

  // Every buffer starts at zero: the kernels below add into them.
  auto zeroed = [](std::vector<T>& v, size_t size) -> std::vector<T>& {
    v.assign(size, T(0));
    return v;
  };
  std::vector<T>&dxf = zeroed(back_.dxf, n * d), &dx = zeroed(back_.dx, n * d);
  matmul_backward(backend_, dxf.data(), G + layout_.embedding, dlogits, xf_.data(),
                  P + layout_.embedding, n, d, vocab);
  rmsnorm_backward(dx.data(), G + layout_.final_norm, dxf.data(), x_final_.data(),
                   P + layout_.final_norm, rstd_f_.data(), n, d);
  for (size_t l = config_.layers; l-- > 0;) {
    const auto& L = layout_.layers[l];
    LayerActs& A = acts_[l];
    // MLP block: x = x_mid + W2 h(xn2)
    std::vector<T>&dh = zeroed(back_.dh, n * f), &da = zeroed(back_.da, n * f),
    &dxn2 = zeroed(back_.dxn2, n * d);
    matmul_backward(backend_, dh.data(), G + L.w2, dx.data(), A.h.data(), P + L.w2, n, f, d);
    if (config_.swiglu) {
      std::vector<T>& db = zeroed(back_.db, n * f);
      swiglu_backward(da.data(), db.data(), dh.data(), A.a.data(), A.b.data(), n * f);
      matmul_backward(backend_, dxn2.data(), G + L.w3, db.data(), A.xn2.data(), P + L.w3, n, d, f);
    } else {
      gelu_backward(da.data(), dh.data(), A.a.data(), n * f);
    }
    matmul_backward(backend_, dxn2.data(), G + L.w1, da.data(), A.xn2.data(), P + L.w1, n, d, f);
    rmsnorm_backward(dx.data(), G + L.mlp_norm, dxn2.data(), A.x_mid.data(), P + L.mlp_norm,
                     A.rstd2.data(), n, d);
    // Attention block: x_mid = x_in + Wo attn(xn)
    std::vector<T>&dattn = zeroed(back_.dattn, n * d), &dq = zeroed(back_.dq, n * d),
    &dk = zeroed(back_.dk, n * d), &dv = zeroed(back_.dv, n * d), &dxn = zeroed(back_.dxn, n * d);
    matmul_backward(backend_, dattn.data(), G + L.wo, dx.data(), A.attn_out.data(), P + L.wo, n, d,
                    d);
    split_pairs(batch_ * heads, [&](size_t first, size_t end) {
      attention_backward(dq.data(), dk.data(), dv.data(), dattn.data(), A.att.data(), A.q.data(),
                         A.k.data(), A.v.data(), batch_, seq_, heads, hd, first, end);
    });
    rope_apply(dq.data(), positions_.data(), n, heads, hd, theta, -1);
    rope_apply(dk.data(), positions_.data(), n, heads, hd, theta, -1);
    matmul_backward(backend_, dxn.data(), G + L.wq, dq.data(), A.xn.data(), P + L.wq, n, d, d);
    matmul_backward(backend_, dxn.data(), G + L.wk, dk.data(), A.xn.data(), P + L.wk, n, d, d);
    matmul_backward(backend_, dxn.data(), G + L.wv, dv.data(), A.xn.data(), P + L.wv, n, d, d);
    rmsnorm_backward(dx.data(), G + L.attn_norm, dxn.data(), A.x_in.data(), P + L.attn_norm,
                     A.rstd1.data(), n, d);
  }
  embedding_backward(G + layout_.embedding, dx.data(), tokens_.data(), n, d);
}

template class Transformer<float>;
template class Transformer<double>;

void set_policy_threads(int threads) {
  if (threads < 1) throw InvalidRequest("the policy needs at least one thread");
  blas::set_num_threads(threads);
}

int policy_threads() {
  return std::max(1, blas::num_threads());
}

std::string kernel_name(Backend backend) {
  if (backend == Backend::Naive) return "naive";
  const char* core = blas::corename();
  return std::string("OpenBLAS ") + (core ? core : "(unknown core)");
}

}  // namespace crucible::policy
