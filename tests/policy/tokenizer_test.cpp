// The byte tokenizer round-trips any bytes and its specials; the model config names its
// bad fields.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "policy/model/config.hpp"
#include "policy/model/tokenizer.hpp"

namespace crucible::policy {
namespace {

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
