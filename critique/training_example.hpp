// A solution kept for training by critique-in-the-loop or guided resampling: the prompt
// it is trained under, the completion, and how many leading bytes of the completion are
// given rather than learned (a prefilled reference prefix, masked from the loss).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace crucible::critique {

struct TrainingExample {
  std::string task_id;
  std::string prompt;
  std::string completion;
  size_t masked_prefix_bytes = 0;
  std::string origin;  // "original", "refined", or the guidance that found it
};

inline void to_json(nlohmann::json& j, const TrainingExample& e) {
  j = {{"task_id", e.task_id},
       {"prompt", e.prompt},
       {"completion", e.completion},
       {"masked_prefix_bytes", e.masked_prefix_bytes},
       {"origin", e.origin}};
}

}  // namespace crucible::critique
