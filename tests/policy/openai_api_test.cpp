// The OpenAI-compatible API in the shapes the official clients read: text ends at <eos>
// (finish_reason "stop") with special tokens never rendered, stop strings left out,
// log-probs with token text, offsets and top alternatives, chat completions, streaming as
// server-sent events, neutral defaults accepted, /v1/models/{id}, OpenAI-shaped errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "policy/native_policy.hpp"
#include "policy/remote/completions_api.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::policy {
namespace {

using nlohmann::json;

// Answers every prompt with the same token ids (bytes and the tokenizer's specials), so the
// rendering of known completions can be checked exactly.
class ReplayPolicy : public Policy {
 public:
  explicit ReplayPolicy(std::vector<int> tokens) : tokens_(std::move(tokens)) {}
  std::vector<Sample> generate(const std::vector<std::string>& prompts,
                               const SamplingParams& params) override {
    std::vector<Sample> out;
    for (size_t i = 0; i < prompts.size(); ++i) {
      Sample s;
      s.index = i;
      s.params = params;
      s.prompt_tokens = {257, 'q'};
      for (int t : tokens_) {
        s.tokens.push_back(t);
        s.logprobs.push_back(-0.5f);
        s.raw_logprobs.push_back(-0.25f);
        if (params.top_logprobs) s.top_logprobs.push_back({{t, -0.25f}, {'z', -2.0f}});
        s.text += tok_.decode_one(t);
        if (std::find(params.stop_tokens.begin(), params.stop_tokens.end(), t) !=
            params.stop_tokens.end())
          break;
      }
      s.finish_reason = s.tokens.size() < tokens_.size() ? "stop" : "length";
      out.push_back(s);
    }
    return out;
  }
  void resume(std::vector<Sample>&, size_t) override {}
  std::string version() const override { return "replay@0"; }

 private:
  std::vector<int> tokens_;
  Tokenizer tok_;
};

CompletionsLimits vocabulary() {
  static Tokenizer tok;
  CompletionsLimits l;
  l.stop_tokens = {tok.eos()};
  l.hidden_tokens = {"<pad>", "<bos>", "<eos>"};
  l.token_text = [](int id) { return tok.decode_one(id); };
  return l;
}

net::HttpResponse call(Policy& p, const std::string& path, const json& body) {
  net::HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.body = body.dump();
  return handle_policy_request(r, p, "m", vocabulary());
}

const std::vector<int> kEleven = {'\\', 'b', 'o', 'x', 'e', 'd', '{', '1', '1', '}', 258, 258, 258};

TEST(OpenAiApi, ACompletionEndsAtEosWithSpecialsNeverRendered) {
  ReplayPolicy p(kEleven);
  json j = json::parse(call(p, "/v1/completions", {{"model", "m"}, {"prompt", "q"}}).body);
  EXPECT_EQ(j["choices"][0]["text"], "\\boxed{11}");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  EXPECT_TRUE(j["created"].is_number());
}

TEST(OpenAiApi, StopStringsAreLeftOutOfTheText) {
  ReplayPolicy p({'a', 'b', '\n', '\n', 'Q', ':'});
  json j = json::parse(
      call(p, "/v1/completions", {{"model", "m"}, {"prompt", "q"}, {"stop", {"\n\n"}}}).body);
  EXPECT_EQ(j["choices"][0]["text"], "ab");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
}

TEST(OpenAiApi, LogProbsCarryTokenTextOffsetsAndTopAlternatives) {
  ReplayPolicy p({'h', 'i', 258});
  json j = json::parse(
      call(p, "/v1/completions", {{"model", "m"}, {"prompt", "q"}, {"logprobs", 2}}).body);
  const json& lp = j["choices"][0]["logprobs"];
  EXPECT_EQ(lp["tokens"], json({"h", "i"}));
  EXPECT_EQ(lp["text_offset"], json({0, 1}));
  EXPECT_EQ(lp["token_logprobs"].size(), 2u);
  ASSERT_EQ(lp["top_logprobs"].size(), 2u);
  EXPECT_TRUE(lp["top_logprobs"][0].contains("h"));
  EXPECT_TRUE(lp["top_logprobs"][0].contains("z"));
  EXPECT_EQ(j["choices"][0]["token_id_logprobs"].size(), 3u) << "every token id has its log-prob";
}

TEST(OpenAiApi, NeutralDefaultsThatClientsSendAreAccepted) {
  ReplayPolicy p(kEleven);
  auto r = call(p, "/v1/completions",
                {{"model", "m"},
                 {"prompt", "q"},
                 {"presence_penalty", 0},
                 {"frequency_penalty", 0},
                 {"echo", false},
                 {"best_of", 1},
                 {"logit_bias", json::object()},
                 {"suffix", nullptr},
                 {"user", "u"},
                 {"stream", false}});
  EXPECT_EQ(r.status, 200) << r.body;
  auto refused =
      call(p, "/v1/completions", {{"model", "m"}, {"prompt", "q"}, {"presence_penalty", 1}});
  EXPECT_EQ(refused.status, 400);
  json e = json::parse(refused.body)["error"];
  EXPECT_EQ(e["param"], "presence_penalty");
  EXPECT_EQ(e["type"], "invalid_request_error");
  EXPECT_TRUE(e.contains("code"));
  EXPECT_NE(e["message"].get<std::string>().find("neutral"), std::string::npos);
}

TEST(OpenAiApi, ChatCompletionsUseTheTemplateAndAnswerAsAMessage) {
  ReplayPolicy p(kEleven);
  json j = json::parse(call(p, "/v1/chat/completions",
                            {{"model", "m"},
                             {"messages", {{{"role", "user"}, {"content", "2+9?"}}}},
                             {"logprobs", true},
                             {"top_logprobs", 1}})
                           .body);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(j["choices"][0]["message"]["content"], "\\boxed{11}");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(j["choices"][0]["logprobs"]["content"][0]["token"], "\\");
  EXPECT_EQ(j["choices"][0]["logprobs"]["content"][0]["top_logprobs"].size(), 2u);
  EXPECT_EQ(chat_prompt(json::array({{{"role", "system"}, {"content", "Be brief."}},
                                     {{"role", "user"}, {"content", "Hi"}}})),
            "<bos>system: Be brief.<eos>user: Hi<eos>assistant: ");
  auto bad = call(p, "/v1/chat/completions", {{"model", "m"}, {"messages", {{{"role", "robot"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("messages[0].role"), std::string::npos) << bad.body;
}

// Splits an event stream into its JSON chunks; checks the terminator.
std::vector<json> events(const std::string& body) {
  std::vector<json> out;
  size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    size_t end = body.find("\n\n", at);
    std::string data = body.substr(at + 6, end - at - 6);
    at = end;
    if (data == "[DONE]") {
      out.push_back("DONE");
      continue;
    }
    out.push_back(json::parse(data));
  }
  return out;
}

TEST(OpenAiApi, StreamingIsServerSentEventsEndingInDone) {
  ReplayPolicy p(kEleven);
  auto r = call(p, "/v1/completions", {{"model", "m"}, {"prompt", "q"}, {"stream", true}});
  EXPECT_EQ(r.content_type, "text/event-stream");
  auto ev = events(r.body);
  ASSERT_GE(ev.size(), 3u);
  EXPECT_EQ(ev.back(), "DONE");
  std::string text;
  for (size_t i = 0; i + 1 < ev.size(); ++i) text += ev[i]["choices"][0]["text"].get<std::string>();
  EXPECT_EQ(text, "\\boxed{11}");
  EXPECT_EQ(ev[ev.size() - 2]["choices"][0]["finish_reason"], "stop");

  auto chat = call(p, "/v1/chat/completions",
                   {{"model", "m"},
                    {"messages", {{{"role", "user"}, {"content", "x"}}}},
                    {"stream", true},
                    {"stream_options", {{"include_usage", true}}}});
  auto cev = events(chat.body);
  EXPECT_EQ(cev.front()["object"], "chat.completion.chunk");
  EXPECT_EQ(cev.front()["choices"][0]["delta"]["role"], "assistant");
  std::string content;
  for (const auto& e : cev)
    if (e.is_object() && !e["choices"].empty() && e["choices"][0]["delta"].contains("content"))
      content += e["choices"][0]["delta"]["content"].get<std::string>();
  EXPECT_EQ(content, "\\boxed{11}");
  EXPECT_TRUE(cev[cev.size() - 2].contains("usage"));
}

TEST(OpenAiApi, ModelsAndErrorsInOpenAiShape) {
  ReplayPolicy p(kEleven);
  net::HttpRequest get;
  get.method = "GET";
  get.path = "/v1/models/m";
  auto one = handle_policy_request(get, p, "m", vocabulary());
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(json::parse(one.body)["id"], "m");
  EXPECT_TRUE(json::parse(one.body)["created"].is_number());
  get.path = "/v1/models/other";
  auto missing = handle_policy_request(get, p, "m", vocabulary());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "model_not_found");
  auto wrong_model = call(p, "/v1/completions", {{"model", "x"}, {"prompt", "q"}});
  EXPECT_EQ(wrong_model.status, 404);
  EXPECT_EQ(json::parse(wrong_model.body)["error"]["param"], "model");
}

// The real native model through the same API: a chat completion and a stream.
TEST(OpenAiApi, TheNativePolicyAnswersChatAndStreams) {
  NativePolicy policy(testing::tiny_model(2, 64, 3), Tokenizer(), "tiny");
  net::HttpRequest r;
  r.method = "POST";
  r.path = "/v1/chat/completions";
  r.body = json({{"model", "tiny"},
                 {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                 {"max_tokens", 8},
                 {"seed", 1},
                 {"stream", true}})
               .dump();
  auto resp = handle_policy_request(r, policy, "tiny", vocabulary());
  ASSERT_EQ(resp.status, 200) << resp.body;
  auto ev = events(resp.body);
  EXPECT_EQ(ev.back(), "DONE");
  EXPECT_EQ(resp.body.find("<eos>"), std::string::npos);
}

}  // namespace
}  // namespace crucible::policy
