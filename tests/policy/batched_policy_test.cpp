// Continuous batching: calls from many threads decode together, and each call gets exactly
// the samples it would get alone (tokens, log-probs, text, finish reason), whatever else
// shared its rounds, with idle rows filled or not, and above the row limit.
#include "policy/batched_policy.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "base/error.hpp"
#include "policy/native_policy.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::policy {
namespace {

struct Ask {
  std::vector<std::string> prompts;
  SamplingParams params;
};

// Calls of different lengths, sampling settings and stopping rules.
std::vector<Ask> mixed_calls() {
  std::vector<Ask> asks;
  for (size_t k = 0; k < 6; ++k) {
    Ask a;
    a.prompts = {"p" + std::to_string(k), "q" + std::to_string(k) + " longer prompt"};
    if (k % 3 == 0) a.prompts.resize(1);
    a.params.max_tokens = 5 + 13 * k;
    a.params.seed = 100 + k;
    a.params.temperature = k == 2 ? 0.0 : 0.7 + 0.1 * static_cast<double>(k);
    a.params.top_k = k == 4 ? 5 : 0;
    a.params.top_logprobs = k == 1 ? 3 : 0;
    if (k == 3) a.params.stop = {"e"};
    if (k == 5) a.params.stop_tokens = {'a', 'o'};
    asks.push_back(a);
  }
  return asks;
}

void expect_same(const std::vector<Sample>& got, const std::vector<Sample>& want, size_t call) {
  ASSERT_EQ(got.size(), want.size()) << "call " << call;
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("call " + std::to_string(call) + " sample " + std::to_string(i));
    EXPECT_EQ(got[i].tokens, want[i].tokens);
    EXPECT_EQ(got[i].logprobs, want[i].logprobs);
    EXPECT_EQ(got[i].raw_logprobs, want[i].raw_logprobs);
    EXPECT_EQ(got[i].top_logprobs, want[i].top_logprobs);
    EXPECT_EQ(got[i].text, want[i].text);
    EXPECT_EQ(got[i].finish_reason, want[i].finish_reason);
    EXPECT_EQ(got[i].params.max_tokens, want[i].params.max_tokens);
    EXPECT_FALSE(got[i].kv) << "a call that did not ask to keep its KV state got it";
  }
}

void check_concurrent_calls(BatchingOptions options) {
  NativePolicy native(testing::tiny_model(2, 128, 5), Tokenizer(), "tiny");
  auto asks = mixed_calls();
  std::vector<std::vector<Sample>> alone;
  for (const auto& a : asks) alone.push_back(native.generate(a.prompts, a.params));
  BatchedPolicy batched(native, options);
  std::vector<std::future<std::vector<Sample>>> calls;
  for (const auto& a : asks)
    calls.push_back(std::async(std::launch::async,
                               [&batched, a] { return batched.generate(a.prompts, a.params); }));
  for (size_t k = 0; k < asks.size(); ++k) expect_same(calls[k].get(), alone[k], k);
  EXPECT_GT(batched.rounds(), 0u);
  EXPECT_LE(batched.rows_decoded(), batched.rounds() * options.max_rows);
}

TEST(BatchedPolicy, ConcurrentCallsGetTheSamplesTheyWouldGetAlone) {
  check_concurrent_calls({.chunk_tokens = 8, .max_rows = 64});
}

TEST(BatchedPolicy, FillerRowsChangeNothing) {
  check_concurrent_calls({.chunk_tokens = 8, .max_rows = 16, .fixed_rows = true});
}

TEST(BatchedPolicy, CallsBeyondTheRowLimitWaitTheirTurn) {
  check_concurrent_calls({.chunk_tokens = 3, .max_rows = 2});
}

// Calls that arrive together share rounds: far fewer rounds than one call at a time.
TEST(BatchedPolicy, ConcurrentCallsShareRounds) {
  NativePolicy native(testing::tiny_model(2, 128, 5), Tokenizer(), "tiny");
  BatchedPolicy batched(native, {.chunk_tokens = 4, .max_rows = 64});
  SamplingParams p;
  p.max_tokens = 40;
  p.stop_tokens = {};
  std::vector<std::future<std::vector<Sample>>> calls;
  std::promise<void> go;
  std::shared_future<void> ready = go.get_future().share();
  for (int k = 0; k < 8; ++k)
    calls.push_back(std::async(std::launch::async, [&, k] {
      ready.wait();
      SamplingParams mine = p;
      mine.seed = static_cast<uint64_t>(k);
      return batched.generate({"x" + std::to_string(k)}, mine);
    }));
  go.set_value();
  for (auto& c : calls) EXPECT_EQ(c.get()[0].tokens.size(), 40u);
  // Alone, 8 calls of 40 tokens take 8 x 10 rounds; joined, the batch held more than one
  // call's row in its rounds on average.
  EXPECT_GT(batched.rows_decoded(), batched.rounds()) << batched.rounds() << " rounds";
}

TEST(BatchedPolicy, NothingToDrawAndBadOptions) {
  NativePolicy native(testing::tiny_model(2, 64, 5), Tokenizer(), "tiny");
  BatchedPolicy batched(native, {});
  SamplingParams none;
  none.max_tokens = 0;
  auto s = batched.generate({"a", "b"}, none);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s[0].tokens.empty());
  EXPECT_EQ(s[0].finish_reason, "length");
  EXPECT_TRUE(batched.generate({}, SamplingParams{}).empty());
  EXPECT_THROW(BatchedPolicy(native, {.chunk_tokens = 0}), InvalidRequest);
  EXPECT_THROW(BatchedPolicy(native, {.max_rows = 0}), InvalidRequest);
}

}  // namespace
}  // namespace crucible::policy
