// The OpenAI-compatible completions API over any Policy, as a pure function of the
// request (tested without sockets; policy_server.hpp serves it over HTTP).
//
//   POST /v1/completions  {model, prompt (string or list), max_tokens, temperature, top_p,
//                          top_k, n, stop, seed, logprobs}
//     -> {id, object: "text_completion", created, model, system_fingerprint,
//         choices: [{index, text, finish_reason, token_ids, logprobs?}], usage}
//   GET  /v1/models  -> {object: "list", data: [{id, object: "model", owned_by}]}
//
// Choice i of prompt p has index p * n + i and samples from the stream (seed, index).
// Token ids travel with every choice so callers never re-tokenise. Unknown fields,
// streaming and out-of-range values are 400s naming the field.
#pragma once

#include <string>

#include "net/http.hpp"
#include "policy/policy.hpp"

namespace crucible::policy {

struct CompletionsLimits {
  size_t max_tokens = 1024;
  size_t max_choices = 64;  // prompts x n
};

net::HttpResponse handle_policy_request(const net::HttpRequest& request, Policy& policy,
                                        const std::string& model_name,
                                        const CompletionsLimits& limits);

}  // namespace crucible::policy
