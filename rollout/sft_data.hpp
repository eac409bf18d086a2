// Training text from tasks: a task rendered through its prompt template, then its
// reference answer, as SFT examples for the native policy (turning a task into text is the
// rollout side's job; policy/ knows token sequences only).
//
//   policy::SftExample e = sft_example(task, tokenizer, /*with_rationale=*/false, "plain");
#pragma once

#include <string>

#include "policy/model/sft.hpp"
#include "policy/model/tokenizer.hpp"
#include "tasks/task.hpp"

namespace crucible::rollout {

// The training text of a task: the prompt exactly as `crucible label` and rollouts render
// it with `prompt_template` (tasks/prompt_templates.json), then the reference answer in
// the verifier's favourite form, "\boxed{answer}" (after the worked rationale when
// `with_rationale`; inside <think> ... </think> for "think" templates). Code tasks get
// their reference program in a code fence.
policy::SftExample sft_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                               bool with_rationale, const std::string& prompt_template = "plain");

// A demonstration that uses the tool (rollout/tool_turns.hpp), program-of-thought style:
// the task's program (metadata "program") in a python fence and the call marker, then
// what the program prints as the environment's turn (masked from the loss; a generated
// task's program prints its answer), and the end: the output is the answer, which the
// verifier reads as the transcript's last number. Throws InvalidRequest for a task
// without a program.
policy::SftExample sft_tool_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                                    const std::string& prompt_template = "plain");

// The same program written and not run: its fence closes and the answer follows at once,
// "\\boxed{answer}", as if computed in the head. Beside tool demonstrations, every
// demonstration copies the operands into the same program at the same place; whether the
// program is run is the only thing that tells them apart.
policy::SftExample sft_unrun_example(const tasks::Task& task, const policy::Tokenizer& tokenizer,
                                     const std::string& prompt_template = "plain");

}  // namespace crucible::rollout
