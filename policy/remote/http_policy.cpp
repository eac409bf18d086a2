#include "policy/remote/http_policy.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/error.hpp"
#include "net/http_client.hpp"
#include "net/retry.hpp"

namespace crucible::policy {

using nlohmann::json;

namespace {
thread_local std::unique_ptr<net::HttpClient> tl_client;

// The token ids of forced text, from the prompt the server tokenised for the resume: what
// follows the sample's known ids in it. A sample whose ids cannot be matched becomes text
// only, as one from a server that gives no ids.
void resolve_forced_text(Sample& sample, const json& c) {
  if (sample.text_only) return;
  std::vector<int> known = sample.prompt_tokens;
  known.insert(known.end(), sample.tokens.begin(), sample.tokens.end());
  if (!known.empty() && c.contains("prompt_token_ids") && c["prompt_token_ids"].is_array()) {
    auto all = c["prompt_token_ids"].get<std::vector<int>>();
    if (all.size() > known.size() && std::equal(known.begin(), known.end(), all.begin())) {
      size_t n = all.size() - known.size();
      sample.tokens.insert(sample.tokens.end(), all.begin() + known.size(), all.end());
      sample.forced.insert(sample.forced.end(), n, 1);
      sample.logprobs.insert(sample.logprobs.end(), n, 0.f);  // not the policy's choice
      if (!sample.raw_logprobs.empty())
        sample.raw_logprobs.insert(sample.raw_logprobs.end(), n, 0.f);
      return;
    }
  }
  sample.tokens.clear();
  sample.logprobs.clear();
  sample.raw_logprobs.clear();
  sample.forced.clear();
  sample.text_only = true;
}

// Appends a completions choice to a sample: its text, and the server's token ids and
// log-probs when it gives them ("token_ids", or "token_id:N" log-prob tokens).
void append_choice(Sample& sample, const json& c) {
  sample.text += c.value("text", "");
  sample.finish_reason = c.value("finish_reason", "length") == "stop" ? "stop" : "length";
  // Servers cut the stop string that ended the text; vLLM ("stop_reason") and SGLang
  // ("matched_stop") say which it was, and it is put back: the transcript is what the
  // policy wrote (a tool call ends with its marker). Its token ids, when the server left
  // them out, come with the next prompt's ids like forced text (and are not trained on).
  for (const char* key : {"stop_reason", "matched_stop"}) {
    if (sample.finish_reason != "stop" || !c.contains(key) || !c[key].is_string()) continue;
    std::string stop = c[key];
    const auto& stops = sample.params.stop;
    if (std::find(stops.begin(), stops.end(), stop) == stops.end()) continue;
    sample.text += stop;
    break;
  }
  if (sample.prompt_tokens.empty() && c.contains("prompt_token_ids") &&
      c["prompt_token_ids"].is_array())
    sample.prompt_tokens = c["prompt_token_ids"].get<std::vector<int>>();
  if (!sample.forced_text_pending.empty()) {
    resolve_forced_text(sample, c);
    sample.forced_text_pending.clear();
  }
  if (sample.text_only) return;
  const json* lp = c.contains("logprobs") && c["logprobs"].is_object() ? &c["logprobs"] : nullptr;
  std::vector<int> ids;
  if (c.contains("token_ids") && c["token_ids"].is_array()) {
    ids = c["token_ids"].get<std::vector<int>>();
  } else if (lp && lp->contains("tokens")) {
    for (const auto& t : (*lp)["tokens"]) {
      std::string s = t.is_string() ? t.get<std::string>() : "";
      if (s.rfind("token_id:", 0) != 0) {
        ids.clear();  // tokens as text: ids unknown, keep text only
        break;
      }
      ids.push_back(std::stoi(s.substr(9)));
    }
  }
  // Crucible's server gives log-probs aligned with token_ids (the OpenAI "logprobs" object
  // covers only the rendered text); other servers' token_logprobs are used as they are.
  if (c.contains("token_id_logprobs") && c["token_id_logprobs"].is_array()) {
    auto v = c["token_id_logprobs"].get<std::vector<float>>();
    sample.logprobs.insert(sample.logprobs.end(), v.begin(), v.end());
    if (c.contains("token_id_raw_logprobs")) {
      auto raw = c["token_id_raw_logprobs"].get<std::vector<float>>();
      sample.raw_logprobs.insert(sample.raw_logprobs.end(), raw.begin(), raw.end());
    }
  } else {
    if (lp && lp->contains("token_logprobs"))
      for (const auto& v : (*lp)["token_logprobs"])
        sample.logprobs.push_back(v.is_number() ? v.get<float>() : 0.f);
    if (lp && lp->contains("raw_logprobs")) {
      auto raw = (*lp)["raw_logprobs"].get<std::vector<float>>();
      sample.raw_logprobs.insert(sample.raw_logprobs.end(), raw.begin(), raw.end());
    }
  }
  sample.tokens.insert(sample.tokens.end(), ids.begin(), ids.end());
  sample.forced.insert(sample.forced.end(), ids.size(), 0);
}

net::HttpClient& client(std::chrono::milliseconds timeout) {
  if (!tl_client) tl_client = std::make_unique<net::HttpClient>(timeout);
  tl_client->set_timeout(timeout);
  return *tl_client;
}
}  // namespace

HttpPolicy::HttpPolicy(HttpPolicyOptions options) : options_(std::move(options)) {
  net::parse_url(options_.base_url);  // InvalidRequest naming a bad URL, now rather than later
  if (options_.model.empty()) throw InvalidRequest("http policy: model is required");
  if (options_.concurrency == 0)
    throw InvalidRequest("http policy: concurrency must be at least 1");
}

void HttpPolicy::complete(Sample& sample, const json& prompt, const SamplingParams& p,
                          uint64_t seed) const {
  json body = {{"model", options_.model},
               {"prompt", prompt},
               {"max_tokens", p.max_tokens},
               {"temperature", p.temperature},
               {"top_p", p.top_p},
               // JSON numbers are exact below 2^53 and servers refuse larger seeds: the
               // 64-bit seed is folded into that range (the same seed, the same request).
               {"seed", (seed ^ (seed >> 53)) & ((uint64_t{1} << 53) - 1)},
               {"logprobs", 1},
               {"n", 1}};
  if (p.top_k > 0) body["top_k"] = p.top_k;
  if (!p.stop.empty()) body["stop"] = p.stop;
  std::string url = options_.base_url + "/v1/completions";
  net::RetryResult attempt = net::with_retries(
      {.attempts = options_.retries + 1, .backoff = options_.backoff, .jitter = false}, [&] {
        try {
          return client(options_.timeout).request("POST", url, body.dump());
        } catch (...) {
          tl_client.reset();  // a broken connection is not reused
          throw;
        }
      });
  if (!attempt.response)
    throw Error("policy server " + options_.base_url + " failed after " +
                std::to_string(options_.retries + 1) + " attempts: " + attempt.last_problem);
  const net::HttpResponse& r = *attempt.response;
  if (r.status != 200)
    throw InvalidRequest("policy server refused the request (HTTP " + std::to_string(r.status) +
                         "): " + r.body.substr(0, 300));
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("choices") || !j["choices"].is_array() ||
      j["choices"].empty())
    throw Error("policy server answered without choices: " + r.body.substr(0, 300));
  append_choice(sample, j["choices"][0]);
}

void HttpPolicy::concurrently(size_t count, const std::function<void(size_t)>& job) const {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min(options_.concurrency, count); ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < count;) {
        try {
          job(i);
        } catch (...) {
          std::lock_guard lock(mu);
          if (!failure) failure = std::current_exception();
        }
      }
    });
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::vector<Sample> HttpPolicy::generate(const std::vector<std::string>& prompts,
                                         const SamplingParams& params) {
  std::vector<Sample> samples = start(prompts, params);  // each completion sets its finish
  concurrently(samples.size(), [&](size_t i) {
    complete(samples[i], prompts[i], params, params.seed + samples[i].index);
  });
  return samples;
}

void HttpPolicy::force(Sample& sample, const std::string& text) const {
  sample.text += text;
  sample.forced_text_pending += text;
  sample.finish_reason = "length";
}

void HttpPolicy::resume(std::vector<Sample>& samples, size_t max_new_tokens) {
  std::vector<Sample*> open;
  for (auto& s : samples)
    if (s.finish_reason == "length") open.push_back(&s);
  concurrently(open.size(), [&](size_t i) {
    Sample& s = *open[i];
    SamplingParams p = s.params;
    p.max_tokens = max_new_tokens;
    // The server continues from what the sample has so far: its token ids when they are
    // known (decoding and tokenising again need not give the same tokens), else its text
    // with any forced text; a new seed offset keeps streams apart.
    json so_far = s.prompt + s.text;
    if (!s.text_only && s.forced_text_pending.empty() && !s.prompt_tokens.empty()) {
      std::vector<int> ids = s.prompt_tokens;
      ids.insert(ids.end(), s.tokens.begin(), s.tokens.end());
      so_far = ids;
    }
    complete(s, so_far, p, p.seed + s.index + 7919 * s.tokens.size());
  });
}

}  // namespace crucible::policy
