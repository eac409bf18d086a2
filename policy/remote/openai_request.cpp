#include "policy/remote/openai_request.hpp"

#include <limits>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible::policy {
namespace {

using nlohmann::json;

double number(const std::string& key, const json& v, double lo, double hi) {
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi)
    throw InvalidRequest(key + ": must be a number from " + json(lo).dump() + " to " +
                         json(hi).dump());
  return v.get<double>();
}

// Fields OpenAI defines that Crucible does not implement: accepted only at their neutral
// value (what clients send by default).
bool neutral(const std::string& key, const json& v) {
  if (key == "presence_penalty" || key == "frequency_penalty")
    return v.is_null() || (v.is_number() && v.get<double>() == 0);
  if (key == "echo" || key == "parallel_tool_calls" || key == "store")
    return v.is_null() || (v.is_boolean() && !v.get<bool>()) ||
           (key == "parallel_tool_calls" && v.is_boolean());
  if (key == "best_of") return v.is_null() || (v.is_number() && v.get<double>() == 1);
  if (key == "logit_bias" || key == "metadata") return v.is_null() || (v.is_object() && v.empty());
  if (key == "suffix" || key == "response_format" || key == "tools" || key == "tool_choice" ||
      key == "functions" || key == "function_call" || key == "service_tier" ||
      key == "reasoning_effort" || key == "modalities" || key == "audio" || key == "prediction")
    return v.is_null() ||
           (key == "response_format" && v.is_object() && v.value("type", "") == "text") ||
           (key == "tool_choice" && v == "none") ||
           ((key == "tools" || key == "functions") && v.is_array() && v.empty());
  return false;
}

bool known_unimplemented(const std::string& key) {
  static const char* keys[] = {
      "presence_penalty", "frequency_penalty",   "echo",  "best_of",     "logit_bias",
      "suffix",           "response_format",     "tools", "tool_choice", "functions",
      "function_call",    "parallel_tool_calls", "store", "metadata",    "service_tier",
      "reasoning_effort", "modalities",          "audio", "prediction"};
  for (const char* k : keys)
    if (key == k) return true;
  return false;
}

// A prompt given as token ids: a non-empty list of non-negative integers. (Whether each id
// is in the model's vocabulary is the policy's check.)
std::vector<int> token_ids(const json& v, const std::string& field) {
  if (!v.is_array() || v.empty())
    throw InvalidRequest(field + ": a token list must be a non-empty list of integers");
  std::vector<int> ids;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number_integer() || v[i].get<long long>() < 0 ||
        v[i].get<long long>() > std::numeric_limits<int>::max())
      throw InvalidRequest(field + "[" + std::to_string(i) + "]: a token id must be a " +
                           "non-negative integer, not " + v[i].dump().substr(0, 40));
    ids.push_back(v[i].get<int>());
  }
  return ids;
}

}  // namespace

std::string chat_prompt(const json& messages) {
  if (!messages.is_array() || messages.empty())
    throw InvalidRequest("messages: must be a non-empty list of {role, content}");
  std::string out = "<bos>";
  for (size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
      throw InvalidRequest(where + ".role: required (system, user, assistant)");
    std::string role = m["role"];
    if (role != "system" && role != "user" && role != "assistant" && role != "developer")
      throw InvalidRequest(where + ".role: must be system, developer, user or assistant, not '" +
                           role + "'");
    std::string content;
    const json& c = m.value("content", json());
    if (c.is_string()) {
      content = c.get<std::string>();
    } else if (c.is_array()) {  // [{"type": "text", "text": ...}]
      for (const auto& part : c) {
        if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text"))
          throw InvalidRequest(where + ".content: only text parts are supported");
        content += part["text"].get<std::string>();
      }
    } else {
      throw InvalidRequest(where + ".content: must be a string or a list of text parts");
    }
    out += (role == "developer" ? "system" : role) + ": " + content + "<eos>";
  }
  return out + "assistant: ";
}

OpenAiRequest parse_openai_request(const json& j, bool chat, const std::string& model_name,
                                   const CompletionsLimits& limits) {
  if (!j.is_object()) throw InvalidRequest("body: must be a JSON object");
  OpenAiRequest r;
  r.chat = chat;
  r.params.max_tokens = chat ? std::min<size_t>(256, limits.max_tokens) : 16;
  r.params.stop_tokens = limits.stop_tokens;
  for (const auto& [key, v] : j.items()) {
    if (key == "model") {
      if (!v.is_string()) throw InvalidRequest("model: must be a string");
      if (v.get<std::string>() != model_name)
        throw InvalidRequest("model: '" + v.get<std::string>() + "' is not served here (serving '" +
                             model_name + "')");
    } else if (key == (chat ? "messages" : "prompt")) {
      if (chat) {
        r.prompts = {chat_prompt(v)};
      } else if (v.is_string()) {
        r.prompts = {v.get<std::string>()};
      } else if (v.is_array() && !v.empty() && v[0].is_number_integer()) {
        r.token_prompts = {token_ids(v, "prompt")};
      } else if (v.is_array() && !v.empty() && v[0].is_array()) {
        for (size_t i = 0; i < v.size(); ++i)
          r.token_prompts.push_back(token_ids(v[i], "prompt[" + std::to_string(i) + "]"));
      } else if (v.is_array() && !v.empty()) {
        for (const auto& p : v) {
          if (!p.is_string()) throw InvalidRequest("prompt: a list must hold strings");
          r.prompts.push_back(p.get<std::string>());
        }
      } else {
        throw InvalidRequest(
            "prompt: must be a string, a non-empty list of strings, a list of token ids or a "
            "list of such lists");
      }
    } else if (key == "max_tokens" || key == "max_completion_tokens") {
      if (!v.is_null())
        r.params.max_tokens =
            static_cast<size_t>(number(key, v, 1, static_cast<double>(limits.max_tokens)));
    } else if (key == "temperature") {
      if (!v.is_null()) r.params.temperature = number(key, v, 0, 2);
    } else if (key == "top_p") {
      if (!v.is_null()) r.params.top_p = number(key, v, 1e-9, 1);
    } else if (key == "top_k") {
      if (!v.is_null())
        r.params.top_k =
            v.is_number() && v.get<double>() < 0 ? 0 : static_cast<size_t>(number(key, v, 0, 1e6));
    } else if (key == "n") {
      if (!v.is_null())
        r.n = static_cast<size_t>(number(key, v, 1, static_cast<double>(limits.max_choices)));
    } else if (key == "seed") {
      if (!v.is_null()) r.params.seed = static_cast<uint64_t>(number(key, v, 0, 9.0e15));
    } else if (key == "stop") {
      if (v.is_string()) {
        r.params.stop = {v.get<std::string>()};
      } else if (v.is_array()) {
        if (v.size() > 4) throw InvalidRequest("stop: at most 4 sequences");
        for (const auto& s : v) {
          if (!s.is_string()) throw InvalidRequest("stop: a list must hold strings");
          r.params.stop.push_back(s.get<std::string>());
        }
      } else if (!v.is_null()) {
        throw InvalidRequest("stop: must be a string or a list of strings");
      }
    } else if (key == "logprobs") {
      if (chat) {
        if (!v.is_null() && !v.is_boolean())
          throw InvalidRequest("logprobs: must be true or false");
        r.logprobs = v.is_boolean() && v.get<bool>();
      } else if (!v.is_null()) {
        r.logprobs = true;
        r.top_logprobs = static_cast<size_t>(number(key, v, 0, 20));
      }
    } else if (key == "top_logprobs" && chat) {
      if (!v.is_null()) r.top_logprobs = static_cast<size_t>(number(key, v, 0, 20));
    } else if (key == "stream") {
      if (!v.is_null() && !v.is_boolean()) throw InvalidRequest("stream: must be true or false");
      r.stream = v.is_boolean() && v.get<bool>();
    } else if (key == "stream_options") {
      if (!v.is_null()) {
        if (!v.is_object()) throw InvalidRequest("stream_options: must be an object");
        r.include_usage = v.value("include_usage", false);
      }
    } else if (key == "user") {
      // accepted and ignored, as OpenAI clients send it
    } else if (known_unimplemented(key)) {
      if (!neutral(key, v))
        throw InvalidRequest(key + ": only its neutral value is supported by this server");
    }
  }
  // Anything else is named the way every parser names an unknown field.
  JsonFields f(j, "");
  for (const char* k :
       {"model", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "n",
        "seed", "stop", "logprobs", "stream", "stream_options", "user"})
    f.allow(k);
  f.allow(chat ? "messages" : "prompt");
  if (chat) f.allow("top_logprobs");
  for (const auto& [key, v] : j.items())
    if (known_unimplemented(key)) f.allow(key.c_str());
  f.done();
  const size_t prompts = r.prompts.size() + r.token_prompts.size();
  if (prompts == 0) throw InvalidRequest(chat ? "messages: required" : "prompt: required");
  if (prompts * r.n > limits.max_choices)
    throw InvalidRequest("n: prompts x n must be at most " + std::to_string(limits.max_choices));
  if (r.top_logprobs > 0 && !r.logprobs && chat)
    throw InvalidRequest("top_logprobs: needs logprobs: true");
  r.params.top_logprobs = r.top_logprobs;
  return r;
}

}  // namespace crucible::policy
