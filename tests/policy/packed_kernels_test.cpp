// The packed inference kernels against the naive ones: bit for bit on every instruction set
// this CPU runs, at shapes that exercise every tile edge; and the whole decoder and sampler
// under the BLAS backend (packed kernels) against the naive backend.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "policy/model/decoder.hpp"
#include "policy/model/kernels.hpp"
#include "policy/model/recycled_memory.hpp"
#include "policy/model/sampler.hpp"

namespace crucible::policy {
namespace {

std::vector<float> random_floats(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.uniform01() * 2 - 1);
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(PackedMatmul, EqualsTheNaiveKernelBitForBitOnEveryInstructionSet) {
  ASSERT_FALSE(supported_isas().empty());
  for (Isa isa : supported_isas())
    for (size_t n : {1, 2, 3, 4, 5, 9, 33})
      for (size_t in : {1, 7, 16, 64})
        for (size_t out : {1, 5, 16, 17, 63, 64, 65, 200, 261}) {
          auto x = random_floats(n * in, n * 131 + in);
          auto w = random_floats(out * in, out * 7 + in);
          std::vector<float> expected(n * out), got(n * out, NAN);
          matmul_forward(Backend::Naive, expected.data(), x.data(), w.data(), n, in, out);
          packed_matmul(got.data(), x.data(), pack_matrix(w.data(), out, in), n, isa);
          ASSERT_TRUE(same_bits(expected, got))
              << isa_name(isa) << " n=" << n << " in=" << in << " out=" << out;
        }
}

TEST(PackedMatmul, WritesNothingPastTheOutput) {
  for (Isa isa : supported_isas()) {
    const size_t n = 3, in = 5, out = 7;  // the last vector of every row is partial
    auto x = random_floats(n * in, 1);
    auto w = random_floats(out * in, 2);
    std::vector<float> y(n * out + 16, 42.f);
    packed_matmul(y.data(), x.data(), pack_matrix(w.data(), out, in), n, isa);
    for (size_t i = n * out; i < y.size(); ++i) ASSERT_EQ(y[i], 42.f) << isa_name(isa);
  }
}

TEST(PackedAttend, EqualsTheNaiveRowBitForBitOnEveryInstructionSet) {
  const size_t seq = 70;
  for (Isa isa : supported_isas())
    for (size_t heads : {1, 3, 4})
      for (size_t hd : {2, 8, 16, 20, 32, 64})
        for (size_t last : {0, 1, 15, 16, 17, 69}) {
          const size_t d = heads * hd, vstride = d + 3;
          auto q = random_floats(d, hd + heads);
          auto kt = random_floats(d * seq, hd + 100);
          auto v = random_floats(seq * vstride, last + 200);
          float scale = 1.f / std::sqrt(static_cast<float>(hd));
          std::vector<float> expected(d, NAN), got(d, NAN), scores(heads * seq);
          naive_attend(expected.data(), scores.data(), q.data(), kt.data(), seq, v.data(), vstride,
                       heads, hd, last, scale);
          packed_attend(got.data(), scores.data(), q.data(), kt.data(), seq, v.data(), vstride,
                        heads, hd, last, scale, isa);
          ASSERT_TRUE(same_bits(expected, got))
              << isa_name(isa) << " heads=" << heads << " hd=" << hd << " last=" << last;
        }
}

ModelConfig small_config(bool swiglu) {
  ModelConfig c;
  c.vocab = 261;
  c.dim = 24;
  c.layers = 2;
  c.heads = 3;
  c.mlp_dim = 40;
  c.max_seq = 48;
  c.swiglu = swiglu;
  return c;
}

// Restores the policy's thread count when a test that sets one ends, however it ends.
struct PolicyThreads {
  explicit PolicyThreads(int n) : previous(policy_threads()) { set_policy_threads(n); }
  ~PolicyThreads() { set_policy_threads(previous); }
  int previous;
};

// On every thread count: a step's rows split between threads compute what one thread does.
TEST(Decoder, BlasBackendGivesTheNaiveLogitsBitForBit) {
  for (int threads : {1, 2, 3})
    for (bool swiglu : {true, false}) {
      ModelConfig c = small_config(swiglu);
      Transformer<float> fast(c, Backend::Blas), naive(c, Backend::Naive);
      fast.init(3);
      naive.params = fast.params;
      PolicyThreads use(threads);
      Decoder fast_decoder(fast), naive_decoder(naive);
      const std::string where =
          std::to_string(threads) + (swiglu ? " threads, swiglu" : " threads, gelu");
      KvCache fast_cache(c, 4), naive_cache(c, 4);
      std::vector<int> prompt{5, 70, 71, 72, 9, 33};
      std::vector<float> a, b;
      for (size_t slot = 0; slot < 4; ++slot) {  // prompts of different lengths
        fast_decoder.prefill(fast_cache, slot, prompt.data(), 2 + slot, a);
        naive_decoder.prefill(naive_cache, slot, prompt.data(), 2 + slot, b);
        ASSERT_TRUE(same_bits(a, b)) << "prefill of slot " << slot << ", " << where;
      }
      // Then steps of the slots together, each at its own position.
      for (size_t s = 0; s < 20; ++s) {
        std::vector<size_t> slots{0, 1, 2}, positions{2 + s, 3 + s, 4 + s};
        std::vector<int> tokens{static_cast<int>(s % 200), 100, static_cast<int>(7 * s % 261)};
        fast_decoder.step(fast_cache, slots, tokens, positions, a);
        naive_decoder.step(naive_cache, slots, tokens, positions, b);
        ASSERT_TRUE(same_bits(a, b)) << "step " << s << ", " << where;
      }
      // Two rows of one slot in one step (a resumed sample's known tokens) beside others.
      std::vector<size_t> slots{3, 3, 0, 1}, positions{5, 6, 22, 23};
      std::vector<int> tokens{40, 41, 42, 43};
      fast_decoder.step(fast_cache, slots, tokens, positions, a);
      naive_decoder.step(naive_cache, slots, tokens, positions, b);
      ASSERT_TRUE(same_bits(a, b)) << "rows of one slot, " << where;
    }
}

TEST(PolicyThreadCount, IsTheOneSetAndRefusesZero) {
  EXPECT_GE(policy_threads(), 1);
  {
    PolicyThreads use(3);
    EXPECT_EQ(policy_threads(), 3);
    EXPECT_THROW(set_policy_threads(0), crucible::InvalidRequest);
    EXPECT_EQ(policy_threads(), 3);
  }
}

TEST(Decoder, RefusesAStepWhoseListsDisagree) {
  ModelConfig c = small_config(true);
  Transformer<float> m(c, Backend::Blas);
  m.init(1);
  Decoder decoder(m);
  KvCache cache(c, 2);
  std::vector<float> logits;
  EXPECT_THROW(decoder.step(cache, {0, 1}, {5}, {0, 0}, logits), crucible::InvalidRequest);
}

TEST(Sampler, BlasAndNaiveBackendsSampleTheSameTokensAndLogProbs) {
  ModelConfig c = small_config(true);
  Tokenizer tok;
  Transformer<float> fast(c, Backend::Blas), naive(c, Backend::Naive);
  fast.init(8);
  naive.params = fast.params;
  SamplingParams p;
  p.max_tokens = 30;
  p.seed = 5;
  p.temperature = 1.0;
  std::vector<std::string> prompts{"7*8=", "a longer prompt: 12+30=", "x", "9-4=", "(3+4)*2="};
  auto b = Sampler(naive, tok).generate(prompts, p);
  for (int threads : {1, 2}) {
    PolicyThreads use(threads);
    auto a = Sampler(fast, tok).generate(prompts, p);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].tokens, b[i].tokens) << i << ", " << threads << " threads";
      EXPECT_EQ(a[i].logprobs, b[i].logprobs) << i << ", " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace crucible::policy

namespace crucible::policy {
namespace {

TEST(RecycledMemory, AFreedCacheIsReusedAndThePoolStaysBounded) {
  ModelConfig c = small_config(true);
  const float* first = nullptr;
  {
    auto state = empty_kv_state(c);
    first = state->k.data();
    const size_t held = recycled_pool_bytes();
    state.reset();
    EXPECT_EQ(recycled_pool_bytes(), held + 2 * c.layers * c.max_seq * c.dim * sizeof(float));
  }
  auto again = empty_kv_state(c);
  EXPECT_TRUE(again->k.data() == first || again->v.data() == first);
  // More caches than the pool keeps: the rest are freed, not kept.
  const size_t block = again->k.size() * sizeof(float);
  const size_t limit = recycled_pool_limit();
  set_recycled_pool_limit(5 * block);
  EXPECT_LE(recycled_pool_bytes(), 5 * block);
  {
    std::vector<std::shared_ptr<KvState>> many;
    for (size_t i = 0; i < 10; ++i) many.push_back(empty_kv_state(c));
  }
  EXPECT_EQ(recycled_pool_bytes(), 5 * block);
  set_recycled_pool_limit(limit);
}

// The attention's exponential against the C library's, over the range a softmax meets
// (x = score - max <= 0) and past it; ends and NaN as documented.
TEST(SoftmaxExp, IsWithinTwoMillionthsOfExpAndHandlesTheEnds) {
  double worst = 0;
  for (int i = 0; i <= 2000000; ++i) {
    float x = -87.f + 88.f * static_cast<float>(i) / 2000000.f;  // -87 .. 1
    double want = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::fabs(softmax_exp(x) - want) / want);
  }
  EXPECT_LT(worst, 2e-7);
  EXPECT_EQ(softmax_exp(0.f), 1.f);
  EXPECT_EQ(softmax_exp(-0.f), 1.f);
  EXPECT_EQ(softmax_exp(-88.f), 0.f);
  EXPECT_EQ(softmax_exp(-1e30f), 0.f);
  EXPECT_EQ(softmax_exp(-INFINITY), 0.f);
  EXPECT_TRUE(std::isnan(softmax_exp(NAN)));
  EXPECT_TRUE(std::isfinite(softmax_exp(1e30f)));
}

}  // namespace
}  // namespace crucible::policy
