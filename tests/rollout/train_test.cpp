// The self-training loop's parts: configs with bad values, the curriculum, and a short
// end-to-end run whose resume is exact and whose files are complete (the update rules are
// in update_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "base/error.hpp"
#include "base/files.hpp"
#include "policy/model/checkpoint.hpp"
#include "policy/model/pg_trainer.hpp"
#include "policy/model/sft.hpp"
#include "rollout/train/curriculum.hpp"
#include "rollout/train/repair.hpp"
#include "rollout/train/report.hpp"
#include "rollout/train/self_train.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::rollout {
namespace {

using nlohmann::json;
using policy::ScoredSequence;
using policy::UpdateRule;

TEST(TrainConfig, BadValuesAreRejectedWithTheFieldNamed) {
  auto message = [](const json& j) {
    try {
      TrainConfig::preset("tiny", j);
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message({{"lr", -1}}).find("lr must be a number"), std::string::npos);
  EXPECT_NE(message({{"rule", "ppo"}}).find("rule must be one of"), std::string::npos);
  EXPECT_NE(message({{"itertions", 3}}).find("itertions is not a known field"), std::string::npos);
  EXPECT_NE(message({{"group_size", 0}}).find("group_size"), std::string::npos);
  EXPECT_NE(message({{"rule", "s_grpo"}}).find("s_grpo"), std::string::npos);
  EXPECT_NE(message({{"tasks", json::array({{{"family", "x"}, {"file", "y"}}})}}).find("tasks[0]"),
            std::string::npos);
  EXPECT_NE(message({{"warmup", {{"steps", "many"}}}}).find("warmup: steps"), std::string::npos);
  EXPECT_NE(message({{"model", {{"dim", 10}, {"heads", 4}}}}).find("dim"), std::string::npos);
  EXPECT_NE(message({{"kernels", "fast"}}).find("kernels must be one of blas, naive"),
            std::string::npos);
  EXPECT_NE(message({{"warmup", {{"print_slips", 1.5}}}}).find("warmup: print_slips"),
            std::string::npos);
  EXPECT_NE(message({{"warmup", {{"sign_slips", -0.1}}}}).find("warmup: sign_slips"),
            std::string::npos);
  try {
    TrainConfig::preset("huge");
    ADD_FAILURE() << "an unknown preset was accepted";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("known: demo, expression, tiny"), std::string::npos);
  }
  EXPECT_NE(
      message({{"rule", "rft"}, {"critique", {{"critic", "oracle"}}}}).find("critique: critic"),
      std::string::npos);
  EXPECT_NE(message({{"critique", {{"critic", "arithmetic"}}}}).find("rule rft only"),
            std::string::npos)
      << "the tiny preset's rule is grpo";
  EXPECT_NE(
      message({{"rule", "rft"}, {"guidance", {{"strategy", "hint"}}}}).find("guidance: strategy"),
      std::string::npos);
  EXPECT_NE(message({{"rule", "rft"}, {"guidance", {{"strategy", "critique"}}}})
                .find("needs critique.critic"),
            std::string::npos);
  EXPECT_NE(message({{"rule", "rft"}, {"guidance", {{"rounds", 2}}}}).find("strategy is required"),
            std::string::npos);
  json remote = {{"policy", "http://127.0.0.1:8000"}, {"model", "m"}};
  EXPECT_NE(message({{"remote", remote}}).find("warmup and init apply to the native policy"),
            std::string::npos)
      << "the tiny preset warms up";
  EXPECT_NE(message({{"remote", {{"policy", "ftp://x"}, {"model", "m"}}}}).find("remote: policy"),
            std::string::npos);
  EXPECT_NE(message({{"remote", {{"policy", "http://x"}}}}).find("remote: model is required"),
            std::string::npos);
  EXPECT_NE(message({{"remote", {{"sandbox", json::array()}}}}).find("remote: sandbox"),
            std::string::npos);
  EXPECT_NE(message({{"remote", {{"sandbox", {"localhost:8080"}}}}}).find("http://host:port"),
            std::string::npos);
  EXPECT_EQ(message({{"remote", {{"sandbox", {"http://127.0.0.1:8080"}}}}}), "accepted");
  EXPECT_EQ(message({{"iterations", 2}}), "accepted");
  auto c = TrainConfig::preset("tiny");
  EXPECT_EQ(TrainConfig::from_json(c.to_json()).to_json(), c.to_json()) << "round trip";
  auto expression =
      TrainConfig::preset("expression", {{"kernels", "naive"}, {"warmup", {{"sign_slips", 0.1}}}});
  EXPECT_EQ(TrainConfig::from_json(expression.to_json()).to_json(), expression.to_json())
      << "round trip";
  EXPECT_EQ(expression.to_json()["warmup"]["print_slips"], 0.75);
  EXPECT_EQ(expression.to_json()["kernels"], "naive");
}

TEST(Curriculum, MasteredTasksAreRarelyPickedAndStateRoundTrips) {
  Curriculum c(10, {});
  for (size_t t = 0; t < 5; ++t) c.record(t, 10, 10);  // tasks 0-4 mastered
  c.record(5, 10, 3);
  size_t mastered_first = 0;
  for (uint64_t seed = 0; seed < 200; ++seed)
    for (size_t t : c.pick(3, seed)) mastered_first += t < 5;
  EXPECT_LT(mastered_first, 60u) << "600 picks, half the tasks mastered, few of them picked";
  EXPECT_EQ(c.pick(3, 9), c.pick(3, 9)) << "seeded";
  EXPECT_EQ(c.pick(50, 1).size(), 10u);
  Curriculum d(10, {});
  d.load(c.to_json());
  EXPECT_EQ(d.to_json(), c.to_json());
  EXPECT_EQ(d.mastered_count(), 5u);
  EXPECT_THROW(Curriculum(3, {}).load(c.to_json()), InvalidRequest);
}

std::vector<json> metric_lines(const std::filesystem::path& dir) {
  std::vector<json> out;
  std::ifstream in(dir / "metrics.jsonl");
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    j.erase("seconds");  // wall-clock fields differ between runs
    j.erase("elapsed");
    j.erase("samples_per_second");
    out.push_back(j);
  }
  return out;
}

TEST(SelfTrain, RepairTrainsOnRefinedAndGuidedSolutionsAndCountsThem) {
  TempDir dir(temp_root());
  auto config = TrainConfig::preset(
      "tiny",
      {{"rule", "rft"},
       {"iterations", 2},
       {"model", {{"dim", 32}, {"layers", 1}, {"heads", 2}, {"mlp_dim", 64}, {"max_seq", 128}}},
       {"warmup",
        {{"steps", 40},
         {"batch", 8},
         {"lr", 0.01},
         {"rationale", true},
         {"tasks", json::array({{{"family", "arithmetic"}, {"difficulty", 1}, {"count", 200}}})}}},
       {"max_tokens", 24},
       {"critique", {{"critic", "arithmetic"}, {"refinements", 2}}},
       {"guidance", {{"strategy", "state_reset"}, {"rounds", 2}, {"samples", 2}}}});
  EXPECT_EQ(TrainConfig::from_json(config.to_json()).to_json(), config.to_json()) << "round trip";
  SelfTrainer(config, dir.path() / "run", false).run();
  auto lines = metric_lines(dir.path() / "run");
  ASSERT_EQ(lines.size(), 3u);
  size_t found = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const json& m = lines[i];
    for (const char* field :
         {"critique_wrong", "critique_refined_correct", "critique_shortcuts", "critique_kept",
          "critique_calls", "guided_tasks", "guided_solved", "guided_calls", "unsolved_tasks",
          "unsolved_gaining", "tasks_with_solution"})
      ASSERT_TRUE(m.contains(field)) << field << " in " << m.dump();
    EXPECT_EQ(m["critique_calls"],
              (m["critique_wrong"].get<size_t>() - m["critique_too_long"].get<size_t>()) * 2)
        << "every wrong sample whose prompt fits is refined twice";
    EXPECT_LE(m["guided_calls"].get<size_t>(), m["guided_tasks"].get<size_t>() * 2 * 2);
    EXPECT_GE(m["guided_calls"].get<size_t>(), m["guided_tasks"].get<size_t>() * 2);
    EXPECT_LE(m["guided_solved"].get<size_t>(), m["guided_tasks"].get<size_t>());
    EXPECT_GE(m["tasks_with_solution"].get<double>(), 0.0);
    EXPECT_LE(m["tasks_with_solution"].get<double>(), 1.0);
    found += m["critique_kept"].get<size_t>() + m["guided_solved"].get<size_t>();
  }
  // What was found is kept (with its origin) whenever anything was.
  auto repaired = dir.path() / "run" / "repaired.jsonl";
  EXPECT_EQ(std::filesystem::exists(repaired), found > 0);
}

// Segmented rollouts in the loop: samples still unfinished when an iteration has its
// groups continue into the next one, under newer weights, and their records say so.
TEST(SelfTrain, SegmentedRolloutsCarryTheLongTailAcrossIterations) {
  TempDir dir(temp_root());
  auto config =
      TrainConfig::preset("tiny", {{"iterations", 4}, {"segments", 3}, {"max_tokens", 24}});
  SelfTrainer(config, dir.path() / "run", false).run();
  auto lines = metric_lines(dir.path() / "run");
  ASSERT_EQ(lines.size(), 5u);
  size_t carried = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    ASSERT_TRUE(lines[i].contains("samples_in_flight")) << lines[i].dump();
    EXPECT_GE(lines[i]["samples"].get<size_t>(), 4u * 4u) << "at least the picked groups";
    carried += lines[i]["samples_in_flight"].get<size_t>();
  }
  EXPECT_GT(carried, 0u) << "some samples waited for a later iteration";
  std::ifstream in(dir.path() / "run" / "samples.jsonl");
  size_t multi_version = 0, records = 0;
  for (std::string line; std::getline(in, line); ++records)
    multi_version += json::parse(line)["versions"].size() > 1;
  EXPECT_GT(multi_version, 0u) << "a carried sample was continued by an updated policy";
  EXPECT_THROW(TrainConfig::preset("tiny", {{"segments", 2}, {"rule", "dapo"}}), InvalidRequest);
}

TEST(SelfTrain, AGivenPrefixIsMaskedFromTheLoss) {
  policy::Tokenizer tok;
  critique::TrainingExample e{"t", "What is 2 + 3?", "units: 2 + 3 = 5\nSo 5.", 17, "state_reset"};
  policy::ScoredSequence s = to_sequence(e, tok);
  ASSERT_EQ(s.completion.size(), tok.encode(e.completion).size() + 1) << "ends with <eos>";
  EXPECT_EQ(s.prompt.front(), tok.bos());
  size_t masked = 0;
  for (size_t i = 0; i < s.mask.size(); ++i) {
    EXPECT_EQ(s.mask[i], i < tok.encode(e.completion.substr(0, 17)).size() ? 0 : 1) << i;
    masked += s.mask[i] == 0;
  }
  EXPECT_GT(masked, 0u);
  EXPECT_EQ(s.advantage, 1);
  e.completion += tok.decode({tok.eos()});  // a native completion's text ends with it
  EXPECT_EQ(to_sequence(e, tok).completion, s.completion) << "one <eos>, not two";
}

// S-GRPO's experiment pieces: a warm start whose rationales re-check their answer, and exits
// forced with the text the policy was trained to answer after.
TEST(SelfTrain, SerialGroupsUseTheConfiguredAnswerForcing) {
  auto arithmetic = [](size_t count) {
    return json::array({{{"family", "arithmetic"}, {"difficulty", 1}, {"count", count}}});
  };
  json serial = {
      {"template", "think_boxed"},
      {"model", {{"max_seq", 160}}},
      {"warmup",
       {{"steps", 30}, {"rationale", true}, {"rechecks", 0.5}, {"tasks", arithmetic(50)}}},
      {"tasks", arithmetic(20)},
      {"eval_tasks", arithmetic(4)},
      {"mode", "serial"},
      {"rule", "s_grpo"},
      {"exits", 3},
      {"answer_forcing", "</think>\n"},
      {"iterations", 1},
      {"tasks_per_iteration", 2},
      {"max_tokens", 120}};
  auto config = TrainConfig::preset("tiny", serial);
  EXPECT_EQ(TrainConfig::from_json(config.to_json()).to_json(), config.to_json()) << "round trip";
  EXPECT_EQ(config.to_json()["warmup"]["rechecks"], 0.5);
  TempDir dir(temp_root());
  SelfTrainer(config, dir.path() / "run", false).run();
  size_t exits = 0;
  std::ifstream in(dir.path() / "run" / "samples.jsonl");
  for (std::string line; std::getline(in, line);) {
    json r = json::parse(line);
    std::string text = r["text"];
    // An exit's text holds the forcing once; S-GRPO's default phrase never appears.
    EXPECT_EQ(text.find("Time is limited"), std::string::npos) << text;
    exits += text.find("</think>\n") != std::string::npos;
  }
  EXPECT_GT(exits, 0u);

  auto refused = [&](json overrides) {
    try {
      TrainConfig::preset("tiny", overrides);
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refused({{"answer_forcing", "</think>"}}).find("answer_forcing applies to serial"),
            std::string::npos);
  EXPECT_NE(refused({{"exit_loss", "path"}}).find("exit_loss applies to serial"),
            std::string::npos);
  EXPECT_NE(refused({{"exit_at", "line"}}).find("exit_at applies to serial"), std::string::npos);
  json bad_loss = serial;
  bad_loss["exit_loss"] = "prefix";
  EXPECT_NE(refused(bad_loss).find("exit_loss"), std::string::npos);
  serial["answer_forcing"] = "";
  EXPECT_NE(refused(serial).find("answer_forcing must not be empty"), std::string::npos);
  EXPECT_NE(refused({{"warmup", {{"rechecks", 2}}}}).find("warmup: rechecks"), std::string::npos);
}

TEST(SelfTrain, RunsWritesEverythingAndResumesExactly) {
  TempDir dir(temp_root());
  auto config = TrainConfig::preset("tiny");
  config.iterations = 4;
  auto straight = dir.path() / "straight", split = dir.path() / "split";
  TrainSummary s = SelfTrainer(config, straight, false).run();
  EXPECT_EQ(s.iterations, 4u);
  config.iterations = 2;
  SelfTrainer(config, split, false).run();
  EXPECT_THROW(SelfTrainer(config, split, false), InvalidRequest)
      << "a directory holding a run is not overwritten";
  // The resumed run reads its config from the run directory; 4 iterations in total.
  json saved = json::parse(read_file(split / "config.json"));
  saved["iterations"] = 4;
  write_file(split / "config.json", saved.dump());
  SelfTrainer(config, split, true).run();

  auto a = metric_lines(straight), b = metric_lines(split);
  ASSERT_EQ(a.size(), 5u) << "iteration 0 (after warm start) and 1-4";
  EXPECT_EQ(a, b) << "resume continues exactly";
  for (const char* field : {"heldout_accuracy", "reward_mean", "pass_at_k", "completion_tokens",
                            "thinking_tokens", "entropy", "policy_entropy", "samples"})
    EXPECT_TRUE(a[4].contains(field)) << field;
  EXPECT_FALSE(a[4]["heldout_accuracy"].is_null()) << "the last iteration is evaluated";
  auto ca = policy::load_checkpoint((straight / "checkpoint").string());
  auto cb = policy::load_checkpoint((split / "checkpoint").string());
  EXPECT_EQ(ca.params, cb.params) << "the same weights, bit for bit";
  EXPECT_EQ(ca.adam_m, cb.adam_m);
  auto samples = [](const std::filesystem::path& run) {
    std::vector<json> out;
    std::ifstream in(run / "samples.jsonl");
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line);
      j.erase("timing");
      out.push_back(j);
    }
    return out;
  };
  auto sa = samples(straight), sb = samples(split);
  EXPECT_EQ(sa.size(), 4u * 4 * 4) << "4 iterations of 4 groups of 4";
  EXPECT_TRUE(sa == sb) << "the same samples, versions and rewards";
  std::string csv = read_file(straight / "metrics.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6) << "header and 5 rows";
  auto heldout = [](const std::filesystem::path& run) { return read_file(run / "heldout.jsonl"); };
  EXPECT_EQ(heldout(straight), heldout(split)) << "the same held-out completions and verdicts";
  json first = json::parse(heldout(straight).substr(0, heldout(straight).find('\n')));
  EXPECT_EQ(first["iteration"], 0);
  for (const char* field : {"task_id", "prompt", "completion", "verdict", "passed"})
    EXPECT_TRUE(first.contains(field)) << field;
  json machine = json::parse(read_file(straight / "machine.json"));
  EXPECT_NE(machine["kernels"].get<std::string>().find("OpenBLAS"), std::string::npos);
  std::string html = training_report({straight, split});
  for (const char* part :
       {"Machine:", "Config:", "before and after", "held-out accuracy", ">0.2</text>", ">1</text>"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("held-out accuracy"), std::string::npos);
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg"), html.find("http"))
      << "no resource outside the page";
  EXPECT_THROW(training_report({dir.path() / "none"}), InvalidRequest);
  EXPECT_THROW(SelfTrainer(config, dir.path() / "none", true), InvalidRequest);
}

// A task a tiny model learns in seconds: answer the digit named in the prompt (3 or 7). A
// short warm start leaves it mostly wrong; GRPO on verified rewards must raise the reward.
TEST(SelfTrain, RewardRisesOnALearnableTask) {
  TempDir dir(temp_root());
  std::string train, eval;
  for (int i = 0; i < 10; ++i) {
    std::string digit = i % 2 ? "7" : "3";
    train += json{{"id", "case-" + std::to_string(i)},
                  {"kind", "math"},
                  {"prompt", "Case " + std::to_string(i) + ": say " + digit + "."},
                  {"answer", digit}}
                 .dump() +
             "\n";
    eval += json{{"id", "again-" + std::to_string(i)},
                 {"kind", "math"},
                 {"prompt", "Case " + std::to_string(i + 10) + ": say " + digit + "!"},
                 {"answer", digit}}
                .dump() +
            "\n";
  }
  write_file(dir.path() / "train.jsonl", train);
  write_file(dir.path() / "eval.jsonl", eval);
  auto config = TrainConfig::preset(
      "tiny",
      {{"warmup", {{"steps", 20}, {"tasks", {{{"file", (dir.path() / "train.jsonl").string()}}}}}},
       {"tasks", {{{"file", (dir.path() / "train.jsonl").string()}}}},
       {"eval_tasks", {{{"file", (dir.path() / "eval.jsonl").string()}}}},
       {"iterations", 24},
       {"tasks_per_iteration", 10},
       {"group_size", 8},
       {"max_tokens", 12},
       {"lr", 0.003},
       {"balance", false}});
  SelfTrainer(config, dir.path() / "run", false).run();
  auto lines = metric_lines(dir.path() / "run");
  ASSERT_EQ(lines.size(), 25u);
  auto mean_reward = [&](size_t from, size_t to) {
    double sum = 0;
    for (size_t i = from; i <= to; ++i) sum += lines[i]["reward_mean"].get<double>();
    return sum / static_cast<double>(to - from + 1);
  };
  double early = mean_reward(1, 4), late = mean_reward(21, 24);
  EXPECT_GT(late, early + 0.2) << "reward " << early << " in iterations 1-4, " << late
                               << " in 21-24";
}

}  // namespace
}  // namespace crucible::rollout
