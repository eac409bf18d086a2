// Dataset hygiene: duplicate removal, decontamination against an evaluation set, and
// deterministic train/eval splits.
//
// Texts are compared after normalisation (lower case, punctuation dropped, whitespace
// collapsed). Near-duplicates share at least `threshold` of their word n-grams with an
// earlier task; one pass over the data, an n-gram index, no pairwise comparison.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace crucible::tasks {

std::string normalize_text(const std::string& text);

struct DedupOptions {
  size_t ngram = 8;        // words per n-gram
  double threshold = 0.8;  // fraction of a task's n-grams already seen to call it a near-dup
};

struct DedupReport {
  std::vector<Task> kept;
  size_t exact_duplicates = 0;
  size_t near_duplicates = 0;
};

// Keeps the first of each group of (near-)duplicate prompts, in input order.
DedupReport deduplicate(const std::vector<Task>& tasks, const DedupOptions& options = {});

struct DecontaminationOptions {
  size_t ngram = 13;       // the customary length for benchmark contamination checks
  double threshold = 0.5;  // fraction of a training prompt's n-grams found in the eval set
};

struct DecontaminationReport {
  std::vector<Task> kept;
  std::vector<std::string> removed_ids;  // contaminated training tasks
};

// Drops training tasks whose prompt overlaps the evaluation set (or equals an evaluation
// prompt after normalisation, for prompts shorter than one n-gram).
DecontaminationReport decontaminate(const std::vector<Task>& train, const std::vector<Task>& eval,
                                    const DecontaminationOptions& options = {});

// True when `id` belongs to the evaluation split: a hash of the id, so the same id lands
// on the same side in every run and every machine.
bool in_eval_split(const std::string& id, double eval_fraction);

}  // namespace crucible::tasks
