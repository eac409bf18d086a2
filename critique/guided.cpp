#include "critique/guided.hpp"

#include "base/error.hpp"
#include "critique/refine.hpp"
#include "tasks/prompts.hpp"

namespace crucible::critique {

Guidance guidance_from_name(const std::string& name) {
  if (name == "none") return Guidance::None;
  if (name == "answer") return Guidance::Answer;
  if (name == "rationale") return Guidance::Rationale;
  if (name == "critique") return Guidance::Critique;
  if (name == "state_reset") return Guidance::StateReset;
  throw InvalidRequest("unknown guidance \"" + name +
                       "\" (known: none, answer, rationale, critique, state_reset)");
}

std::string guidance_name(Guidance g) {
  switch (g) {
    case Guidance::None:
      return "none";
    case Guidance::Answer:
      return "answer";
    case Guidance::Rationale:
      return "rationale";
    case Guidance::Critique:
      return "critique";
    case Guidance::StateReset:
      return "state_reset";
  }
  return "none";
}

std::string guided_prompt(const std::string& base, const tasks::Task& task, Guidance g) {
  if (g == Guidance::Answer) return base + "\n(The answer is " + task.answer + ".)\n";
  if (g == Guidance::Rationale)
    return base + "\nA reference solution:\n" + task.solution + "\nNow write your own.\n";
  return base;
}

std::string reference_prefix(const tasks::Task& task, size_t round, size_t rounds) {
  auto steps = split_steps(task.solution);
  size_t keep = steps.size() * round / (rounds + 1);
  if (keep == 0) return "";
  size_t end = keep < steps.size() ? steps[keep].begin : task.solution.size();
  return task.solution.substr(0, end);
}

std::vector<GuidedResult> guided_resample(policy::Policy& actor, Critic* critic,
                                          const std::vector<const tasks::Task*>& hard,
                                          const GuidedOptions& o, const rewards::Scorer& score) {
  if (o.guidance == Guidance::Critique && !critic)
    throw InvalidRequest("guidance \"critique\" needs a critic");
  bool needs_reference = o.guidance == Guidance::Answer || o.guidance == Guidance::Rationale ||
                         o.guidance == Guidance::StateReset;
  for (const auto* t : hard)
    if (needs_reference && (o.guidance == Guidance::Answer ? t->answer : t->solution).empty())
      throw InvalidRequest("guidance \"" + guidance_name(o.guidance) + "\": task " + t->id +
                           " has no reference " +
                           (o.guidance == Guidance::Answer ? "answer" : "solution"));
  const auto& templates = tasks::PromptTemplates::builtin();
  std::vector<GuidedResult> results(hard.size());
  std::vector<std::string> base(hard.size());
  // The critique guidance refines each slot's previous attempt.
  std::vector<std::vector<std::pair<std::string, Critique>>> last(hard.size());
  for (size_t i = 0; i < hard.size(); ++i) {
    results[i].task_id = hard[i]->id;
    base[i] = templates.render(*hard[i], o.prompt_template).text;
  }
  for (size_t round = 1; round <= o.rounds; ++round) {
    std::vector<size_t> who;
    std::vector<std::string> prompts, given;
    for (size_t i = 0; i < hard.size(); ++i) {
      if (results[i].found.size() >= o.wanted) continue;
      ++results[i].rounds_used;
      for (size_t k = 0; k < o.samples; ++k) {
        std::string prompt = guided_prompt(base[i], *hard[i], o.guidance), prefix;
        if (o.guidance == Guidance::StateReset) {
          prefix = reference_prefix(*hard[i], round, o.rounds);
          prompt += prefix;
        } else if (o.guidance == Guidance::Critique && round > 1 && k < last[i].size()) {
          const auto& [attempt, c] = last[i][k];
          prefix = steps_before_first_wrong(attempt, c);
          prompt = refinement_prompt(base[i], attempt, c, c.usable(), prefix);
        }
        if (o.fits && !o.fits(prompt)) {
          ++results[i].too_long;
          continue;
        }
        who.push_back(i);
        prompts.push_back(std::move(prompt));
        given.push_back(std::move(prefix));
      }
      last[i].clear();
    }
    if (who.empty()) break;
    policy::SamplingParams p = o.sampling;
    p.first_index = o.sampling.first_index + round * 1000003;
    auto samples = actor.generate(prompts, p);
    for (size_t k = 0; k < who.size(); ++k) {
      size_t i = who[k];
      ++results[i].policy_calls;
      std::string completion = given[k] + samples[k].text;
      bool ok = score.correctness(*hard[i], completion).passed();
      if (ok && results[i].found.size() < o.wanted) {
        size_t masked = o.guidance == Guidance::StateReset ? given[k].size() : 0;
        results[i].found.push_back(
            {hard[i]->id, base[i], completion, masked, guidance_name(o.guidance)});
      }
      if (!ok && o.guidance == Guidance::Critique)
        last[i].push_back({completion, critic->critique(*hard[i], completion)});
    }
  }
  return results;
}

}  // namespace crucible::critique
