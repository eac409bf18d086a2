// Tool-integrated turns in the self-training loop: a policy warm-started on tool
// demonstrations calls the real jail while it trains and while it is evaluated; the
// records carry the calls and their masked environment spans, the metrics count them
// exactly as the records do, and configs that cannot hold tools are refused by name.
#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "base/files.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "policy/remote/policy_server.hpp"
#include "rollout/sft_data.hpp"
#include "rollout/train/report.hpp"
#include "rollout/train/self_train.hpp"
#include "sandbox/service/access.hpp"
#include "tasks/generators.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::rollout {
namespace {

using nlohmann::json;

std::vector<json> lines_of(const std::filesystem::path& file) {
  std::vector<json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

std::string message_of(const json& overrides) {
  try {
    TrainConfig::preset("tiny", overrides);
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "accepted";
}

TEST(TrainTools, ConfigsThatCannotHoldToolsAreRefusedByName) {
  json tools = {{"languages", {"python3"}}};
  EXPECT_EQ(message_of({{"tools", tools}}), "accepted");
  EXPECT_NE(message_of({{"tools", tools}, {"segments", 2}}).find("tools: tool turns run in"),
            std::string::npos);
  EXPECT_NE(message_of({{"tools", tools}, {"mode", "serial"}, {"rule", "s_grpo"}})
                .find("tools: tool turns run in"),
            std::string::npos);
  EXPECT_NE(message_of({{"tools", {{"languages", json::array()}}}}).find("tools: languages"),
            std::string::npos);
  EXPECT_NE(message_of({{"tools", {{"max_turns", 2}}}}).find("tools: languages are required"),
            std::string::npos);
  EXPECT_NE(message_of({{"tools", {{"languages", {"python3"}}, {"turns", 2}}}})
                .find("tools: turns is not a known field"),
            std::string::npos);
  EXPECT_NE(message_of({{"warmup", {{"tool_demos", 2}}}}).find("warmup: tool_demos"),
            std::string::npos);
  auto c = TrainConfig::preset("demo");  // the main job runs with tools
  EXPECT_EQ(TrainConfig::from_json(c.to_json()).to_json(), c.to_json()) << "round trip";
  EXPECT_EQ(c.to_json()["tools"]["languages"], json({"python3"}));
  TempDir dir(temp_root());
  EXPECT_THROW(
      SelfTrainer(TrainConfig::preset("tiny", {{"tools", tools}}), dir.path() / "r", false),
      InvalidRequest)
      << "tools without a sandbox to run them";
}

TEST(TrainTools, AToolDemonstrationMasksTheEnvironmentsTurn) {
  auto task = tasks::generate({"product", 1, 2, 5})[0];
  policy::Tokenizer tok;
  policy::SftExample e = sft_tool_example(task, tok);
  ASSERT_EQ(e.completion_mask.size(), e.completion.size());
  std::string text = tok.decode(e.completion);
  std::string call =
      "\n```python\n" + task.metadata["program"].get<std::string>() + "\n```\n```output\n";
  ASSERT_EQ(text.rfind(call, 0), 0u) << text;
  std::string shown = task.answer + "\n```\n";
  for (size_t k = 0; k < e.completion.size(); ++k) {
    bool environment = k >= call.size() && k < call.size() + shown.size();
    EXPECT_EQ(e.completion_mask[k], environment ? 0 : 1) << k;
  }
  EXPECT_EQ(e.completion.back(), tok.eos()) << "the output is the answer";
  EXPECT_EQ(e.completion.size(), call.size() + shown.size() + 1);
  // Without the tool: the same program, written at the same place, not run.
  policy::SftExample unrun = sft_unrun_example(task, tok);
  std::string written = tok.decode(unrun.completion);
  std::string fence_closed = call.substr(0, call.size() - std::string(kToolCallMarker).size());
  EXPECT_EQ(written.rfind(fence_closed, 0), 0u) << written;
  EXPECT_EQ(written.find(kToolCallMarker), std::string::npos) << "never run";
  EXPECT_NE(written.find("\\boxed{" + task.answer + "}"), std::string::npos);
  tasks::Task plain = tasks::generate({"arithmetic", 1, 1, 5})[0];
  EXPECT_THROW(sft_unrun_example(plain, tok), InvalidRequest);
  EXPECT_THROW(sft_tool_example(plain, tok), InvalidRequest) << "no program to run";
}

TEST(TrainTools, TheLoopCallsTheJailAndCountsWhatTheRecordsHold) {
  auto access = sandbox::service::sandbox_access({}, &testing::shared_sandbox());
  auto product = [](size_t count) {
    return json::array({{{"family", "product"}, {"difficulty", 1}, {"count", count}}});
  };
  auto config = TrainConfig::preset(
      "tiny", {{"model", {{"max_seq", 96}}},
               {"warmup", {{"steps", 120}, {"tool_demos", 1}, {"tasks", product(200)}}},
               {"tasks", product(20)},
               {"eval_tasks", product(8)},
               {"tools", {{"languages", {"python3"}}, {"max_turns", 2}}},
               {"iterations", 2},
               {"max_tokens", 60}});
  TempDir dir(temp_root());
  SelfTrainer(config, dir.path() / "run", false,
              {access.judge.get(), access.reference_outputs, access.tool_calls})
      .run();
  auto metrics = lines_of(dir.path() / "run" / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_TRUE(metrics[0].contains("heldout_tool_rate"));
  size_t samples = 0, with_calls = 0, calls = 0;
  for (const json& r : lines_of(dir.path() / "run" / "samples.jsonl")) {
    ++samples;
    if (!r.contains("tool_calls")) continue;
    ++with_calls;
    calls += r["tool_calls"].size();
    ASSERT_TRUE(r.contains("environment")) << "an observation was inserted";
    for (const json& span : r["environment"])
      for (size_t k = span.at("from_token").get<size_t>(); k < span.at("to_token").get<size_t>();
           ++k)
        EXPECT_EQ(r["loss_mask"].at(k).get<int>(), 0) << "environment tokens are never trained on";
    for (const json& call : r["tool_calls"]) {
      EXPECT_TRUE(call.contains("verdict"));
      EXPECT_TRUE(call.contains("seconds"));
    }
  }
  EXPECT_GT(with_calls, 0u) << "a policy taught to call the tool calls it";
  double rate = 0, per_sample = 0;
  for (size_t i = 1; i < metrics.size(); ++i) {
    ASSERT_TRUE(metrics[i].contains("tool_call_rate")) << metrics[i].dump();
    rate += metrics[i]["tool_call_rate"].get<double>() * metrics[i]["samples"].get<double>();
    per_sample +=
        metrics[i]["tool_calls_per_sample"].get<double>() * metrics[i]["samples"].get<double>();
    EXPECT_EQ(metrics[i]["tool_invalid"], 0);
  }
  EXPECT_NEAR(rate, static_cast<double>(with_calls), 1e-6);
  EXPECT_NEAR(per_sample, static_cast<double>(calls), 1e-6);
  size_t evaluated_with_calls = 0;
  for (const json& h : lines_of(dir.path() / "run" / "heldout.jsonl"))
    evaluated_with_calls += h.contains("tool_calls");
  EXPECT_GT(evaluated_with_calls, 0u) << "held-out evaluation runs with the tools too";
  std::string html = training_report({dir.path() / "run"});
  EXPECT_NE(html.find("share of samples that called the tool"), std::string::npos);
  EXPECT_NE(html.find("share of held-out answers that called the tool"), std::string::npos);

  // The trained policy served over HTTP takes the same turns: generation stops at the
  // marker (which the server cuts and reports), the output goes in with the transcript,
  // and its token ids come back as the environment's.
  policy::NativePolicy native((dir.path() / "run" / "checkpoint").string());
  policy::PolicyServerOptions so;
  so.http.port = 0;
  policy::PolicyServer server(native, "t", so);
  server.start();
  policy::HttpPolicy remote(
      {.base_url = "http://127.0.0.1:" + std::to_string(server.port()), .model = "t"});
  std::vector<std::string> prompts;
  for (const auto& t : tasks::generate({"product", 6, 1, 99})) prompts.push_back(t.prompt);
  policy::SamplingParams greedy;
  greedy.temperature = 0;
  greedy.stop_tokens = {policy::Tokenizer().eos()};
  ToolOptions to;
  to.max_tokens = 60;
  to.max_turns = 2;
  auto here = run_with_tools(native, prompts, greedy, to, access.tool_calls);
  auto served = run_with_tools(remote, prompts, greedy, to, access.tool_calls);
  size_t calls_seen = 0;
  for (size_t i = 0; i < prompts.size(); ++i) {
    const ToolSample& a = here[i];
    const ToolSample& b = served[i];
    ASSERT_EQ(a.calls.empty(), b.calls.empty()) << a.sample.text << " | " << b.sample.text;
    if (a.calls.empty()) continue;
    ++calls_seen;
    EXPECT_EQ(a.calls[0].code, b.calls[0].code) << "the same first call";
    EXPECT_FALSE(b.sample.text_only) << b.sample.text;
    // The served sample's environment tokens are exactly its observations' text.
    std::string environment;
    for (size_t k = 0; k < b.environment_turn.size(); ++k)
      if (b.environment_turn[k]) environment += static_cast<char>(b.sample.tokens[k]);
    std::string observed;
    for (const auto& c : b.calls) observed += c.observation;
    EXPECT_EQ(environment, observed);
    EXPECT_EQ(b.sample.logprobs.size(), b.sample.tokens.size());
  }
  EXPECT_GT(calls_seen, 0u);
  server.stop();
}

}  // namespace
}  // namespace crucible::rollout
