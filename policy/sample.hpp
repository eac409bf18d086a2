// What every policy (native or remote) produces: samples with token ids and per-token
// log-probs, and the parameters that asked for them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crucible::policy {

struct SamplingParams {
  double temperature = 1.0;       // 0: greedy
  size_t top_k = 0;               // 0: off
  double top_p = 1.0;             // 1: off
  size_t max_tokens = 64;         // new tokens in this call
  std::vector<std::string> stop;  // stop strings (the completion text ends with one)
  std::vector<int> stop_tokens;   // e.g. the tokenizer's eos
  uint64_t seed = 0;
  // Sample i of a call draws from the stream (seed, first_index + i), so a prompt keeps
  // its stream whichever call starts it (segmented rollouts start prompts over many calls).
  size_t first_index = 0;
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
  std::string text;             // decoded completion
  std::string finish_reason;    // stop | length | max_seq
  SamplingParams params;
};

}  // namespace crucible::policy
