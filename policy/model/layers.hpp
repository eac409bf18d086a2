// The transformer's layers as forward/backward pairs over plain arrays, templated on the
// scalar so tests can check every gradient in double against finite differences.
// Shapes: N rows (batch x sequence positions), D model width, H heads, F MLP width.
// Backward functions accumulate (+=) into their gradient outputs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace crucible::policy {

// out[N,D] = table[tokens[n]]; table[V,D].
template <typename T>
void embedding_forward(T* out, const int* tokens, const T* table, size_t n, size_t d) {
  for (size_t r = 0; r < n; ++r)
    for (size_t i = 0; i < d; ++i) out[r * d + i] = table[static_cast<size_t>(tokens[r]) * d + i];
}
template <typename T>
void embedding_backward(T* dtable, const T* dout, const int* tokens, size_t n, size_t d) {
  for (size_t r = 0; r < n; ++r)
    for (size_t i = 0; i < d; ++i)
      dtable[static_cast<size_t>(tokens[r]) * d + i] += dout[r * d + i];
}

// y[N,D] = x / sqrt(mean(x^2) + eps) * g[D]; saves rstd[N].
template <typename T>
void rmsnorm_forward(T* y, T* rstd, const T* x, const T* g, size_t n, size_t d, T eps) {
  for (size_t r = 0; r < n; ++r) {
    const T* xr = x + r * d;
    T ss = 0;
    for (size_t i = 0; i < d; ++i) ss += xr[i] * xr[i];
    T s = T(1) / std::sqrt(ss / static_cast<T>(d) + eps);
    rstd[r] = s;
    for (size_t i = 0; i < d; ++i) y[r * d + i] = xr[i] * s * g[i];
  }
}
template <typename T>
void rmsnorm_backward(T* dx, T* dg, const T* dy, const T* x, const T* g, const T* rstd, size_t n,
                      size_t d) {
  for (size_t r = 0; r < n; ++r) {
    const T* xr = x + r * d;
    const T* dyr = dy + r * d;
    T s = rstd[r], dot = 0;
    for (size_t i = 0; i < d; ++i) {
      dg[i] += dyr[i] * xr[i] * s;
      dot += g[i] * dyr[i] * xr[i];
    }
    T k = s * s * s * dot / static_cast<T>(d);
    for (size_t i = 0; i < d; ++i) dx[r * d + i] += s * g[i] * dyr[i] - k * xr[i];
  }
}

// Rotary position embedding, in place on x[N, H*hd]: each pair (2j, 2j+1) of each head
// turns by pos[n] * theta^(-2j/hd). Backward turns the gradient back (sign = -1).
template <typename T>
void rope_apply(T* x, const int* pos, size_t n, size_t heads, size_t hd, T theta, int sign) {
  std::vector<T> freq(hd / 2);
  for (size_t j = 0; j < hd / 2; ++j)
    freq[j] = std::pow(theta, -static_cast<T>(2 * j) / static_cast<T>(hd));
  for (size_t r = 0; r < n; ++r)
    for (size_t j = 0; j < hd / 2; ++j) {
      T angle = static_cast<T>(pos[r]) * freq[j];
      T c = std::cos(angle), s = static_cast<T>(sign) * std::sin(angle);
      for (size_t h = 0; h < heads; ++h) {  // every head turns by the same angle
        T* p = x + r * heads * hd + h * hd + 2 * j;
        T a = p[0], b = p[1];
        p[0] = a * c - b * s;
        p[1] = a * s + b * c;
      }
    }
}

// Causal multi-head attention over B sequences of S positions each (rows b*S + t).
// q, k, v, out: [B*S, H*hd]; att: [B, H, S, S] (probabilities, saved for backward).
// Only the (sequence, head) pairs b*H + h in [first, end) are computed: pairs touch disjoint
// parts of every output, so threads can split them and get the same bits.
template <typename T>
void attention_forward(T* out, T* att, const T* q, const T* k, const T* v, size_t batch, size_t seq,
                       size_t heads, size_t hd, size_t first = 0, size_t end = SIZE_MAX) {
  size_t d = heads * hd;
  T scale = T(1) / std::sqrt(static_cast<T>(hd));
  end = std::min(end, batch * heads);
  for (size_t pair = first; pair < end; ++pair) {
    const size_t b = pair / heads, h = pair % heads;
    for (size_t t = 0; t < seq; ++t) {
      const T* qt = q + (b * seq + t) * d + h * hd;
      T* a = att + ((b * heads + h) * seq + t) * seq;
      T mx = -INFINITY;
      for (size_t s = 0; s <= t; ++s) {
        const T* ks = k + (b * seq + s) * d + h * hd;
        T dot = 0;
        for (size_t i = 0; i < hd; ++i) dot += qt[i] * ks[i];
        a[s] = dot * scale;
        mx = std::max(mx, a[s]);
      }
      T sum = 0;
      for (size_t s = 0; s <= t; ++s) sum += a[s] = std::exp(a[s] - mx);
      for (size_t s = 0; s <= t; ++s) a[s] /= sum;
      for (size_t s = t + 1; s < seq; ++s) a[s] = 0;
      T* o = out + (b * seq + t) * d + h * hd;
      for (size_t i = 0; i < hd; ++i) o[i] = 0;
      for (size_t s = 0; s <= t; ++s) {
        const T* vs = v + (b * seq + s) * d + h * hd;
        for (size_t i = 0; i < hd; ++i) o[i] += a[s] * vs[i];
      }
    }
  }
}
// The pairs [first, end) only, as attention_forward.
template <typename T>
void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* att, const T* q, const T* k,
                        const T* v, size_t batch, size_t seq, size_t heads, size_t hd,
                        size_t first = 0, size_t end = SIZE_MAX) {
  size_t d = heads * hd;
  T scale = T(1) / std::sqrt(static_cast<T>(hd));
  std::vector<T> datt(seq);
  end = std::min(end, batch * heads);
  for (size_t pair = first; pair < end; ++pair) {
    const size_t b = pair / heads, h = pair % heads;
    for (size_t t = 0; t < seq; ++t) {
      const T* a = att + ((b * heads + h) * seq + t) * seq;
      const T* dot = dout + (b * seq + t) * d + h * hd;
      T weighted = 0;
      for (size_t s = 0; s <= t; ++s) {
        const T* vs = v + (b * seq + s) * d + h * hd;
        T* dvs = dv + (b * seq + s) * d + h * hd;
        T g = 0;
        for (size_t i = 0; i < hd; ++i) {
          g += dot[i] * vs[i];
          dvs[i] += a[s] * dot[i];
        }
        datt[s] = g;
        weighted += a[s] * g;
      }
      const T* qt = q + (b * seq + t) * d + h * hd;
      T* dqt = dq + (b * seq + t) * d + h * hd;
      for (size_t s = 0; s <= t; ++s) {
        T ds = a[s] * (datt[s] - weighted) * scale;
        const T* ks = k + (b * seq + s) * d + h * hd;
        T* dks = dk + (b * seq + s) * d + h * hd;
        for (size_t i = 0; i < hd; ++i) {
          dqt[i] += ds * ks[i];
          dks[i] += ds * qt[i];
        }
      }
    }
  }
}

// SwiGLU: h[N,F] = silu(a) * b.
template <typename T>
void swiglu_forward(T* h, const T* a, const T* b, size_t count) {
  for (size_t i = 0; i < count; ++i) h[i] = a[i] / (T(1) + std::exp(-a[i])) * b[i];
}
template <typename T>
void swiglu_backward(T* da, T* db, const T* dh, const T* a, const T* b, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    T sig = T(1) / (T(1) + std::exp(-a[i]));
    da[i] += dh[i] * b[i] * sig * (T(1) + a[i] * (T(1) - sig));
    db[i] += dh[i] * a[i] * sig;
  }
}

// GELU, tanh approximation: h = 0.5 a (1 + tanh(c (a + 0.044715 a^3))).
template <typename T>
void gelu_forward(T* h, const T* a, size_t count) {
  const T c = std::sqrt(T(2) / T(M_PI));
  for (size_t i = 0; i < count; ++i)
    h[i] = T(0.5) * a[i] * (T(1) + std::tanh(c * (a[i] + T(0.044715) * a[i] * a[i] * a[i])));
}
template <typename T>
void gelu_backward(T* da, const T* dh, const T* a, size_t count) {
  const T c = std::sqrt(T(2) / T(M_PI));
  for (size_t i = 0; i < count; ++i) {
    T x = a[i], u = c * (x + T(0.044715) * x * x * x), th = std::tanh(u);
    T du = c * (T(1) + T(3) * T(0.044715) * x * x);
    da[i] += dh[i] * (T(0.5) * (T(1) + th) + T(0.5) * x * (T(1) - th * th) * du);
  }
}

}  // namespace crucible::policy
