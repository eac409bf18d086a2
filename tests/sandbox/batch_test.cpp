// Several runs of one program in one jail (Sandbox::execute_batch): each run must be as
// isolated and as precisely measured as a jail of its own.
#include <gtest/gtest.h>

#include "sandbox/jail/mounts.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

std::vector<sandbox::Outcome> batch(const std::string& language, const std::string& source,
                                    const std::vector<std::string>& inputs,
                                    const sandbox::Limits& limits = {}) {
  auto& sb = shared_sandbox();
  return sb.execute_batch(sb.prepare(language, source), inputs, limits);
}

TEST(Batch, OneOutcomePerInputInOrder) {
  auto out = batch("python3", "print(int(input()) * 10)", {"1\n", "2\n", "3\n", "4\n", "5\n"});
  ASSERT_EQ(out.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(out[i].verdict, Verdict::Accepted) << out[i].message;
    EXPECT_EQ(out[i].stdout_data, std::to_string((i + 1) * 10) + "\n");
  }
}

// A mark left in any scratch place (/work, /tmp, /dev/shm, /mnt) would tell a run which test
// it is, or carry data to the next one.
TEST(Batch, EveryRunGetsFreshScratchPlaces) {
  std::string marks;
  for (const auto& place : sandbox::jail::scratch_table())
    marks += std::string(marks.empty() ? "" : ", ") + "'" + place.path + "/mark'";
  std::string src = "import os\nmarks = [" + marks +
                    "]\nseen = [p for p in marks if os.path.exists(p)]\n"
                    "for p in marks: open(p, 'w').write('x')\nprint(seen)";
  auto out = batch("python3", src, {"", "", ""});
  ASSERT_EQ(out.size(), 3u);
  for (const auto& o : out) {
    EXPECT_EQ(o.verdict, Verdict::Accepted) << o.stderr_data;
    EXPECT_EQ(o.stdout_data, "[]\n") << "state leaked from an earlier run";
  }
}

TEST(Batch, ADaemonOfOneRunNeverWritesIntoTheNext) {
  const char* src =
      "import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(0.3)\n"
      "    print('LEAK', flush=True)\n    os._exit(0)\nprint('run', input(), flush=True)";
  auto out = batch("python3", src, {"a\n", "b\n", "c\n"});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].stdout_data, "run a\n");
  EXPECT_EQ(out[1].stdout_data, "run b\n");
  EXPECT_EQ(out[2].stdout_data, "run c\n");
}

TEST(Batch, ALimitEndsOneRunAndTheRestCarryOn) {
  sandbox::Limits l;
  l.cpu_seconds = 0.3;
  l.wall_seconds = 2;
  auto out = batch("python3", "x = input()\nif x == 'spin':\n    while True: pass\nprint(x)",
                   {"a\n", "spin\n", "b\n", "c\n"}, l);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].stdout_data, "a\n");
  EXPECT_EQ(out[1].verdict, Verdict::TimeLimit);
  EXPECT_EQ(out[2].verdict, Verdict::Accepted);
  EXPECT_EQ(out[2].stdout_data, "b\n");
  EXPECT_EQ(out[3].stdout_data, "c\n");
}

TEST(Batch, MemoryAndCpuAreMeasuredPerRun) {
  const char* src =
      "import time\nx = input()\nif x == 'big':\n    b = bytearray(60 << 20)\n    b[::4096] = b'x' "
      "* len(b[::4096])\n"
      "if x == 'spin':\n    t = time.process_time()\n    while time.process_time() - t < 0.3: "
      "pass\nprint(x)";
  auto out = batch("python3", src, {"big\n", "small\n", "spin\n", "small\n"});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_GE(out[0].peak_memory_bytes, 60u << 20);
  EXPECT_LT(out[1].peak_memory_bytes, 40u << 20) << "the big run's memory counted against the next";
  EXPECT_GE(out[2].cpu_seconds, 0.28);
  EXPECT_LT(out[3].cpu_seconds, 0.2) << "the spinning run's CPU counted against the next";
}

TEST(Batch, AnOomKillIsChargedToItsOwnRun) {
  sandbox::Limits l;
  l.memory_bytes = 96 << 20;
  auto out = batch(
      "python3",
      "x = input()\nif x == 'bomb':\n    b = [bytearray(8 << 20) for _ in range(100)]\nprint(x)",
      {"a\n", "bomb\n", "b\n"}, l);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].verdict, Verdict::Accepted);
  EXPECT_EQ(out[1].verdict, Verdict::MemoryLimit);
  EXPECT_EQ(out[2].verdict, Verdict::Accepted);
}

TEST(Batch, SystemVIpcObjectsDoNotCrossRuns) {
  const char* src =
      "#include <stdio.h>\n#include <string.h>\n#include <sys/shm.h>\n"
      "int main(void){char w[8]; if(scanf(\"%7s\",w)!=1) return 1;\n"
      "  if(!strcmp(w,\"make\")){int id=shmget(4242,4096,IPC_CREAT|0666); char*p=shmat(id,0,0);"
      "strcpy(p,\"secret\"); puts(id>=0?\"made\":\"fail\"); return 0;}\n"
      "  int id=shmget(4242,0,0); puts(id<0?\"gone\":\"found\"); return 0;}";
  auto out = batch("c", src, {"make\n", "look\n"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].stdout_data, "made\n");
  EXPECT_EQ(out[1].stdout_data, "gone\n");
}

TEST(Batch, LargeStdinArrivesWhole) {
  std::string big(3 << 20, 'y');
  auto out = batch("python3", "import sys\nprint(len(sys.stdin.buffer.read()))", {big, "", big});
  EXPECT_EQ(out[0].stdout_data, "3145728\n");
  EXPECT_EQ(out[1].stdout_data, "0\n");
  EXPECT_EQ(out[2].stdout_data, "3145728\n");
}

TEST(Batch, OutputFloodInOneRunIsThatRunsVerdict) {
  sandbox::Limits l;
  l.output_bytes = 1000;
  auto out = batch("python3", "x = input()\nprint(x * (5000 if x == 'f' else 1))",
                   {"a\n", "f\n", "b\n"}, l);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].stdout_data, "a\n");
  EXPECT_EQ(out[1].verdict, Verdict::OutputLimit);
  EXPECT_EQ(out[2].stdout_data, "b\n");
}

}  // namespace
}  // namespace crucible::testing
