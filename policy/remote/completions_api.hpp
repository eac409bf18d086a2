// The OpenAI-compatible API over any Policy, as a pure function of the request (tested
// without sockets; policy_server.hpp serves it over HTTP).
//
//   POST /v1/completions       {model, prompt, max_tokens, temperature, top_p, top_k, n, stop,
//                               seed, logprobs (k), stream, stream_options, ...}
//     -> {id, object: "text_completion", created, model, system_fingerprint,
//         choices: [{index, text, finish_reason, logprobs, token_ids, prompt_token_ids}], usage}
//   POST /v1/chat/completions  {model, messages, ..., logprobs, top_logprobs}
//     -> {id, object: "chat.completion", ..., choices: [{index, message, finish_reason,
//         logprobs}], usage}; the chat template is in openai_request.hpp
//   GET  /v1/models, GET /v1/models/{id}
//
// With "stream": true the answer is server-sent events (text/event-stream) in OpenAI's
// chunk shapes, ending with "data: [DONE]"; the chunks are written when generation ends.
// Every error is OpenAI's {"error": {message, type, param, code}}.
#pragma once

#include <string>

#include "net/http.hpp"
#include "policy/policy.hpp"
#include "policy/remote/openai_request.hpp"

namespace crucible::policy {

net::HttpResponse handle_policy_request(const net::HttpRequest& request, Policy& policy,
                                        const std::string& model_name,
                                        const CompletionsLimits& limits);

// An error in OpenAI's shape; type from the status (invalid_request_error, not_found_error,
// rate_limit_error, server_error).
net::HttpResponse openai_error(int status, const std::string& message,
                               const std::string& param = "", const std::string& code = "");

}  // namespace crucible::policy
