// The environment's episode bookkeeping with a scripted runner: expiry after the TTL, one
// step at a time per episode, and a sandbox failure that voids the episode.
#include "rollout/tool_env.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "base/error.hpp"

namespace crucible::rollout {
namespace {

using nlohmann::json;

const json kTask = {{"id", "t"}, {"kind", "math"}, {"prompt", "What is 6 * 7?"}, {"answer", "42"}};
const std::string kCall = "```python\nprint(6 * 7)\n```\n```output\n";

ToolRunner answering(std::string out) {
  return [out](const std::string&, const std::string&) {
    return tasks::ToolRun{out, "", "Accepted", 0.01};
  };
}

TEST(ToolEnvironment, AnEpisodeUnusedForItsTtlIsGone) {
  EnvOptions o;
  o.ttl = std::chrono::seconds(0);
  ToolEnvironment env(o);
  std::string id = env.reset({{"task", kTask}})["session_id"];
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_THROW(env.step({{"session_id", id}, {"action", "\\boxed{42}"}}, rewards::Scorer(),
                        answering("42\n")),
               NotFound);
}

TEST(ToolEnvironment, OneStepOfAnEpisodeAtATime) {
  ToolEnvironment env;
  std::string id = env.reset({{"task", kTask}})["session_id"];
  std::promise<void> entered, release;
  auto held = release.get_future().share();
  ToolRunner slow = [&](const std::string&, const std::string&) {
    entered.set_value();
    held.wait();
    return tasks::ToolRun{"42\n", "", "Accepted", 0.01};
  };
  auto first = std::async(std::launch::async, [&] {
    return env.step({{"session_id", id}, {"action", kCall}}, rewards::Scorer(), slow);
  });
  entered.get_future().wait();
  try {
    env.step({{"session_id", id}, {"action", "\\boxed{42}"}}, rewards::Scorer(), slow);
    ADD_FAILURE() << "a second step ran beside the first";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("another step"), std::string::npos) << e.what();
  }
  release.set_value();
  EXPECT_EQ(first.get()["observation"], "42\n```\n");
  json end =
      env.step({{"session_id", id}, {"action", "\\boxed{42}"}}, rewards::Scorer(), answering(""));
  EXPECT_EQ(end["reward"], 1.0) << "the episode went on after the refused step";
}

TEST(ToolEnvironment, ASandboxFailureVoidsTheEpisodeNeverScoresIt) {
  ToolEnvironment env;
  std::string id = env.reset({{"task", kTask}})["session_id"];
  ToolRunner broken = [](const std::string&, const std::string&) -> tasks::ToolRun {
    throw SandboxFailure("no jail");
  };
  json r = env.step({{"session_id", id}, {"action", kCall}}, rewards::Scorer(), broken);
  EXPECT_EQ(r["done"], true);
  EXPECT_EQ(r["valid"], false);
  EXPECT_TRUE(r["reward"].is_null());
  EXPECT_NE(r["error"].get<std::string>().find("no jail"), std::string::npos);
  EXPECT_THROW(env.step({{"session_id", id}, {"action", "x"}}, rewards::Scorer(), broken),
               NotFound);
}

}  // namespace
}  // namespace crucible::rollout
