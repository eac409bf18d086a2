// Generated code tasks of every difficulty, each completed in the sandbox and judged Accepted
// with its reference solution: 60 per difficulty in every test run (about a minute and a
// half on 2 cores), 200 per difficulty (1,000 tasks, about 5 minutes) from scripts/soak.sh,
// which sets CRUCIBLE_SOAK_TASKS_PER_DIFFICULTY.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "sandbox/judge/judge.hpp"
#include "tasks/generators.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::tasks {
namespace {

size_t tasks_per_difficulty() {
  const char* soak = std::getenv("CRUCIBLE_SOAK_TASKS_PER_DIFFICULTY");
  return soak ? std::stoul(soak) : 60;
}

TEST(GeneratorsSlow, CodeTasksOfEveryDifficultyAreSolvable) {
  auto& sb = testing::shared_sandbox();
  const size_t per_difficulty = tasks_per_difficulty();
  std::atomic<size_t> accepted{0}, total{0};
  std::mutex mu;
  std::vector<std::string> failures;
  // Two threads, one per core: each difficulty's tasks are completed and judged.
  auto work = [&](int first_difficulty) {
    sandbox::judge::Judge judge(sb);
    for (int d = first_difficulty; d <= 5; d += 2) {
      auto ts = generate({"code", per_difficulty, d, 77});
      complete_code_tests(ts, [&](const std::string& lang, const std::string& src,
                                  const std::vector<std::string>& in) {
        return sb.reference_outputs(lang, src, in);  // throws unless every run was Accepted
      });
      for (const auto& t : ts) {
        nlohmann::json submission = t.tests;
        submission["language"] = t.language;
        submission["source"] = t.solution;
        auto r = judge.run(sandbox::judge::Submission::from_json(submission));
        ++total;
        if (r.verdict == sandbox::Verdict::Accepted) {
          ++accepted;
        } else {
          std::lock_guard lock(mu);
          failures.push_back(t.id + ": " + r.message);
        }
      }
    }
  };
  std::thread odd(work, 1), even(work, 2);
  odd.join();
  even.join();
  EXPECT_EQ(total, 5 * per_difficulty);
  EXPECT_EQ(accepted, total) << (failures.empty() ? "" : failures.front());
}

}  // namespace
}  // namespace crucible::tasks
