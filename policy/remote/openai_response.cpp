#include "policy/remote/openai_response.hpp"

#include <atomic>
#include <chrono>

namespace crucible::policy {
namespace {

using nlohmann::json;

std::atomic<uint64_t> next_id{1};

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One choice's visible part: the tokens kept, their texts, and why it ended.
struct Rendered {
  std::vector<size_t> kept;        // indices into the sample's tokens
  std::vector<std::string> texts;  // each kept token's text
  std::string text;
  std::string finish_reason;
  std::string stop_string;  // the stop string that ended the text (cut from it), if any
};

bool hidden(const std::string& t, const CompletionsLimits& limits) {
  for (const auto& h : limits.hidden_tokens)
    if (t == h) return true;
  return false;
}

Rendered render(const Sample& s, const CompletionsLimits& limits) {
  Rendered out;
  out.finish_reason = s.finish_reason == "stop" ? "stop" : "length";
  if (!limits.token_text) {  // no vocabulary given: the policy's own text, every token kept
    out.text = s.text;
    for (size_t k = 0; k < s.tokens.size(); ++k) {
      out.kept.push_back(k);
      out.texts.push_back("");
    }
    return out;
  }
  for (size_t k = 0; k < s.tokens.size(); ++k) {
    bool stop_token = false;
    for (int t : limits.stop_tokens) stop_token |= s.tokens[k] == t;
    if (stop_token) {
      out.finish_reason = "stop";
      break;  // the end of sequence ends the text; it is not part of it
    }
    std::string t = limits.token_text(s.tokens[k]);
    if (hidden(t, limits)) continue;
    out.kept.push_back(k);
    out.texts.push_back(t);
    out.text += t;
  }
  // A stop string that ended the completion is not part of the text.
  for (const auto& stop : s.params.stop) {
    if (stop.empty() || out.text.size() < stop.size()) continue;
    size_t at = out.text.find(stop);
    if (at == std::string::npos) continue;
    out.text.resize(at);
    out.finish_reason = "stop";
    out.stop_string = stop;
    size_t length = 0, keep = 0;
    while (keep < out.texts.size() && length + out.texts[keep].size() <= at)
      length += out.texts[keep++].size();
    out.kept.resize(keep);
    out.texts.resize(keep);
  }
  return out;
}

json top_alternatives(const Sample& s, size_t k, const CompletionsLimits& limits, bool chat) {
  json top = chat ? json::array() : json::object();
  if (k >= s.top_logprobs.size()) return top;
  for (const auto& [token, lp] : s.top_logprobs[k]) {
    std::string t = limits.token_text ? limits.token_text(token) : std::to_string(token);
    if (chat)
      top.push_back({{"token", t},
                     {"logprob", lp},
                     {"bytes", std::vector<unsigned char>(t.begin(), t.end())}});
    else
      top[t] = lp;
  }
  return top;
}

json completion_logprobs(const Sample& s, const Rendered& r, const OpenAiRequest& req,
                         const CompletionsLimits& limits) {
  json tokens = json::array(), lps = json::array(), offsets = json::array(), tops = json::array();
  size_t offset = 0;
  for (size_t i = 0; i < r.kept.size(); ++i) {
    size_t k = r.kept[i];
    tokens.push_back(r.texts[i]);
    lps.push_back(k < s.logprobs.size() ? s.logprobs[k] : 0.f);
    offsets.push_back(offset);
    offset += r.texts[i].size();
    if (req.top_logprobs > 0) tops.push_back(top_alternatives(s, k, limits, false));
  }
  return {{"tokens", tokens},
          {"token_logprobs", lps},
          {"text_offset", offsets},
          {"top_logprobs", req.top_logprobs > 0 ? tops : json(nullptr)}};
}

json chat_logprobs(const Sample& s, const Rendered& r, const OpenAiRequest& req,
                   const CompletionsLimits& limits) {
  json content = json::array();
  for (size_t i = 0; i < r.kept.size(); ++i) {
    size_t k = r.kept[i];
    const std::string& t = r.texts[i];
    content.push_back({{"token", t},
                       {"logprob", k < s.logprobs.size() ? s.logprobs[k] : 0.f},
                       {"bytes", std::vector<unsigned char>(t.begin(), t.end())},
                       {"top_logprobs", req.top_logprobs > 0 ? top_alternatives(s, k, limits, true)
                                                             : json::array()}});
  }
  return {{"content", content}};
}

json usage(const OpenAiRequest& r, const std::vector<Sample>& samples) {
  size_t prompt = 0, completion = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i % r.n == 0) prompt += samples[i].prompt_tokens.size();
    completion += samples[i].tokens.size();
  }
  return {{"prompt_tokens", prompt},
          {"completion_tokens", completion},
          {"total_tokens", prompt + completion}};
}

// Whole UTF-8 characters only: a chunk never ends inside a multi-byte character.
size_t complete_prefix(const std::string& s) {
  size_t i = s.size();
  size_t back = 0;
  while (i > 0 && back < 4 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i, ++back;
  if (i == 0) return s.size();
  unsigned char lead = static_cast<unsigned char>(s[i - 1]);
  size_t need = lead < 0x80           ? 1
                : (lead >> 5) == 0x6  ? 2
                : (lead >> 4) == 0xE  ? 3
                : (lead >> 3) == 0x1E ? 4
                                      : 1;
  return back + 1 >= need ? s.size() : i - 1;
}

}  // namespace

json openai_response(const OpenAiRequest& r, const std::vector<Sample>& samples,
                     const std::string& model_name, const std::string& fingerprint,
                     const CompletionsLimits& limits) {
  json choices = json::array();
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    Rendered rd = render(s, limits);
    json choice = {{"index", i}, {"finish_reason", rd.finish_reason}};
    // As vLLM reports it: the stop string that ended the text (null: another reason).
    choice["stop_reason"] = rd.stop_string.empty() ? json(nullptr) : json(rd.stop_string);
    if (r.chat) {
      choice["message"] = {{"role", "assistant"}, {"content", rd.text}};
      choice["logprobs"] = r.logprobs ? chat_logprobs(s, rd, r, limits) : json(nullptr);
    } else {
      choice["text"] = rd.text;
      choice["logprobs"] = r.logprobs ? completion_logprobs(s, rd, r, limits) : json(nullptr);
      // Crucible's extension: every token of the completion (specials included) with its
      // log-probs, so callers that train on them never re-tokenise.
      choice["token_ids"] = s.tokens;
      choice["prompt_token_ids"] = s.prompt_tokens;
      if (r.logprobs) {
        choice["token_id_logprobs"] = s.logprobs;
        choice["token_id_raw_logprobs"] = s.raw_logprobs;
      }
    }
    choices.push_back(choice);
  }
  return {{"id", std::string(r.chat ? "chatcmpl-" : "cmpl-") + std::to_string(next_id++)},
          {"object", r.chat ? "chat.completion" : "text_completion"},
          {"created", now_seconds()},
          {"model", model_name},
          {"system_fingerprint", fingerprint},
          {"choices", choices},
          {"usage", usage(r, samples)}};
}

std::string openai_event_stream(const OpenAiRequest& r, const std::vector<Sample>& samples,
                                const std::string& model_name, const std::string& fingerprint,
                                const CompletionsLimits& limits) {
  std::string id = std::string(r.chat ? "chatcmpl-" : "cmpl-") + std::to_string(next_id++);
  long long created = now_seconds();
  std::string out;
  auto event = [&](json choice, json usage_value) {
    json chunk = {{"id", id},
                  {"object", r.chat ? "chat.completion.chunk" : "text_completion"},
                  {"created", created},
                  {"model", model_name},
                  {"system_fingerprint", fingerprint},
                  {"choices", choice.is_null() ? json::array() : json::array({choice})}};
    if (!usage_value.is_null()) chunk["usage"] = usage_value;
    out += "data: " + dump(chunk) + "\n\n";
  };
  for (size_t i = 0; i < samples.size(); ++i) {
    Rendered rd = render(samples[i], limits);
    if (r.chat)
      event({{"index", i},
             {"delta", {{"role", "assistant"}, {"content", ""}}},
             {"finish_reason", nullptr}},
            nullptr);
    // One chunk per token's text, held back while it would end inside a UTF-8 character.
    std::string pending;
    std::vector<std::string> pieces =
        rd.texts.empty() && !rd.text.empty() ? std::vector<std::string>{rd.text} : rd.texts;
    size_t sent = 0;
    for (const auto& piece : pieces) {
      if (sent + pending.size() >= rd.text.size()) break;
      pending += piece;
      if (sent + pending.size() > rd.text.size()) pending.resize(rd.text.size() - sent);
      size_t whole = complete_prefix(pending);
      if (whole == 0) continue;
      std::string text = pending.substr(0, whole);
      pending.erase(0, whole);
      sent += text.size();
      if (r.chat)
        event({{"index", i}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}, nullptr);
      else
        event({{"index", i}, {"text", text}, {"finish_reason", nullptr}, {"logprobs", nullptr}},
              nullptr);
    }
    if (!pending.empty()) {
      if (r.chat)
        event({{"index", i}, {"delta", {{"content", pending}}}, {"finish_reason", nullptr}},
              nullptr);
      else
        event({{"index", i}, {"text", pending}, {"finish_reason", nullptr}, {"logprobs", nullptr}},
              nullptr);
    }
    if (r.chat)
      event({{"index", i}, {"delta", json::object()}, {"finish_reason", rd.finish_reason}},
            nullptr);
    else
      event(
          {{"index", i}, {"text", ""}, {"finish_reason", rd.finish_reason}, {"logprobs", nullptr}},
          nullptr);
  }
  if (r.include_usage) event(nullptr, usage(r, samples));
  return out + "data: [DONE]\n\n";
}

}  // namespace crucible::policy
