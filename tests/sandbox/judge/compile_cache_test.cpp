// The compile cache when two compiles of one source race to publish: the first build stays in
// place with the record that describes it, and the loser is handed that build. (Builds of one
// source can differ: Python's .pyc holds the source's time.)
#include "sandbox/judge/compile_cache.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "base/files.hpp"

namespace crucible::sandbox::judge {
namespace {

std::filesystem::path staged_build(CompileCache& cache, const std::string& pyc) {
  auto dir = cache.stage();
  write_file(dir / "main.py", "print(1)\n");
  write_file(dir / "main.pyc", pyc);
  return dir;
}

TEST(CompileCache, ALosingPublishLeavesThePublishedBuildAndItsRecord) {
  TempDir root(temp_root());
  CompileCache cache(root.path() / "cache");
  auto first = cache.commit(staged_build(cache, "built at second 1"), "k", true, "", 0);
  auto second = cache.commit(staged_build(cache, "built at second 2"), "k", true, "", 0);
  EXPECT_EQ(second.dir, first.dir);
  auto hit = cache.lookup("k");
  ASSERT_TRUE(hit) << "the published build was thrown out";
  EXPECT_EQ(read_file(hit->dir / "main.pyc"), "built at second 1");
  EXPECT_EQ(read_file(second.dir / "main.pyc"), "built at second 1");
}

TEST(CompileCache, ABuildChangedAfterPublishingIsNotServed) {
  TempDir root(temp_root());
  CompileCache cache(root.path() / "cache");
  auto built = cache.commit(staged_build(cache, "genuine"), "k", true, "", 0);
  std::filesystem::permissions(built.dir, std::filesystem::perms::owner_all);
  std::filesystem::permissions(built.dir / "main.pyc", std::filesystem::perms::owner_all);
  write_file(built.dir / "main.pyc", "injected");
  EXPECT_FALSE(cache.lookup("k"));
  auto again = cache.commit(staged_build(cache, "genuine"), "k", true, "", 0);
  EXPECT_EQ(read_file(again.dir / "main.pyc"), "genuine");
  ASSERT_TRUE(cache.lookup("k"));
}

}  // namespace
}  // namespace crucible::sandbox::judge

namespace crucible::sandbox::judge {
namespace {

std::vector<std::string> staging_entries(const CompileCache& cache) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(cache.staging_dir()))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A process that dies while it stages a build (Ctrl-C during a compile) leaves a directory
// whose lock is free: the next cache opened on the directory removes it, and only it.
TEST(CompileCache, AStageLeftByADeadProcessIsSweptAndALiveOneKept) {
  TempDir root(temp_root());
  CompileCache cache(root.path() / "cache");
  auto live = cache.stage();
  write_file(live / "main.py", "print(1)\n");
  pid_t child = ::fork();
  if (child == 0) {
    CompileCache theirs(root.path() / "cache");
    write_file(theirs.stage() / "main.py", "print(2)\n");
    ::_exit(0);  // no commit, no discard: as a process killed mid-compile
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_EQ(staging_entries(cache).size(), 4u);  // two directories, two lock files
  CompileCache next(root.path() / "cache");
  auto left = staging_entries(cache);
  EXPECT_EQ(left.size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(live / "main.py")) << "a live stage was swept";
  cache.discard(live);
  EXPECT_TRUE(staging_entries(cache).empty());
}

// A cache directory from before .staging/ holds .stage-XXXXXX directories of stopped
// compiles: the first open by this version removes the old ones and keeps a recent one (an
// earlier version's compile may still be running in it) and the cache's entries.
TEST(CompileCache, StagesLeftByEarlierVersionsAreRemovedOnce) {
  namespace fs = std::filesystem;
  TempDir root(temp_root());
  const fs::path dir = root.path() / "cache";
  for (const char* name : {".stage-old111", ".stage-new222", "0123abcd"}) {
    fs::create_directories(dir / name);
    write_file(dir / name / "main.py", "print(1)\n");
  }
  fs::last_write_time(dir / ".stage-old111",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::last_write_time(dir / "0123abcd", fs::file_time_type::clock::now() - std::chrono::hours(2));
  CompileCache cache(dir);
  EXPECT_FALSE(fs::exists(dir / ".stage-old111"));
  EXPECT_TRUE(fs::exists(dir / ".stage-new222" / "main.py"));
  EXPECT_TRUE(fs::exists(dir / "0123abcd" / "main.py"));
}

}  // namespace
}  // namespace crucible::sandbox::judge
