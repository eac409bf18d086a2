// The jail's measurements, its reuse of pooled cgroup slots across runs, and what a program
// may rely on inside (its scratch places, POSIX semaphores).
#include <gtest/gtest.h>

#include "sandbox/jail/mounts.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

const char* kAllocate50MiB =
    "#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n"
    // The pointer escapes through printf, so the compiler cannot elide the allocation.
    "int main(void){char*p=malloc(50<<20);memset(p,1,50<<20);printf(\"%p "
    "%d\\n\",(void*)p,p[12345]);return 0;}";

TEST(Jail, LimitsMayRiseAndFallBetweenRunsOfTheSameSlot) {
  for (uint64_t mb : {64, 256, 96, 512, 80}) {
    sandbox::Limits l;
    l.memory_bytes = mb << 20;
    auto o = run("c", kAllocate50MiB, "", l);
    EXPECT_EQ(o.verdict, Verdict::Accepted) << mb << " MiB: " << o.message;
  }
}

TEST(Jail, AnOomKillDoesNotCarryOverToTheNextRun) {
  sandbox::Limits small;
  small.memory_bytes = 32 << 20;
  EXPECT_EQ(run("c", kAllocate50MiB, "", small).verdict, Verdict::MemoryLimit);
  EXPECT_EQ(run("c", kAllocate50MiB).verdict, Verdict::Accepted);
}

TEST(Jail, PeakMemoryIsMeasuredPerRun) {
  auto big = run("c", kAllocate50MiB);
  ASSERT_EQ(big.verdict, Verdict::Accepted);
  EXPECT_GE(big.peak_memory_bytes, 50u << 20);
  EXPECT_LT(big.peak_memory_bytes, 90u << 20);
  auto tiny = run("c", "int main(void){return 0;}");
  EXPECT_LT(tiny.peak_memory_bytes, 16u << 20)
      << "the last run's memory leaked into this one's peak";
}

TEST(Jail, CpuTimeIsMeasuredForTheWholeTree) {
  const char* spin_two =
      "#include <unistd.h>\n#include <time.h>\n#include <sys/wait.h>\n"
      "static void spin(double s){clock_t "
      "t=clock();while((double)(clock()-t)/CLOCKS_PER_SEC<s){}}\n"
      "int main(void){if(fork()==0){spin(0.3);_exit(0);}spin(0.3);wait(0);return 0;}";
  auto o = run("c", spin_two);
  ASSERT_EQ(o.verdict, Verdict::Accepted) << o.message;
  EXPECT_GE(o.cpu_seconds, 0.55);
  EXPECT_LT(o.cpu_seconds, 1.5);
}

TEST(Jail, StdinOfAMegabyteIsDeliveredWhole) {
  std::string input(1 << 20, 'x');
  auto o = run("python3", "import sys\nprint(len(sys.stdin.buffer.read()))", input);
  EXPECT_EQ(o.stdout_data, "1048576\n");
}

TEST(Jail, BinaryOutputSurvives) {
  auto o = run("python3", "import sys\nsys.stdout.buffer.write(bytes(range(256)))");
  ASSERT_EQ(o.stdout_data.size(), 256u);
  EXPECT_EQ(static_cast<unsigned char>(o.stdout_data[255]), 255);
}

TEST(Jail, OutputCapIsExactAndFlagged) {
  sandbox::Limits l;
  l.output_bytes = 1000;
  auto o = run("python3", "print('y' * 5000)", "", l);
  EXPECT_EQ(o.verdict, Verdict::OutputLimit);
  EXPECT_EQ(o.stdout_data.size(), 1000u);
  EXPECT_TRUE(o.stdout_truncated);
}

TEST(Jail, EnvironmentIsCleanAndUnprivileged) {
  auto o =
      run("python3",
          "import os\nprint(os.getuid(), os.getgid(), sorted(k for k in os.environ if k not in "
          "('PATH','HOME','TMPDIR','LANG','LC_ALL','PYTHONHASHSEED','PYTHONDONTWRITEBYTECODE',"
          "'PYTHONIOENCODING','LC_CTYPE')), os.uname().nodename, os.getcwd())");
  EXPECT_EQ(o.stdout_data, "1000 1000 [] crucible /work\n") << o.stderr_data;
}

// The program holds no capability in any set, cannot gain one (no_new_privs) and runs under
// the seccomp filter; its bounding set comes empty from the jail's init.
TEST(Jail, TheProgramHoldsNoCapabilityAndCannotGainOne) {
  auto o = run("bash",
               "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' "
               "/proc/self/status | tr -s '\t ' ' '");
  EXPECT_EQ(o.stdout_data,
            "CapInh: 0000000000000000\nCapPrm: 0000000000000000\nCapEff: 0000000000000000\n"
            "CapBnd: 0000000000000000\nCapAmb: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\n")
      << o.stderr_data;
}

// The program starts as a program started from a shell does: no signal ignored or blocked.
// The processes that start a run ignore SIGPIPE, and an ignored signal stays ignored across
// exec: `yes | head -1` then made `yes` report a broken pipe instead of ending quietly.
TEST(Jail, TheProgramStartsWithNoSignalIgnoredOrBlocked) {
  auto o = run("bash",
               "grep -E '^(SigBlk|SigIgn):' /proc/self/status | tr -s '\\t ' ' '\n"
               "yes | head -1\n");
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message;
  EXPECT_EQ(o.stdout_data, "SigBlk: 0000000000000000\nSigIgn: 0000000000000000\ny\n");
  EXPECT_EQ(o.stderr_data, "");
}

// The run's cgroups are the root of its cgroup namespace: no host path, helper pid or slot
// number shows (they did: "4:memory:/.../crucible-15535/slot-1").
TEST(Jail, TheProgramSeesItsCgroupsAsTheRoot) {
  auto o = run("bash", "cut -d: -f3 /proc/self/cgroup | sort -u\n");
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.message;
  EXPECT_EQ(o.stdout_data, "/\n") << o.stderr_data;
}

// The smallest memory limit is enforced as one: the program is OOM-killed (MemoryLimit), even
// in a pooled cgroup slot whose earlier runs left page cache charged above it.
TEST(Jail, TheSmallestMemoryLimitIsAVerdictNotAJailFailure) {
  run("python3", "import json, decimal, fractions, email.parser, http.client\nprint(1)");
  sandbox::Limits tiny;
  tiny.memory_bytes = 1 << 20;
  for (int i = 0; i < 3; ++i) {
    auto o = run("python3", "print(1)", "", tiny);
    EXPECT_EQ(o.verdict, Verdict::MemoryLimit) << o.message;
  }
}

// Python's multiprocessing locks are POSIX semaphores in /dev/shm: pools, queues and
// ProcessPoolExecutor need it writable.
TEST(Jail, PythonMultiprocessingWorks) {
  auto o = run("python3",
               "import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\n"
               "def sq(x): return x * x\n"
               "if __name__ == '__main__':\n"
               "    with mp.Pool(2) as p: print(sum(p.map(sq, range(10))))\n"
               "    with ProcessPoolExecutor(2) as ex: print(sum(ex.map(sq, range(4))))\n"
               "    q = mp.Queue(); q.put('ok'); print(q.get())\n");
  EXPECT_EQ(o.verdict, Verdict::Accepted) << o.stderr_data;
  EXPECT_EQ(o.stdout_data, "285\n14\nok\n");
}

// Every scratch place is writable, and a file written there reads back.
TEST(Jail, EveryScratchPlaceIsWritable) {
  std::string places;
  for (const auto& place : sandbox::jail::scratch_table())
    places += std::string(places.empty() ? "" : ", ") + "'" + place.path + "'";
  auto o = run("python3", "for p in [" + places +
                              "]:\n    open(p + '/f', 'w').write(p)\n"
                              "    assert open(p + '/f').read() == p\nprint('ok')");
  EXPECT_EQ(o.stdout_data, "ok\n") << o.stderr_data;
}

}  // namespace
}  // namespace crucible::testing
