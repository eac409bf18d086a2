#include "tasks/hygiene.hpp"

#include <cctype>
#include <cstring>
#include <functional>
#include <unordered_set>

#include "base/sha256.hpp"

namespace crucible::tasks {
namespace {

std::vector<std::string> words(const std::string& normalized) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < normalized.size()) {
    size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    if (j > i) out.push_back(normalized.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Hashes of the word n-grams (a prompt shorter than n gives one gram: itself).
std::vector<size_t> ngram_hashes(const std::string& text, size_t n) {
  auto w = words(normalize_text(text));
  std::vector<size_t> out;
  std::hash<std::string> h;
  if (w.size() < n) {
    std::string all;
    for (const auto& x : w) all += x + " ";
    if (!all.empty()) out.push_back(h(all));
    return out;
  }
  for (size_t i = 0; i + n <= w.size(); ++i) {
    std::string gram;
    for (size_t k = i; k < i + n; ++k) gram += w[k] + " ";
    out.push_back(h(gram));
  }
  return out;
}

double overlap(const std::vector<size_t>& grams, const std::unordered_set<size_t>& index) {
  if (grams.empty()) return 0;
  size_t seen = 0;
  for (size_t g : grams) seen += index.count(g);
  return static_cast<double>(seen) / grams.size();
}

}  // namespace

std::string normalize_text(const std::string& text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      if (space && !out.empty()) out.push_back(' ');
      out.push_back(static_cast<char>(std::tolower(c)));
      space = false;
    } else {
      space = true;  // punctuation and whitespace both separate words
    }
  }
  return out;
}

DedupReport deduplicate(const std::vector<Task>& tasks, const DedupOptions& options) {
  DedupReport report;
  std::unordered_set<std::string> exact;
  std::unordered_set<size_t> grams_seen;
  for (const auto& t : tasks) {
    std::string key = normalize_text(t.prompt);
    if (!exact.insert(key).second) {
      ++report.exact_duplicates;
      continue;
    }
    auto grams = ngram_hashes(t.prompt, options.ngram);
    if (!grams_seen.empty() && overlap(grams, grams_seen) >= options.threshold) {
      ++report.near_duplicates;
      continue;
    }
    grams_seen.insert(grams.begin(), grams.end());
    report.kept.push_back(t);
  }
  return report;
}

DecontaminationReport decontaminate(const std::vector<Task>& train, const std::vector<Task>& eval,
                                    const DecontaminationOptions& options) {
  std::unordered_set<size_t> eval_grams;
  std::unordered_set<std::string> eval_prompts;
  for (const auto& t : eval) {
    auto grams = ngram_hashes(t.prompt, options.ngram);
    eval_grams.insert(grams.begin(), grams.end());
    eval_prompts.insert(normalize_text(t.prompt));
  }
  DecontaminationReport report;
  for (const auto& t : train) {
    bool contaminated =
        eval_prompts.count(normalize_text(t.prompt)) ||
        overlap(ngram_hashes(t.prompt, options.ngram), eval_grams) >= options.threshold;
    if (contaminated)
      report.removed_ids.push_back(t.id);
    else
      report.kept.push_back(t);
  }
  return report;
}

bool in_eval_split(const std::string& id, double eval_fraction) {
  std::string digest = sha256_hex(id);
  uint64_t v = std::stoull(digest.substr(0, 15), nullptr, 16);  // 60 bits
  return static_cast<double>(v) / static_cast<double>(1ull << 60) < eval_fraction;
}

}  // namespace crucible::tasks
