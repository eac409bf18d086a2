#include "policy/remote/completions_api.hpp"

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_input.hpp"

namespace crucible::policy {

using net::error_response;
using net::json_response;
using nlohmann::json;

namespace {

std::atomic<uint64_t> next_id{1};

struct Request {
  std::vector<std::string> prompts;
  SamplingParams params;
  size_t n = 1;
  bool logprobs = false;
};

Request parse(const json& j, const std::string& model_name, const CompletionsLimits& limits) {
  if (!j.is_object()) throw InvalidRequest("body: must be a JSON object");
  Request r;
  r.params.max_tokens = 16;
  for (const auto& [key, v] : j.items()) {
    auto number = [&](double lo, double hi) {
      if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi)
        throw InvalidRequest(key + ": must be a number from " + std::to_string(lo) + " to " +
                             std::to_string(hi));
      return v.get<double>();
    };
    if (key == "model") {
      if (!v.is_string()) throw InvalidRequest("model: must be a string");
      if (v.get<std::string>() != model_name)
        throw InvalidRequest("model: '" + v.get<std::string>() + "' is not served here (serving '" +
                             model_name + "')");
    } else if (key == "prompt") {
      if (v.is_string()) {
        r.prompts = {v.get<std::string>()};
      } else if (v.is_array() && !v.empty()) {
        for (const auto& p : v) {
          if (!p.is_string()) throw InvalidRequest("prompt: a list must hold strings");
          r.prompts.push_back(p.get<std::string>());
        }
      } else {
        throw InvalidRequest("prompt: must be a string or a non-empty list of strings");
      }
    } else if (key == "max_tokens") {
      r.params.max_tokens = static_cast<size_t>(number(1, static_cast<double>(limits.max_tokens)));
    } else if (key == "temperature") {
      r.params.temperature = number(0, 10);
    } else if (key == "top_p") {
      r.params.top_p = number(1e-9, 1);
    } else if (key == "top_k") {
      r.params.top_k =
          v.is_number() && v.get<double>() < 0 ? 0 : static_cast<size_t>(number(0, 1e6));
    } else if (key == "n") {
      r.n = static_cast<size_t>(number(1, static_cast<double>(limits.max_choices)));
    } else if (key == "seed") {
      if (!v.is_null()) r.params.seed = static_cast<uint64_t>(number(0, 9.0e15));
    } else if (key == "stop") {
      if (v.is_string()) {
        r.params.stop = {v.get<std::string>()};
      } else if (v.is_array()) {
        for (const auto& s : v) {
          if (!s.is_string()) throw InvalidRequest("stop: a list must hold strings");
          r.params.stop.push_back(s.get<std::string>());
        }
      } else if (!v.is_null()) {
        throw InvalidRequest("stop: must be a string or a list of strings");
      }
    } else if (key == "logprobs") {
      if (!v.is_null()) r.logprobs = number(0, 20) >= 0;
    } else if (key == "stream") {
      if (!v.is_boolean() || v.get<bool>())
        throw InvalidRequest("stream: streaming is not supported");
    } else if (key == "user") {
      // accepted and ignored, as OpenAI clients send it
    } else {
      throw InvalidRequest(key + ": unknown field");
    }
  }
  if (r.prompts.empty()) throw InvalidRequest("prompt: required");
  if (r.prompts.size() * r.n > limits.max_choices)
    throw InvalidRequest("n: prompts x n must be at most " + std::to_string(limits.max_choices));
  return r;
}

json completions(const Request& r, Policy& policy, const std::string& model_name) {
  std::vector<std::string> expanded;
  for (const auto& p : r.prompts)
    for (size_t i = 0; i < r.n; ++i) expanded.push_back(p);
  std::vector<Sample> samples = policy.generate(expanded, r.params);
  json choices = json::array();
  size_t prompt_tokens = 0, completion_tokens = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    json choice = {{"index", i},
                   {"text", s.text},
                   {"finish_reason", s.finish_reason == "stop" ? "stop" : "length"},
                   {"token_ids", s.tokens},
                   {"prompt_token_ids", s.prompt_tokens}};
    if (r.logprobs) {
      json tokens = json::array();
      for (size_t k = 0; k < s.tokens.size(); ++k)
        tokens.push_back("token_id:" + std::to_string(s.tokens[k]));
      choice["logprobs"] = {{"tokens", tokens},
                            {"token_logprobs", s.logprobs},
                            {"raw_logprobs", s.raw_logprobs},
                            {"top_logprobs", nullptr}};
    } else {
      choice["logprobs"] = nullptr;
    }
    choices.push_back(choice);
    if (i % r.n == 0) prompt_tokens += s.prompt_tokens.size();
    completion_tokens += s.tokens.size();
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return {{"id", "cmpl-" + std::to_string(next_id++)},
          {"object", "text_completion"},
          {"created", std::chrono::duration_cast<std::chrono::seconds>(now).count()},
          {"model", model_name},
          {"system_fingerprint", policy.version()},
          {"choices", choices},
          {"usage",
           {{"prompt_tokens", prompt_tokens},
            {"completion_tokens", completion_tokens},
            {"total_tokens", prompt_tokens + completion_tokens}}}};
}

}  // namespace

net::HttpResponse handle_policy_request(const net::HttpRequest& request, Policy& policy,
                                        const std::string& model_name,
                                        const CompletionsLimits& limits) {
  if (request.path == "/v1/models") {
    if (request.method != "GET") return error_response(405, "use GET for /v1/models");
    return json_response(
        200, {{"object", "list"},
              {"data", {{{"id", model_name}, {"object", "model"}, {"owned_by", "crucible"}}}}});
  }
  if (request.path != "/v1/completions")
    return error_response(404, "no such endpoint: " + request.path);
  if (request.method != "POST") return error_response(405, "use POST for /v1/completions");
  if (auto at = json_depth_exceeded_at(request.body, kMaxJsonDepth))
    return error_response(400, "body: JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                   " levels (at byte " + std::to_string(*at) + ")");
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return error_response(400, "body: not valid JSON");
  try {
    Request r = parse(body, model_name, limits);
    return json_response(200, completions(r, policy, model_name));
  } catch (const InvalidRequest& e) {
    std::string what = e.what();
    return error_response(what.rfind("model:", 0) == 0 ? 404 : 400, what,
                          what.substr(0, what.find(':')));
  }
}

}  // namespace crucible::policy
