#include "critique/refine.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "rewards/math/verifier.hpp"
#include "rewards/math_reward.hpp"
#include "tasks/prompts.hpp"

namespace crucible::critique {

namespace {

bool verified(const tasks::Task& task, const std::string& completion,
              const rewards::Scorer& score) {
  return score.correctness(task, completion).passed();
}

bool accepted(const Critique& c) {
  return c.usable() && !c.first_wrong && c.final_correct != std::optional<bool>(false);
}

// Math: the majority of the candidates' answers, checked against the reference. Code: the
// first candidate judged correct when `pick_correct`, else the first one.
void vote(const tasks::Task& task, const std::vector<const Attempt*>& candidates,
          const RefineOptions& o, RefineResult& r) {
  if (candidates.empty()) return;
  if (task.kind == tasks::Kind::Math) {
    std::vector<std::string> texts;
    for (const Attempt* a : candidates) texts.push_back(a->completion);
    r.answer = rewards::majority_answer(texts, o.vote);
    r.voted_correct = r.answer && rewards::math::verify(task.answer, *r.answer, o.vote).correct;
    return;
  }
  const Attempt* pick = candidates.front();
  for (const Attempt* a : candidates)
    if (a->correct) {
      pick = a;
      break;
    }
  r.answer = pick->completion;
  r.voted_correct = pick->correct;
}

policy::SamplingParams round_params(const RefineOptions& o, size_t round, size_t batch) {
  policy::SamplingParams p = o.sampling;
  p.first_index = o.sampling.first_index + round * batch;  // a fresh stream per round
  return p;
}

}  // namespace

std::string refinement_prompt(const std::string& task_prompt, const std::string& attempt,
                              const Critique& critique, bool with_critique,
                              const std::string& kept_steps) {
  std::string prompt = task_prompt;
  if (with_critique) {
    prompt.append("\nPrevious attempt:\n").append(answer_part(attempt));
    prompt.append("\nCritique:\n").append(critique.render());
    prompt.append("Corrected solution:\n");
  }
  return prompt.append(kept_steps);
}

std::string steps_before_first_wrong(const std::string& completion, const Critique& critique) {
  if (!critique.usable() || !critique.first_wrong) return "";
  size_t begin = critique.steps[*critique.first_wrong].begin;
  return begin <= completion.size() ? completion.substr(0, begin) : "";
}

std::vector<RefineResult> refine(policy::Policy& actor, Critic& critic,
                                 const std::vector<tasks::Task>& tasks, const RefineOptions& o,
                                 const rewards::Scorer& score) {
  const auto& templates = tasks::PromptTemplates::builtin();
  size_t n = tasks.size() * o.chains;
  std::vector<RefineResult> results(tasks.size());
  std::vector<std::string> base(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    results[i].task_id = tasks[i].id;
    results[i].chains.resize(o.chains);
    base[i] = templates.render(tasks[i], o.prompt_template).text;
  }
  std::vector<bool> active(n, true);
  for (size_t round = 0; round < o.rounds; ++round) {
    std::vector<size_t> who;  // chain ids (task * chains + chain) asked this round
    std::vector<std::string> prompts, kept;
    for (size_t id = 0; id < n; ++id) {
      if (!active[id]) continue;
      size_t i = id / o.chains, c = id % o.chains;
      std::string keep, prompt = base[i];
      if (round > 0) {
        const Attempt& last = results[i].chains[c].back();
        if (o.restart_at_first_wrong)
          keep = steps_before_first_wrong(last.completion, last.critique);
        prompt = refinement_prompt(base[i], last.completion, last.critique,
                                   o.critique_in_prompt && last.critique.usable(), keep);
        if (o.fits && !o.fits(prompt)) {
          ++results[i].too_long;
          active[id] = false;
          continue;
        }
      }
      who.push_back(id);
      prompts.push_back(std::move(prompt));
      kept.push_back(std::move(keep));
    }
    if (who.empty()) break;
    auto samples = actor.generate(prompts, round_params(o, round, n));
    for (size_t k = 0; k < who.size(); ++k) {
      size_t i = who[k] / o.chains, c = who[k] % o.chains;
      Attempt a;
      a.completion = kept[k] + samples[k].text;
      a.correct = verified(tasks[i], a.completion, score);
      a.critique = critic.critique(tasks[i], a.completion);
      ++results[i].policy_calls;
      bool done = o.stop_when_verified ? a.correct : accepted(a.critique);
      results[i].chains[c].push_back(std::move(a));
      if (done) active[who[k]] = false;
    }
  }
  for (size_t i = 0; i < tasks.size(); ++i) {
    RefineResult& r = results[i];
    std::vector<const Attempt*> finals;
    for (const auto& chain : r.chains) {
      for (const auto& a : chain) r.any_correct = r.any_correct || a.correct;
      if (!chain.empty()) finals.push_back(&chain.back());
    }
    // Code: prefer an attempt the critic accepted (the tests it ran passed).
    if (tasks[i].kind == tasks::Kind::Code)
      std::stable_partition(finals.begin(), finals.end(),
                            [](const Attempt* a) { return accepted(a->critique); });
    vote(tasks[i], finals, o, r);
  }
  return results;
}

std::vector<RefineResult> sample_repeatedly(policy::Policy& actor,
                                            const std::vector<tasks::Task>& tasks,
                                            const RefineOptions& o, const rewards::Scorer& score) {
  const auto& templates = tasks::PromptTemplates::builtin();
  size_t per_task = o.chains * o.rounds;
  std::vector<std::string> prompts;
  for (const auto& t : tasks) {
    std::string p = templates.render(t, o.prompt_template).text;
    for (size_t k = 0; k < per_task; ++k) prompts.push_back(p);
  }
  auto samples = actor.generate(prompts, o.sampling);
  std::vector<RefineResult> results(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    RefineResult& r = results[i];
    r.task_id = tasks[i].id;
    r.chains.resize(1);
    std::vector<const Attempt*> all;
    for (size_t k = 0; k < per_task; ++k) {
      Attempt a;
      a.completion = samples[i * per_task + k].text;
      a.correct = verified(tasks[i], a.completion, score);
      r.any_correct = r.any_correct || a.correct;
      r.chains[0].push_back(std::move(a));
    }
    r.policy_calls = per_task;
    for (const auto& a : r.chains[0]) all.push_back(&a);
    vote(tasks[i], all, o, r);
  }
  return results;
}

RefineSummary summarize(const std::vector<RefineResult>& results) {
  RefineSummary s;
  s.tasks = results.size();
  for (const auto& r : results) {
    s.accuracy += r.voted_correct;
    s.coverage += r.any_correct;
    s.calls_per_task += static_cast<double>(r.policy_calls);
  }
  if (s.tasks) {
    double n = static_cast<double>(s.tasks);
    s.accuracy /= n;
    s.coverage /= n;
    s.calls_per_task /= n;
  }
  return s;
}

void to_json(nlohmann::json& j, const RefineSummary& s) {
  j = {{"tasks", s.tasks},
       {"accuracy", s.accuracy},
       {"coverage", s.coverage},
       {"calls_per_task", s.calls_per_task}};
}

void to_json(nlohmann::json& j, const RefineResult& r) {
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& chain : r.chains) {
    nlohmann::json attempts = nlohmann::json::array();
    for (const auto& a : chain)
      attempts.push_back({{"completion", a.completion},
                          {"correct", a.correct},
                          {"critique", a.critique.critic.empty() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(a.critique)}});
    chains.push_back(attempts);
  }
  j = {{"task_id", r.task_id},
       {"chains", chains},
       {"answer", r.answer ? nlohmann::json(*r.answer) : nlohmann::json(nullptr)},
       {"voted_correct", r.voted_correct},
       {"any_correct", r.any_correct},
       {"policy_calls", r.policy_calls},
       {"too_long", r.too_long}};
}

}  // namespace crucible::critique
