#include "policy/remote/completions_api.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "base/error.hpp"
#include "base/json_input.hpp"
#include "policy/remote/openai_response.hpp"

namespace crucible::policy {

using net::json_response;
using nlohmann::json;

net::HttpResponse openai_error(int status, const std::string& message, const std::string& param,
                               const std::string& code) {
  const char* type = status == 404   ? "not_found_error"
                     : status == 429 ? "rate_limit_error"
                     : status >= 500 ? "server_error"
                                     : "invalid_request_error";
  return json_response(status, {{"error",
                                 {{"message", message},
                                  {"type", type},
                                  {"param", param.empty() ? json(nullptr) : json(param)},
                                  {"code", code.empty() ? json(nullptr) : json(code)}}}});
}

namespace {

json model_object(const std::string& name) {
  static const long long created = std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
  return {{"id", name}, {"object", "model"}, {"created", created}, {"owned_by", "crucible"}};
}

}  // namespace

net::HttpResponse handle_policy_request(const net::HttpRequest& request, Policy& policy,
                                        const std::string& model_name,
                                        const CompletionsLimits& limits) {
  if (request.path == "/v1/models" || request.path.rfind("/v1/models/", 0) == 0) {
    if (request.method != "GET") return openai_error(405, "use GET for " + request.path);
    if (request.path == "/v1/models")
      return json_response(200, {{"object", "list"}, {"data", {model_object(model_name)}}});
    std::string id = request.path.substr(11);
    if (id != model_name)
      return openai_error(404, "The model '" + id + "' does not exist", "model", "model_not_found");
    return json_response(200, model_object(model_name));
  }
  bool chat = request.path == "/v1/chat/completions";
  if (!chat && request.path != "/v1/completions")
    return openai_error(404, "no such endpoint: " + request.path);
  if (request.method != "POST") return openai_error(405, "use POST for " + request.path);
  if (auto at = json_depth_exceeded_at(request.body, kMaxJsonDepth))
    return openai_error(400, "body: JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                 " levels (at byte " + std::to_string(*at) + ")");
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return openai_error(400, "body: not valid JSON");
  OpenAiRequest r;
  try {
    r = parse_openai_request(body, chat, model_name, limits);
  } catch (const InvalidRequest& e) {
    std::string what = e.what();
    std::string param = what.substr(0, what.find(':'));
    bool model = what.rfind("model:", 0) == 0;
    return openai_error(model ? 404 : 400, what, param, model ? "model_not_found" : "");
  }
  // Each prompt n times, text or token ids alike.
  auto n_each = [&r](const auto& prompts) {
    std::decay_t<decltype(prompts)> expanded;
    for (const auto& p : prompts) expanded.insert(expanded.end(), r.n, p);
    return expanded;
  };
  std::vector<Sample> samples;
  try {
    samples = r.token_prompts.empty() ? policy.generate(n_each(r.prompts), r.params)
                                      : policy.generate_tokens(n_each(r.token_prompts), r.params);
  } catch (const InvalidRequest& e) {
    // A prompt past the context or a token id outside the vocabulary: the client's to fix.
    return openai_error(400, std::string("prompt: ") + e.what(), "prompt",
                        std::string(e.what()).find("context") != std::string::npos
                            ? "context_length_exceeded"
                            : "");
  }
  if (!r.stream)
    return json_response(200, openai_response(r, samples, model_name, policy.version(), limits));
  net::HttpResponse resp;
  resp.content_type = "text/event-stream";
  resp.headers.emplace_back("Cache-Control", "no-cache");
  resp.body = openai_event_stream(r, samples, model_name, policy.version(), limits);
  return resp;
}

}  // namespace crucible::policy
