// The OpenAI-compatible completions API (as a pure handler and over loopback) and the
// HTTP policy against `crucible serve-policy`'s server: token ids and log-probs survive
// the trip unchanged, bad requests are named, an unreachable server is a clear error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <mutex>

#include "base/error.hpp"
#include "net/http_server.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "policy/remote/policy_server.hpp"
#include "tests/support/tiny_model.hpp"

namespace crucible::policy {
namespace {

using nlohmann::json;

net::HttpRequest post(const json& body) {
  net::HttpRequest r;
  r.method = "POST";
  r.path = "/v1/completions";
  r.body = body.dump();
  return r;
}

TEST(CompletionsApi, AnswersWithTokenIdsLogProbsAndUsage) {
  NativePolicy policy(testing::tiny_model(2, 64, 3), Tokenizer(), "tiny");
  auto r = handle_policy_request(post({{"model", "tiny"},
                                       {"prompt", {"a", "b"}},
                                       {"n", 2},
                                       {"max_tokens", 5},
                                       {"seed", 3},
                                       {"logprobs", 1}}),
                                 policy, "tiny", {});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  ASSERT_EQ(j["choices"].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    const json& c = j["choices"][i];
    EXPECT_EQ(c["index"], i);
    EXPECT_EQ(c["token_ids"].size(), 5u);
    EXPECT_EQ(c["logprobs"]["token_logprobs"].size(), 5u);
    EXPECT_EQ(c["finish_reason"], "length");
  }
  EXPECT_EQ(j["usage"]["completion_tokens"], 20);
  EXPECT_EQ(j["usage"]["prompt_tokens"], 4);  // "<bos>a" and "<bos>b"
  EXPECT_EQ(j["object"], "text_completion");
  EXPECT_EQ(j["system_fingerprint"], "tiny@0");
  net::HttpRequest models;
  models.method = "GET";
  models.path = "/v1/models";
  EXPECT_EQ(json::parse(handle_policy_request(models, policy, "tiny", {}).body)["data"][0]["id"],
            "tiny");
}

TEST(CompletionsApi, BadRequestsNameTheField) {
  NativePolicy policy(testing::tiny_model(2, 64, 3), Tokenizer(), "tiny");
  struct Bad {
    json body;
    int status;
    const char* message;
  };
  for (const Bad& b :
       {Bad{{{"prompt", "x"}, {"temperature", -1}}, 400, "temperature"},
        Bad{{{"prompt", "x"}, {"max_tokens", 100000}}, 400, "max_tokens"},
        Bad{{{"prompt", "x"}, {"stream", "yes"}}, 400, "stream: must be true or false"},
        Bad{{{"prompt", "x"}, {"frequency_penalty", 1}},
            400,
            "frequency_penalty: only its neutral value"},
        Bad{{{"prompt", "x"}, {"best_of", 3}}, 400, "best_of"},
        Bad{{{"prompt", "x"}, {"colour", 3}}, 400, "colour is not a known field"},
        Bad{{{"prompt", 5}}, 400, "prompt: must be a string"},
        Bad{{{"max_tokens", 5}}, 400, "prompt: required"},
        Bad{{{"prompt", "x"}, {"n", 100}}, 400, "n:"},
        Bad{{{"prompt", "x"}, {"model", "other"}}, 404, "not served here"}}) {
    auto r = handle_policy_request(post(b.body), policy, "tiny", {});
    EXPECT_EQ(r.status, b.status) << b.body.dump() << " -> " << r.body;
    EXPECT_NE(r.body.find(b.message), std::string::npos) << r.body;
  }
  net::HttpRequest junk = post({});
  junk.body = "{nope";
  EXPECT_EQ(handle_policy_request(junk, policy, "tiny", {}).status, 400);
  junk.path = "/v1/chat";
  EXPECT_EQ(handle_policy_request(junk, policy, "tiny", {}).status, 404);
}

// The tiny native model served on a free loopback port, and HTTP policies that call it.
struct ServedTiny {
  static PolicyServerOptions loopback() {
    PolicyServerOptions o;
    o.http.port = 0;
    return o;
  }
  NativePolicy native{testing::tiny_model(2, 64, 3), Tokenizer(), "tiny"};
  PolicyServer server{native, "tiny", loopback()};
  ServedTiny() { server.start(); }
  ~ServedTiny() { server.stop(); }
  HttpPolicyOptions client(const std::string& model) const {
    return {.base_url = "http://127.0.0.1:" + std::to_string(server.port()), .model = model};
  }
};

TEST(HttpPolicyTest, KeepsTheServersTokensAndLogProbs) {
  ServedTiny served;
  NativePolicy& native = served.native;
  HttpPolicy remote(served.client("tiny"));
  SamplingParams p;
  p.max_tokens = 8;
  p.seed = 21;
  p.temperature = 0.8;
  std::vector<std::string> prompts{"one", "two", "three"};
  auto over_http = remote.generate(prompts, p);
  ASSERT_EQ(over_http.size(), 3u);
  for (size_t i = 0; i < prompts.size(); ++i) {
    SamplingParams local = p;
    local.seed = p.seed + i;  // the HTTP policy gives sample i the seed + i
    auto direct = native.generate({prompts[i]}, local)[0];
    EXPECT_EQ(over_http[i].tokens, direct.tokens) << i;
    EXPECT_EQ(over_http[i].logprobs, direct.logprobs) << i;
    EXPECT_EQ(over_http[i].raw_logprobs, direct.raw_logprobs) << i;
    EXPECT_EQ(over_http[i].prompt_tokens, direct.prompt_tokens) << i;
    // Text crosses as JSON (an untrained model's invalid UTF-8 becomes U+FFFD); the token
    // ids are the authority, which is why they travel.
    EXPECT_EQ(over_http[i].text.empty(), direct.text.empty()) << i;
  }
  remote.resume(over_http, 4);
  EXPECT_EQ(over_http[0].tokens.size(), 12u);
  EXPECT_EQ(over_http[0].logprobs.size(), 12u);
  EXPECT_EQ(remote.version(), "http:tiny");
}

// OpenAI's completions API takes prompts as token ids too (vLLM and SGLang serve them): the
// same tokens as a text prompt give the same completion; ids that are not tokens, and prompts
// past the context, are 400s naming the prompt.
TEST(CompletionsApi, TokenIdPromptsAnswerAsTheSameTokensInText) {
  NativePolicy policy(testing::tiny_model(2, 64, 3), Tokenizer(), "tiny");
  Tokenizer tok;
  std::vector<int> a = tok.encode("ab"), b = tok.encode("c");
  a.insert(a.begin(), tok.bos());
  b.insert(b.begin(), tok.bos());
  json common = {{"model", "tiny"}, {"max_tokens", 6}, {"seed", 9}, {"n", 2}};
  json by_text = common, by_ids = common, one_list = common;
  by_text["prompt"] = {"ab", "c"};
  by_ids["prompt"] = {a, b};
  one_list["prompt"] = a;
  json text = json::parse(handle_policy_request(post(by_text), policy, "tiny", {}).body);
  auto r = handle_policy_request(post(by_ids), policy, "tiny", {});
  ASSERT_EQ(r.status, 200) << r.body;
  json ids = json::parse(r.body);
  ASSERT_EQ(ids["choices"].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ids["choices"][i]["token_ids"], text["choices"][i]["token_ids"]) << i;
    EXPECT_EQ(ids["choices"][i]["prompt_token_ids"], text["choices"][i]["prompt_token_ids"]);
  }
  json single = json::parse(handle_policy_request(post(one_list), policy, "tiny", {}).body);
  EXPECT_EQ(single["choices"][1]["token_ids"], text["choices"][1]["token_ids"]);

  struct Bad {
    json prompt;
    const char* message;
  };
  for (const Bad& bad :
       {Bad{json::array({1, -2}), "prompt[1]: a token id must be a non-negative"},
        Bad{json::array({1, 2.5}), "prompt[1]: a token id"},
        Bad{json::array({json::array({1}), json::array()}), "prompt[1]: a token list"},
        Bad{json::array({json::array({1}), "x"}), "prompt[1]: a token list"},
        Bad{json::array({1, 99999}), "token id 99999 is outside the vocabulary"},
        Bad{std::vector<int>(80, 'x'), "the model's context is 64"}}) {
    json body = common;
    body["prompt"] = bad.prompt;
    auto answer = handle_policy_request(post(body), policy, "tiny", {});
    EXPECT_EQ(answer.status, 400) << bad.prompt.dump() << " -> " << answer.body;
    EXPECT_NE(answer.body.find(bad.message), std::string::npos) << answer.body;
  }
}

// A resumed sample goes back to the server as the token ids it has, not as text that might
// tokenise otherwise (an untrained model writes bytes that are not valid UTF-8): the new
// tokens are the ones the model draws after exactly those ids.
TEST(HttpPolicyTest, ResumeSendsTheTokenIdsItHas) {
  ServedTiny served;
  NativePolicy& native = served.native;
  HttpPolicy remote(served.client("tiny"));
  SamplingParams p;
  p.max_tokens = 6;
  p.seed = 21;
  p.temperature = 0.9;
  auto samples = remote.generate({"xy"}, p);
  ASSERT_EQ(samples[0].tokens.size(), 6u);
  std::vector<int> known = samples[0].prompt_tokens;
  known.insert(known.end(), samples[0].tokens.begin(), samples[0].tokens.end());
  remote.resume(samples, 5);
  ASSERT_EQ(samples[0].tokens.size(), 11u);
  EXPECT_FALSE(samples[0].text_only);
  SamplingParams next = p;
  next.max_tokens = 5;
  next.seed = p.seed + samples[0].index + 7919 * 6;  // the HTTP policy's seed for the resume
  auto direct = native.generate_tokens({known}, next)[0];
  EXPECT_EQ(std::vector<int>(samples[0].tokens.begin() + 6, samples[0].tokens.end()),
            direct.tokens);
  // An untrained model's distribution is nearly flat, so the drawn tokens barely depend on the
  // context; their log-probs do, exactly.
  EXPECT_EQ(std::vector<float>(samples[0].logprobs.begin() + 6, samples[0].logprobs.end()),
            direct.logprobs);
}

TEST(HttpPolicyTest, AnUnreachableServerIsAClearErrorAfterRetries) {
  HttpPolicy remote({.base_url = "http://127.0.0.1:9",
                     .model = "m",
                     .concurrency = 1,
                     .timeout = std::chrono::seconds(2),
                     .retries = 1,
                     .backoff = std::chrono::milliseconds(10)});
  try {
    remote.generate({"x"}, {});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("failed after 2 attempts"), std::string::npos) << e.what();
  }
  EXPECT_THROW(HttpPolicy({.base_url = "ftp://x", .model = "m"}), InvalidRequest);
}

TEST(HttpPolicyTest, ServerRefusalsAreNotRetriedAndNameTheProblem) {
  ServedTiny served;
  HttpPolicy wrong_model(served.client("other"));
  try {
    wrong_model.generate({"x"}, {});
    ADD_FAILURE();
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 404"), std::string::npos) << e.what();
  }
}

// A completions server shaped like vLLM with token ids on: prompt ids first, then the
// completion's; it records each request's prompt.
struct ScriptedServer {
  std::mutex mu;
  std::vector<json> requests;
  std::vector<json> answers;  // one per request, in order
  net::HttpServer server{
      {.port = 0}, [this](net::HttpRequest req, net::Respond respond) {
        std::lock_guard lock(mu);
        requests.push_back(json::parse(req.body));
        respond(net::json_response(200, {{"choices", {answers.at(requests.size() - 1)}}}));
      }};
  std::string url() { return "http://127.0.0.1:" + std::to_string(server.port()); }
};

json choice(const std::string& text, std::vector<int> prompt_ids, std::vector<int> ids,
            const std::string& finish) {
  return {{"text", text},
          {"prompt_token_ids", prompt_ids},
          {"token_ids", ids},
          {"logprobs", {{"token_logprobs", std::vector<float>(ids.size(), -0.5f)}}},
          {"finish_reason", finish}};
}

TEST(HttpPolicyTest, ForcedTextGoesWithTheTranscriptAndTakesItsIdsFromTheServersPrompt) {
  ScriptedServer s;
  // The server cut the stop string from the text, as OpenAI-compatible servers do, and
  // says which it was (vLLM's "stop_reason").
  json first = choice("ab", {1, 2}, {10, 11, 12}, "stop");
  first["stop_reason"] = "```output\n";
  s.answers = {first, choice("cd", {1, 2, 10, 11, 12, 20, 21}, {30, 31}, "stop")};
  s.server.start();
  HttpPolicy remote({.base_url = s.url(), .model = "m", .concurrency = 1});
  SamplingParams p;
  p.stop = {"```output\n"};
  auto samples = remote.generate({"Q"}, p);
  remote.force(samples[0], "7\n");
  EXPECT_EQ(samples[0].tokens.size(), 3u) << "the ids of forced text come on resume";
  remote.resume(samples, 16);
  const Sample& x = samples[0];
  EXPECT_EQ(s.requests[1]["prompt"], "Qab```output\n7\n") << "the transcript so far";
  EXPECT_EQ(s.requests[1]["stop"], json({"```output\n"}));
  EXPECT_EQ(x.text, "ab```output\n7\ncd");
  EXPECT_EQ(x.tokens, (std::vector<int>{10, 11, 12, 20, 21, 30, 31}));
  EXPECT_EQ(x.forced, (std::vector<uint8_t>{0, 0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(x.logprobs, (std::vector<float>{-0.5f, -0.5f, -0.5f, 0, 0, -0.5f, -0.5f}));
  EXPECT_FALSE(x.text_only);
  s.server.stop();
}

TEST(HttpPolicyTest, ForcedTextTheServerTokenisedOtherwiseLeavesATextOnlySample) {
  ScriptedServer s;
  // The server merged the end of the completion with the forced text: ids 12 and 20 became 99.
  s.answers = {choice("ab", {1, 2}, {10, 11, 12}, "stop"),
               choice("cd", {1, 2, 10, 11, 99, 21}, {30}, "stop")};
  s.server.start();
  HttpPolicy remote({.base_url = s.url(), .model = "m", .concurrency = 1});
  auto samples = remote.generate({"Q"}, {});
  remote.force(samples[0], "7\n");
  remote.resume(samples, 16);
  EXPECT_TRUE(samples[0].text_only);
  EXPECT_TRUE(samples[0].tokens.empty()) << "no ids out of step with the text";
  EXPECT_TRUE(samples[0].logprobs.empty());
  EXPECT_EQ(samples[0].text, "ab7\ncd");
  s.server.stop();
}

}  // namespace
}  // namespace crucible::policy
