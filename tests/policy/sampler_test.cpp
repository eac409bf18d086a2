// The native sampler: seeded sampling, resume, top-k/top-p/temperature log-probs, stop
// strings and tokens, forcing, kept KV states, and the context's limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "policy/model/sampler.hpp"

namespace crucible::policy {
namespace {

struct SamplingFixture : ::testing::Test {
  Tokenizer tok;
  ModelConfig c = [] {
    ModelConfig x;  // tiny: width 8, 2 layers, 2 heads, the byte tokenizer's vocabulary
    x.vocab = 261;
    x.dim = 8;
    x.layers = 2;
    x.heads = 2;
    x.mlp_dim = 12;
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

}  // namespace
}  // namespace crucible::policy
