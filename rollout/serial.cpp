#include "rollout/serial.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/rng.hpp"

namespace crucible::rollout {

namespace {

// Where an exit may cut the full path: after k completion tokens, for k among the thinking
// (the tokens after "<think>", or from the start, and wholly before "</think>", or to the
// end). With exit_at "line", only after a token that ends a line: a finished step. Token
// boundaries come from the lengths of decoded prefixes.
std::vector<size_t> exit_candidates(const policy::Policy& policy, const policy::Sample& full,
                                    const std::string& exit_at) {
  const size_t n = full.tokens.size();
  std::vector<size_t> length(n + 1, 0);  // length[k]: characters of the first k tokens
  for (size_t k = 1; k <= n; ++k) length[k] = policy.prefix(full, k).text.size();
  size_t begin = 0, end = n;
  size_t open = full.text.find("<think>");
  size_t from = 0;
  if (open != std::string::npos) {
    from = open + 7;
    while (begin < n && length[begin] < from) ++begin;
  }
  size_t close = full.text.find("</think>", from);
  if (close != std::string::npos) {
    end = begin;
    while (end < n && length[end + 1] <= close) ++end;
  }
  std::vector<size_t> cuts;
  for (size_t k = begin + 1; k <= end; ++k)  // cut after at least one thinking token
    if (exit_at != "line" || (length[k] > 0 && full.text[length[k] - 1] == '\n')) cuts.push_back(k);
  return cuts;
}

std::vector<size_t> choose_exits(std::vector<size_t> all, const SerialOptions& o, uint64_t seed) {
  std::vector<size_t> positions;
  const size_t span = all.size();
  if (span == 0 || o.exits == 0) return positions;
  size_t m = std::min(o.exits, span);
  if (o.evenly_spaced) {
    for (size_t j = 1; j <= m; ++j)
      positions.push_back(all[std::max<size_t>(span * j / (m + 1), 1) - 1]);
  } else {
    // m distinct positions, uniform over the candidates (partial Fisher-Yates).
    Rng rng(seed, "serial-exits");
    for (size_t i = 0; i < m; ++i)
      std::swap(all[i], all[static_cast<size_t>(
                            rng.uniform(static_cast<int64_t>(i), static_cast<int64_t>(span - 1)))]);
    positions.assign(all.begin(), all.begin() + static_cast<long>(m));
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  return positions;
}

}  // namespace

SerialGroup run_serial_group(policy::Policy& policy, const tasks::Task& task,
                             const std::string& prompt, const SerialOptions& o,
                             const rewards::Scorer& score) {
  SerialGroup group;
  policy::SamplingParams path_params = o.sampling;
  path_params.keep_kv_cache = true;  // exits continue from the path's keys and values
  policy::Sample full = policy.generate({prompt}, path_params).at(0);
  group.full_path_tokens = full.tokens.size();
  const std::string version = policy.version();
  group.exit_positions = choose_exits(exit_candidates(policy, full, o.exit_at), o, o.sampling.seed);

  std::vector<policy::Sample> exits;
  std::vector<size_t> forced_from;
  for (size_t p : group.exit_positions) {
    policy::Sample s = policy.prefix(full, p);
    policy.force(s, o.answer_forcing);
    forced_from.push_back(p);
    exits.push_back(std::move(s));
  }
  std::vector<size_t> before(exits.size());
  for (size_t i = 0; i < exits.size(); ++i) before[i] = exits[i].tokens.size();
  full.kv.reset();  // the exits hold it now; each writes to its own copy
  for (auto& e : exits) e.params.keep_kv_cache = false;
  if (!exits.empty()) policy.resume(exits, o.answer_tokens);

  std::vector<bool> correct;
  std::string group_id = task.id + "#serial" + std::to_string(o.sampling.seed);
  for (size_t i = 0; i < exits.size(); ++i) {
    SampleRecord r = SampleRecord::from_sample(exits[i], task.id, version);
    // The answer only: the reused prefix and the forcing text are masked (with exit_loss
    // "path", the earliest correct exit's mask is opened once it is scored, below).
    for (size_t t = 0; t < before[i] && t < r.loss_mask.size(); ++t) r.loss_mask[t] = 0;
    group.exit_answer_tokens += exits[i].tokens.size() - before[i];
    r.role = "exit:" + std::to_string(i + 1);
    r.group_id = group_id;
    if (exits[i].logprobs.size() < exits[i].tokens.size()) {
      // The forced answer did not fit the context: the exit was never answered, which is
      // no fault of the policy's. Invalid: excluded from the group, never scored 0.
      r.reward = rewards::Reward::invalid("context_full", {{"max_seq", exits[i].finish_reason}});
    } else {
      r.reward = score(task, {exits[i].text, exits[i].tokens.size()});
    }
    const bool first_correct =
        r.reward.passed() && std::find(correct.begin(), correct.end(), true) == correct.end();
    correct.push_back(r.reward.passed());
    if (o.exit_loss == "path" && first_correct) {
      // The earliest correct exit trains on all of it: its prefix (the full path's own
      // tokens), the forcing text (scored by the policy when the exit resumed) and the answer,
      // so ending the thinking there becomes likelier. Later correct exits would credit the
      // redundant steps their prefixes add; wrong ones would blame the reasoning they share
      // with the full path for a guess cut too early. Both keep the answer-only mask.
      std::fill(r.loss_mask.begin(), r.loss_mask.end(), 1);
    }
    group.members.push_back(std::move(r));
  }
  SampleRecord whole = SampleRecord::from_sample(full, task.id, version);
  whole.role = "full";
  whole.group_id = group_id;
  whole.reward = score(task, {full.text, full.tokens.size()});
  correct.push_back(whole.reward.passed());
  group.members.push_back(std::move(whole));

  // Decayed rewards replace the plain correctness values; invalid members stay invalid.
  std::vector<double> decayed = rewards::serial_rewards(correct, o.decay);
  std::vector<rewards::Reward> scored;
  for (size_t i = 0; i < group.members.size(); ++i) {
    auto& r = group.members[i].reward;
    if (r.valid) {
      r.details["correct"] = static_cast<bool>(correct[i]);
      r.value = decayed[i];
      r.reason = "serial_decay";
    }
    scored.push_back(r);
  }
  auto advantages = rewards::group_advantages(scored, rewards::AdvantageMode::NoStd);
  for (size_t i = 0; i < group.members.size(); ++i) group.members[i].advantage = advantages[i];
  return group;
}

}  // namespace crucible::rollout
