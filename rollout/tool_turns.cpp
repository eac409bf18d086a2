#include "rollout/tool_turns.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/worker_pool.hpp"

namespace crucible::rollout {

namespace {

// Fence tags as models write them, in the sandbox's language names.
std::string language_of(const std::string& tag, const ToolOptions& o) {
  if (tag.empty()) return o.default_language;
  if (tag == "python" || tag == "py") return "python3";
  if (tag == "sh" || tag == "shell") return "bash";
  if (tag == "js" || tag == "node") return "javascript";
  return tag;
}

// What the environment shows: the new cell's output (stdout, and stderr when the run
// failed), cut to the cap, then the closing fence.
std::string observation_of(const std::string& shown, size_t cap) {
  std::string out = shown.size() <= cap ? shown
                                        : shown.substr(0, cap) + "\n[output cut at " +
                                              std::to_string(cap) + " bytes]";
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + "```\n";
}

std::string joined(const std::vector<std::string>& cells, const std::string& next) {
  std::string source;
  for (const auto& c : cells) source += c + "\n";
  return source + next + "\n";
}

// Stamps the sample's new tokens: forced ones are the environment's, after the last call
// (a native policy forces the tokens at once, a remote one learns them on resume).
void stamp(ToolSample& t) {
  const policy::Sample& s = t.sample;
  if (s.tokens.size() < t.environment_turn.size()) t.environment_turn.clear();  // ids dropped
  uint32_t turn = t.calls.empty() ? 0 : static_cast<uint32_t>(t.calls.back().turn);
  for (size_t k = t.environment_turn.size(); k < s.tokens.size(); ++k)
    t.environment_turn.push_back(k < s.forced.size() && s.forced[k] ? turn : 0);
}

// Runs calls[k] in books[samples[k]], up to o.parallel_calls at once; returns per call
// the sandbox failure that stopped it ("" when it ran).
std::vector<std::string> run_calls(std::vector<Notebook>& books, const std::vector<size_t>& samples,
                                   std::vector<ToolCall>& calls, const ToolRunner& run,
                                   const ToolOptions& o) {
  std::vector<std::string> failures(calls.size());
  if (calls.empty()) return failures;
  WorkerPool pool(std::clamp<size_t>(o.parallel_calls, 1, calls.size()), calls.size());
  std::vector<std::future<void>> done;
  for (size_t k = 0; k < calls.size(); ++k)
    done.push_back(pool.submit([&, k] {
      try {
        calls[k].observation = books[samples[k]].call(run, calls[k], o);
      } catch (const SandboxFailure& e) {
        failures[k] = e.what();
      }
    }));
  for (auto& f : done) f.get();  // other exceptions pass to the caller
  return failures;
}

}  // namespace

std::string Notebook::call(const ToolRunner& run, ToolCall& call, const ToolOptions& o) {
  if (std::find(o.languages.begin(), o.languages.end(), call.language) == o.languages.end()) {
    call.verdict = "refused";
    std::string allowed;
    for (const auto& l : o.languages) allowed += (allowed.empty() ? "" : ", ") + l;
    return observation_of("the tool runs " + allowed + ", not " + call.language,
                          o.max_output_bytes);
  }
  if (language_ != call.language) {  // a new notebook: state cannot carry across languages
    language_ = call.language;
    cells_.clear();
    printed_.clear();
  }
  ToolRun r;
  try {
    r = run(call.language, joined(cells_, call.code));
  } catch (const InvalidRequest& e) {  // e.g. a language this sandbox does not have
    call.verdict = "refused";
    return observation_of(e.what(), o.max_output_bytes);
  }
  call.verdict = r.verdict;
  call.seconds = r.seconds;
  // The earlier cells print what they printed before (the notebook's programs are
  // deterministic as far as the policy can tell); only what is new is shown.
  std::string fresh =
      r.stdout_data.rfind(printed_, 0) == 0 ? r.stdout_data.substr(printed_.size()) : r.stdout_data;
  std::string shown = fresh;
  if (r.verdict == "Accepted") {
    cells_.push_back(call.code);
    printed_ = r.stdout_data;
  } else {
    shown += (shown.empty() || shown.back() == '\n' ? "" : "\n") + r.stderr_data;
    if (r.verdict == "TimeLimit") shown += "[the call ran out of time]";
    if (r.verdict == "MemoryLimit") shown += "[the call ran out of memory]";
    if (r.verdict == "OutputLimit") shown += "[the call printed too much]";
  }
  return observation_of(shown, o.max_output_bytes);
}

std::optional<std::pair<std::string, std::string>> tool_call_at_end(const std::string& text,
                                                                    const ToolOptions& o) {
  const std::string marker = kToolCallMarker;
  if (text.size() < marker.size() ||
      text.compare(text.size() - marker.size(), marker.size(), marker) != 0)
    return std::nullopt;
  // The block's closing fence ends right before the marker (blank lines allowed).
  size_t end = text.size() - marker.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ')) --end;
  if (end < 3 || text.compare(end - 3, 3, "```") != 0) return std::nullopt;
  size_t close = end - 3;
  size_t open = close == 0 ? std::string::npos : text.rfind("```", close - 1);
  if (open == std::string::npos) return std::nullopt;
  size_t line_end = text.find('\n', open);
  if (line_end == std::string::npos || line_end > close) return std::nullopt;
  std::string tag = text.substr(open + 3, line_end - open - 3);
  tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
  if (tag == "output") return std::nullopt;  // an output block is no program
  std::string code = text.substr(line_end + 1, close - line_end - 1);
  while (!code.empty() && code.back() == '\n') code.pop_back();
  return std::make_pair(language_of(tag, o), code);
}

std::vector<ToolSample> run_with_tools(policy::Policy& policy,
                                       const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params, const ToolOptions& o,
                                       const ToolRunner& run) {
  if (o.max_tokens == 0) throw InvalidRequest("tools: max_tokens must be positive");
  policy::SamplingParams p = params;
  p.max_tokens = o.max_tokens;
  p.stop.push_back(kToolCallMarker);
  p.keep_kv_cache = true;  // a native policy resumes without prefilling the sample again
  std::vector<ToolSample> out = sample_prompts(policy, prompts, p, nullptr);
  std::vector<Notebook> books(out.size());
  for (size_t turn = 1; turn <= o.max_turns; ++turn) {
    // This turn's calls, run side by side (each sample's notebook is its own).
    std::vector<size_t> calling;
    std::vector<ToolCall> calls;
    for (size_t i = 0; i < out.size(); ++i) {
      const ToolSample& t = out[i];
      if (t.invalid || t.sample.finish_reason != "stop") continue;
      auto program = tool_call_at_end(t.sample.text, o);
      if (!program || t.sample.tokens.size() >= o.max_tokens) continue;
      calling.push_back(i);
      calls.push_back({turn, program->first, program->second, "", "", 0});
    }
    std::vector<std::string> failures = run_calls(books, calling, calls, run, o);
    for (size_t k = 0; k < calling.size(); ++k) {
      ToolSample& t = out[calling[k]];
      if (!failures[k].empty()) {
        t.invalid = "sandbox failure in tool call " + std::to_string(turn) + ": " + failures[k];
      } else {
        policy.force(t.sample, calls[k].observation);
      }
      t.calls.push_back(std::move(calls[k]));
      stamp(t);
    }
    std::erase_if(calling, [&](size_t i) { return out[i].invalid.has_value(); });
    if (calling.empty()) break;
    // Every sample resumes from exactly its inserted text, as many as can in one batch:
    // a batch runs to the smallest budget left among its samples, and those stopped by it
    // with budget to spare go on in the next batch.
    auto left = [&](size_t i) {
      return o.max_tokens - std::min(o.max_tokens, out[i].sample.tokens.size());
    };
    // A sample whose observation used up its budget ends there ("length").
    std::erase_if(calling, [&](size_t i) { return left(i) == 0; });
    while (!calling.empty()) {
      std::vector<policy::Sample> batch;
      size_t budget = o.max_tokens;
      for (size_t i : calling) {
        budget = std::min(budget, left(i));
        batch.push_back(std::move(out[i].sample));
      }
      policy.resume(batch, budget);
      std::vector<size_t> again;
      for (size_t k = 0; k < calling.size(); ++k) {
        ToolSample& t = out[calling[k]];
        t.sample = std::move(batch[k]);
        stamp(t);
        if (t.sample.finish_reason == "length" && left(calling[k]) > 0) again.push_back(calling[k]);
      }
      calling = std::move(again);
    }
  }
  // Environment tokens carry no policy log-probs (an observation that used up the budget
  // was never scored: it gets zeros too); kept KV states are let go.
  for (auto& t : out) {
    t.sample.kv.reset();
    t.sample.logprobs.resize(t.sample.tokens.size(), 0);
    if (!t.sample.raw_logprobs.empty()) t.sample.raw_logprobs.resize(t.sample.tokens.size(), 0);
    for (size_t k = 0; k < t.environment_turn.size(); ++k) {
      if (!t.environment_turn[k]) continue;
      if (k < t.sample.logprobs.size()) t.sample.logprobs[k] = 0;
      if (k < t.sample.raw_logprobs.size()) t.sample.raw_logprobs[k] = 0;
    }
  }
  return out;
}

std::vector<ToolSample> sample_prompts(policy::Policy& policy,
                                       const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params, const ToolUse* tools) {
  if (tools) return run_with_tools(policy, prompts, params, tools->options, tools->run);
  std::vector<ToolSample> out;
  for (auto& s : policy.generate(prompts, params)) {
    ToolSample t;
    t.environment_turn.assign(s.tokens.size(), 0);
    t.sample = std::move(s);
    out.push_back(std::move(t));
  }
  return out;
}

rewards::Reward tool_failure_reward(const ToolSample& t) {
  return rewards::Reward::invalid(kToolSandboxFailure, {{"error", t.invalid.value_or("")}});
}

void add_tool_turns(SampleRecord& r, const ToolSample& t) {
  for (size_t k = 0; k < t.environment_turn.size(); ++k) {
    size_t turn = t.environment_turn[k];
    if (!turn) continue;
    if (!r.environment.empty() && r.environment.back().to == k && r.environment.back().turn == turn)
      ++r.environment.back().to;
    else
      r.environment.push_back({k, k + 1, turn});
  }
  r.tool_calls = t.calls;
}

void to_json(nlohmann::json& j, const ToolCall& c) {
  j = {{"turn", c.turn},       {"language", c.language},
       {"code", c.code},       {"observation", c.observation},
       {"verdict", c.verdict}, {"seconds", c.seconds}};
}

}  // namespace crucible::rollout
