// OpenAI request bodies for /v1/completions and /v1/chat/completions, read strictly: every
// field OpenAI defines is known; neutral values of the ones Crucible does not implement
// (presence_penalty 0, frequency_penalty 0, echo false, best_of 1, logit_bias {}, suffix
// null, ...) are accepted, anything else is refused with the field named.
//
// Chat template (the byte tokenizer has no role tokens): each message is written as
// "<role>: <content><eos>", after a leading "<bos>", and the prompt ends with
// "assistant: "; generation stops at <eos>, which ends the assistant's turn.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/sample.hpp"

namespace crucible::policy {

struct CompletionsLimits {
  size_t max_tokens = 1024;
  size_t max_choices = 64;  // prompts x n
  // The served model's vocabulary, from the caller (native policy: its tokenizer):
  std::vector<int> stop_tokens;                // end a completion (eos)
  std::vector<std::string> hidden_tokens;      // never rendered in text (<eos>, <pad>, <bos>)
  std::function<std::string(int)> token_text;  // one token's text, for logprobs
};

struct OpenAiRequest {
  bool chat = false;
  std::vector<std::string> prompts;
  // Prompts given as token ids (a list of ints, or a list of such lists), as OpenAI's
  // completions API allows; then `prompts` is empty.
  std::vector<std::vector<int>> token_prompts;
  SamplingParams params;
  size_t n = 1;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  bool logprobs = false;
  size_t top_logprobs = 0;
};

// The prompt text of a chat (see the template above).
std::string chat_prompt(const nlohmann::json& messages);

// Throws InvalidRequest naming the field ("temperature: ..."); a model that is not served
// is reported with the prefix "model:".
OpenAiRequest parse_openai_request(const nlohmann::json& body, bool chat,
                                   const std::string& model_name, const CompletionsLimits& limits);

}  // namespace crucible::policy
