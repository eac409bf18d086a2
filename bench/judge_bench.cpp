// Judging cost against a baseline measured in the same run.
//  1. A C++ submission with 200 trivial stdin/stdout tests: one compile, then per-test
//     overhead of the judge over bare fork+exec of the very same compiled binary.
//  2. Service throughput for trivial runs over HTTP on loopback with 2 workers.
//
//   build/bin/judge_bench [--tests 200] [--seconds 5]
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/files.hpp"
#include "bench/bench_flags.hpp"
#include "net/http_client.hpp"
#include "sandbox/judge/judge.hpp"
#include "sandbox/service/server.hpp"

extern char** environ;

namespace {

using namespace crucible;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Runs `binary` with `input` on stdin and waits for it.
bool bare_run(const std::string& binary, const std::string& input) {
  int in[2];
  if (pipe(in) != 0) return false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
  char* argv[] = {const_cast<char*>(binary.c_str()), nullptr};
  pid_t pid;
  int rc = posix_spawn(&pid, binary.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  (void)!write(in[1], input.data(), input.size());
  close(in[1]);
  if (rc != 0) return false;
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

constexpr cli::FlagSpec kFlags[] = {
    {"tests", "N", "tests of the C++ submission (default 200)"},
    {"seconds", "S", "how long the throughput is measured (default 5)"}};
constexpr cli::CommandSpec kSpec{
    "",     {}, "Judging cost against bare fork+exec of the same binary, and service throughput.",
    kFlags, "", "build/bin/judge_bench"};

int run_bench(const cli::Flags& flags) {
  int tests = static_cast<int>(flags.whole("tests", 1, 100'000).value_or(200));
  double seconds = flags.real("seconds", 1, 3600).value_or(5);
  TempDir cache(temp_root());
  sandbox::SandboxOptions so;
  so.cache_dir = cache.path();
  sandbox::Sandbox sb(so);

  const std::string source =
      "#include <cstdio>\nint main(){long x; if(std::scanf(\"%ld\",&x)!=1) return 1; "
      "std::printf(\"%ld\\n\", x + 1);}\n";
  json submission = {{"language", "cpp"}, {"source", source}, {"tests", json::array()}};
  for (int i = 0; i < tests; ++i)
    submission["tests"].push_back(
        {{"input", std::to_string(i) + "\n"}, {"output", std::to_string(i + 1) + "\n"}});
  auto parsed = sandbox::judge::Submission::from_json(submission);

  auto t0 = Clock::now();
  auto program = sb.prepare("cpp", source);
  double compile_ms = ms_since(t0);
  std::string binary = program.box_dir + "/main";
  // Warm up both paths once.
  bare_run(binary, "1\n");
  sandbox::judge::Judge judge(sb);

  t0 = Clock::now();
  for (int i = 0; i < tests; ++i)
    if (!bare_run(binary, std::to_string(i) + "\n"))
      return std::fprintf(stderr, "bench: bare run failed\n"), 1;
  double bare_ms = ms_since(t0) / tests;

  t0 = Clock::now();
  auto result = judge.run(parsed);  // the build is cached now: this is per-test cost only
  double judge_ms = ms_since(t0) / tests;
  if (result.verdict != sandbox::Verdict::Accepted || result.passed != static_cast<size_t>(tests))
    return std::fprintf(stderr, "bench: judge did not accept (%s)\n", result.message.c_str()), 1;

  std::printf("judge bench: C++ submission, %d stdin/stdout tests\n", tests);
  std::printf("  compile once (cold cache):        %8.1f ms\n", compile_ms);
  std::printf("  bare fork+exec per test:          %8.3f ms\n", bare_ms);
  std::printf("  judge per test (jail + compare):  %8.3f ms  (x%.2f, +%.3f ms over bare)\n",
              judge_ms, judge_ms / bare_ms, judge_ms - bare_ms);
  std::printf("  whole submission: %.0f ms judged vs %.0f ms bare (+ %.0f ms compile)\n",
              judge_ms * tests, bare_ms * tests, compile_ms);

  // Service throughput: trivial runs over HTTP, 2 workers, 8 client connections.
  sandbox::service::ServeOptions o;
  o.port = 0;
  o.workers = 2;
  o.queue = 64;
  o.sandbox.cache_dir = cache.path();
  sandbox::service::SandboxServer server(o);
  server.start();
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/run";
  std::string body = json({{"language", "cpp"}, {"source", source}, {"stdin", "1\n"}}).dump();
  net::HttpClient().request("POST", url, body);  // compile into the cache
  std::atomic<int> done{0}, failed{0};
  auto until = Clock::now() + std::chrono::duration<double>(seconds);
  auto start = Clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&] {
      net::HttpClient client;
      while (Clock::now() < until) {
        auto r = client.request("POST", url, body);
        if (r.status == 200)
          ++done;
        else
          ++failed;
      }
    });
  for (auto& t : clients) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  server.stop();
  std::printf("service: %.0f trivial runs/s over HTTP with 2 workers (%d answered, %d not 200)\n",
              done / elapsed, done.load(), failed.load());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return crucible::bench::bench_main(argc, argv, kSpec, run_bench);
}
