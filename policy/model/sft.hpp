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

namespace crucible::policy {

struct SftExample {
  std::vector<int> prompt;      // starts with <bos>
  std::vector<int> completion;  // ends with <eos>
  // Per completion token: 1 trained on, 0 not (text the environment wrote). Empty: all.
  std::vector<uint8_t> completion_mask;
};

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
