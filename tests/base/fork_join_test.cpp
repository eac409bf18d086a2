#include "base/fork_join.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace crucible {
namespace {

TEST(ForkJoin, RunsEveryPartOnceAndTheFirstOnTheCaller) {
  ForkJoin team(3);
  EXPECT_EQ(team.threads(), 3u);
  for (int round = 0; round < 2000; ++round) {
    size_t parts = 1 + round % 3;
    std::vector<int> hits(3, 0);
    std::thread::id first;
    team.run(parts, [&](size_t part) {
      ++hits[part];
      if (part == 0) first = std::this_thread::get_id();
    });
    for (size_t p = 0; p < 3; ++p) ASSERT_EQ(hits[p], p < parts ? 1 : 0) << "round " << round;
    ASSERT_EQ(first, std::this_thread::get_id());
  }
}

TEST(ForkJoin, SlicesCoverEveryIndexOnceInOrderOfParts) {
  ForkJoin team(3);
  for (size_t n : {0, 1, 2, 5, 100})
    for (size_t parts : {0, 1, 2, 3}) {
      std::vector<int> hits(n, 0);
      std::vector<size_t> begins(3, 0), ends(3, 0);
      team.run_slices(n, parts, [&](size_t part, size_t begin, size_t end) {
        begins[part] = begin;
        ends[part] = end;
        for (size_t i = begin; i < end; ++i) ++hits[i];
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i], 1) << n << " in " << parts;
      for (size_t p = 1; p < std::max<size_t>(parts, 1); ++p) ASSERT_EQ(begins[p], ends[p - 1]);
    }
}

TEST(ForkJoin, PartsRunOnDifferentThreads) {
  ForkJoin team(2);
  std::vector<std::thread::id> by_part(2);
  team.run(2, [&](size_t part) { by_part[part] = std::this_thread::get_id(); });
  EXPECT_NE(by_part[0], by_part[1]);
}

TEST(ForkJoin, OneThreadRunsInlineWithoutHelpers) {
  ForkJoin team(1);
  int calls = 0;
  team.run(1, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 1);
  EXPECT_THROW(team.run(2, [](size_t) {}), std::invalid_argument);
  EXPECT_THROW(ForkJoin(0), std::invalid_argument);
}

TEST(ForkJoin, AHelpersExceptionReachesTheCallerAfterEveryPartFinished) {
  ForkJoin team(2);
  std::atomic<int> finished{0};
  EXPECT_THROW(team.run(2,
                        [&](size_t part) {
                          if (part == 1) throw std::runtime_error("part 1 failed");
                          ++finished;
                        }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 1);
  // The team is still usable after a failed round.
  std::vector<int> hits(2, 0);
  team.run(2, [&](size_t part) { ++hits[part]; });
  EXPECT_EQ(hits, (std::vector<int>{1, 1}));
}

}  // namespace
}  // namespace crucible
