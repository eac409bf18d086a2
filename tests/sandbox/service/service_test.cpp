// The HTTP API as a function of the request: every endpoint and every error class,
// without sockets. The compatibility endpoints (SandboxFusion, Piston) are in
// compat_test.cpp.
#include "sandbox/service/service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "base/files.hpp"
#include "cli/trainer_routes.hpp"
#include "tests/sandbox/service/service_fixture.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;

TEST_F(Service, HealthAndLanguages) {
  EXPECT_EQ(call(get("/v1/health"), 200)["status"], "ok");
  json langs = call(get("/v1/languages"), 200);
  ASSERT_EQ(langs.size(), 16u);
  for (const auto& l : langs) {
    if (l["name"] == "python3") {
      EXPECT_EQ(l["version"].get<std::string>().rfind("3.", 0), 0u);
    }
    if (l["name"] == "typescript") {
      EXPECT_EQ(l["version"].get<std::string>().rfind("4.", 0), 0u) << l["version"];
    }
  }
}

TEST_F(Service, RunGivesTheOutcomeAnd200EvenWhenTheProgramFails) {
  json ok =
      call(post("/v1/run",
                R"j({"language":"python3","source":"print(input()[::-1])","stdin":"abc\n"})j"),
           200);
  EXPECT_EQ(ok["verdict"], "Accepted");
  EXPECT_EQ(ok["stdout"], "cba\n");
  json crash =
      call(post("/v1/run", R"j({"language":"python3","source":"raise ValueError('x')"})j"), 200);
  EXPECT_EQ(crash["verdict"], "RuntimeError");
  json slow = call(
      post("/v1/run",
           R"j({"language":"python3","source":"while 1: pass","limits":{"cpu_seconds":0.3}})j"),
      200);
  EXPECT_EQ(slow["verdict"], "TimeLimit");
}

TEST_F(Service, RunPlacesFilesInTheWorkDirectory) {
  json r =
      call(post("/v1/run", R"j({"language":"python3","source":"print(open('data/in.txt').read())",
                                    "files":{"data/in.txt":"payload"}})j"),
           200);
  EXPECT_EQ(r["stdout"], "payload\n");
  json bad = call(
      post("/v1/run", R"j({"language":"python3","source":"x","files":{"../escape":"x"}})j"), 400);
  EXPECT_NE(bad["error"].get<std::string>().find("../escape"), std::string::npos);
}

// Files of megabytes (a data set beside the program) reach the run: their contents travel
// beside the jail's request header, not in it (a 2 MB file was a SandboxError, and before that
// a SIGPIPE that ended the service). Too many files, and arguments exec could not take, are the
// client's error, named; the service keeps answering.
TEST_F(Service, LargeFilesReachTheRunAndOversizedArgumentsAreRefused) {
  json big = {{"language", "python3"},
              {"source", "import os\nprint(os.path.getsize('data/big.txt'))"},
              {"files", {{"data/big.txt", std::string(6 << 20, 'x')}}}};
  EXPECT_EQ(call(post("/v1/run", big.dump()), 200)["stdout"], std::to_string(6 << 20) + "\n");
  json many = {{"language", "python3"}, {"source", "print(1)"}, {"files", json::object()}};
  for (int i = 0; i < 5000; ++i) many["files"]["f" + std::to_string(i)] = "x";
  EXPECT_NE(call(post("/v1/run", many.dump()), 400)["error"].get<std::string>().find("4096"),
            std::string::npos);
  json args = {{"language", "python"},
               {"version", "*"},
               {"files", {{{"content", "import sys\nprint(len(sys.argv))"}}}},
               {"args", std::vector<std::string>(20, std::string(100000, 'a'))}};
  auto refused = service.handle(post("/api/v2/execute", args.dump()));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("args"), std::string::npos) << refused.body;
  args["args"] = std::vector<std::string>(2, std::string(100000, 'a'));
  EXPECT_EQ(call(post("/api/v2/execute", args.dump()), 200)["run"]["stdout"], "3\n");
  EXPECT_EQ(call(get("/v1/health"), 200)["status"], "ok");
}

TEST_F(Service, RunSendsBackTheFilesAskedFor) {
  json r = call(post("/v1/run", R"j({"language":"python3",
      "source":"open('out.bin','wb').write(bytes([0,255,10]))",
      "fetch_files":["out.bin","nothing.txt"]})j"),
                200);
  EXPECT_EQ(r["verdict"], "Accepted");
  EXPECT_EQ(base64_decode(r["fetched"]["out.bin"]["base64"].get<std::string>()),
            std::string("\0\xff\n", 3));
  EXPECT_EQ(r["fetched"]["nothing.txt"]["error"], "not found");
  json plain = call(post("/v1/run", R"j({"language":"python3","source":"print(1)"})j"), 200);
  EXPECT_FALSE(plain.contains("fetched"));
  json bad = call(
      post("/v1/run", R"j({"language":"python3","source":"x","fetch_files":["/etc/passwd"]})j"),
      400);
  EXPECT_NE(bad["error"].get<std::string>().find("fetch_files"), std::string::npos);
}

struct BadRequest {
  const char* path;
  const char* body;
  int status;
  const char* mentions;
};

TEST_F(Service, EveryClientErrorNamesItsCause) {
  const BadRequest cases[] = {
      {"/v1/run", "{not json", 400, "not valid JSON"},
      {"/v1/run", "[1,2]", 400, "JSON object"},
      {"/v1/run", R"j({"language":"python3"})j", 400, "source"},
      {"/v1/run", R"j({"source":"x","colour":"red"})j", 400, "colour"},
      {"/v1/run", R"j({"source":"x","language":"cobol"})j", 400, "cobol"},
      {"/v1/run", R"j({"source":"x","language":"python3","limits":{"memory_bytes":99999999999}})j",
       400, "limits.memory_bytes"},
      {"/v1/run", R"j({"source":"x","language":"python3","limits":{"cpu":1}})j", 400, "limits.cpu"},
      {"/v1/run", R"j({"source":5})j", 400, "source"},
      {"/v1/judge", R"j({"source":"x","tests":[{"input":"1"}]})j", 400, "tests[0].output"},
      {"/v1/judge/batch", R"j({"subs":[]})j", 400, "subs"},
  };
  for (const auto& c : cases) {
    json r = call(post(c.path, c.body), c.status);
    ASSERT_TRUE(r.contains("error")) << c.body;
    EXPECT_NE(r["error"].get<std::string>().find(c.mentions), std::string::npos)
        << c.body << " -> " << r["error"];
  }
  EXPECT_EQ(
      call(post("/v1/run", R"j({"source":"x","language":"python3","limits":{"cpu_seconds":99}})j"),
           400)["field"],
      "limits.cpu_seconds");
  EXPECT_EQ(service.handle(get("/v1/nope")).status, 404);
  auto wrong_method = service.handle(get("/v1/run"));
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers.at(0).second, "POST");
}

// Untrusted sizes and shapes never take the service down (issue: a 60 KB field name
// overflowed a backtracking regex; JSON nested 100,000 deep overflowed the stack).
TEST_F(Service, HostileShapesGetA400NotACrash) {
  std::string long_name(60000, 'a');
  for (const std::string& body :
       {R"j({"source":"x","language":"python3",")j" + long_name + R"j(":1})j",
        R"j({"source":"x","language":"python3","limits":{")j" + long_name + R"j(":1}})j",
        R"j({"source":"x","language":"python3","files":{")j" + long_name + R"j(_.x":1}})j"}) {
    json r = call(post("/v1/run", body), 400);
    ASSERT_TRUE(r.contains("error")) << body.substr(0, 80);
  }
  for (const char* path : {"/v1/judge", "/v1/judge/batch", "/v1/run", "/run_code"}) {
    std::string deep = R"j({"id":)j" + std::string(100000, '[') + std::string(100000, ']') + "}";
    json r = call(post(path, deep), 400);
    EXPECT_NE(r.dump().find("nested deeper than"), std::string::npos) << path << ": " << r.dump();
  }
  // A repeated key would silently mean its last value (here: C, not Python).
  for (const char* path : {"/v1/run", "/v1/judge", "/run_code"}) {
    json r = call(post(path, R"j({"language":"python3","source":"print(1)","language":"c",)j"
                             R"j("code":"print(1)","tests":[{"input":"","output":"1"}]})j"),
                  400);
    EXPECT_NE(r.value("error", "").find("\"language\" appears twice"), std::string::npos)
        << path << r;
  }
  json nested_files =
      call(post("/v1/run",
                R"j({"language":"python3","source":"print(1)","files":{"a":"1","a/b":"2"}})j"),
           400);
  EXPECT_NE(nested_files["error"].get<std::string>().find("'a' is a file"), std::string::npos)
      << nested_files;
  // 20,000 tests at the default wall limit would hold a worker for a day: refused by name.
  json many_tests = {{"language", "python3"}, {"source", "print(1)"}, {"tests", json::array()}};
  for (int i = 0; i < 20000; ++i) many_tests["tests"].push_back({{"input", ""}, {"output", "1"}});
  json budget = call(post("/v1/judge", many_tests.dump()), 400);
  EXPECT_NE(budget["error"].get<std::string>().find("per-submission budget"), std::string::npos)
      << budget;
  auto piston = service.handle(post("/api/v2/execute", std::string(100000, '[')));
  EXPECT_EQ(piston.status, 400);
  // A Java class name of 40,000 characters: refused by name, not a crash.
  std::string cls(40000, 'A');
  json java = call(
      post("/v1/run",
           json{{"language", "java"},
                {"source", "public class " + cls + " { public static void main(String[] a) {} }"}}
               .dump()),
      400);
  EXPECT_NE(java["error"].get<std::string>().find("entry name"), std::string::npos) << java;
  // A harness entry point of 60,000 characters.
  json judge = call(post("/v1/judge", json{{"prompt", "def f(x):\n"},
                                           {"completion", "    return x\n"},
                                           {"test", "def check(c):\n    assert c(1) == 1\n"},
                                           {"entry_point", long_name}}
                                          .dump()),
                    400);
  EXPECT_NE(judge["error"].get<std::string>().find("entry_point"), std::string::npos) << judge;
}

TEST_F(Service, JudgeAndBatch) {
  json r = call(post("/v1/judge", R"j({"language":"python3","source":"print(int(input())+1)",
                                      "tests":[{"input":"1","output":"2"},{"input":"5","output":"6"}]})j"),
                200);
  EXPECT_EQ(r["verdict"], "Accepted");
  EXPECT_EQ(r["passed"], 2);
  json b = call(post("/v1/judge/batch", R"j({"submissions":[
      {"task_id":"H/1","prompt":"def f(x):\n","completion":"    return x*2\n",
       "test":"def check(c):\n    assert c(2)==4\n","entry_point":"f"},
      {"source":"x","unknown":1},
      {"language":"python3","source":"print(3)","tests":[{"input":"","output":"4"}]}]})j"),
                200);
  ASSERT_EQ(b["results"].size(), 3u);
  EXPECT_EQ(b["results"][0]["verdict"], "Accepted");
  EXPECT_EQ(b["results"][0]["id"], "H/1");
  EXPECT_NE(b["results"][1]["error"].get<std::string>().find("unknown"), std::string::npos);
  EXPECT_EQ(b["results"][2]["verdict"], "WrongAnswer");
  json many = {{"submissions", json::array()}};
  for (int i = 0; i < 300; ++i) many["submissions"].push_back({{"source", "x"}});
  EXPECT_NE(call(post("/v1/judge/batch", many.dump()), 400)["error"].get<std::string>().find("256"),
            std::string::npos);
}

TEST_F(Service, MetricsCountRequestsAndVerdicts) {
  service.handle(post("/v1/run", R"j({"language":"python3","source":"print(1)"})j"));
  service.handle(get("/v1/random-path-1"));
  service.handle(get("/v1/random-path-2"));
  auto m = service.handle(get("/metrics"));
  EXPECT_EQ(m.content_type.rfind("text/plain", 0), 0u);
  EXPECT_NE(m.body.find("crucible_requests_total{route=\"/v1/run\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("crucible_verdicts_total{verdict=\"Accepted\"} 1"), std::string::npos);
  EXPECT_NE(m.body.find("crucible_requests_total{route=\"other\",status=\"404\"} 2"),
            std::string::npos);
  EXPECT_EQ(m.body.find("random-path"), std::string::npos)
      << "unknown paths must not become labels";
  EXPECT_NE(m.body.find("crucible_job_seconds_count 1"), std::string::npos);
  EXPECT_NE(m.body.find("crucible_queue_depth 0"), std::string::npos);
}

TEST(ServiceAuth, BearerTokenGuardsEverythingButHealth) {
  SandboxService service(testing::shared_sandbox(), ServiceOptions{"s3cret", 256, {}});
  auto health = get("/v1/health");
  EXPECT_EQ(service.handle(health).status, 200);
  auto run = post("/v1/run", R"j({"language":"python3","source":"print(1)"})j");
  EXPECT_EQ(service.handle(run).status, 401);
  run.headers["authorization"] = "Bearer wrong";
  EXPECT_EQ(service.handle(run).status, 401);
  run.headers["authorization"] = "Bearer s3cret";
  EXPECT_EQ(service.handle(run).status, 200);
  auto metrics = get("/metrics");
  EXPECT_EQ(service.handle(metrics).status, 401);
  // Unauthenticated requests to made-up paths (a quote in one) add no metric series.
  for (int i = 0; i < 50; ++i) service.handle(get("/x\"" + std::to_string(i)));
  metrics.headers["authorization"] = "Bearer s3cret";
  auto text = service.handle(metrics).body;
  EXPECT_EQ(text.find("/x"), std::string::npos) << text;
  EXPECT_NE(text.find("crucible_requests_total{route=\"other\",status=\"401\"} 50"),
            std::string::npos)
      << text;
}

// OpenRLHF's remote reward endpoint, as `crucible serve` wires it: math labels through the
// verifier, code labels ({"inputs", "outputs"}, call-based with fn_name) through the judge.
TEST(ServiceRewards, GetRewardScoresMathAndCodeInOpenRlhfShape) {
  ServiceOptions o;
  o.extra_routes = cli::trainer_routes(std::make_shared<rollout::ToolEnvironment>());
  SandboxService service(testing::shared_sandbox(), o);
  json tests = {{"inputs", {"1 2\n", "5 7\n"}}, {"outputs", {"3\n", "12\n"}}};
  json call_based = {{"fn_name", "add"}, {"inputs", {{1, 2}, {5, 7}}}, {"outputs", {{3}, {12}}}};
  std::string good = "```python\na, b = map(int, input().split())\nprint(a + b)\n```";
  std::string func = "```python\ndef add(a, b):\n    return a + b\n```";
  json body = {
      {"query", {"Q: 2+2? The answer is 4.", "Q: 2+2? \\boxed{5}", "P: " + good, "P: " + func}},
      {"prompts", {"Q: 2+2? ", "Q: 2+2? ", "P: ", "P: "}},
      {"labels", {"4", "4", tests.dump(), call_based.dump()}}};
  auto resp = service.handle(post("/get_reward", body.dump()));
  ASSERT_EQ(resp.status, 200) << resp.body;
  json r = json::parse(resp.body);
  EXPECT_EQ(r["rewards"], json({1.0, 0.0, 1.0, 1.0})) << r;
  EXPECT_EQ(r["scores"], r["rewards"]);
  EXPECT_EQ(r["extra_logs"]["code"], 2);
  EXPECT_TRUE(service.is_job(post("/get_reward", "{}")));
  auto bad = service.handle(post("/get_reward", R"j({"query": ["a"], "labels": []})j"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("same length"), std::string::npos) << bad.body;
  EXPECT_EQ(service.handle(get("/get_reward")).status, 405);
}

TEST(ServiceFailure, ASandboxFailureIsA5xxNeverAVerdictOfTheProgram) {
  TempDir cache(temp_root());
  SandboxOptions broken;
  broken.helper_path = "/nonexistent/crucible-jail";
  broken.cache_dir = cache.path();
  Sandbox sandbox(broken);
  SandboxService service(sandbox);
  auto resp = service.handle(post("/v1/run", R"j({"language":"python3","source":"print(1)"})j"));
  EXPECT_EQ(resp.status, 500) << resp.body;
  EXPECT_EQ(json::parse(resp.body)["verdict"], "SandboxError");
  auto fusion = json::parse(
      service.handle(post("/run_code", R"j({"code":"print(1)","language":"python"})j")).body);
  EXPECT_EQ(fusion["status"], "SandboxError");
  EXPECT_EQ(
      service
          .handle(post("/api/v2/execute",
                       R"j({"language":"python","version":"*","files":[{"content":"print(1)"}]})j"))
          .status,
      500);
}

// ---- SandboxFusion /run_code, in its documented request and response shapes ----

}  // namespace
}  // namespace crucible::sandbox::service
