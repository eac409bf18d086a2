#include "tasks/prompts.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

Task math() {
  return Task::from_json(
      {{"id", "m"}, {"kind", "math"}, {"prompt", "What is 2+2?"}, {"answer", "4"}});
}
Task code() {
  return Task::from_json({{"id", "c"},
                          {"kind", "code"},
                          {"prompt", "Print the sum."},
                          {"language", "cpp"},
                          {"tests", {{"tests", json::array({{{"input", ""}, {"output", "1"}}})}}}});
}

TEST(Prompts, BuiltinTemplatesRender) {
  const auto& t = PromptTemplates::builtin();
  auto r = t.render(math(), "think_boxed");
  EXPECT_EQ(r.text.rfind("What is 2+2?", 0), 0u);
  EXPECT_NE(r.text.find("<think>"), std::string::npos);
  EXPECT_NE(r.text.find("\\boxed{...}"), std::string::npos);
  EXPECT_EQ(r.messages.size(), 1u);
  auto c = t.render(code(), "code_fence");
  EXPECT_NE(c.text.find("complete cpp program"), std::string::npos);
  auto chat = t.render(math(), "chat_think_boxed");
  ASSERT_EQ(chat.messages.size(), 2u);
  EXPECT_EQ(chat.messages[0]["role"], "system");
  EXPECT_EQ(chat.messages[1]["content"], "What is 2+2?");
  EXPECT_EQ(chat.text, "What is 2+2?");
  EXPECT_EQ(t.render(math(), "plain").text, "What is 2+2?");
}

TEST(Prompts, WrongKindAndUnknownNamesAreClearErrors) {
  const auto& t = PromptTemplates::builtin();
  EXPECT_THROW(t.render(code(), "think_boxed"), InvalidRequest);
  try {
    t.find("fancy");
    FAIL();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("think_boxed"), std::string::npos)
        << "lists the known templates";
  }
}

TEST(Prompts, MalformedTemplateFilesNameTheProblem) {
  auto message = [](const std::string& text) {
    try {
      PromptTemplates::parse(text);
    } catch (const InvalidRequest& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("[]").find("templates"), std::string::npos);
  EXPECT_NE(message(R"({"templates":[{"name":"a","kinds":["math"],"text":"{question}"}]})")
                .find("{question}"),
            std::string::npos);
  EXPECT_NE(message(R"({"templates":[{"name":"a","kinds":["poetry"],"text":"x"}]})").find("poetry"),
            std::string::npos);
  EXPECT_NE(message(R"({"templates":[{"name":"a","kinds":["math"]}]})").find("exactly one"),
            std::string::npos);
  EXPECT_NE(
      message(
          R"({"templates":[{"name":"a","kinds":["math"],"text":"x"},{"name":"a","kinds":["math"],"text":"y"}]})")
          .find("twice"),
      std::string::npos);
}

}  // namespace
}  // namespace crucible::tasks
