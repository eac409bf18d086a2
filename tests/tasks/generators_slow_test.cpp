// 1,000 generated code tasks, each completed in the sandbox and judged Accepted with its
// reference solution (slow: about a minute on 2 cores).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "sandbox/judge/judge.hpp"
#include "tasks/generators.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::tasks {
namespace {

TEST(GeneratorsSlow, AThousandCodeTasksAreSolvable) {
  auto& sb = testing::shared_sandbox();
  std::atomic<size_t> accepted{0}, total{0};
  std::mutex mu;
  std::vector<std::string> failures;
  // Two threads, one per core: each difficulty's 200 tasks are completed and judged.
  auto work = [&](int first_difficulty) {
    sandbox::judge::Judge judge(sb);
    for (int d = first_difficulty; d <= 5; d += 2) {
      auto ts = generate({"code", 200, d, 77});
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
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(accepted, total) << (failures.empty() ? "" : failures.front());
}

}  // namespace
}  // namespace crucible::tasks
