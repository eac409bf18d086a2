// Supervised fine-tuning: batches of (prompt, completion) token sequences, loss on the
// completion tokens only, one AdamW step per batch.
//
//   SftTrainer trainer(model, optimizer);
//   LossResult r = trainer.step(examples);   // pads to the longest sequence
#pragma once

#include <vector>

#include "policy/model/losses.hpp"
#include "policy/model/optimizer.hpp"
#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"
#include "tasks/task.hpp"

namespace crucible::policy {

struct SftExample {
  std::vector<int> prompt;      // starts with <bos>
  std::vector<int> completion;  // ends with <eos>
};

// The training text of a task: the prompt exactly as `crucible label` and rollouts render
// it with `prompt_template` (tasks/prompt_templates.json), then the reference answer in
// the verifier's favourite form, "\boxed{answer}" (after the worked rationale when
// `with_rationale`; inside <think> ... </think> for "think" templates). Code tasks get
// their reference program in a code fence.
SftExample sft_example(const tasks::Task& task, const Tokenizer& tokenizer, bool with_rationale,
                       const std::string& prompt_template = "plain");

// The AdamW decay mask of a model: matrices decay, norm gains do not.
std::vector<uint8_t> decay_mask(const Transformer<float>& model);

class SftTrainer {
 public:
  SftTrainer(Transformer<float>& model, AdamW& optimizer) : model_(model), optimizer_(optimizer) {}
  // One optimizer step on the batch; sequences longer than the context are truncated.
  LossResult step(const std::vector<SftExample>& batch);

 private:
  Transformer<float>& model_;
  AdamW& optimizer_;
  std::vector<float> dlogits_;
};

}  // namespace crucible::policy
