// Checkpoints: round trip, bit-exact training resume, and clear errors for malformed files.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "base/error.hpp"
#include "base/files.hpp"
#include "policy/model/checkpoint.hpp"
#include "policy/model/sft.hpp"

namespace crucible::policy {
namespace {

ModelConfig small_config() {
  ModelConfig c;
  c.vocab = Tokenizer().vocab_size();
  c.dim = 16;
  c.layers = 2;
  c.heads = 2;
  c.mlp_dim = 24;
  c.max_seq = 32;
  return c;
}

std::vector<SftExample> batch_for(size_t step, const Tokenizer& tok) {
  std::vector<SftExample> b;
  for (size_t i = 0; i < 4; ++i) {
    int a = static_cast<int>((step * 7 + i * 3) % 50), c = static_cast<int>((step * 5 + i) % 50);
    SftExample e{tok.encode(std::to_string(a) + "+" + std::to_string(c) + "="),
                 tok.encode(std::to_string(a + c)),
                 {}};
    e.prompt.insert(e.prompt.begin(), tok.bos());
    e.completion.push_back(tok.eos());
    b.push_back(e);
  }
  return b;
}

TEST(Checkpoint, RoundTripsWeightsConfigAndTokenizer) {
  TempDir dir(temp_root());
  Tokenizer tok;
  Transformer<float> m(small_config());
  m.init(8);
  save_checkpoint(dir.path().string() + "/ck", m, tok, nullptr, nlohmann::json::object());
  Checkpoint c = load_checkpoint(dir.path().string() + "/ck");
  EXPECT_EQ(c.params, m.params);
  EXPECT_EQ(nlohmann::json(c.config), nlohmann::json(m.config()));
  EXPECT_FALSE(c.optimizer_config.has_value());
  EXPECT_TRUE(std::filesystem::exists(dir.path().string() + "/ck/config.json"));
  // The header is standard safetensors: 8-byte length, JSON, raw F32.
  std::string bytes = read_file(dir.path().string() + "/ck/model.safetensors");
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  auto header = nlohmann::json::parse(bytes.substr(8, n));
  EXPECT_EQ(header["embedding"]["dtype"], "F32");
  EXPECT_EQ(header["embedding"]["shape"], nlohmann::json({261, 16}));
  EXPECT_EQ(header["__metadata__"]["format"], "crucible");
}

TEST(Checkpoint, TrainingResumesBitExactly) {
  TempDir dir(temp_root());
  Tokenizer tok;
  OptimizerConfig oc;
  oc.lr = 5e-3;
  oc.warmup = 3;
  oc.total = 10;
  Transformer<float> straight(small_config());
  straight.init(1);
  AdamW opt_straight(straight.params.size(), decay_mask(straight), oc);
  SftTrainer trainer_straight(straight, opt_straight);
  for (size_t s = 0; s < 10; ++s) {
    trainer_straight.step(batch_for(s, tok));
    if (s == 4)
      save_checkpoint(dir.path().string() + "/ck", straight, tok, &opt_straight, {{"step", 5}});
  }
  Checkpoint c = load_checkpoint(dir.path().string() + "/ck");
  ASSERT_TRUE(c.optimizer_config.has_value());
  EXPECT_EQ(c.trainer_state["step"], 5);
  Transformer<float> resumed(c.config);
  resumed.params = c.params;
  AdamW opt_resumed(resumed.params.size(), decay_mask(resumed), *c.optimizer_config);
  opt_resumed.m() = c.adam_m;
  opt_resumed.v() = c.adam_v;
  opt_resumed.set_steps(c.optimizer_steps);
  SftTrainer trainer_resumed(resumed, opt_resumed);
  for (size_t s = 5; s < 10; ++s) trainer_resumed.step(batch_for(s, tok));
  EXPECT_EQ(resumed.params, straight.params);  // bit for bit
}

TEST(Checkpoint, MalformedFilesGiveClearErrors) {
  TempDir dir(temp_root());
  Tokenizer tok;
  Transformer<float> m(small_config());
  m.init(2);
  std::string ck = dir.path().string() + "/ck";
  save_checkpoint(ck, m, tok, nullptr, {});
  std::string good = read_file(ck + "/model.safetensors");
  auto expect_error = [&](const std::string& bytes, const std::string& message) {
    write_file(ck + "/model.safetensors", bytes);
    try {
      load_checkpoint(ck);
      ADD_FAILURE() << "accepted: " << message;
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  expect_error("abc", "shorter than the 8-byte header");
  expect_error(std::string("\xff\xff\xff\xff\x00\x00\x00\x00", 8) + "{}", "exceeds the file");
  expect_error(good.substr(0, good.size() - 100), "outside the data");
  std::string bad_json = good;
  bad_json[8] = '[';
  expect_error(bad_json, "not a JSON object");
  std::string renamed = good;
  size_t at = renamed.find("\"final_norm\"");
  renamed.replace(at, 12, "\"final_nrom\"");
  expect_error(renamed, "tensor final_norm is missing");
  std::string f16 = good;
  at = f16.find("F32");
  f16.replace(at, 3, "F16");
  expect_error(f16, "only dtype F32");
  EXPECT_THROW(load_checkpoint(dir.path().string() + "/nowhere"), InvalidRequest);
}

}  // namespace
}  // namespace crucible::policy
