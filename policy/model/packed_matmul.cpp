#include "policy/model/packed_matmul.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "base/error.hpp"
#include "policy/model/packed_kernels.hpp"

namespace crucible::policy {

namespace {

constexpr size_t kWidestLanes = 16;

bool cpu_has(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return __builtin_cpu_supports("avx512f");
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2");
    case Isa::Sse2:
      return true;
  }
  return false;
}

Isa isa_from_environment() {
  const char* asked = std::getenv("CRUCIBLE_POLICY_ISA");
  if (!asked || !*asked) return supported_isas().front();
  for (Isa isa : {Isa::Avx512, Isa::Avx2, Isa::Sse2})
    if (isa_name(isa) == asked) {
      if (!cpu_has(isa))
        throw InvalidRequest("CRUCIBLE_POLICY_ISA=" + std::string(asked) +
                             ": this CPU does not have it");
      return isa;
    }
  throw InvalidRequest("CRUCIBLE_POLICY_ISA=" + std::string(asked) +
                       ": unknown; known: avx512, avx2, sse2");
}

}  // namespace

std::string isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    case Isa::Sse2:
      return "sse2";
  }
  return "?";
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::Avx512, Isa::Avx2, Isa::Sse2})
    if (cpu_has(isa)) out.push_back(isa);
  return out;
}

Isa default_isa() {
  static const Isa chosen = isa_from_environment();
  return chosen;
}

PackedMatrix pack_matrix(const float* w, size_t out, size_t in) {
  PackedMatrix p;
  p.in = in;
  p.out = out;
  p.ld = (out + kWidestLanes - 1) / kWidestLanes * kWidestLanes;
  p.wt.resize(in * p.ld);  // recycled memory: every element is written below
  for (size_t i = 0; i < in; ++i) {
    float* row = p.wt.data() + i * p.ld;
    for (size_t o = 0; o < out; ++o) row[o] = w[o * in + i];
    std::fill(row + out, row + p.ld, 0.f);
  }
  return p;
}

void packed_matmul(float* y, const float* x, const PackedMatrix& w, size_t n, Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return packed_avx512::matmul(y, x, w.wt.data(), n, w.in, w.ld, w.out);
    case Isa::Avx2:
      return packed_avx2::matmul(y, x, w.wt.data(), n, w.in, w.ld, w.out);
    case Isa::Sse2:
      return packed_sse2::matmul(y, x, w.wt.data(), n, w.in, w.ld, w.out);
  }
}

void packed_attend(float* out, float* scores, const float* q, const float* kt, size_t kstride,
                   const float* v, size_t vstride, size_t heads, size_t hd, size_t last,
                   float scale, Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return packed_avx512::attend(out, scores, q, kt, kstride, v, vstride, heads, hd, last, scale);
    case Isa::Avx2:
      return packed_avx2::attend(out, scores, q, kt, kstride, v, vstride, heads, hd, last, scale);
    case Isa::Sse2:
      return packed_sse2::attend(out, scores, q, kt, kstride, v, vstride, heads, hd, last, scale);
  }
}

float softmax_exp(float x) {
  // Baseline instructions: the kernels' own copies compute the same bits.
  return packed_sse2::softmax_exp(x);
}

void naive_attend(float* out, float* scores, const float* q, const float* kt, size_t kstride,
                  const float* v, size_t vstride, size_t heads, size_t hd, size_t last,
                  float scale) {
  for (size_t h = 0; h < heads; ++h) {
    const float* qh = q + h * hd;
    float* o = out + h * hd;
    float mx = -INFINITY;
    for (size_t t = 0; t <= last; ++t) {
      float dot = 0;
      for (size_t e = 0; e < hd; ++e) dot += qh[e] * kt[(h * hd + e) * kstride + t];
      scores[t] = dot * scale;
      mx = std::max(mx, scores[t]);
    }
    float sum = 0;
    for (size_t t = 0; t <= last; ++t) scores[t] = softmax_exp(scores[t] - mx);
    for (size_t t = 0; t <= last; ++t) sum += scores[t];
    std::fill(o, o + hd, 0.f);
    for (size_t t = 0; t <= last; ++t) {
      const float* vs = v + t * vstride + h * hd;
      float w = scores[t] / sum;
      for (size_t e = 0; e < hd; ++e) o[e] += w * vs[e];
    }
  }
}

}  // namespace crucible::policy
