// The decoder-only transformer: token embedding (tied with the output), then per layer
// pre-norm RMSNorm -> causal multi-head attention with RoPE -> residual, pre-norm
// RMSNorm -> MLP (SwiGLU or GELU) -> residual; a final RMSNorm and the tied output.
// All parameters live in one contiguous buffer (so the optimizer is one loop), and so do
// their gradients. Templated on the scalar: float for use, double for gradient checks.
//
//   Transformer<float> m(config);  m.init(seed);
//   const float* logits = m.forward(tokens, batch, seq);    // [batch*seq, vocab]
//   m.zero_grad();  m.backward(dlogits);                     // grads in m.grads
#pragma once

#include <vector>

#include "policy/model/config.hpp"
#include "policy/model/kernels.hpp"

namespace crucible::policy {

// Where each tensor sits in the parameter buffer (offsets in elements).
struct ParamLayout {
  struct Layer {
    size_t attn_norm, wq, wk, wv, wo, mlp_norm, w1, w3, w2;  // w3 only with SwiGLU
  };
  size_t embedding = 0;  // [vocab, dim]
  std::vector<Layer> layers;
  size_t final_norm = 0;  // [dim]
  size_t total = 0;

  explicit ParamLayout(const ModelConfig& c);
  // (name, offset, rows, cols) of every tensor, in buffer order; cols = 1 for vectors.
  struct Tensor {
    std::string name;
    size_t offset, rows, cols;
    bool decays;  // matrices decay under AdamW, norm gains do not
  };
  std::vector<Tensor> tensors(const ModelConfig& c) const;
};

template <typename T>
class Transformer {
 public:
  explicit Transformer(const ModelConfig& config, Backend backend = Backend::Blas);

  // Normal(0, 0.02) weights, residual projections scaled by 1/sqrt(2 layers), unit gains.
  void init(uint64_t seed);
  // tokens [batch*seq] -> logits [batch*seq, vocab]; keeps what backward needs.
  const T* forward(const int* tokens, size_t batch, size_t seq);
  // Accumulates the gradient of the last forward's logits into `grads`.
  void backward(const T* dlogits);
  void zero_grad();

  const ModelConfig& config() const { return config_; }
  const ParamLayout& layout() const { return layout_; }
  Backend backend() const { return backend_; }
  void set_backend(Backend b) { backend_ = b; }

  std::vector<T> params, grads;

 private:
  struct LayerActs {
    std::vector<T> x_in, xn, rstd1, q, k, v, att, attn_out, x_mid, xn2, rstd2, a, b, h;
  };
  ModelConfig config_;
  ParamLayout layout_;
  Backend backend_;
  size_t batch_ = 0, seq_ = 0;
  std::vector<int> tokens_, positions_;
  std::vector<LayerActs> acts_;
  std::vector<T> x_final_, xf_, rstd_f_, logits_;
  // Buffers of one pass kept between calls: allocating them per step cost a page fault per
  // page of each (a fifth of a training step of the small configs).
  std::vector<T> x_, y_;
  struct Gradients {
    std::vector<T> dxf, dx, dh, da, db, dxn2, dattn, dq, dk, dv, dxn;
  } back_;
};

extern template class Transformer<float>;
extern template class Transformer<double>;

}  // namespace crucible::policy
