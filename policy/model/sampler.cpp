#include "policy/model/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "policy/model/token_choice.hpp"

namespace crucible::policy {

namespace {

bool ends_with_stop(const std::string& text, const std::vector<std::string>& stops) {
  for (const auto& s : stops)
    if (!s.empty() && text.size() >= s.size() &&
        text.compare(text.size() - s.size(), s.size(), s) == 0)
      return true;
  return false;
}

}  // namespace

std::vector<std::vector<int>> Sampler::encode_prompts(
    const std::vector<std::string>& prompts) const {
  std::vector<std::vector<int>> ids;
  for (const auto& p : prompts) {
    auto t = tokenizer_.encode(p);
    t.insert(t.begin(), tokenizer_.bos());
    ids.push_back(std::move(t));
  }
  return ids;
}

std::vector<Sample> Sampler::unstarted(const std::vector<std::vector<int>>& prompts,
                                       const SamplingParams& params) const {
  std::vector<Sample> samples(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw InvalidRequest("prompt " + std::to_string(i) + " is empty");
    const int vocab = static_cast<int>(model_.config().vocab);
    for (int id : prompts[i])
      if (id < 0 || id >= vocab)
        throw InvalidRequest("prompt " + std::to_string(i) + ": token id " + std::to_string(id) +
                             " is outside the vocabulary (0-" + std::to_string(vocab - 1) + ")");
    if (prompts[i].size() >= model_.config().max_seq)
      throw InvalidRequest("prompt " + std::to_string(i) + " has " +
                           std::to_string(prompts[i].size()) + " tokens; the model's context is " +
                           std::to_string(model_.config().max_seq));
    samples[i].index = params.first_index + i;
    samples[i].prompt_tokens = prompts[i];
    samples[i].params = params;
    samples[i].finish_reason = "length";
  }
  return samples;
}

std::vector<Sample> Sampler::generate(const std::vector<std::string>& prompts,
                                      const SamplingParams& params) {
  auto samples = generate_tokens(encode_prompts(prompts), params);
  for (size_t i = 0; i < samples.size(); ++i) samples[i].prompt = prompts[i];
  return samples;
}

std::vector<Sample> Sampler::start(const std::vector<std::string>& prompts,
                                   const SamplingParams& params) {
  auto samples = unstarted(encode_prompts(prompts), params);
  for (size_t i = 0; i < samples.size(); ++i) samples[i].prompt = prompts[i];
  return samples;
}

std::vector<Sample> Sampler::generate_tokens(const std::vector<std::vector<int>>& prompts,
                                             const SamplingParams& params) {
  std::vector<Sample> samples = unstarted(prompts, params);
  std::vector<Sample*> run_list;
  for (auto& s : samples) run_list.push_back(&s);
  run(run_list, params.max_tokens);
  return samples;
}

void Sampler::force(Sample& sample, const std::string& text) const {
  for (int t : tokenizer_.encode(text)) {
    sample.tokens.push_back(t);
    sample.forced.push_back(1);
  }
  sample.text = tokenizer_.decode(sample.tokens);
  sample.finish_reason = "length";
}

void Sampler::resume(std::vector<Sample>& samples, size_t max_new_tokens) {
  std::vector<Sample*> run_list;
  for (auto& s : samples)
    if (s.finish_reason == "length" || s.logprobs.size() < s.tokens.size()) run_list.push_back(&s);
  run(run_list, max_new_tokens);
}

size_t Sampler::reusable_positions(const Sample& s, const std::vector<int>& known, size_t n) const {
  if (stamp_.empty() || !s.kv || s.kv->model != &model_ || s.kv->stamp != stamp_) return 0;
  size_t common = 0, m = std::min(n, s.kv->tokens.size());
  while (common < m && s.kv->tokens[common] == known[common]) ++common;
  // Rows that predict completion tokens not yet scored (forced ones) must be computed.
  size_t first_unscored_row = s.prompt_tokens.size() + s.logprobs.size() - 1;
  return std::min(common, first_unscored_row);
}

void Sampler::run(std::vector<Sample*>& samples, size_t max_new_tokens) {
  const ModelConfig& c = model_.config();
  if (samples.empty()) return;
  std::optional<Decoder> own;
  Decoder& decoder = decoder_ ? *decoder_ : own.emplace(model_);
  KvCache cache(c, 0);  // slot i is sample i's, adopted below
  // Each slot prefills what it already has (scoring forced tokens that have no log-prob
  // yet), then feeds its last known token and samples one token per step.
  std::vector<size_t> fed(samples.size(), 0), budget(samples.size(), max_new_tokens);
  std::vector<bool> done(samples.size(), false);
  for (size_t i = 0; i < samples.size(); ++i) {
    if (samples[i]->prompt_tokens.empty())
      throw InvalidRequest("sample " + std::to_string(samples[i]->index) +
                           " has no prompt tokens to continue from");
    // A sample that no longer fits the context (e.g. forced text past it) cannot be
    // continued: it ends here rather than writing past the cache.
    if (samples[i]->prompt_tokens.size() + samples[i]->tokens.size() > c.max_seq) {
      samples[i]->finish_reason = "max_seq";
      samples[i]->kv.reset();
      done[i] = true;
    }
  }
  std::vector<float> logits;
  // Everything already known but the last token is prefilled in one pass per sample (one
  // product over all its rows instead of one step per token), or taken from the sample's
  // kept KV state as far as it matches; rows that predict forced completion tokens score
  // them. The last known token then goes through a decode step.
  for (size_t i = 0; i < samples.size(); ++i) {
    Sample& s = *samples[i];
    std::shared_ptr<KvState> kept = std::move(s.kv);
    if (done[i]) {
      cache.adopt(nullptr);  // never decoded
      continue;
    }
    std::vector<int> known = s.prompt_tokens;
    known.insert(known.end(), s.tokens.begin(), s.tokens.end());
    size_t n = known.size() - 1;
    s.kv = kept;
    size_t reuse = reusable_positions(s, known, n);
    s.kv.reset();
    if (reuse > 0 && kept.use_count() > 1)  // another sample shares it: write to a copy
      kept = std::make_shared<KvState>(*kept);
    cache.adopt(reuse > 0 ? std::move(kept) : empty_kv_state(c));
    if (reuse > 0 && reuse < n) {
      // The known tokens past the kept state: rows of one slot, in order, in one step.
      std::vector<size_t> slot(n - reuse, i), positions(n - reuse);
      std::iota(positions.begin(), positions.end(), reuse);
      std::vector<int> rows(known.begin() + static_cast<long>(reuse),
                            known.begin() + static_cast<long>(n));
      decoder.step(cache, slot, rows, positions, logits);
    } else if (reuse == 0 && n > 0) {
      decoder.prefill(cache, i, known.data(), n, logits);
    }
    for (size_t r = std::max(s.prompt_tokens.size() - 1, reuse); r < n; ++r) {
      size_t next = r + 1 - s.prompt_tokens.size();  // completion token predicted by row r
      if (next >= s.logprobs.size()) {
        float lp = log_softmax_at(logits.data() + (r - reuse) * c.vocab, c.vocab, s.tokens[next]);
        s.logprobs.push_back(lp);
        s.raw_logprobs.push_back(lp);
      }
    }
    fed[i] = n;
  }
  // Why sample i ends at its next step without a draw: its budget is spent, or the token
  // just fed fills the context. nullptr when it draws.
  auto ends_without_draw = [&](size_t i) -> const char* {
    if (budget[i] == 0) return "length";
    if (fed[i] + 1 >= c.max_seq) return "max_seq";
    return nullptr;
  };
  while (true) {
    std::vector<size_t> slots, positions;
    std::vector<int> tokens;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (done[i]) continue;
      const Sample& s = *samples[i];
      size_t total = s.prompt_tokens.size() + s.tokens.size();
      if (fed[i] >= total) continue;  // waiting for a sampled token (set below)
      slots.push_back(i);
      positions.push_back(fed[i]);
      tokens.push_back(fed[i] < s.prompt_tokens.size() ? s.prompt_tokens[fed[i]]
                                                       : s.tokens[fed[i] - s.prompt_tokens.size()]);
    }
    if (slots.empty()) break;
    decoder.step(cache, slots, tokens, positions, logits);
    // Each row's draw depends on nothing but the row and its sample, so the rows are drawn
    // on the decoder's threads; the samples are then extended in row order.
    std::vector<Choice> choices(slots.size());
    std::vector<std::vector<std::pair<int, float>>> tops(slots.size());
    decoder.split_rows(slots.size(), [&](size_t begin, size_t end) {
      for (size_t r = begin; r < end; ++r) {
        const size_t i = slots[r];
        const Sample& s = *samples[i];
        if (ends_without_draw(i)) continue;  // ends below
        const float* row = logits.data() + r * c.vocab;
        // After the prefill every fed token is the last known one: this row predicts the
        // next completion token.
        const size_t next = fed[i] + 1 - s.prompt_tokens.size();
        choices[r] = choose(row, c.vocab, s.params, uniform_at(s.params.seed, s.index, next));
        if (s.params.top_logprobs > 0) tops[r] = top_raw(row, c.vocab, s.params.top_logprobs);
      }
    });
    for (size_t r = 0; r < slots.size(); ++r) {
      size_t i = slots[r];
      Sample& s = *samples[i];
      const char* end = ends_without_draw(i);
      ++fed[i];
      if (end) {
        s.finish_reason = end;
        done[i] = true;
        continue;
      }
      const Choice& ch = choices[r];
      if (s.params.top_logprobs > 0) s.top_logprobs.push_back(std::move(tops[r]));
      s.tokens.push_back(ch.token);
      s.logprobs.push_back(ch.logprob);
      s.raw_logprobs.push_back(ch.raw_logprob);
      s.forced.push_back(0);
      s.text += tokenizer_.decode_one(ch.token);
      --budget[i];
      bool stop_token = std::find(s.params.stop_tokens.begin(), s.params.stop_tokens.end(),
                                  ch.token) != s.params.stop_tokens.end();
      if (stop_token || ends_with_stop(s.text, s.params.stop)) {
        s.finish_reason = "stop";
        done[i] = true;
      } else if (budget[i] == 0) {
        s.finish_reason = "length";
        done[i] = true;
      }
    }
  }
  for (size_t i = 0; i < samples.size(); ++i) {
    Sample& s = *samples[i];
    s.text = tokenizer_.decode(s.tokens);
    // A sample that asked for it keeps its keys and values of positions 0..fed-1 (also when
    // it stopped: serial groups resume cut copies of a finished path).
    auto& state = cache.state(i);
    if (state && s.params.keep_kv_cache && !stamp_.empty()) {
      state->tokens = s.prompt_tokens;
      state->tokens.insert(state->tokens.end(), s.tokens.begin(), s.tokens.end());
      state->tokens.resize(fed[i]);
      state->model = &model_;
      state->stamp = stamp_;
      s.kv = state;
    }
  }
}

}  // namespace crucible::policy
