// What every policy (native or remote) produces: samples with token ids and per-token
// log-probs, and the parameters that asked for them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crucible::policy {

struct KvState;  // policy/model/decoder.hpp

struct SamplingParams {
  double temperature = 1.0;       // 0: greedy
  size_t top_k = 0;               // 0: off
  double top_p = 1.0;             // 1: off
  size_t max_tokens = 64;         // new tokens in this call
  std::vector<std::string> stop;  // stop strings (the completion text ends with one)
  std::vector<int> stop_tokens;   // e.g. the tokenizer's eos
  uint64_t seed = 0;
  size_t top_logprobs = 0;  // keep this many most likely tokens per position (raw model)
  // Sample i of a call draws from the stream (seed, first_index + i), so a prompt keeps
  // its stream whichever call starts it (segmented rollouts start prompts over many calls).
  size_t first_index = 0;
  // Native policy: samples keep their KV state (memory: layers x context x dim x 2 floats
  // each) so that resume, also of a cut copy (Policy::prefix), does not prefill again.
  bool keep_kv_cache = false;
};

struct Sample {
  size_t index = 0;    // position in its batch: part of the random stream
  std::string prompt;  // the prompt text, when the sample was asked for by text
  std::vector<int> prompt_tokens;
  std::vector<int> tokens;      // the completion
  std::vector<float> logprobs;  // per completion token, under the sampling distribution
  std::vector<float>
      raw_logprobs;             // per completion token, under the raw model (T = 1, no filtering)
  std::vector<uint8_t> forced;  // 1 where the token was prefilled, not sampled
  // With params.top_logprobs = k: per sampled position, the k most likely tokens and their
  // log-probs under the raw model, most likely first (native policy).
  std::vector<std::vector<std::pair<int, float>>> top_logprobs;
  std::string text;           // decoded completion
  std::string finish_reason;  // stop | length | max_seq
  SamplingParams params;
  // Text forced into the sample whose token ids are not known yet: a remote policy learns
  // them on resume, as the end of the prompt the server tokenised.
  std::string forced_text_pending;
  // The token ids could not be kept in step with the text (a server that does not return
  // prompt ids, or tokenised forced text across its boundary): ids and log-probs are
  // dropped and the text alone is the sample.
  bool text_only = false;
  // The native policy's keys and values of this sample's known tokens, kept while it may
  // be resumed so that the next segment does not prefill them again; null otherwise.
  std::shared_ptr<KvState> kv;
};

}  // namespace crucible::policy
