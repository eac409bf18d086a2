// Tool-integrated turns: the policy runs code in the sandbox while it reasons.
//
// Protocol (as tool-integrated math models write it). The policy writes a fenced code
// block and then asks for its output by opening an output fence:
//
//   ```python
//   print(1234 * 5678)
//   ```
//   ```output
//
// Generation stops at the "```output\n" marker; the environment runs the block (the
// fence's language, else the default one) and inserts what it printed and a closing fence
// ("7006652\n```\n") as environment tokens; generation then resumes from exactly that
// text, up to `max_turns` calls and `max_tokens` completion tokens in all. The cells of
// one sample form a notebook: each call runs the sample's earlier successful cells and
// the new one, and shows only the new cell's output. Nothing persists between samples.
//
// Environment tokens are forced (masked from the loss), carry no policy log-probs and are
// stamped with their turn; a sandbox failure invalidates the sample instead of giving it
// an observation.
//
//   ToolRunner run = ...;  // the sandbox, bound by the caller (sandbox/service/access.hpp)
//   std::vector<ToolSample> s = run_with_tools(policy, prompts, params, options, run);
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "rollout/record.hpp"
#include "tasks/tool_run.hpp"

namespace crucible::rollout {

inline constexpr const char* kToolCallMarker = "```output\n";
// The verdict of a sample voided by a sandbox failure in one of its tool calls.
inline constexpr const char* kToolSandboxFailure = "tool_sandbox_failure";

using tasks::ToolRun;
using tasks::ToolRunner;

struct ToolOptions {
  size_t max_turns = 4;                      // tool calls per sample
  size_t max_tokens = 512;                   // completion tokens in all, environment included
  size_t max_output_bytes = 256;             // of each observation (the rest is cut, said so)
  std::string default_language = "python3";  // for a fence without a language
  std::vector<std::string> languages = {"python3"};  // the fences' languages allowed
  size_t parallel_calls = 4;  // one turn's calls of different samples run side by side
};

struct ToolCall {
  size_t turn = 0;  // 1-based
  std::string language, code;
  std::string observation;  // the text inserted
  std::string verdict;      // the sandbox's, or "refused" (a language not allowed)
  double seconds = 0;
};

struct ToolSample {
  policy::Sample sample;
  std::vector<ToolCall> calls;
  // Per completion token: 0 the policy's own, k > 0 inserted by the environment after call k.
  std::vector<uint32_t> environment_turn;
  std::optional<std::string> invalid;  // why, when the sandbox failed
};

// The program of the tool call that `text` ends with (a fenced block followed by the
// marker), as (language, code); nullopt when the text does not end with a call.
std::optional<std::pair<std::string, std::string>> tool_call_at_end(const std::string& text,
                                                                    const ToolOptions& options);

// One sample's notebook: each call runs the cells that ran cleanly before it and the new
// one, and shows only what the new cell printed. A cell in another language starts a new
// notebook.
class Notebook {
 public:
  // Runs `call` (its language and code set; a language not in `options` is refused) and
  // fills its verdict and time; returns the observation to insert. SandboxFailure passes.
  std::string call(const ToolRunner& run, ToolCall& call, const ToolOptions& options);

 private:
  std::string language_;
  std::vector<std::string> cells_;
  std::string printed_;
};

std::vector<ToolSample> run_with_tools(policy::Policy& policy,
                                       const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params,
                                       const ToolOptions& options, const ToolRunner& run);

void to_json(nlohmann::json& j, const ToolCall& c);

// The policy's tools in a rollout: what they may do and the sandbox that runs them.
struct ToolUse {
  ToolOptions options;
  ToolRunner run;
};

// Samples for `prompts`: with tool turns when `tools` is given, else plain ones (no calls),
// so a rollout draws its samples the same way with or without tools.
std::vector<ToolSample> sample_prompts(policy::Policy& policy,
                                       const std::vector<std::string>& prompts,
                                       const policy::SamplingParams& params, const ToolUse* tools);

// The reward of a sample whose tool call met a sandbox failure: invalid, never 0.
rewards::Reward tool_failure_reward(const ToolSample& sample);

// Adds a tool-integrated sample's turns to its record: the environment's token spans, each
// stamped with its call, and the calls themselves.
void add_tool_turns(SampleRecord& record, const ToolSample& sample);

}  // namespace crucible::rollout
