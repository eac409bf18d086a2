// Checkpoints: a directory with model.safetensors (every tensor by name, F32, with the
// model config and tokenizer in the header's __metadata__) and, for training,
// optimizer.safetensors (AdamW moments, the step count and the trainer's own state), so
// training resumes bit-exactly. The files follow the safetensors format (8-byte
// little-endian header length, JSON header, raw little-endian data), so standard readers
// load them.
//
//   save_checkpoint("ckpt", model, tokenizer, &optimizer, {{"step", 100}});
//   Checkpoint c = load_checkpoint("ckpt");   // InvalidRequest naming what is wrong
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "policy/model/optimizer.hpp"
#include "policy/model/tokenizer.hpp"
#include "policy/model/transformer.hpp"

namespace crucible::policy {

struct Checkpoint {
  ModelConfig config;
  Tokenizer tokenizer;
  std::vector<float> params;
  // Present when the checkpoint was saved with an optimizer.
  std::optional<OptimizerConfig> optimizer_config;
  std::vector<float> adam_m, adam_v;
  size_t optimizer_steps = 0;
  nlohmann::json trainer_state;  // whatever the trainer saved (step, data position, ...)
};

void save_checkpoint(const std::string& dir, const Transformer<float>& model,
                     const Tokenizer& tokenizer, const AdamW* optimizer,
                     const nlohmann::json& trainer_state);
Checkpoint load_checkpoint(const std::string& dir);

// One safetensors file: tensors by name (F32), string metadata.
struct SafetensorsFile {
  struct Tensor {
    std::vector<size_t> shape;
    std::vector<float> data;
  };
  std::vector<std::pair<std::string, Tensor>> tensors;  // in file order
  std::map<std::string, std::string> metadata;
};
void write_safetensors(const std::string& path, const SafetensorsFile& file);
SafetensorsFile read_safetensors(const std::string& path);

}  // namespace crucible::policy
