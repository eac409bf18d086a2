// The crucible executable as a user meets it: exit codes, clear errors, JSON output. The
// sandbox commands (run, judge, tasks, doctor) are in cli_sandbox_test.cpp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/files.hpp"
#include "net/http_client.hpp"
#include "tests/e2e/cli_fixture.hpp"

namespace crucible {
namespace {

using testing::Cli;
using testing::crucible;

TEST_F(Cli, VerifyPrintsTheDecisionAndExitsByIt) {
  auto ok = crucible("verify --gold '\\frac{1}{2}' --pred 'so the answer is $0.5$.'");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("\"correct\":true"), std::string::npos) << ok.out;
  auto wrong = crucible("verify --gold 2 --pred 3");
  EXPECT_EQ(wrong.code, 1);
  std::string batch =
      file("pairs.jsonl", "{\"gold\": \"1\", \"pred\": \"1.0\"}\nnot json\n{\"gold\": \"1\"}\n");
  auto b = crucible("verify --batch " + batch);
  EXPECT_EQ(b.code, 1) << "malformed lines fail the batch";
  EXPECT_NE(b.out.find("\"line\":2}"), std::string::npos) << b.out;
  EXPECT_NE(b.out.find("pred: must be a string"), std::string::npos) << b.out;
  auto bad = crucible("verify --gold 1 --pred 1 --options '{\"percent\": \"half\"}'");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("options.percent"), std::string::npos) << bad.out;
}

// --explain shows which rule took the answer, from which text, and the parsed trees.
TEST_F(Cli, VerifyExplainsItsExtraction) {
  auto r = crucible("verify --explain --gold 20 --pred 'She pays $12 + $8 = $20 in total.\nA: 20'");
  EXPECT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["explain"]["pred"]["rule"], "answer_line") << r.out;
  EXPECT_EQ(j["explain"]["pred"]["source"], "A: 20") << r.out;
  EXPECT_EQ(j["explain"]["pred"]["tree"]["kind"], "number") << r.out;
  EXPECT_EQ(j["explain"]["gold"]["tree"]["value"], "20") << r.out;
  auto bad = crucible("verify --explain --gold 1 --pred 'the answer is \\frac{1}{'");
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(nlohmann::json::parse(bad.out)["explain"]["pred"].contains("error")) << bad.out;
}

TEST_F(Cli, SftTrainsResumesAndSamples) {
  auto gen = crucible("tasks gen --family arithmetic --n 50 --difficulty 1 --seed 3 --out " +
                      (dir.path() / "t.jsonl").string());
  ASSERT_EQ(gen.code, 0) << gen.out;
  std::string config =
      file("m.json", R"({"dim": 16, "layers": 1, "heads": 2, "mlp_dim": 32, "max_seq": 64})");
  std::string ck = (dir.path() / "ck").string();
  auto first = crucible("sft --tasks " + (dir.path() / "t.jsonl").string() + " --config " + config +
                        " --steps 10 --batch 4 --out " + ck);
  ASSERT_EQ(first.code, 0) << first.out;
  // The README's command without --config: the default model shape.
  auto defaults = crucible("sft --tasks " + (dir.path() / "t.jsonl").string() +
                           " --steps 2 --batch 2 --out " + (dir.path() / "ck_default").string());
  EXPECT_EQ(defaults.code, 0) << defaults.out;
  EXPECT_NE(defaults.out.find("\"parameters\":217984"), std::string::npos) << defaults.out;
  auto resumed = crucible("sft --tasks " + (dir.path() / "t.jsonl").string() +
                          " --steps 15 --batch 4 --out " + ck + " --resume");
  ASSERT_EQ(resumed.code, 0) << resumed.out;
  EXPECT_NE(resumed.out.find("step 15/15"), std::string::npos) << resumed.out;
  EXPECT_EQ(resumed.out.find("step 10/15"), std::string::npos)
      << "resume starts after the saved step";
  auto s =
      crucible("sample --ckpt " + ck + " --prompt 'What is 1 + 2?' --n 2 --max-tokens 4 --seed 1");
  ASSERT_EQ(s.code, 0) << s.out;
  EXPECT_NE(s.out.find("\"logprobs\""), std::string::npos) << s.out;
  auto bad =
      crucible("sft --tasks " + (dir.path() / "t.jsonl").string() + " --config " +
               file("bad.json", R"({"dim": 10, "heads": 4})") + " --steps 1 --out " + ck + "2");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("dim must be a multiple of heads"), std::string::npos) << bad.out;
  auto missing = crucible("sample --ckpt " + (dir.path() / "none").string() + " --prompt x");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("does not exist"), std::string::npos) << missing.out;
}

// Starts the executable with these arguments, its output discarded; returns the pid.
pid_t spawn(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> argv{const_cast<char*>(CRUCIBLE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(CRUCIBLE_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

// A server started from the executable: its first stdout line (JSON) says where it listens;
// stopped with SIGTERM and reaped when the object goes.
class Server {
 public:
  explicit Server(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      ::close(fds[0]);
      std::vector<char*> argv{const_cast<char*>(CRUCIBLE_BINARY)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(CRUCIBLE_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    ready = nlohmann::json::parse(line, nullptr, false);
  }
  ~Server() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::string url() const {
    if (ready.contains("url")) return ready["url"];
    return "http://" + ready.value("listening", std::string("?"));
  }
  nlohmann::json ready;

 private:
  pid_t pid_ = -1;
};

size_t count_lines(const std::filesystem::path& p) {
  if (!std::filesystem::exists(p)) return 0;
  std::string text = read_file(p);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(Cli, LabelKilledMidRunResumesLosingAndDuplicatingNothing) {
  std::string tasks = (dir.path() / "t.jsonl").string();
  ASSERT_EQ(
      crucible("tasks gen --family arithmetic --n 300 --difficulty 1 --seed 5 --out " + tasks).code,
      0);
  std::string ck = (dir.path() / "ck").string();
  auto sft = crucible("sft --tasks " + tasks + " --steps 1 --batch 2 --out " + ck + " --config " +
                      file("m.json", R"({"dim": 32, "layers": 2, "heads": 2, "mlp_dim": 64,
                                        "max_seq": 192})"));
  ASSERT_EQ(sft.code, 0) << sft.out;
  std::filesystem::path out = dir.path() / "d.jsonl";
  std::vector<std::string> args{"label", "--tasks", tasks,   "--policy",   "native:" + ck,
                                "--n",   "4",       "--out", out.string(), "--max-tokens",
                                "64",    "--seed",  "2"};
  pid_t pid = spawn(args);
  // SIGKILL once a few tasks are on disk: no handler runs, the last line may be torn.
  for (int i = 0; i < 60000 && count_lines(out) < 24; ++i) ::usleep(1000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run must have been interrupted, not finished";
  std::string before = read_file(out);
  ASSERT_LT(count_lines(out), 1200u);

  auto rerun = crucible("label --tasks " + tasks + " --policy native:" + ck + " --n 4 --out " +
                        out.string() + " --max-tokens 64 --seed 2");
  ASSERT_EQ(rerun.code, 0) << rerun.out;
  std::string after = read_file(out);
  // Every whole group written before the kill is still there, in place. A group is one write,
  // but a SIGKILL can cut a write short (between pages): the lines of a cut group are dropped
  // on resume, with the group, and written again whole.
  std::string whole_before = before.substr(0, before.rfind('\n') + 1);
  std::map<std::string, int> lines_before;
  std::vector<std::pair<std::string, size_t>> line_ends;  // task, end of its line
  for (size_t at = 0; at < whole_before.size();) {
    const size_t end = whole_before.find('\n', at) + 1;
    auto j = nlohmann::json::parse(whole_before.substr(at, end - at), nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "a whole line of the killed run is not JSON";
    const std::string id = j["task_id"];
    ++lines_before[id];
    line_ends.push_back({id, end});
    at = end;
  }
  while (!line_ends.empty() && lines_before[line_ends.back().first] < 4) line_ends.pop_back();
  whole_before.resize(line_ends.empty() ? 0 : line_ends.back().second);
  EXPECT_EQ(after.compare(0, std::min(whole_before.size(), after.size()), whole_before), 0)
      << "complete groups from the killed run are kept";
  std::map<std::string, int> per_task;
  std::istringstream lines(after);
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "line " << n + 1 << " is not JSON";
    ++per_task[j["task_id"].get<std::string>()];
    ++n;
  }
  EXPECT_EQ(n, 1200u);
  EXPECT_EQ(per_task.size(), 300u);
  for (const auto& [id, count] : per_task) EXPECT_EQ(count, 4) << id;
}

TEST_F(Cli, TrainResumesARunFromItsDirectoryWithMoreIterations) {
  std::string run = (dir.path() / "run").string();
  auto first = crucible("train --preset tiny --iterations 2 --out " + run);
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_EQ(count_lines(dir.path() / "run" / "metrics.jsonl"), 3u);
  auto again = crucible("train --preset tiny --out " + run);
  EXPECT_EQ(again.code, 2) << "an existing run is not overwritten";
  auto resumed = crucible("train --out " + run + " --resume --iterations 3");
  ASSERT_EQ(resumed.code, 0) << resumed.out;
  EXPECT_NE(resumed.out.find("iter 3 "), std::string::npos) << resumed.out;
  EXPECT_EQ(resumed.out.find("iter 2 "), std::string::npos) << "done iterations are not redone";
  EXPECT_EQ(count_lines(dir.path() / "run" / "metrics.jsonl"), 4u);
  auto missing = crucible("train --out " + (dir.path() / "none").string() + " --resume");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("holds no run"), std::string::npos) << missing.out;
}

TEST_F(Cli, CritiqueAddsStepVerdictsToEachRecordAndNamesBadInput) {
  std::string tasks = file("t.jsonl",
                           "{\"id\": \"a\", \"kind\": \"math\", \"prompt\": \"Mira has 3 bags of "
                           "12 pears and eats 10. How many are left?\", \"answer\": \"26\"}\n");
  std::string samples =
      file("s.jsonl",
           "{\"task_id\": \"a\", \"text\": \"3 * 12 = 36.\\n36 - 10 = 25.\\nThe answer is 25.\", "
           "\"extra\": 7}\n"
           "{\"task_id\": \"a\", \"text\": \"3 * 12 = 36. 36 - 10 = 26. The answer is 26.\", "
           "\"reward\": {\"value\": 1}}\n");
  std::string out = (dir.path() / "c.jsonl").string();
  auto r = crucible("critique --tasks " + tasks + " --samples " + samples +
                    " --critic arithmetic --only-failed --out " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"critiqued\":1"), std::string::npos) << r.out;
  std::istringstream lines(read_file(out));
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  auto a = nlohmann::json::parse(first), b = nlohmann::json::parse(second);
  EXPECT_EQ(a["extra"], 7) << "fields of the record are kept";
  EXPECT_EQ(a["critique"]["first_wrong"], 1) << a.dump();
  EXPECT_EQ(a["critique"]["final_correct"], false);
  EXPECT_NE(a["critique_text"].get<std::string>().find("is 26, not 25"), std::string::npos);
  EXPECT_FALSE(b.contains("critique")) << "a passed sample is copied under --only-failed";

  auto unknown = crucible("critique --tasks " + tasks + " --samples " + samples +
                          " --critic oracle --out " + out);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("unknown critic \"oracle\""), std::string::npos) << unknown.out;
  std::string stray = file("x.jsonl", "{\"task_id\": \"zz\", \"text\": \"1\"}\n");
  auto missing = crucible("critique --tasks " + tasks + " --samples " + stray +
                          " --critic arithmetic --out " + out);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("line 1: task \"zz\" is not in --tasks"), std::string::npos)
      << missing.out;
  auto model = crucible("critique --tasks " + tasks + " --samples " + samples +
                        " --critic model:openai:http://127.0.0.1:9 --out " + out);
  EXPECT_EQ(model.code, 2);
  EXPECT_NE(model.out.find("needs --model NAME"), std::string::npos) << model.out;
}

// Beyond one machine, on loopback: the loop rolls out a policy served by
// `crucible serve-policy`, judges code on two `crucible serve` endpoints, updates no
// weights, and exports every iteration for an external trainer; it resumes too.
TEST_F(Cli, TrainWithAServedPolicyAndTwoSandboxServicesExportsEachIteration) {
  ASSERT_EQ(crucible("tasks gen --family arithmetic --n 40 --difficulty 1 --seed 3 --out " +
                     (dir.path() / "t.jsonl").string())
                .code,
            0);
  std::string ck = (dir.path() / "ck").string();
  auto sft = crucible("sft --tasks " + (dir.path() / "t.jsonl").string() + " --config " +
                      file("m.json", R"({"dim": 16, "layers": 1, "heads": 2, "mlp_dim": 32,
                                          "max_seq": 96})") +
                      " --steps 5 --batch 4 --out " + ck);
  ASSERT_EQ(sft.code, 0) << sft.out;
  Server sandbox_a({"serve", "--port", "0", "--workers", "1"});
  Server sandbox_b({"serve", "--port", "0", "--workers", "1"});
  Server policy({"serve-policy", "--ckpt", ck, "--port", "0", "--name", "served"});
  ASSERT_TRUE(sandbox_a.ready.contains("listening")) << sandbox_a.ready.dump();
  ASSERT_TRUE(sandbox_b.ready.contains("listening")) << sandbox_b.ready.dump();
  ASSERT_TRUE(policy.ready.contains("url")) << policy.ready.dump();
  nlohmann::json config = {
      {"seed", 5},
      {"remote",
       {{"policy", policy.url()},
        {"model", "served"},
        {"sandbox", {sandbox_a.url(), sandbox_b.url()}}}},
      {"tasks",
       {{{"family", "expression"}, {"difficulty", 1}, {"count", 6}},
        {{"family", "arithmetic"}, {"difficulty", 1}, {"count", 6}}}},
      {"eval_tasks", {{{"family", "expression"}, {"difficulty", 1}, {"count", 4}}}},
      {"iterations", 2},
      {"tasks_per_iteration", 4},
      {"group_size", 2},
      {"pass_k", 2},
      {"max_tokens", 12},
      {"eval_every", 1}};
  std::string run = (dir.path() / "run").string();
  auto r = crucible("train --config " + file("remote.json", config.dump()) + " --out " + run);
  ASSERT_EQ(r.code, 0) << r.out;
  auto exports = dir.path() / "run" / "exports";
  for (const char* it : {"iteration-0001", "iteration-0002"}) {
    auto verl = exports / (std::string(it) + ".verl.jsonl");
    ASSERT_TRUE(std::filesystem::exists(verl)) << verl;
    ASSERT_TRUE(std::filesystem::exists(exports / (std::string(it) + ".sft.jsonl")));
    std::istringstream rows(read_file(verl));
    size_t n = 0;
    for (std::string line; std::getline(rows, line); ++n) {
      auto row = nlohmann::json::parse(line);
      EXPECT_TRUE(row["extra_info"].contains("advantage")) << line;
      EXPECT_EQ(row["prompt"][0]["role"], "user");
    }
    EXPECT_EQ(n, 8u) << "4 tasks x 2 samples, every one judged";
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "run" / "checkpoint" / "state.json"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "run" / "checkpoint" / "model.safetensors"))
      << "no weights: the served policy is trained elsewhere";
  // Both endpoints ran programs (the generated tasks' reference programs, spread round
  // robin; this untrained policy writes no code fence, so nothing of it is judged).
  for (const Server* s : {&sandbox_a, &sandbox_b}) {
    net::HttpClient client;
    auto metrics = client.request("GET", s->url() + "/metrics").body;
    EXPECT_NE(metrics.find("route=\"/v1/run\",status=\"200\""), std::string::npos) << metrics;
  }
  auto resumed = crucible("train --out " + run + " --resume --iterations 3");
  ASSERT_EQ(resumed.code, 0) << resumed.out;
  EXPECT_TRUE(std::filesystem::exists(exports / "iteration-0003.verl.jsonl"));
  EXPECT_EQ(count_lines(dir.path() / "run" / "metrics.jsonl"), 4u);
}

// The execution critic judging on a `crucible serve` endpoint instead of this host.
TEST_F(Cli, CritiqueRunsProgramsOnASandboxService) {
  Server service({"serve", "--port", "0", "--workers", "1"});
  ASSERT_TRUE(service.ready.contains("listening")) << service.ready.dump();
  nlohmann::json task = {{"id", "dbl"},
                         {"kind", "code"},
                         {"language", "python3"},
                         {"prompt", "Print twice the number read."},
                         {"tests", {{"tests", {{{"input", "4\n"}, {"output", "8\n"}}}}}}};
  nlohmann::json sample = {{"task_id", "dbl"},
                           {"text", "```python\nn = int(input())\nprint(n * n)\n```"}};
  std::string out = (dir.path() / "c.jsonl").string();
  auto r = crucible("critique --tasks " + file("t.jsonl", task.dump() + "\n") + " --samples " +
                    file("s.jsonl", sample.dump() + "\n") + " --critic execution --sandbox " +
                    service.url() + " --out " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  auto record = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(record["critique"]["final_correct"], false) << record.dump();
  EXPECT_NE(record["critique_text"].get<std::string>().find("expected:\n8"), std::string::npos)
      << record.dump();
  net::HttpClient client;
  EXPECT_NE(client.request("GET", service.url() + "/metrics").body.find("route=\"/v1/judge\""),
            std::string::npos);
  auto bad = crucible("critique --tasks " + file("t2.jsonl", task.dump() + "\n") + " --samples " +
                      file("s2.jsonl", sample.dump() + "\n") +
                      " --critic execution --sandbox ftp://x --out " + out);
  EXPECT_EQ(bad.code, 2) << bad.out;
}

TEST_F(Cli, EveryCommandDescribesItsFlags) {
  for (const char* command :
       {"run", "doctor", "demo", "judge", "serve", "tasks", "verify", "sft", "sample",
        "serve-policy", "label", "train", "report", "critique", "refine"}) {
    auto r = crucible(std::string(command) + " --help");
    EXPECT_EQ(r.code, 0) << command << ": " << r.out;
    EXPECT_NE(r.out.find(std::string("usage: crucible ") + command), std::string::npos) << r.out;
  }
  auto bad = crucible("label --tasks t.jsonl --policy native:x --out o.jsonl --seed abc");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("--seed must be a whole number"), std::string::npos) << bad.out;
}

TEST_F(Cli, NoArgumentsPrintsUsageAndFails) {
  auto r = crucible("");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("usage"), std::string::npos);
}

TEST_F(Cli, UnknownCommandIsNamed) {
  auto r = crucible("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("frobnicate"), std::string::npos);
}

TEST_F(Cli, BadFlagsAreNamed) {
  std::string f = file("a.py", "print(1)\n");
  auto r = crucible("run --bogus " + f);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--bogus"), std::string::npos);
  r = crucible("run --time-limit abc " + f);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--time-limit"), std::string::npos);
  r = crucible("run --memory-limit 999999 " + f);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("memory"), std::string::npos);
}

}  // namespace
}  // namespace crucible
