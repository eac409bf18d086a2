// OpenAI response bodies from samples: text cleaned as OpenAI servers clean it (cut at the
// end-of-sequence token, special tokens never rendered, a matched stop string left out),
// log-probs with each token's text, text offsets and top alternatives, and the streaming
// form (server-sent events: one chunk per piece of text, then "data: [DONE]").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/remote/openai_request.hpp"
#include "policy/sample.hpp"

namespace crucible::policy {

// A whole response: {id, object, created, model, system_fingerprint, choices, usage}.
nlohmann::json openai_response(const OpenAiRequest& r, const std::vector<Sample>& samples,
                               const std::string& model_name, const std::string& fingerprint,
                               const CompletionsLimits& limits);

// The same as a text/event-stream body.
std::string openai_event_stream(const OpenAiRequest& r, const std::vector<Sample>& samples,
                                const std::string& model_name, const std::string& fingerprint,
                                const CompletionsLimits& limits);

}  // namespace crucible::policy
