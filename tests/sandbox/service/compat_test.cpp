// The compatibility endpoints with requests in the peers' documented shapes:
// SandboxFusion's /run_code and Piston's /api/v2/execute and /api/v2/runtimes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "tests/sandbox/service/service_fixture.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;

TEST_F(Service, SandboxFusionRunCode) {
  json ok =
      call(post("/run_code", R"j({"code":"print(input()+'!')","language":"python","stdin":"hi",
                                       "compile_timeout":10,"run_timeout":10,"memory_limit_MB":256})j"),
           200);
  EXPECT_EQ(ok["status"], "Success");
  EXPECT_EQ(ok["message"], "");
  EXPECT_TRUE(ok["compile_result"].is_null());
  EXPECT_EQ(ok["run_result"]["status"], "Finished");
  EXPECT_EQ(ok["run_result"]["return_code"], 0);
  EXPECT_EQ(ok["run_result"]["stdout"], "hi!\n");
  EXPECT_TRUE(ok["run_result"]["execution_time"].is_number());
  EXPECT_TRUE(ok["files"].is_object());

  json compiled =
      call(post("/run_code",
                R"j({"code":"#include <cstdio>\nint main(){puts(\"c\");}","language":"cpp"})j"),
           200);
  EXPECT_EQ(compiled["status"], "Success");
  EXPECT_EQ(compiled["compile_result"]["status"], "Finished");
  EXPECT_EQ(compiled["compile_result"]["return_code"], 0);

  json broken = call(post("/run_code", R"j({"code":"int main( {","language":"cpp"})j"), 200);
  EXPECT_EQ(broken["status"], "Failed");
  EXPECT_NE(broken["compile_result"]["return_code"], 0);
  EXPECT_FALSE(broken["compile_result"]["stderr"].get<std::string>().empty());
  EXPECT_TRUE(broken["run_result"].is_null());
  // The same source again is a build-cache hit: the compile's return code is still there.
  json broken_again = call(post("/run_code", R"j({"code":"int main( {","language":"cpp"})j"), 200);
  EXPECT_EQ(broken_again["compile_result"]["return_code"], broken["compile_result"]["return_code"]);
  json compiled_again =
      call(post("/run_code",
                R"j({"code":"#include <cstdio>\nint main(){puts(\"c\");}","language":"cpp"})j"),
           200);
  EXPECT_EQ(compiled_again["compile_result"]["return_code"], 0);
  // Interpreted languages have no compile step in SandboxFusion: a syntax error is a run.
  json syntax = call(post("/run_code", R"j({"code":"def f(:\n","language":"python"})j"), 200);
  EXPECT_EQ(syntax["status"], "Failed");
  EXPECT_TRUE(syntax["compile_result"].is_null()) << syntax;
  EXPECT_EQ(syntax["run_result"]["status"], "Finished");
  EXPECT_NE(syntax["run_result"]["return_code"], 0);
  EXPECT_NE(syntax["run_result"]["stderr"].get<std::string>().find("SyntaxError"),
            std::string::npos)
      << syntax;

  json slow =
      call(post("/run_code",
                R"j({"code":"import time\ntime.sleep(5)","language":"python","run_timeout":1})j"),
           200);
  EXPECT_EQ(slow["status"], "Failed");
  EXPECT_EQ(slow["run_result"]["status"], "TimeLimitExceeded");

  json failed =
      call(post("/run_code", R"j({"code":"import sys\nsys.exit(3)","language":"python"})j"), 200);
  EXPECT_EQ(failed["status"], "Failed");
  EXPECT_EQ(failed["run_result"]["return_code"], 3);

  std::string files =
      R"j({"code":"print(open('input.txt').read())","language":"python","files":{"input.txt":")j" +
      base64_encode("from a file") + "\"}}";
  EXPECT_EQ(call(post("/run_code", files), 200)["run_result"]["stdout"], "from a file\n");
  EXPECT_EQ(
      call(post("/run_code", R"j({"code":"x","language":"python","files":{"a":"!!notbase64"}})j"),
           400)["field"],
      "files.a");
  // fetch_files: what exists comes back base64 under files; the rest is left out.
  // SandboxFusion's own fetch test writes beside the working directory and into /mnt.
  json fetched = call(
      post("/run_code",
           R"j({"code":"open('out.txt','w').write('made here'); open('/mnt/b','w').write('sauce')",
      "language":"python","fetch_files":["out.txt","missing.txt","/mnt/b"]})j"),
      200);
  EXPECT_EQ(fetched["status"], "Success");
  EXPECT_EQ(fetched["files"].size(), 2u);
  EXPECT_EQ(base64_decode(fetched["files"]["out.txt"].get<std::string>()), "made here");
  EXPECT_EQ(base64_decode(fetched["files"]["/mnt/b"].get<std::string>()), "sauce");
  EXPECT_EQ(call(post("/run_code",
                      R"j({"code":"x","language":"python","fetch_files":["../etc/passwd"]})j"),
                 400)["error"]
                .get<std::string>()
                .find("fetch_files"),
            0u);
  // Wrongly typed or out-of-range fields are named, never silently defaulted; numeric text
  // is read as a number, as SandboxFusion's models do.
  for (const char* bad : {R"j({"code":"x","language":"python","stdin":5})j",
                          R"j({"code":"x","language":"python","compile_timeout":"soon"})j",
                          R"j({"code":"x","language":"python","run_timeout":[1]})j",
                          R"j({"code":"x","language":"python","memory_limit_MB":"lots"})j",
                          R"j({"code":"x","language":"python","memory_limit_MB":1e30})j",
                          R"j({"code":"x","language":"python","memory_limit_MB":0.0001})j",
                          R"j({"code":"x","language":"python","run_timeout":1e308})j"}) {
    json refused = call(post("/run_code", bad), 400);
    EXPECT_LT(refused["error"].get<std::string>().size(), 120u) << refused;
  }
  EXPECT_EQ(call(post("/run_code", R"j({"code":"print(1)","language":"python",
      "memory_limit_MB":"64","run_timeout":"5","stdin":null,"files":{"unused.txt":null}})j"),
                 200)["status"],
            "Success");
  call(post("/run_code", R"j({"code":"x","language":"python","fetch_files":"out.txt"})j"), 400);
  call(post("/run_code", R"j({"code":"x","language":"python","fetch_files":[1]})j"), 400);
  call(post("/run_code", R"j({"language":"python"})j"), 400);
}

// ---- Piston /api/v2, in its documented shapes ----

TEST_F(Service, PistonExecuteAndRuntimes) {
  json run = call(post("/api/v2/execute", R"j({"language":"py","version":"3.10.0",
      "files":[{"name":"main.py","content":"import sys\nprint(sys.argv[1:], input())"},{"name":"data.txt","content":"d"}],
      "stdin":"in","args":["1","2"],"compile_timeout":10000,"run_timeout":3000,
      "compile_memory_limit":-1,"run_memory_limit":-1})j"),
                  200);
  EXPECT_EQ(run["language"], "python");
  EXPECT_FALSE(run["version"].get<std::string>().empty());
  EXPECT_EQ(run["run"]["stdout"], "['1', '2'] in\n");
  EXPECT_EQ(run["run"]["code"], 0);
  EXPECT_TRUE(run["run"]["signal"].is_null());
  EXPECT_EQ(run["run"]["output"], "['1', '2'] in\n");

  json c = call(
      post("/api/v2/execute",
           R"j({"language":"c++","version":"*","files":[{"content":"int main(){ return 7; }"}]})j"),
      200);
  EXPECT_EQ(c["compile"]["code"], 0);
  EXPECT_EQ(c["run"]["code"], 7);

  json bad = call(post("/api/v2/execute",
                       R"j({"language":"c","version":"*","files":[{"content":"int main( {"}]})j"),
                  200);
  EXPECT_NE(bad["compile"]["code"], 0);
  EXPECT_EQ(bad["run"], bad["compile"]) << "Piston repeats compile as run when run never started";
  json hex = call(
      post(
          "/api/v2/execute",
          R"j({"language":"python","version":"*","files":[{"content":"7072696e7428343229","encoding":"hex"}]})j"),
      200);
  EXPECT_EQ(hex["run"]["stdout"], "42\n") << hex;

  json killed = call(
      post(
          "/api/v2/execute",
          R"j({"language":"python","version":"*","files":[{"content":"import os\nos.abort()"}]})j"),
      200);
  EXPECT_TRUE(killed["run"]["code"].is_null());
  EXPECT_EQ(killed["run"]["signal"], "SIGABRT");

  json unknown =
      call(post("/api/v2/execute",
                R"j({"language":"brainfuck","version":"2.7.3","files":[{"content":"+"}]})j"),
           400);
  EXPECT_EQ(unknown["message"], "brainfuck-2.7.3 runtime is unknown");
  EXPECT_TRUE(
      call(post("/api/v2/execute", R"j({"language":"python","version":"*","files":[]})j"), 400)
          .contains("message"));

  // Each wrongly typed or out-of-range field is named in Piston's error shape.
  const std::pair<const char*, const char*> bad_fields[] = {
      {R"j({"language":"python","files":[{"content":"1","encoding":5}]})j",
       "files[0].encoding must be a string"},
      {R"j({"language":"python","files":[{"content":"1","name":[]}]})j",
       "files[0].name must be a string"},
      {R"j({"language":"python","version":5,"files":[{"content":"1"}]})j",
       "version must be a string"},
      {R"j({"language":"python","stdin":5,"files":[{"content":"1"}]})j", "stdin must be a string"},
      {R"j({"language":"python","compile_timeout":"x","files":[{"content":"1"}]})j",
       "compile_timeout must be a number"},
      {R"j({"language":"python","run_memory_limit":100,"files":[{"content":"1"}]})j",
       "limits.memory_bytes = 100 is below 1048576 bytes, the smallest allowed"},
      {R"j({"language":"python","run_memory_limit":1e30,"files":[{"content":"1"}]})j",
       "limits.memory_bytes = 1e+30 exceeds the ceiling 4294967296 bytes"}};
  for (const auto& [body, message] : bad_fields)
    EXPECT_EQ(call(post("/api/v2/execute", body), 400)["message"], message) << body;

  json runtimes = call(get("/api/v2/runtimes"), 200);
  bool python = false;
  for (const auto& r : runtimes)
    if (r["language"] == "python") {
      python = true;
      EXPECT_TRUE(r["aliases"].is_array());
      EXPECT_FALSE(r["version"].get<std::string>().empty());
    }
  EXPECT_TRUE(python);
}

}  // namespace
}  // namespace crucible::sandbox::service
