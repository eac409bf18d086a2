// The native model: every layer's and every loss's gradient against finite differences
// (in double), the BLAS path against the naive one, overfitting a fixed batch, the KV
// cache against full recomputation. Sampling is in sampler_test.cpp, the tokenizer and the
// model config in tokenizer_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "policy/model/layers.hpp"
#include "policy/model/losses.hpp"
#include "policy/model/optimizer.hpp"
#include "policy/model/sampler.hpp"
#include "policy/model/sft.hpp"

namespace crucible::policy {
namespace {

std::vector<double> random_vector(size_t n, uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = (rng.uniform01() * 2 - 1) * scale;
  return v;
}

// Central differences of a scalar function of `x` against an analytic gradient.
void expect_gradient(const char* what, std::vector<double>& x, const std::vector<double>& analytic,
                     const std::function<double()>& f, double tolerance = 1e-6, size_t stride = 1) {
  ASSERT_EQ(x.size(), analytic.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); i += stride) {
    double keep = x[i], h = 1e-6 * std::max(1.0, std::abs(keep));
    x[i] = keep + h;
    double up = f();
    x[i] = keep - h;
    double down = f();
    x[i] = keep;
    double numeric = (up - down) / (2 * h);
    double err =
        std::abs(numeric - analytic[i]) / std::max(1.0, std::abs(numeric) + std::abs(analytic[i]));
    worst = std::max(worst, err);
  }
  EXPECT_LT(worst, tolerance) << what;
}

// Loss = sum(out * w) for fixed random w, so dout = w.
double weighted(const std::vector<double>& out, const std::vector<double>& w) {
  double s = 0;
  for (size_t i = 0; i < out.size(); ++i) s += out[i] * w[i];
  return s;
}

TEST(LayerGradients, Matmul) {
  const size_t n = 3, in = 4, out = 5;
  auto x = random_vector(n * in, 1), w = random_vector(out * in, 2), dy = random_vector(n * out, 3);
  std::vector<double> y(n * out), dx(n * in, 0), dw(out * in, 0);
  auto f = [&] {
    matmul_forward(Backend::Naive, y.data(), x.data(), w.data(), n, in, out);
    return weighted(y, dy);
  };
  matmul_backward(Backend::Naive, dx.data(), dw.data(), dy.data(), x.data(), w.data(), n, in, out);
  expect_gradient("matmul dx", x, dx, f);
  expect_gradient("matmul dw", w, dw, f);
}

TEST(LayerGradients, RmsNorm) {
  const size_t n = 3, d = 6;
  auto x = random_vector(n * d, 4), g = random_vector(d, 5), dy = random_vector(n * d, 6);
  std::vector<double> y(n * d), rstd(n), dx(n * d, 0), dg(d, 0);
  auto f = [&] {
    rmsnorm_forward(y.data(), rstd.data(), x.data(), g.data(), n, d, 1e-5);
    return weighted(y, dy);
  };
  f();
  rmsnorm_backward(dx.data(), dg.data(), dy.data(), x.data(), g.data(), rstd.data(), n, d);
  expect_gradient("rmsnorm dx", x, dx, f);
  expect_gradient("rmsnorm dg", g, dg, f);
}

TEST(LayerGradients, Rope) {
  const size_t n = 4, heads = 2, hd = 4;
  auto x = random_vector(n * heads * hd, 7), dy = random_vector(n * heads * hd, 8);
  std::vector<int> pos{0, 1, 2, 5};
  auto f = [&] {
    auto y = x;
    rope_apply(y.data(), pos.data(), n, heads, hd, 10000.0, 1);
    return weighted(y, dy);
  };
  auto dx = dy;
  rope_apply(dx.data(), pos.data(), n, heads, hd, 10000.0, -1);
  expect_gradient("rope", x, dx, f);
}

TEST(LayerGradients, CausalAttention) {
  const size_t batch = 2, seq = 4, heads = 2, hd = 3, d = heads * hd, n = batch * seq;
  auto q = random_vector(n * d, 9), k = random_vector(n * d, 10), v = random_vector(n * d, 11),
       dout = random_vector(n * d, 12);
  std::vector<double> out(n * d), att(batch * heads * seq * seq), dq(n * d, 0), dk(n * d, 0),
      dv(n * d, 0);
  auto f = [&] {
    attention_forward(out.data(), att.data(), q.data(), k.data(), v.data(), batch, seq, heads, hd);
    return weighted(out, dout);
  };
  f();
  attention_backward(dq.data(), dk.data(), dv.data(), dout.data(), att.data(), q.data(), k.data(),
                     v.data(), batch, seq, heads, hd);
  expect_gradient("attention dq", q, dq, f);
  expect_gradient("attention dk", k, dk, f);
  expect_gradient("attention dv", v, dv, f);
}

TEST(LayerGradients, SwigluAndGelu) {
  const size_t n = 12;
  auto a = random_vector(n, 13, 3), b = random_vector(n, 14, 3), dh = random_vector(n, 15);
  std::vector<double> h(n), da(n, 0), db(n, 0), dg(n, 0);
  auto fs = [&] {
    swiglu_forward(h.data(), a.data(), b.data(), n);
    return weighted(h, dh);
  };
  swiglu_backward(da.data(), db.data(), dh.data(), a.data(), b.data(), n);
  expect_gradient("swiglu da", a, da, fs);
  expect_gradient("swiglu db", b, db, fs);
  auto fg = [&] {
    gelu_forward(h.data(), a.data(), n);
    return weighted(h, dh);
  };
  gelu_backward(dg.data(), dh.data(), a.data(), n);
  expect_gradient("gelu", a, dg, fg);
}

ModelConfig tiny(bool swiglu, size_t vocab = 11) {
  ModelConfig c;
  c.vocab = vocab;
  c.dim = 8;
  c.layers = 2;
  c.heads = 2;
  c.mlp_dim = 12;
  c.max_seq = 16;
  c.swiglu = swiglu;
  return c;
}

class ModelGradient : public ::testing::TestWithParam<bool> {};

TEST_P(ModelGradient, EveryParameterMatchesFiniteDifferences) {
  Transformer<double> m(tiny(GetParam()), Backend::Naive);
  m.init(3);
  // Perturb the norm gains too, so their gradients are not trivially symmetric.
  for (auto& p : m.params) p += 0.05 * std::sin(static_cast<double>(&p - m.params.data()));
  std::vector<int> tokens{1, 4, 2, 7, 3, 3, 9, 0, 5, 10};
  auto w = random_vector(tokens.size() * 11, 16);
  auto f = [&] {
    const double* logits = m.forward(tokens.data(), 2, 5);
    return weighted(std::vector<double>(logits, logits + tokens.size() * 11), w);
  };
  f();
  m.zero_grad();
  m.backward(w.data());
  expect_gradient(GetParam() ? "swiglu model" : "gelu model", m.params, m.grads, f, 1e-6, 3);
}

INSTANTIATE_TEST_SUITE_P(Mlp, ModelGradient, ::testing::Values(true, false));

struct LossCase {
  const char* name;
  LossSpec spec;
};

class LossGradient : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGradient, MatchesFiniteDifferences) {
  const size_t rows = 6, vocab = 5;
  auto logits = random_vector(rows * vocab, 17, 2);
  LossBatch b;
  b.sequences = 2;
  b.targets = {0, 3, 4, 1, 2, 2};
  b.mask = {0, 1, 1, 1, 1, 0};
  b.advantages = {0.5f, -1.f, 2.f, 0.7f, -0.3f, 1.f};
  // Old log-probs close to the current ones, some far, so both PPO branches are hit.
  std::vector<float> current(rows);
  token_logprobs(logits.data(), rows, vocab, b.targets.data(), current.data(), nullptr);
  b.old_logprobs = {current[0],       current[1] - 0.05f, current[2] - 1.f,
                    current[3] + 1.f, current[4] + 0.1f,  0};
  b.ref_logprobs = {0, current[1] + 0.3f, current[2] - 0.2f, current[3], current[4] - 0.5f, 0};
  std::vector<double> dlogits(rows * vocab), scratch(rows * vocab);
  const LossSpec& sp = GetParam().spec;
  policy_loss(logits.data(), rows, vocab, b, sp, dlogits.data());
  std::function<double()> f = [&] {
    return policy_loss(logits.data(), rows, vocab, b, sp, scratch.data()).loss;
  };
  if (sp.kind == LossKind::Cispo) {
    // CISPO's importance weight is a constant (stop-gradient): differentiate the surrogate
    // -w * A * logp (+ the KL term) with w frozen at its value for the current logits.
    std::vector<double> w(rows);
    for (size_t r = 0; r < rows; ++r)
      w[r] = std::clamp(std::exp(static_cast<double>(current[r]) - b.old_logprobs[r]),
                        1 - sp.eps_low, 1 + sp.eps_high);
    f = [&, w] {
      double loss = 0, counted = 4;
      for (size_t r = 0; r < rows; ++r) {
        if (b.mask[r] <= 0) continue;
        const double* row = logits.data() + r * vocab;
        double mx = *std::max_element(row, row + vocab), sum = 0;
        for (size_t i = 0; i < vocab; ++i) sum += std::exp(row[i] - mx);
        double logp = row[b.targets[r]] - mx - std::log(sum);
        double delta = b.ref_logprobs[r] - logp;
        loss +=
            (-w[r] * b.advantages[r] * logp + sp.kl_coef * (std::exp(delta) - delta - 1)) / counted;
      }
      return loss;
    };
  }
  expect_gradient(GetParam().name, logits, dlogits, f, 1e-5);
  for (size_t i = 0; i < vocab; ++i) EXPECT_EQ(dlogits[i], 0.0) << "masked rows get no gradient";
}

LossSpec spec(LossKind kind, Aggregation agg, double kl = 0) {
  LossSpec s;
  s.kind = kind;
  s.aggregation = agg;
  s.kl_coef = kl;
  s.eps_low = 0.2;
  s.eps_high = 0.28;
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Losses, LossGradient,
    ::testing::Values(
        LossCase{"sft", spec(LossKind::Sft, Aggregation::TokenMean)},
        LossCase{"sft_seq_norm", spec(LossKind::Sft, Aggregation::SeqMeanTokenSumNorm)},
        LossCase{"ppo", spec(LossKind::Ppo, Aggregation::TokenMean)},
        LossCase{"ppo_seq_norm_kl", spec(LossKind::Ppo, Aggregation::SeqMeanTokenSumNorm, 0.1)},
        LossCase{"cispo", spec(LossKind::Cispo, Aggregation::TokenMean)},
        LossCase{"cispo_kl", spec(LossKind::Cispo, Aggregation::TokenMean, 0.05)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Losses, PpoClipsOutsideTheRangeAndReportsIt) {
  const size_t vocab = 3;
  std::vector<double> logits{0, 0, 0};
  LossBatch b;
  b.targets = {0};
  b.mask = {1};
  b.advantages = {1};
  b.old_logprobs = {static_cast<float>(std::log(1.0 / 3) - 1.0)};  // ratio e > 1 + eps_high
  std::vector<double> d(vocab);
  auto r = policy_loss(logits.data(), 1, vocab, b, spec(LossKind::Ppo, Aggregation::TokenMean),
                       d.data());
  EXPECT_EQ(r.clipped_fraction, 1.0);
  for (double g : d) EXPECT_EQ(g, 0.0);
  EXPECT_NEAR(r.mean_entropy, std::log(3.0), 1e-9);
  EXPECT_THROW(policy_loss(logits.data(), 1, vocab, LossBatch{}, LossSpec{}, d.data()),
               InvalidRequest);
}

TEST(Backends, BlasMatchesNaiveForwardAndBackward) {
  ModelConfig c = tiny(true, 40);
  c.dim = 32;
  c.heads = 4;
  c.mlp_dim = 64;
  Transformer<float> blas(c, Backend::Blas), naive(c, Backend::Naive);
  blas.init(5);
  naive.params = blas.params;
  std::vector<int> tokens(24);
  for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = static_cast<int>((i * 7) % 40);
  const float* lb = blas.forward(tokens.data(), 2, 12);
  const float* ln = naive.forward(tokens.data(), 2, 12);
  float worst = 0;
  for (size_t i = 0; i < tokens.size() * 40; ++i) worst = std::max(worst, std::abs(lb[i] - ln[i]));
  EXPECT_LT(worst, 1e-5f);  // stated tolerance: float summation order only
  std::vector<float> dl(tokens.size() * 40);
  for (size_t i = 0; i < dl.size(); ++i) dl[i] = std::sin(static_cast<float>(i));
  blas.zero_grad();
  naive.zero_grad();
  blas.backward(dl.data());
  naive.backward(dl.data());
  float gworst = 0;
  for (size_t i = 0; i < blas.grads.size(); ++i)
    gworst = std::max(gworst, std::abs(blas.grads[i] - naive.grads[i]));
  EXPECT_LT(gworst, 1e-4f);
}

// The attention's (sequence, head) pairs are split between the policy's threads; every
// thread count gives the same logits and gradients to the bit (naive kernels: their products
// are single-threaded, so only the split is compared).
TEST(Backends, AttentionSplitBetweenThreadsChangesNoBit) {
  ModelConfig c = tiny(true, 40);
  c.dim = 32;
  c.heads = 4;
  c.mlp_dim = 64;
  std::vector<int> tokens(5 * 12);
  for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = static_cast<int>((i * 7) % 40);
  std::vector<float> dl(tokens.size() * 40);
  for (size_t i = 0; i < dl.size(); ++i) dl[i] = std::sin(static_cast<float>(i));
  const int previous = policy_threads();
  std::vector<float> logits[3], grads[3];
  for (int threads : {1, 2, 3}) {
    set_policy_threads(threads);
    Transformer<float> m(c, Backend::Naive);
    m.init(5);
    const float* l = m.forward(tokens.data(), 5, 12);
    logits[threads - 1].assign(l, l + dl.size());
    m.zero_grad();
    m.backward(dl.data());
    grads[threads - 1] = m.grads;
  }
  set_policy_threads(previous);
  for (int t : {1, 2}) {
    EXPECT_EQ(0, std::memcmp(logits[0].data(), logits[t].data(), logits[0].size() * 4)) << t + 1;
    EXPECT_EQ(0, std::memcmp(grads[0].data(), grads[t].data(), grads[0].size() * 4)) << t + 1;
  }
}

TEST(Training, OverfitsAFixedBatch) {
  Transformer<float> m(tiny(true, 20));
  m.init(1);
  std::vector<int> tokens{1, 5, 9, 2, 7, 3, 3, 8, 4, 11, 12, 6, 0, 19, 18, 17};
  LossBatch b;
  b.sequences = 2;
  for (size_t i = 0; i < tokens.size(); ++i) {
    b.targets.push_back(i % 8 == 7 ? 0 : tokens[i + 1]);
    b.mask.push_back(i % 8 == 7 ? 0.f : 1.f);
  }
  OptimizerConfig oc;
  oc.lr = 1e-2;
  oc.weight_decay = 0;
  AdamW opt(m.params.size(), decay_mask(m), oc);
  std::vector<float> dl(tokens.size() * 20);
  double first = 0, last = 0;
  for (int step = 0; step < 300; ++step) {
    const float* logits = m.forward(tokens.data(), 2, 8);
    auto r = policy_loss(logits, tokens.size(), 20, b, LossSpec{}, dl.data());
    if (step == 0) first = r.loss;
    last = r.loss;
    m.zero_grad();
    m.backward(dl.data());
    opt.step(m.params, m.grads);
  }
  EXPECT_GT(first, 2.0);
  EXPECT_LT(last, 0.05) << "from " << first;
}

TEST(Optimizer, WarmupThenCosine) {
  OptimizerConfig c;
  c.lr = 1;
  c.warmup = 10;
  c.total = 110;
  c.min_lr_ratio = 0.1;
  AdamW opt(1, {1}, c);
  EXPECT_DOUBLE_EQ(opt.learning_rate(0), 0.1);
  EXPECT_DOUBLE_EQ(opt.learning_rate(9), 1.0);
  EXPECT_DOUBLE_EQ(opt.learning_rate(10), 1.0);
  EXPECT_NEAR(opt.learning_rate(60), 0.55, 1e-12);
  EXPECT_NEAR(opt.learning_rate(110), 0.1, 1e-12);
  EXPECT_NEAR(opt.learning_rate(500), 0.1, 1e-12);
}

TEST(Optimizer, ClipsTheGlobalNorm) {
  OptimizerConfig c;
  c.clip_norm = 1;
  c.weight_decay = 0;
  AdamW opt(2, {0, 0}, c);
  std::vector<float> p{0, 0};
  EXPECT_DOUBLE_EQ(opt.step(p, {3, 4}), 5.0);
  // Adam's first step moves each coordinate by lr * sign.
  EXPECT_NEAR(p[0], -c.lr, 1e-6);
}

TEST(KvCache, StepByStepLogitsEqualFullRecomputation) {
  ModelConfig c = tiny(true, 30);
  Transformer<float> m(c);
  m.init(2);
  std::vector<int> tokens{3, 1, 4, 1, 5, 9, 2, 6};
  const float* full = m.forward(tokens.data(), 1, tokens.size());
  std::vector<float> expected(full, full + tokens.size() * 30);
  Decoder decoder(m);
  KvCache cache(c, 1);
  std::vector<float> logits;
  float worst = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    decoder.step(cache, {0}, {tokens[t]}, {t}, logits);
    for (size_t v = 0; v < 30; ++v)
      worst = std::max(worst, std::abs(logits[v] - expected[t * 30 + v]));
  }
  EXPECT_LT(worst, 1e-5f);
}

TEST(KvCache, PrefillEqualsStepByStepBitForBit) {
  ModelConfig c = tiny(true, 30);
  for (Backend backend : {Backend::Naive, Backend::Blas}) {
    Transformer<float> m(c, backend);
    m.init(6);
    Decoder decoder(m);
    std::vector<int> tokens{3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    KvCache stepped(c, 1), filled(c, 1);
    std::vector<float> step_logits, all_logits;
    decoder.prefill(filled, 0, tokens.data(), tokens.size(), all_logits);
    for (size_t t = 0; t < tokens.size(); ++t) {
      decoder.step(stepped, {0}, {tokens[t]}, {t}, step_logits);
      for (size_t v = 0; v < 30; ++v)
        ASSERT_EQ(step_logits[v], all_logits[t * 30 + v]) << kernel_name(backend) << " t=" << t;
    }
    // The stored positions (keys are [D, max_seq], values [max_seq, D]).
    for (size_t l = 0; l < c.layers; ++l)
      for (size_t p = 0; p < tokens.size(); ++p)
        for (size_t j = 0; j < c.dim; ++j) {
          ASSERT_EQ(stepped.keys(l, 0)[j * c.max_seq + p], filled.keys(l, 0)[j * c.max_seq + p]);
          ASSERT_EQ(stepped.values(l, 0)[p * c.dim + j], filled.values(l, 0)[p * c.dim + j]);
        }
  }
}

}  // namespace
}  // namespace crucible::policy
