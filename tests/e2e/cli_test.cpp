// The crucible executable as a user meets it: exit codes, clear errors, JSON output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/files.hpp"

namespace crucible {
namespace {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

Result crucible(const std::string& args) {
  std::string cmd = std::string(CRUCIBLE_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  Result r{-1, ""};
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  TempDir dir{temp_root()};
  std::string file(const std::string& name, const std::string& text) {
    write_file(dir.path() / name, text);
    return (dir.path() / name).string();
  }
};

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

}  // namespace
}  // namespace crucible
