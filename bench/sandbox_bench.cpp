// Per-run cost of the jail against two baselines measured in the same run: a bare
// fork+exec (posix_spawn) and bubblewrap (--unshare-all, read-only root) as a peer
// sandbox. Workloads: a trivial static C binary and `python3 -c pass`, back to back and
// 20 ms apart (the jail for the next run is prepared between runs). Prints median and
// p99 wall time per run, the CPU time per run (user+sys of everything the run caused, which
// a noisy or CPU-stolen machine does not inflate the way it inflates wall time), the ratios,
// and the jail's throughput with 2 workers.
//
//   build/bin/sandbox_bench [--runs N] [--baseline-helper OTHER/crucible-jail] [--help]
//                           [--jail-only [--gap-ms MS]]
//   (--baseline-helper: another helper build's rows beside this one's, in the same blocks)
//   (--jail-only: only the jail's static-binary row, to profile it; --gap-ms: idle before
//   each run)
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "base/files.hpp"
#include "bench/bench_flags.hpp"
#include "sandbox/jail/client.hpp"

extern char** environ;

namespace {

using namespace crucible;
using Clock = std::chrono::steady_clock;

struct Stats {
  double median_ms, p99_ms, cpu_ms;
};

double tv_ms(const timeval& tv) {
  return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

// CPU time of our reaped children plus the jail helpers' own and their reaped supervisors'.
std::vector<pid_t> g_helpers;
double children_cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  double ms = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
  for (pid_t helper : g_helpers) {
    std::string stat;
    try {
      stat = read_file("/proc/" + std::to_string(helper) + "/stat");
    } catch (const std::exception&) {
      continue;
    }
    // Fields after the ")" of the command name: 14-17 are utime stime cutime cstime.
    std::string rest = stat.substr(stat.rfind(')') + 2);
    std::vector<std::string> f;
    size_t pos = 0;
    while (pos < rest.size()) {
      size_t sp = rest.find(' ', pos);
      f.push_back(rest.substr(pos, sp - pos));
      pos = sp == std::string::npos ? rest.size() : sp + 1;
    }
    double tick_ms = 1000.0 / sysconf(_SC_CLK_TCK);
    for (int k = 11; k <= 14; ++k) ms += std::stod(f[k]) * tick_ms;
  }
  return ms;
}

// One way of running a workload, and what it measured so far.
struct Method {
  std::function<bool()> once;
  std::vector<double> ms;
  double cpu_ms = 0;  // over whole blocks, untimed runs included
  int cpu_runs = 0;
};

Stats summary(const Method& m) {
  std::vector<double> ms = m.ms;
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)],
          m.cpu_ms / std::max(1, m.cpu_runs)};
}

// `runs` timed runs of each method, in blocks of 10 that take turns, so a machine whose speed
// drifts (a shared VM's does, by 30% within a minute) shifts every method alike. The first
// run of each block is not timed: it follows the other methods, not its own kind. `gap_ms` of
// idle before each run (not timed): runs as a service sees them, spaced out. CPU is counted
// over a whole block and a pause after it, where what a run leaves to do (the jail prepares
// the next one) is done.
void measure(std::vector<Method>& methods, int runs, int gap_ms) {
  constexpr int kBlock = 10;
  for (int done = 0; done < runs; done += kBlock - 1)
    for (Method& m : methods) {
      double cpu0 = children_cpu_ms();
      for (int i = 0; i < kBlock; ++i) {
        if (gap_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
        auto t0 = Clock::now();
        if (!m.once()) {
          std::fprintf(stderr, "bench: a run failed\n");
          std::exit(1);
        }
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (i > 0) m.ms.push_back(ms);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      m.cpu_ms += children_cpu_ms() - cpu0;
      m.cpu_runs += kBlock;
    }
}

bool spawn_wait(const std::vector<std::string>& argv) {
  std::vector<char*> a;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return false;
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The peer gets what the jail gives: a read-only root, fresh /dev, /proc and /tmp, the box.
std::vector<std::string> bwrap(const std::string& box, std::vector<std::string> argv) {
  std::vector<std::string> out = {"/usr/bin/bwrap",
                                  "--unshare-all",
                                  "--die-with-parent",
                                  "--ro-bind",
                                  "/",
                                  "/",
                                  "--dev",
                                  "/dev",
                                  "--proc",
                                  "/proc",
                                  "--tmpfs",
                                  "/tmp",
                                  "--ro-bind",
                                  box,
                                  box};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// `with_cpu` false for bwrap: processes inside its pid namespace are reaped by its own
// init and do not all reach our RUSAGE_CHILDREN, so its CPU figure would be too low.
void row(const char* name, Stats s, Stats base, bool with_cpu = true) {
  std::printf("  %-22s wall median %7.3f ms p99 %7.3f ms (x%.2f, +%.3f ms)", name, s.median_ms,
              s.p99_ms, s.median_ms / base.median_ms, s.median_ms - base.median_ms);
  if (with_cpu)
    std::printf(" | cpu %6.3f ms/run (x%.2f, +%.3f ms)", s.cpu_ms, s.cpu_ms / base.cpu_ms,
                s.cpu_ms - base.cpu_ms);
  std::printf("\n");
}

constexpr cli::FlagSpec kFlags[] = {
    {"runs", "N", "runs per row (at least 10; python: half)"},
    {"baseline-helper", "PATH", "another helper build's rows beside this one's"},
    {"jail-only", "", "only the jail's static-binary row, to profile it"},
    {"gap-ms", "MS", "with --jail-only: idle before each run"}};
constexpr cli::CommandSpec kSpec{
    "",     {}, "The jail's cost per run against a bare fork+exec and bubblewrap, in the same run.",
    kFlags, "", "build/bin/sandbox_bench"};

int run_bench(const cli::Flags& flags) {
  int runs = static_cast<int>(flags.whole("runs", 10, 1'000'000).value_or(300));
  bool jail_only = flags.has("jail-only");
  std::string baseline_helper = flags.get("baseline-helper").value_or("");
  int gap_ms = static_cast<int>(flags.whole("gap-ms", 0, 60'000).value_or(0));
  if (flags.has("gap-ms") && !jail_only) throw InvalidRequest("--gap-ms goes with --jail-only");

  TempDir box(temp_root(), "crucible-bench-");
  ::chmod(box.path().c_str(), 0755);
  write_file(box.path() / "t.c", "int main(void){return 0;}\n");
  std::string bin = (box.path() / "t").string();
  if (std::system(("gcc -O2 -static -o " + bin + " " + (box.path() / "t.c").string()).c_str()) !=
      0) {
    std::fprintf(stderr, "bench: gcc -static failed (install libc6-dev)\n");
    return 1;
  }
  bool have_bwrap = ::access("/usr/bin/bwrap", X_OK) == 0;

  auto run_in = [&](sandbox::jail::JailClient& client, std::vector<std::string> argv) {
    sandbox::jail::JailSpec spec;
    spec.argv = std::move(argv);
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.box_dir = box.path();
    auto r = client.run(spec);
    return r.setup_error.empty() && r.exited && r.exit_code == 0;
  };
  sandbox::jail::JailClient jail;
  auto jail_run = [&](const std::vector<std::string>& argv) { return run_in(jail, argv); };
  // Another helper build beside this one, in the same blocks: a before/after in one run.
  std::unique_ptr<sandbox::jail::JailClient> baseline;
  if (!baseline_helper.empty()) {
    baseline = std::make_unique<sandbox::jail::JailClient>(baseline_helper);
    run_in(*baseline, {"/box/t"});
    g_helpers.push_back(baseline->helper_pid());
  }
  jail_run({"/box/t"});  // start the helper outside the measurement
  g_helpers.push_back(jail.helper_pid());

  if (jail_only) {
    std::vector<Method> jail_alone{{[&] { return jail_run({"/box/t"}); }, {}, 0}};
    measure(jail_alone, runs, gap_ms);
    Stats jl = summary(jail_alone[0]);
    row("crucible jail", jl, jl);
    return 0;
  }
  // One workload three ways, each row against the bare run measured just before it.
  auto compare = [&](const char* title, const std::vector<std::string>& host_argv,
                     const std::vector<std::string>& jail_argv, int n, int gap) {
    std::printf("%s%s:\n", title, gap ? ", runs 20 ms apart" : ", back to back");
    std::vector<Method> methods;
    methods.push_back({[&] { return spawn_wait(host_argv); }, {}, 0});
    methods.push_back({[&] { return jail_run(jail_argv); }, {}, 0});
    if (have_bwrap)
      methods.push_back({[&] { return spawn_wait(bwrap(box.path(), host_argv)); }, {}, 0});
    if (baseline) methods.push_back({[&] { return run_in(*baseline, jail_argv); }, {}, 0});
    measure(methods, n, gap);
    Stats bare = summary(methods[0]), jl = summary(methods[1]);
    Stats bw = have_bwrap ? summary(methods[2]) : Stats{0, 0, 0};
    row("bare fork+exec", bare, bare);
    if (have_bwrap) row("bwrap --unshare-all", bw, bare, false);
    row("crucible jail", jl, bare);
    if (baseline) {
      Stats before = summary(methods.back());
      row("jail, baseline helper", before, bare);
      std::printf("  jail vs baseline helper: wall x%.2f\n", jl.median_ms / before.median_ms);
    }
    if (have_bwrap)
      std::printf("  jail vs bwrap: wall x%.2f (below 1 is faster)\n", jl.median_ms / bw.median_ms);
  };
  std::printf("sandbox bench: about %d runs per row (python: %d)\n", runs, runs / 2);
  // Back to back is a busy service; 20 ms apart is a client that reads each answer first,
  // where the jail for the next run is prepared in between.
  for (int gap : {0, 20}) {
    compare("static C binary", {bin}, {"/box/t"}, runs, gap);
    compare("python3 -c pass", {"/usr/bin/python3", "-c", "pass"},
            {"/usr/bin/python3", "-c", "pass"}, runs / 2, gap);
  }

  for (int workers : {1, 2}) {
    std::atomic<int> done{0};
    std::atomic<bool> failed{false};
    auto t0 = Clock::now();
    auto until = t0 + std::chrono::seconds(3);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
      threads.emplace_back([&] {
        while (Clock::now() < until) {
          if (!jail_run({"/box/t"})) failed = true;
          ++done;
        }
      });
    for (auto& t : threads) t.join();
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("throughput, %d worker%s: %.0f trivial runs/s%s\n", workers, workers > 1 ? "s" : "",
                done / secs, failed ? " (some runs failed)" : "");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return crucible::bench::bench_main(argc, argv, kSpec, run_bench);
}
