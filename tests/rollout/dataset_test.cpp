// Reward-labeled datasets: counts and records, resume after an interruption without
// losing or duplicating anything, serial and segmented modes, exports, an HTTP policy
// against the project's own policy server, and configs with bad fields.
#include <gtest/gtest.h>

#include <map>

#include "base/error.hpp"
#include "base/files.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "policy/remote/policy_server.hpp"
#include "rollout/dataset.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::rollout {
namespace {

using nlohmann::json;

std::vector<tasks::Task> five_tasks() {
  std::vector<tasks::Task> out;
  for (int i = 0; i < 5; ++i) {
    tasks::Task t;
    t.id = "task" + std::to_string(i);
    t.kind = tasks::Kind::Math;
    t.prompt = std::to_string(i) + "+1?";
    t.answer = std::to_string(i + 1);
    t.difficulty_bucket = i < 3 ? "easy" : "hard";
    out.push_back(t);
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> out;
  std::string content = read_file(path), line;
  for (char c : content) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  return out;
}

std::map<std::string, int> per_task(const std::string& path) {
  std::map<std::string, int> counts;
  for (const auto& l : lines_of(path)) ++counts[json::parse(l)["task_id"].get<std::string>()];
  return counts;
}

LabelOptions options(size_t n) {
  LabelOptions o;
  o.n = n;
  o.batch_tasks = 2;
  o.sampling.max_tokens = 12;
  o.sampling.seed = 3;
  o.policy_id = "native:tiny";
  o.prompt_template = "plain";
  return o;
}

TEST(Label, WritesEveryGroupAndResumesWithoutDuplicates) {
  TempDir dir(temp_root());
  std::string out = dir.path().string() + "/d.jsonl";
  policy::NativePolicy native(testing::tiny_model(1, 160, 4), policy::Tokenizer(), "tiny");
  const rewards::Scorer reward;
  auto tasks = five_tasks();
  LabelSummary s = label_dataset(native, reward, tasks, options(3), out);
  EXPECT_EQ(s.tasks, 5u);
  EXPECT_EQ(s.samples, 15u);
  EXPECT_EQ(s.repeated.size(), 2u);  // easy and hard buckets
  auto counts = per_task(out);
  ASSERT_EQ(counts.size(), 5u);
  for (const auto& [id, c] : counts) EXPECT_EQ(c, 3) << id;
  json first = json::parse(lines_of(out)[0]);
  for (const char* field : {"task_id", "prompt", "prompt_tokens", "completion_tokens", "logprobs",
                            "versions", "loss_mask", "finish_reason", "reward", "group_id", "role",
                            "seed", "timing", "policy", "sampling"})
    EXPECT_TRUE(first.contains(field)) << field;

  // Interrupted: two whole tasks, one task's first record and a torn line survive.
  auto all = lines_of(out);
  std::string kept = all[0] + "\n" + all[1] + "\n" + all[2] + "\n" + all[3] + "\n" + all[4] + "\n" +
                     all[5] + "\n" + all[6] + "\n" + all[7].substr(0, all[7].size() / 2);
  write_file(out, kept);
  LabelSummary resumed = label_dataset(native, reward, tasks, options(3), out);
  EXPECT_EQ(resumed.resumed_tasks, 2u);
  EXPECT_EQ(resumed.tasks, 3u);
  auto after = lines_of(out);
  ASSERT_EQ(after.size(), 15u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(after[i], all[i]) << "complete tasks are kept as they were";
  for (const auto& [id, c] : per_task(out)) EXPECT_EQ(c, 3) << id;

  LabelSummary again = label_dataset(native, reward, tasks, options(3), out);
  EXPECT_EQ(again.samples, 0u);
  EXPECT_EQ(again.resumed_tasks, 5u);
  EXPECT_EQ(lines_of(out).size(), 15u);
}

TEST(Label, SerialAndSegmentedModes) {
  TempDir dir(temp_root());
  policy::NativePolicy native(testing::tiny_model(1, 160, 4), policy::Tokenizer(), "tiny");
  const rewards::Scorer reward;
  auto tasks = five_tasks();
  LabelOptions serial = options(4);
  serial.mode = "serial";
  label_dataset(native, reward, tasks, serial, dir.path().string() + "/s.jsonl");
  auto roles = std::map<std::string, int>();
  for (const auto& l : lines_of(dir.path().string() + "/s.jsonl"))
    ++roles[json::parse(l)["role"].get<std::string>()];
  EXPECT_EQ(roles["full"], 5);
  EXPECT_EQ(roles["exit:1"] + roles["exit:2"] + roles["exit:3"], 15);
  LabelOptions segmented = options(2);
  segmented.segments = 3;
  LabelSummary g =
      label_dataset(native, reward, tasks, segmented, dir.path().string() + "/g.jsonl");
  EXPECT_EQ(g.samples, 10u);
  for (const auto& [id, c] : per_task(dir.path().string() + "/g.jsonl")) EXPECT_EQ(c, 2) << id;
}

TEST(Label, ExportsAcceptedSamplesOnly) {
  TempDir dir(temp_root());
  std::string d = dir.path().string() + "/d.jsonl";
  json good = {{"task_id", "task1"},
               {"prompt", "1+1?"},
               {"text", "\\boxed{2}"},
               {"reward", {{"value", 1.0}, {"valid", true}}}};
  json bad = {{"task_id", "task2"},
              {"prompt", "2+1?"},
              {"text", "\\boxed{4}"},
              {"reward", {{"value", 0.0}, {"valid", true}}}};
  write_file(d, good.dump() + "\n" + bad.dump() + "\n");
  EXPECT_EQ(export_sft(d, dir.path().string() + "/sft.jsonl"), 1u);
  auto sft = json::parse(lines_of(dir.path().string() + "/sft.jsonl")[0]);
  EXPECT_EQ(sft["completion"], "\\boxed{2}");
  EXPECT_EQ(export_verl(d, five_tasks(), dir.path().string() + "/verl.jsonl"), 1u);
  auto verl = json::parse(lines_of(dir.path().string() + "/verl.jsonl")[0]);
  EXPECT_EQ(verl["reward_model"]["ground_truth"], "2");
  EXPECT_EQ(verl["prompt"][0]["role"], "user");
}

TEST(Label, AnHttpPolicyAgainstTheProjectsServer) {
  TempDir dir(temp_root());
  policy::NativePolicy native(testing::tiny_model(1, 160, 4), policy::Tokenizer(), "tiny");
  policy::PolicyServerOptions so;
  so.http.port = 0;
  policy::PolicyServer server(native, "tiny", so);
  server.start();
  policy::HttpPolicy remote(
      {.base_url = "http://127.0.0.1:" + std::to_string(server.port()), .model = "tiny"});
  const rewards::Scorer reward;
  auto tasks = five_tasks();
  LabelSummary s =
      label_dataset(remote, reward, tasks, options(2), dir.path().string() + "/h.jsonl");
  EXPECT_EQ(s.samples, 10u);
  auto rec = json::parse(lines_of(dir.path().string() + "/h.jsonl")[0]);
  EXPECT_FALSE(rec["completion_tokens"].empty()) << "the server's token ids are kept";
  EXPECT_EQ(rec["completion_tokens"].size(), rec["logprobs"].size());
  server.stop();
}

TEST(Label, BadConfigsNameTheField) {
  EXPECT_THROW(LabelOptions::from_json(json{{"mode", "tree"}}), InvalidRequest);
  EXPECT_THROW(LabelOptions::from_json(json{{"n", 0}}), InvalidRequest);
  EXPECT_THROW(LabelOptions::from_json(json{{"mode", "serial"}, {"n", 1}}), InvalidRequest);
  try {
    LabelOptions::from_json(json{{"samples", 3}});
    ADD_FAILURE();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("samples is not a known field"), std::string::npos);
  }
  TempDir dir(temp_root());
  write_file(dir.path().string() + "/junk.jsonl", "not a record\n");
  EXPECT_THROW(recover_dataset(dir.path().string() + "/junk.jsonl", 2), InvalidRequest);
}

}  // namespace
}  // namespace crucible::rollout
