// The crucible executable's sandbox commands as a user meets them: run, judge (one and a
// batch), tasks, doctor; exit codes, clear errors, JSON output.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/files.hpp"
#include "tests/e2e/cli_fixture.hpp"
#include "tests/support/marked_processes.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible {
namespace {

using testing::await_marked;
using testing::children_of;
using testing::Cli;
using testing::crucible;
using testing::exited_within;
using testing::helper_cgroups;

TEST_F(Cli, UnknownLanguageAndMissingFileAreNamed) {
  std::string f = file("a.py", "print(1)\n");
  auto r = crucible("run --lang cobol " + f);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("cobol"), std::string::npos);
  r = crucible("run /nonexistent/prog.py");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("/nonexistent/prog.py"), std::string::npos);
}

TEST_F(Cli, RunPrintsOutputThenVerdict) {
  std::string f = file("a.py", "print(input()[::-1])\n");
  std::string in = file("in.txt", "abc\n");
  auto r = crucible("run --stdin " + in + " " + f);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("cba\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Accepted (python3)"), std::string::npos);
}

TEST_F(Cli, JsonResultHasEveryField) {
  std::string f =
      file("x.c", "#include <stdio.h>\nint main(void){fputs(\"err\",stderr);return 5;}\n");
  std::string cmd = std::string(CRUCIBLE_BINARY) + " run --json " + f;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["verdict"], "RuntimeError");
  EXPECT_EQ(j["exit_code"], 5);
  EXPECT_EQ(j["stderr"], "err");
  for (const char* key :
       {"cpu_seconds", "wall_seconds", "peak_memory_bytes", "stdout", "stdout_truncated",
        "stderr_truncated", "signal", "compile_output", "language", "reason", "message"})
    EXPECT_TRUE(j.contains(key)) << key;
}

TEST_F(Cli, CompileErrorShowsDiagnostics) {
  std::string f = file("bad.c", "int main(void){ return nope; }\n");
  auto r = crucible("run " + f);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("nope"), std::string::npos);
  EXPECT_NE(r.out.find("CompileError"), std::string::npos);
}

TEST_F(Cli, JudgeBatchWritesOneLinePerInputInOrder) {
  std::string in =
      file("in.jsonl",
           "{\"language\":\"python3\",\"source\":\"print(int(input())*2)\",\"tests\":"
           "[{\"input\":\"2\\n\",\"output\":\"4\"}]}\n"
           "{not json\n"
           "\n"
           "{\"source\":\"x\",\"mystery\":1}\n"
           "{\"task_id\":\"T/1\",\"prompt\":\"def f(x):\\n\",\"completion\":\"    return x\\n\","
           "\"test\":\"def check(c):\\n    assert c(1) == 2\\n\",\"entry_point\":\"f\"}\n");
  std::string out = (dir.path() / "out.jsonl").string();
  auto r = crucible("judge --batch " + in + " --out " + out + " -j 2");
  EXPECT_EQ(r.code, 0) << r.out;
  std::vector<nlohmann::json> lines;
  std::istringstream text(read_file(out));
  for (std::string l; std::getline(text, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 5u);
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["line"], i + 1);
  EXPECT_EQ(lines[0]["verdict"], "Accepted");
  EXPECT_NE(lines[1]["error"].get<std::string>().find("malformed JSON"), std::string::npos);
  EXPECT_EQ(lines[2]["error"], "empty line");
  EXPECT_NE(lines[3]["error"].get<std::string>().find("mystery"), std::string::npos);
  EXPECT_EQ(lines[4]["id"], "T/1");
  EXPECT_EQ(lines[4]["verdict"], "WrongAnswer");
}

TEST_F(Cli, JudgeSingleSubmission) {
  std::string f = file("s.json",
                       "{\"language\":\"python3\",\"source\":\"print(input())\",\"tests\":"
                       "[{\"input\":\"hi\\n\",\"output\":\"hi\"}]}");
  auto r = crucible("judge " + f);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"accepted\": true"), std::string::npos);
  EXPECT_EQ(crucible("judge " + file("bad.json", "{")).code, 2);
  EXPECT_EQ(crucible("judge --batch " + f).code, 2) << "--batch needs --out";
}

TEST_F(Cli, TasksImportValidateStatsSplit) {
  std::string fixtures = std::string(CRUCIBLE_SOURCE_DIR) + "/tests/fixtures/tasks/";
  std::string out = (dir.path() / "gsm8k.jsonl").string();
  auto r = crucible("tasks import --format gsm8k " + fixtures + "gsm8k.jsonl --out " + out);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(crucible("tasks validate " + out).code, 0);
  auto apps = crucible("tasks import --format apps " + fixtures + "apps.jsonl --out " +
                       (dir.path() / "a.jsonl").string());
  EXPECT_EQ(apps.code, 1) << "a rejected row is reported";
  EXPECT_NE(apps.out.find("apps.jsonl:2: input_output.fn_name"), std::string::npos) << apps.out;
  EXPECT_EQ(crucible("tasks import --format nope " + out + " --out x").code, 2);

  std::string bad = file("bad.jsonl",
                         "{\"id\":\"ok\",\"kind\":\"math\",\"prompt\":\"p\",\"answer\":\"1\"}\n"
                         "{\"id\":\"x\",\"kind\":\"math\",\"prompt\":\"p\"}\n"
                         "not json\n");
  auto v = crucible("tasks validate " + bad);
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.out.find("bad.jsonl:2: answer:"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("bad.jsonl:3: not valid JSON"), std::string::npos) << v.out;
  EXPECT_EQ(crucible("tasks stats " + bad).code, 2)
      << "stats refuses an invalid file, naming the line";

  auto stats = crucible("tasks stats " + out);
  EXPECT_EQ(stats.code, 0);
  EXPECT_NE(stats.out.find("\"tasks\": 2"), std::string::npos) << stats.out;
  auto split = crucible("tasks split " + out + " --train " + (dir.path() / "tr.jsonl").string() +
                        " --eval " + (dir.path() / "ev.jsonl").string() + " --eval-fraction 0.5");
  EXPECT_EQ(split.code, 0) << split.out;
}

TEST_F(Cli, DoctorPassesOnThisHost) {
  auto r = crucible("doctor");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("seccomp"), std::string::npos);
}

// Starts the crucible executable with `args` without waiting for it: its pid, or -1. With
// `own_group` it leads a process group of its own, as a shell's foreground job does.
pid_t start_crucible(std::vector<std::string> args, bool own_group = false) {
  std::string binary = CRUCIBLE_BINARY;
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attr;
  ::posix_spawnattr_init(&attr);
  if (own_group) {
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    ::posix_spawnattr_setpgroup(&attr, 0);
  }
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, binary.c_str(), nullptr, &attr, argv.data(), environ);
  ::posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

// `crucible run` starts its jail helper before the rest of the process initialises; the run
// then uses that helper instead of starting a second one, and a command that fails on its
// arguments ends the helper it started before it returns.
TEST_F(Cli, RunStartsOneJailHelperAndABadFlagLeavesNone) {
  const std::string real =
      (std::filesystem::path(CRUCIBLE_BINARY).parent_path() / "crucible-jail").string();
  const std::filesystem::path log = dir.path() / "helpers.log";
  const std::string wrapper =
      file("helper.sh", "#!/bin/sh\necho $$ >> " + log.string() + "\nexec " + real + " \"$@\"\n");
  ASSERT_EQ(::chmod(wrapper.c_str(), 0755), 0);
  auto helpers_started = [&] {
    std::vector<std::string> pids;
    std::istringstream in(std::filesystem::exists(log) ? read_file(log) : "");
    for (std::string pid; std::getline(in, pid);) pids.push_back(pid);
    std::filesystem::remove(log);
    return pids;
  };
  ::setenv("CRUCIBLE_JAIL_HELPER", wrapper.c_str(), 1);
  auto ok = crucible("run " + file("a.py", "print(6 * 7)\n"));
  std::vector<std::string> ok_helpers = helpers_started();
  auto bad = crucible("run --time-limit soon " + file("b.py", "print(1)\n"));
  std::vector<std::string> bad_helpers = helpers_started();
  // Refused before the run's Sandbox is made: nothing adopts the helper, the exit ends it.
  auto two = crucible("run " + file("c.py", "print(2)\n") + " " + file("d.py", "print(3)\n"));
  std::vector<std::string> two_helpers = helpers_started();
  ::unsetenv("CRUCIBLE_JAIL_HELPER");

  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_EQ(ok.out.rfind("42\n", 0), 0u) << ok.out;
  EXPECT_EQ(ok_helpers.size(), 1u) << "a run starts one jail helper";
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("time-limit"), std::string::npos) << bad.out;
  EXPECT_LE(bad_helpers.size(), 1u);
  EXPECT_EQ(two.code, 2) << two.out;
  EXPECT_NE(two.out.find("exactly one FILE"), std::string::npos) << two.out;
  EXPECT_LE(two_helpers.size(), 1u);
  ok_helpers.insert(ok_helpers.end(), bad_helpers.begin(), bad_helpers.end());
  ok_helpers.insert(ok_helpers.end(), two_helpers.begin(), two_helpers.end());
  for (const std::string& pid : ok_helpers) {
    EXPECT_TRUE(exited_within(std::stoi(pid), 10)) << "helper " << pid << " outlived its command";
    for (const auto& group : helper_cgroups(std::stoi(pid)))
      ADD_FAILURE() << "helper " << pid << " left its cgroup " << group;
  }
}

// Ctrl-C at a terminal reaches the command's whole process group: the jail helper it started
// (serving one request at a time for `run`, many for `judge`) must still end the run, remove
// its cgroups and exit, not die halfway or stay behind.
TEST_F(Cli, CtrlCEndsTheProgramAndTheJailHelper) {
  const std::string marker = "crucible-ctrl-c-check-" + std::to_string(::getpid());
  const std::string sleeper = "exec -a " + marker + " sleep 120\n";
  const std::string run_file = file("sleeper.sh", sleeper);
  const std::string judge_file =
      file("sleeper.json", nlohmann::json{{"language", "bash"},
                                          {"source", sleeper},
                                          {"limits", {{"cpu_seconds", 60}, {"wall_seconds", 120}}},
                                          {"tests", {{{"input", ""}, {"output", ""}}}}}
                               .dump());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", "--wall-limit", "120", run_file}, {"judge", judge_file}}) {
    pid_t cli = start_crucible(args, true);
    ASSERT_GT(cli, 0);
    ASSERT_TRUE(await_marked(marker, true, 60)) << args[0] << ": the program never started";
    std::vector<pid_t> helpers = children_of(cli);
    ASSERT_EQ(helpers.size(), 1u) << args[0] << ": the command's one child is its jail helper";
    ::kill(-cli, SIGINT);
    int status = 0;
    ::waitpid(cli, &status, 0);
    EXPECT_TRUE(await_marked(marker, false, 30)) << args[0] << ": the program outlived Ctrl-C";
    EXPECT_TRUE(exited_within(helpers[0], 30'000))
        << args[0] << ": the jail helper outlived Ctrl-C";
    for (const auto& group : helper_cgroups(helpers[0]))
      ADD_FAILURE() << args[0] << ": the helper's cgroup is left: " << group;
  }
}

// Ctrl-C on `crucible run` (or the command killed) ends the submitted program with it, not
// when the program's wall limit runs out minutes later.
TEST_F(Cli, StoppingRunEndsTheProgramItStarted) {
  for (int sig : {SIGINT, SIGKILL}) {
    std::string marker =
        "crucible-orphan-check-" + std::to_string(::getpid()) + "-" + std::to_string(sig);
    std::string f = file("sleeper.sh", "exec -a " + marker + " sleep 120\n");
    pid_t cli = start_crucible({"run", "--wall-limit", "120", f});
    ASSERT_GT(cli, 0);
    ASSERT_TRUE(await_marked(marker, true, 60)) << "the program never started";
    ::kill(cli, sig);
    int status = 0;
    ::waitpid(cli, &status, 0);
    // Well inside the 120 s wall limit: a run whose caller is gone is killed at once.
    EXPECT_TRUE(await_marked(marker, false, 30))
        << "signal " << sig << ": the program outlived the command that started it";
  }
}

// Ctrl-C during a compile leaves its staged build behind in the compile cache; the next
// command on that cache removes it (the stage's lock died with its process).
TEST_F(Cli, AStageLeftByAStoppedCompileIsRemovedByTheNextCommand) {
  const std::filesystem::path cache = dir.path() / "cache";
  ::setenv("CRUCIBLE_CACHE_DIR", cache.c_str(), 1);
  std::string f =
      file("slow.cpp",
           "#include <bits/stdc++.h>\n#include <regex>\n"
           "int main() { std::regex r(\"a+b*\"); std::cout << std::regex_match(\"ab\", r); }\n");
  pid_t cli = start_crucible({"run", f});
  ASSERT_GT(cli, 0);
  auto staged = [&] {
    int n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(cache / ".staging", ec)) {
      (void)e;
      ++n;
    }
    return n;
  };
  for (int i = 0; i < 600 && staged() == 0; ++i) ::usleep(50'000);
  ASSERT_GT(staged(), 0) << "the compile never started";
  ::kill(cli, SIGINT);
  int status = 0;
  ::waitpid(cli, &status, 0);
  auto r = crucible("run " + file("ok.py", "print(3)\n"));
  ::unsetenv("CRUCIBLE_CACHE_DIR");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(staged(), 0) << "the stopped compile's staged build is still in the cache";
}

}  // namespace
}  // namespace crucible
