#include <gtest/gtest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/judge/judge.hpp"
#include "tasks/hygiene.hpp"
#include "tasks/jsonl.hpp"
#include "tasks/loaders.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

std::string fixture(const std::string& name) {
  return std::string(CRUCIBLE_SOURCE_DIR) + "/tests/fixtures/tasks/" + name + ".jsonl";
}

// Loads a fixture; rows that fail come back as errors, not exceptions.
std::vector<Task> load(const std::string& format, std::vector<std::string>* errors = nullptr) {
  std::vector<Task> out;
  for_each_line(fixture(format), [&](size_t line, const std::string& text) {
    try {
      out.push_back(load_record(format, json::parse(text), line));
    } catch (const InvalidRequest& e) {
      if (!errors) throw;
      errors->push_back(std::to_string(line) + ": " + e.what());
    }
  });
  return out;
}

TEST(Loaders, Gsm8k) {
  auto ts = load("gsm8k");
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].kind, Kind::Math);
  EXPECT_EQ(ts[0].answer, "26");
  EXPECT_NE(ts[0].solution.find("<<36-10=26>>"), std::string::npos);
  EXPECT_EQ(ts[1].id, "gsm8k-2");
  EXPECT_EQ(ts[1].source, "gsm8k");
}

TEST(Loaders, MathTakesTheLastBoxedAnswerAndLevel) {
  auto ts = load("math");
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].answer, "\\frac{5}{6}");
  EXPECT_EQ(ts[0].difficulty_bucket, "Level 1");
  EXPECT_EQ(ts[1].difficulty, 2.0);
  EXPECT_EQ(ts[0].metadata["type"], "Prealgebra");
  EXPECT_EQ(last_boxed("a \\boxed{1} b \\boxed{\\frac{a}{b}}"), "\\frac{a}{b}");
  EXPECT_EQ(last_boxed("\\boxed{unbalanced"), "");
  EXPECT_EQ(last_boxed("no box"), "");
}

TEST(Loaders, HumanEvalAndMbppBecomeHarnessTasks) {
  auto he = load("humaneval");
  ASSERT_EQ(he.size(), 2u);
  EXPECT_EQ(he[0].id, "Fixture/0");
  EXPECT_EQ(he[0].tests["harness"]["entry_point"], "double");
  auto mb = load("mbpp");
  ASSERT_EQ(mb.size(), 2u);
  EXPECT_EQ(mb[0].id, "mbpp-901");
  EXPECT_NE(mb[0].prompt.find("assert count_vowels('Hello') == 2"), std::string::npos);
  EXPECT_EQ(mb[1].tests["harness"]["setup"], "import math");
  EXPECT_TRUE(mb[0].metadata.contains("challenge_test_list"));
}

TEST(Loaders, AppsRejectsCallBasedRowsByLine) {
  std::vector<std::string> errors;
  auto ts = load("apps", &errors);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].tests["tests"].size(), 2u);
  EXPECT_EQ(ts[0].difficulty_bucket, "introductory");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("2: input_output.fn_name", 0), 0u) << errors[0];
}

TEST(Loaders, CodeContestsPrefersAPython3Solution) {
  auto ts = load("codecontests");
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].language, "python3");
  EXPECT_EQ(ts[0].tests["tests"].size(), 2u);
  EXPECT_EQ(ts[0].difficulty, 7.0);
  EXPECT_EQ(ts[0].metadata["cf_rating"], 800);
}

TEST(Loaders, VerlAndReasoningGym) {
  auto v = load("verl");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].id, "openai/gsm8k-0");
  EXPECT_EQ(v[1].prompt, "What is 10 minus 4?");
  EXPECT_EQ(v[1].answer, "6");
  EXPECT_EQ(v[1].messages.size(), 2u);
  auto rg = load("reasoning_gym");
  ASSERT_EQ(rg.size(), 2u);
  EXPECT_EQ(rg[0].source, "number_sorting");
  EXPECT_EQ(rg[0].difficulty, 1.0);
  EXPECT_EQ(rg[1].answer, "42");
}

TEST(Loaders, UnknownFormatAndMissingFieldsAreNamed) {
  EXPECT_THROW(load_record("imagenet", json::object(), 1), InvalidRequest);
  try {
    load_record("gsm8k", {{"question", "q"}, {"answer", "no marker"}}, 1);
    FAIL();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("####"), std::string::npos);
  }
  EXPECT_THROW(load_record("humaneval", {{"task_id", "x"}}, 1), InvalidRequest);
}

// The loaded tests are judge-ready: each code task's reference solution is Accepted.
TEST(Loaders, CodeTasksAcceptTheirReferenceSolutions) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  for (const char* format : {"humaneval", "mbpp", "apps", "codecontests"}) {
    std::vector<std::string> errors;
    for (const auto& t : load(format, &errors)) {
      json submission = t.tests;
      submission["language"] = t.language;
      submission["source"] = t.solution;
      auto r = judge.run(sandbox::judge::Submission::from_json(submission));
      EXPECT_EQ(r.verdict, sandbox::Verdict::Accepted)
          << format << " " << t.id << ": " << r.message;
    }
  }
}

TEST(Tasks, RoundTripKeepsUnknownFieldsInMetadata) {
  json j = {
      {"id", "t1"}, {"kind", "math"}, {"prompt", "1+1?"}, {"answer", "2"}, {"my_field", {1, 2}}};
  Task t = Task::from_json(j);
  EXPECT_EQ(t.metadata["my_field"], json({1, 2}));
  json back = t;
  Task again = Task::from_json(back);
  EXPECT_EQ(json(again), back);
}

TEST(Tasks, ValidationNamesEveryBadField) {
  auto errors =
      validate({{"kind", "poetry"}, {"prompt", 5}, {"difficulty", "hard"}, {"metadata", 1}});
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  for (const char* field : {"id:", "kind:", "prompt:", "difficulty:", "metadata:"})
    EXPECT_NE(all.find(field), std::string::npos) << field << " in\n" << all;
  EXPECT_FALSE(validate({{"id", "c"}, {"kind", "code"}, {"prompt", "p"}}).empty())
      << "code needs tests";
  EXPECT_FALSE(validate({{"id", "m"}, {"kind", "math"}, {"prompt", "p"}}).empty())
      << "math needs an answer";
  EXPECT_TRUE(validate({{"id", "m"}, {"kind", "math"}, {"prompt", "p"}, {"answer", "1"}}).empty());
}

TEST(Jsonl, ReadsGzipDirectlyWithLineNumbers) {
  TempDir dir(temp_root());
  std::string path = (dir.path() / "t.jsonl.gz").string();
  gzFile f = gzopen(path.c_str(), "wb");
  std::string text = "{\"a\":1}\n\n{\"a\":2}\n";
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  std::vector<size_t> lines;
  for_each_line(path, [&](size_t line, const std::string&) { lines.push_back(line); });
  EXPECT_EQ(lines, (std::vector<size_t>{1, 3}));
  write_file(dir.path() / "bad.gz", std::string("\x1f\x8b\x08garbage", 11));
  EXPECT_THROW(for_each_line((dir.path() / "bad.gz").string(), [](size_t, const std::string&) {}),
               Error);
  EXPECT_THROW(for_each_line("/nonexistent.jsonl", [](size_t, const std::string&) {}), Error);
}

Task math_task(const std::string& id, const std::string& prompt) {
  return Task::from_json({{"id", id}, {"kind", "math"}, {"prompt", prompt}, {"answer", "1"}});
}

TEST(Hygiene, ExactAndNearDuplicatesAreRemoved) {
  std::string base =
      "A farmer has seventeen sheep and all but nine run away; how many sheep does the farmer have "
      "left now";
  std::vector<Task> ts = {
      math_task("a", base),
      math_task("b",
                "  a FARMER has seventeen sheep, and all but nine run away: how many sheep does "
                "the farmer have left now?"),
      math_task("c", base + " today"),
      math_task("d", "Completely different question about trains and speeds and distances")};
  auto r = deduplicate(ts);
  EXPECT_EQ(r.exact_duplicates, 1u);  // b normalises to a
  EXPECT_EQ(r.near_duplicates, 1u);   // c shares most 8-grams with a
  ASSERT_EQ(r.kept.size(), 2u);
  EXPECT_EQ(r.kept[0].id, "a");
  EXPECT_EQ(r.kept[1].id, "d");
}

TEST(Hygiene, DecontaminationReportsOverlapsWithTheEvalSet) {
  std::string leaked =
      "Natalia sold clips to forty eight of her friends in April and then she sold half as many "
      "clips in May";
  std::vector<Task> eval = {math_task("e1", leaked), math_task("e2", "Short eval")};
  std::vector<Task> train = {
      math_task("t1", leaked + " How many altogether?"), math_task("t2", "short EVAL."),
      math_task("t3", "An unrelated training question about apples oranges and pears in a basket")};
  auto r = decontaminate(train, eval);
  EXPECT_EQ(r.removed_ids, (std::vector<std::string>{"t1", "t2"}));
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0].id, "t3");
}

TEST(Hygiene, SplitsAreDeterministicAndProportional) {
  size_t in_eval = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string id = "task-" + std::to_string(i);
    bool e = in_eval_split(id, 0.1);
    EXPECT_EQ(e, in_eval_split(id, 0.1));
    in_eval += e;
  }
  EXPECT_GT(in_eval, 900u);
  EXPECT_LT(in_eval, 1100u);
  EXPECT_FALSE(in_eval_split("anything", 0.0));
  EXPECT_TRUE(in_eval_split("anything", 1.0));
}

}  // namespace
}  // namespace crucible::tasks
