#include "rollout/train/outcomes.hpp"

#include "rollout/repeated.hpp"
#include "rollout/tool_turns.hpp"

namespace crucible::rollout {

using nlohmann::json;

namespace {

size_t thinking_tokens(const std::vector<int>& tokens, const policy::Tokenizer& tok) {
  size_t n = 0;
  bool inside = false;
  for (int t : tokens) {
    if (t == tok.think()) {
      inside = true;
      continue;
    }
    if (t == tok.end_think()) break;
    n += inside;
  }
  return n;
}

double ratio(double a, size_t b) {
  return b ? a / static_cast<double>(b) : 0.0;
}

}  // namespace

Outcomes tally_outcomes(const std::vector<std::vector<SampleRecord>>& groups, size_t iteration,
                        size_t pass_k, const policy::Tokenizer* tokenizer) {
  Outcomes o;
  o.groups = groups.size();
  for (const auto& g : groups) {
    size_t g_valid = 0, g_correct = 0;
    for (const auto& rec : g) {
      ++o.samples;
      o.completion_tokens += rec.completion_tokens.size();
      if (tokenizer) o.thinking_tokens += thinking_tokens(rec.completion_tokens, *tokenizer);
      json j = rec;
      j["iteration"] = iteration;
      o.lines += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
      o.tools.add(rec);
      o.tool_invalid += !rec.reward.valid && rec.reward.reason == kToolSandboxFailure;
      if (!rec.reward.valid) continue;
      ++o.valid, ++g_valid;
      o.reward_sum += rec.reward.value;
      g_correct += rec.reward.passed();
    }
    o.correct += g_correct;
    o.solved_groups += g_correct > 0;
    if (g_valid >= pass_k) o.pass_sum += pass_at_k(g_valid, g_correct, pass_k);
    Outcomes::Task& t = o.per_task[g.front().task_id];
    t.attempts += g_valid;
    t.correct += g_correct;
  }
  return o;
}

json Outcomes::tool_metrics() const {
  return {{"tool_call_rate", tools.call_rate()},
          {"tool_calls_per_sample", tools.calls_per_sample()},
          {"tool_errors", tools.errors},
          {"tool_timeouts", tools.timeouts},
          {"tool_invalid", tool_invalid}};
}

json Outcomes::metrics(size_t pass_k) const {
  return {{"reward_mean", ratio(reward_sum, valid)},
          {"accept_rate", ratio(static_cast<double>(correct), valid)},
          {"pass_at_k", ratio(pass_sum, groups)},
          {"k", pass_k},
          {"completion_tokens", ratio(static_cast<double>(completion_tokens), samples)},
          {"thinking_tokens", ratio(static_cast<double>(thinking_tokens), samples)},
          {"samples", samples},
          {"invalid_samples", samples - valid},
          {"tasks_solved", ratio(static_cast<double>(solved_groups), groups)}};
}

}  // namespace crucible::rollout
