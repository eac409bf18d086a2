#include "critique/critique_rft.hpp"

#include <algorithm>

#include "critique/refine.hpp"
#include "tasks/prompts.hpp"

namespace crucible::critique {

size_t step_count(const std::string& solution) {
  return split_steps(answer_part(solution)).size();
}

bool is_shortcut(const std::string& refinement, const std::string& original,
                 const tasks::Task& task, double ratio) {
  size_t limit = step_count(original);
  if (!task.solution.empty()) limit = std::min(limit, step_count(task.solution));
  return static_cast<double>(step_count(refinement)) < ratio * static_cast<double>(limit);
}

CritiqueRftResult critique_rft(policy::Policy& actor, Critic& critic,
                               const std::vector<RolledSample>& samples,
                               const CritiqueRftOptions& o, const rewards::Scorer& score) {
  const auto& templates = tasks::PromptTemplates::builtin();
  CritiqueRftResult out;
  struct Wrong {
    const RolledSample* sample;
    std::string base_prompt, refine_prompt, kept_steps;
  };
  std::vector<Wrong> wrong;
  for (const auto& s : samples) {
    std::string base = templates.render(*s.task, o.prompt_template).text;
    if (s.correct) {
      ++out.originals_correct;
      out.kept.push_back({s.task->id, base, s.completion, 0, "original"});
      continue;
    }
    ++out.wrong;
    Critique c = critic.critique(*s.task, s.completion);
    if (!c.usable()) {
      ++out.malformed_critiques;
      continue;  // nothing to act on
    }
    std::string keep = o.restart_at_first_wrong ? steps_before_first_wrong(s.completion, c) : "";
    std::string prompt = refinement_prompt(base, s.completion, c, o.critique_in_prompt, keep);
    if (o.fits && !o.fits(prompt)) {
      ++out.too_long;
      continue;
    }
    wrong.push_back({&s, base, std::move(prompt), keep});
  }
  if (wrong.empty() || o.refinements == 0) return out;
  std::vector<std::string> prompts;
  for (const auto& w : wrong)
    for (size_t k = 0; k < o.refinements; ++k) prompts.push_back(w.refine_prompt);
  auto refined = actor.generate(prompts, o.sampling);
  out.policy_calls += refined.size();
  for (size_t i = 0; i < wrong.size(); ++i) {
    const Wrong& w = wrong[i];
    size_t kept_here = 0;
    std::vector<std::string> seen;
    for (size_t k = 0; k < o.refinements; ++k) {
      std::string completion = w.kept_steps + refined[i * o.refinements + k].text;
      if (!score.correctness(*w.sample->task, completion).passed()) continue;
      ++out.refined_correct;
      if (is_shortcut(completion, w.sample->completion, *w.sample->task, o.shortcut_ratio)) {
        ++out.shortcuts;
        continue;
      }
      if (kept_here >= o.max_kept || std::find(seen.begin(), seen.end(), completion) != seen.end())
        continue;
      seen.push_back(completion);
      ++kept_here;
      out.kept.push_back(
          {w.sample->task->id,
           o.critique_conditioned
               ? w.refine_prompt.substr(0, w.refine_prompt.size() - w.kept_steps.size())
               : w.base_prompt,
           completion, 0, "refined"});
    }
  }
  return out;
}

}  // namespace crucible::critique
