// The main job's recipe (crucible train --preset demo) with a shorter self-training phase,
// run as a user runs it: the binary, under two of OpenBLAS's kernel paths. The warm start
// imitates a teacher who prints the expression's text in 3 of 4 demonstrations, so greedy
// held-out accuracy starts low; GRPO on the sandbox's verdicts must lift it high on both
// paths (the demo's outcome once hung on one kernel's rounding).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "base/files.hpp"

namespace crucible {
namespace {

using nlohmann::json;

json train(const std::string& env, const std::filesystem::path& dir) {
  write_file(dir / "short.json",
             R"({"tasks": [{"family": "expression", "difficulty": 3, "count": 128}],
                 "eval_tasks": [{"family": "expression", "difficulty": 3, "count": 50}],
                 "iterations": 6, "eval_every": 6})");  // the demo has 400, 100 and 12
  std::string cmd = env + " " CRUCIBLE_BINARY " train --preset demo --config " +
                    (dir / "short.json").string() + " --out " + (dir / "run").string() + " 2>" +
                    (dir / "log").string();
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  int status = p ? ::pclose(p) : -1;
  EXPECT_EQ(status, 0) << read_file(dir / "log");
  json summary = json::parse(out.substr(out.rfind('{')), nullptr, false);
  EXPECT_FALSE(summary.is_discarded()) << out;
  return summary;
}

class DemoRecipe : public ::testing::TestWithParam<const char*> {};

TEST_P(DemoRecipe, SelfTrainingOnSandboxVerdictsOutgrowsTheTeacher) {
  TempDir dir(std::filesystem::temp_directory_path());
  json s = train(GetParam(), dir.path());
  ASSERT_TRUE(s.contains("heldout_accuracy_after")) << s.dump();
  EXPECT_LT(s["heldout_accuracy_before"].get<double>(), 0.3) << s.dump();
  EXPECT_GT(s["heldout_accuracy_after"].get<double>(), 0.7) << s.dump();
}

// The CPU's own kernel (whatever OpenBLAS picks) and a fixed older one.
INSTANTIATE_TEST_SUITE_P(Kernels, DemoRecipe,
                         ::testing::Values("env -u OPENBLAS_CORETYPE",
                                           "env OPENBLAS_CORETYPE=Haswell"));

}  // namespace
}  // namespace crucible
