// The environment API of `crucible serve` as it is wired (/v1/env/reset, /v1/env/step)
// against the real jail: an episode's tool calls run with a notebook's state, its end is
// scored by the verifier, episodes are private, bounded in number and in time, and every
// malformed or hostile request is a 4xx naming what is wrong. (That a hostile call leaves
// nothing on the host is checked in tests/security, which runs alone.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/trainer_routes.hpp"
#include "tests/sandbox/service/service_fixture.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;

class EnvApi : public ::testing::Test {
 protected:
  explicit EnvApi(rollout::EnvOptions o = {}) : service(testing::shared_sandbox(), options(o)) {}
  static ServiceOptions options(rollout::EnvOptions o) {
    o.tools.languages = {"python3", "bash"};
    ServiceOptions s;
    s.extra_routes = cli::trainer_routes(std::make_shared<rollout::ToolEnvironment>(o));
    return s;
  }
  json call(const std::string& path, const json& body, int want) {
    auto r = service.handle(post(path, body.dump()));
    EXPECT_EQ(r.status, want) << path << " " << body.dump() << " -> " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  json reset(const std::string& prompt = "What is 1234 * 5678?",
             const std::string& answer = "7006652") {
    return call(
        "/v1/env/reset",
        {{"task", {{"id", "t1"}, {"kind", "math"}, {"prompt", prompt}, {"answer", answer}}}}, 200);
  }
  json step(const std::string& id, const std::string& action, int want = 200) {
    return call("/v1/env/step", {{"session_id", id}, {"action", action}}, want);
  }
  SandboxService service;
};

TEST_F(EnvApi, AnEpisodeRunsItsCallsAsANotebookAndIsScoredAtTheEnd) {
  json first = reset();
  EXPECT_EQ(first["observation"], "What is 1234 * 5678?");
  EXPECT_EQ(first["done"], false);
  std::string id = first["session_id"];
  EXPECT_EQ(id.size(), 32u);
  json a = step(id, "Let me compute.\n```python\nx = 1234 * 5678\nprint(x)\n```\n```output\n");
  EXPECT_EQ(a["observation"], "7006652\n```\n");
  EXPECT_EQ(a["done"], false);
  EXPECT_EQ(a["reward"], 0);
  EXPECT_EQ(a["turn"], 1);
  EXPECT_EQ(a["call"]["verdict"], "Accepted");
  json b = step(id, "Check:\n```python\nprint(x % 1000)\n```\n```output\n");
  EXPECT_EQ(b["observation"], "652\n```\n") << "state from the first cell; only new output";
  json end = step(id, "So the answer is \\boxed{7006652}.");
  EXPECT_EQ(end["done"], true);
  EXPECT_EQ(end["reward"], 1.0);
  EXPECT_EQ(end["verdict"], "correct");
  EXPECT_EQ(end["turn"], 2);
  json gone = step(id, "more", 404);
  EXPECT_NE(gone["error"].get<std::string>().find("no open episode"), std::string::npos) << gone;
  json wrong = reset();
  EXPECT_EQ(step(wrong["session_id"], "\\boxed{7006653}")["reward"], 0.0);
}

TEST_F(EnvApi, EpisodesAreIsolatedFromEachOther) {
  std::string a = reset()["session_id"], b = reset()["session_id"];
  EXPECT_NE(a, b);
  step(a, "```python\nsecret = 41\nprint(1)\n```\n```output\n");
  json other = step(b, "```python\nprint(secret)\n```\n```output\n");
  EXPECT_NE(other["call"]["verdict"], "Accepted") << "no state crosses episodes";
  EXPECT_NE(other["observation"].get<std::string>().find("NameError"), std::string::npos);
  // A hostile call ends as the environment's observation; the episode goes on.
  json spin = step(a, "```python\nwhile True: pass\n```\n```output\n");
  EXPECT_EQ(spin["call"]["verdict"], "TimeLimit");
  EXPECT_EQ(spin["done"], false);
  EXPECT_EQ(step(a, "```bash\necho hi\n```\n```output\n")["observation"], "hi\n```\n");
  json refused = step(a, "```ruby\nputs 1\n```\n```output\n");
  EXPECT_EQ(refused["call"]["verdict"], "refused");
}

TEST_F(EnvApi, MalformedAndHostileRequestsAreNamed) {
  struct Bad {
    std::string path;
    json body;
    int status;
    const char* says;
  };
  std::string id = reset()["session_id"];
  for (const Bad& b : {
           Bad{"/v1/env/reset", json::object(), 400, "task is required"},
           Bad{"/v1/env/reset", {{"task", {{"prompt", "x"}}}, {"colour", 1}}, 400, "colour"},
           Bad{"/v1/env/reset", {{"task", 5}}, 400, "task"},
           Bad{"/v1/env/reset",
               {{"task", {{"id", "t"}, {"kind", "math"}, {"prompt", "x"}, {"answer", "1"}}},
                {"template", "nope"}},
               400,
               "template"},
           Bad{"/v1/env/step", {{"action", "x"}}, 400, "session_id is required"},
           Bad{"/v1/env/step", {{"session_id", id}, {"action", 5}}, 400, "action"},
           Bad{"/v1/env/step",
               {{"session_id", std::string(100000, 'a')}, {"action", "x"}},
               404,
               "no open episode"},
           Bad{"/v1/env/step",
               {{"session_id", id}, {"action", std::string(70000, 'x')}},
               400,
               "action is longer"},
       }) {
    auto r = service.handle(post(b.path, b.body.dump()));
    EXPECT_EQ(r.status, b.status) << b.body.dump().substr(0, 200) << " -> "
                                  << r.body.substr(0, 300);
    EXPECT_NE(r.body.find(b.says), std::string::npos) << r.body.substr(0, 300);
    EXPECT_LT(r.body.size(), 2000u) << "an error does not echo a huge input back";
  }
  EXPECT_FALSE(service.is_job(post("/v1/env/reset", "{}"))) << "a reset runs no code";
  EXPECT_TRUE(service.is_job(post("/v1/env/step", "{}")));
  EXPECT_EQ(service.handle(get("/v1/env/step")).status, 405);
}

class SmallEnv : public EnvApi {
 protected:
  SmallEnv() : EnvApi(limits()) {}
  static rollout::EnvOptions limits() {
    rollout::EnvOptions o;
    o.max_sessions = 2;
    o.tools.max_turns = 1;
    return o;
  }
};

TEST_F(SmallEnv, OpenEpisodesAndToolTurnsAreBounded) {
  std::string a = reset()["session_id"];
  reset();
  auto full = service.handle(post(
      "/v1/env/reset",
      json{{"task", {{"id", "t"}, {"kind", "math"}, {"prompt", "x"}, {"answer", "1"}}}}.dump()));
  EXPECT_EQ(full.status, 429) << full.body;
  EXPECT_NE(full.body.find("2 episodes are open"), std::string::npos) << full.body;
  step(a, "```python\nprint(7006652)\n```\n```output\n");
  json over = step(a, "```python\nprint(x)\n```\n```output\n");
  EXPECT_EQ(over["done"], true) << "the second call is beyond max_turns: not run";
  EXPECT_EQ(over["ended_by"], "max_turns");
  EXPECT_EQ(over["reward"], 1.0) << "the transcript's last number is the first call's output";
  reset();  // the finished episode freed its place
}

}  // namespace
}  // namespace crucible::sandbox::service
