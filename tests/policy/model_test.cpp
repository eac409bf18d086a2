// The native model: every layer's and every loss's gradient against finite differences
// (in double), the BLAS path against the naive one, overfitting a fixed batch, the KV
// cache against full recomputation, seeded sampling, resume, forcing, the tokenizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
  KvCache cache(c, 1);
  std::vector<float> logits;
  float worst = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    decode_step(m, cache, {0}, {tokens[t]}, {t}, logits);
    for (size_t v = 0; v < 30; ++v)
      worst = std::max(worst, std::abs(logits[v] - expected[t * 30 + v]));
  }
  EXPECT_LT(worst, 1e-5f);
}

TEST(KvCache, PrefillEqualsStepByStep) {
  ModelConfig c = tiny(true, 30);
  for (Backend backend : {Backend::Naive, Backend::Blas}) {
    Transformer<float> m(c, backend);
    m.init(6);
    std::vector<int> tokens{3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    KvCache stepped(c, 1), filled(c, 1);
    std::vector<float> step_logits, all_logits;
    prefill(m, filled, 0, tokens.data(), tokens.size(), all_logits);
    for (size_t t = 0; t < tokens.size(); ++t) {
      decode_step(m, stepped, {0}, {tokens[t]}, {t}, step_logits);
      for (size_t v = 0; v < 30; ++v) {
        if (backend == Backend::Naive) {
          EXPECT_EQ(step_logits[v], all_logits[t * 30 + v]) << "naive kernels: bit for bit";
        } else {
          EXPECT_NEAR(step_logits[v], all_logits[t * 30 + v], 1e-5);
        }
      }
    }
    for (size_t i = 0; i < tokens.size() * c.dim; ++i)
      EXPECT_NEAR(stepped.keys(0, 0)[i], filled.keys(0, 0)[i], 1e-5);
  }
}

struct SamplingFixture : ::testing::Test {
  Tokenizer tok;
  ModelConfig c = [] {
    ModelConfig x = tiny(true, 261);
    x.max_seq = 64;
    return x;
  }();
  Transformer<float> m{c};
  Sampler sampler{m, tok};
  void SetUp() override { m.init(4); }
};

TEST_F(SamplingFixture, SameSeedSameSamplesOtherSeedOthers) {
  SamplingParams p;
  p.max_tokens = 20;
  p.seed = 11;
  auto a = sampler.generate({"2+2=", "hello"}, p);
  auto b = sampler.generate({"2+2=", "hello"}, p);
  p.seed = 12;
  auto other = sampler.generate({"2+2=", "hello"}, p);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].tokens, b[0].tokens);
  EXPECT_EQ(a[1].tokens, b[1].tokens);
  EXPECT_EQ(a[0].logprobs, b[0].logprobs);
  EXPECT_NE(a[0].tokens, other[0].tokens);
  EXPECT_EQ(a[0].tokens.size(), 20u);
  EXPECT_EQ(a[0].finish_reason, "length");
  for (size_t i = 0; i < a[0].tokens.size(); ++i) {
    EXPECT_LE(a[0].logprobs[i], 0.f);
    EXPECT_NEAR(a[0].logprobs[i], a[0].raw_logprobs[i], 1e-4)
        << "T=1, no filtering: the same distribution";
  }
}

TEST_F(SamplingFixture, ResumeEqualsAnUninterruptedRun) {
  SamplingParams p;
  p.max_tokens = 24;
  p.seed = 5;
  p.top_k = 50;
  p.temperature = 0.9;
  auto whole = sampler.generate({"abc", "the answer is", "x"}, p);
  p.max_tokens = 10;
  auto parts = sampler.generate({"abc", "the answer is", "x"}, p);
  sampler.resume(parts, 7);
  sampler.resume(parts, 7);
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(parts[i].tokens, whole[i].tokens) << i;
    EXPECT_EQ(parts[i].logprobs, whole[i].logprobs) << i;
    EXPECT_EQ(parts[i].finish_reason, whole[i].finish_reason);
  }
}

TEST_F(SamplingFixture, TopKTopPAndTemperatureChangeTheSamplingLogProbs) {
  SamplingParams p;
  p.max_tokens = 12;
  p.seed = 1;
  p.top_k = 3;
  p.top_p = 0.9;
  p.temperature = 0.7;
  auto s = sampler.generate({"q"}, p)[0];
  bool differs = false;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    EXPECT_GE(s.logprobs[i], s.raw_logprobs[i] - 1e-5) << "filtering only concentrates mass";
    differs |= std::abs(s.logprobs[i] - s.raw_logprobs[i]) > 1e-3;
  }
  EXPECT_TRUE(differs);
  p.temperature = 0;
  auto g1 = sampler.generate({"q"}, p)[0], g2 = sampler.generate({"q"}, p)[0];
  EXPECT_EQ(g1.tokens, g2.tokens);
}

TEST_F(SamplingFixture, StopStringsAndTokensEndASample) {
  SamplingParams p;
  p.max_tokens = 40;
  p.seed = 3;
  auto free_run = sampler.generate({"z"}, p)[0];
  ASSERT_GE(free_run.tokens.size(), 5u);
  p.stop_tokens = {free_run.tokens[4]};
  auto stopped = sampler.generate({"z"}, p)[0];
  EXPECT_EQ(stopped.finish_reason, "stop");
  EXPECT_LE(stopped.tokens.size(), 5u);
  EXPECT_EQ(stopped.tokens.back(), free_run.tokens[4]);
  p.stop_tokens.clear();
  p.stop = {tok.decode({free_run.tokens[2], free_run.tokens[3]})};
  auto by_string = sampler.generate({"z"}, p)[0];
  EXPECT_EQ(by_string.finish_reason, "stop");
  EXPECT_LE(by_string.tokens.size(), 4u);
}

TEST_F(SamplingFixture, ForcedTextIsScoredMarkedAndContinued) {
  SamplingParams p;
  p.max_tokens = 5;
  p.seed = 9;
  auto s = sampler.generate({"q"}, p);
  sampler.force(s[0], "</think>");
  ASSERT_EQ(s[0].tokens.size(), 6u);
  EXPECT_EQ(s[0].tokens[5], tok.end_think());
  sampler.resume(s, 4);
  ASSERT_EQ(s[0].tokens.size(), 10u);
  EXPECT_EQ(s[0].logprobs.size(), 10u);
  EXPECT_EQ(s[0].forced, (std::vector<uint8_t>{0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_LT(s[0].raw_logprobs[5], 0.f);
}

// Kept KV states (segmented rollouts, serial exits) must change nothing but the cost:
// with the naive kernels a resume from a kept state equals one that prefills, bit for bit.
struct KeptKvState : SamplingFixture {
  Transformer<float> naive{c, Backend::Naive};
  void SetUp() override { naive.init(4); }
  SamplingParams keep(size_t max_tokens) {
    SamplingParams p;
    p.max_tokens = max_tokens;
    p.seed = 21;
    p.keep_kv_cache = true;
    return p;
  }
  // The same samples resumed with their states dropped: everything is prefilled.
  std::vector<Sample> prefilled(std::vector<Sample> samples, size_t n, const std::string& stamp) {
    for (auto& s : samples) s.kv.reset();
    Sampler(naive, tok, stamp).resume(samples, n);
    return samples;
  }
  void expect_same(const std::vector<Sample>& a, const std::vector<Sample>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].tokens, b[i].tokens) << i;
      EXPECT_EQ(a[i].logprobs, b[i].logprobs) << i;
      EXPECT_EQ(a[i].raw_logprobs, b[i].raw_logprobs) << i;
      EXPECT_EQ(a[i].forced, b[i].forced) << i;
      EXPECT_EQ(a[i].finish_reason, b[i].finish_reason) << i;
    }
  }
};

TEST_F(KeptKvState, ResumingFromAKeptStateEqualsPrefilling) {
  Sampler sampler_w1(naive, tok, "w1");
  auto parts = sampler_w1.generate({"abc", "the answer is"}, keep(6));
  ASSERT_TRUE(parts[0].kv && parts[1].kv);
  sampler_w1.force(parts[1], "</think>");  // forced tokens are scored from the kept state
  auto expected = prefilled(parts, 9, "w1");
  sampler_w1.resume(parts, 9);
  expect_same(parts, expected);
  SamplingParams plain = keep(6);
  plain.keep_kv_cache = false;
  EXPECT_FALSE(sampler_w1.generate({"abc"}, plain)[0].kv) << "kept only when asked";
}

TEST_F(KeptKvState, AStateFromOtherWeightsIsNotUsed) {
  auto parts = Sampler(naive, tok, "w1").generate({"abc", "xyz"}, keep(6));
  for (size_t i = 0; i < naive.params.size(); ++i)  // a weight update
    naive.params[i] += 0.05f * std::sin(static_cast<float>(i));
  auto expected = prefilled(parts, 8, "w2");
  Sampler(naive, tok, "w2").resume(parts, 8);
  expect_same(parts, expected);
  auto unstamped = parts;
  Sampler(naive, tok).resume(unstamped, 4);  // no stamp: nothing is reused or kept
  EXPECT_FALSE(unstamped[0].kv);
}

TEST_F(KeptKvState, EditedOrSharedSamplesAreStillExact) {
  Sampler sampler_w1(naive, tok, "w1");
  auto path = sampler_w1.generate({"q"}, keep(12))[0];
  // Two cut copies share the path's state and run in one batch; a third was edited
  // mid-way after its state was kept.
  Sample early = path, late = path, edited = path;
  early.tokens.resize(4);
  early.logprobs.resize(4);
  early.raw_logprobs.resize(4);
  early.forced.resize(4);
  sampler_w1.force(early, "</think>");
  sampler_w1.force(late, "</think>");
  edited.tokens[3] = 'Z';
  edited.logprobs.resize(3);
  edited.raw_logprobs.resize(3);
  std::vector<Sample> batch{early, late, edited};
  auto expected = prefilled(batch, 5, "w1");
  sampler_w1.resume(batch, 5);
  expect_same(batch, expected);
  auto again = prefilled({path}, 3, "w1");  // the shared path's state was not written to
  std::vector<Sample> resumed{path};
  sampler_w1.resume(resumed, 3);
  expect_same(resumed, again);
}

TEST_F(SamplingFixture, ForcingPastTheContextEndsTheSampleInsteadOfOverflowing) {
  SamplingParams p;
  p.max_tokens = 10;
  auto s = sampler.generate({std::string(40, 'a')}, p);
  sampler.force(s[0], std::string(30, 'b'));  // 1 + 40 + 10 + 30 > 64
  sampler.resume(s, 5);
  EXPECT_EQ(s[0].finish_reason, "max_seq");
  EXPECT_EQ(s[0].tokens.size(), 40u);
}

TEST_F(SamplingFixture, PromptsBeyondTheContextAreRefused) {
  EXPECT_THROW(sampler.generate({std::string(100, 'a')}, {}), InvalidRequest);
  SamplingParams long_run;
  long_run.max_tokens = 100;
  auto s = sampler.generate({std::string(50, 'a')}, long_run)[0];
  EXPECT_EQ(s.finish_reason, "max_seq");
  EXPECT_EQ(s.prompt_tokens.size() + s.tokens.size(), 64u);
}

TEST(TokenizerTest, RoundTripsAnyBytesAndSpecials) {
  Tokenizer tok;
  Rng rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::string s;
    for (int64_t i = 0, n = rng.uniform(0, 64); i < n; ++i)
      s += static_cast<char>(rng.uniform(0, 255));
    EXPECT_EQ(tok.decode(tok.encode(s)), s);
  }
  std::string text = "<think>2+2 = 4 \xE2\x9C\x93</think>\\boxed{4}<eos>";
  auto ids = tok.encode(text);
  EXPECT_EQ(ids.front(), tok.think());
  EXPECT_EQ(ids.back(), tok.eos());
  EXPECT_EQ(tok.decode(ids), text);
  EXPECT_EQ(tok.vocab_size(), 261u);
  EXPECT_THROW(tok.decode({261}), InvalidRequest);
  EXPECT_THROW(Tokenizer::from_json(nlohmann::json{{"type", "bpe"}}), InvalidRequest);
}

TEST(Config, BadFieldsAreNamed) {
  EXPECT_THROW(ModelConfig::from_json(nlohmann::json{{"dim", 10}, {"heads", 4}}), InvalidRequest);
  EXPECT_THROW(ModelConfig::from_json(nlohmann::json{{"dim", 12}, {"heads", 4}}),
               InvalidRequest);  // odd head dim
  EXPECT_THROW(ModelConfig::from_json(nlohmann::json{{"mlp", "relu"}}), InvalidRequest);
  EXPECT_THROW(ModelConfig::from_json(nlohmann::json{{"layers", -1}}), InvalidRequest);
  try {
    ModelConfig::from_json(nlohmann::json{{"depth", 3}});
    ADD_FAILURE();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("depth is not a known field"), std::string::npos);
  }
  auto c = ModelConfig::from_json(nlohmann::json{{"dim", 32}, {"heads", 4}, {"mlp", "gelu"}});
  EXPECT_FALSE(c.swiglu);
  EXPECT_EQ(c.head_dim(), 8u);
}

}  // namespace
}  // namespace crucible::policy
