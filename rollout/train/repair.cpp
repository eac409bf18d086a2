#include "rollout/train/repair.hpp"

#include <map>
#include <set>

#include "base/rng.hpp"
#include "critique/critique_rft.hpp"
#include "critique/guided.hpp"

namespace crucible::rollout {

policy::ScoredSequence to_sequence(const critique::TrainingExample& e,
                                   const policy::Tokenizer& tok) {
  policy::ScoredSequence s;
  s.prompt = tok.encode(e.prompt);
  s.prompt.insert(s.prompt.begin(), tok.bos());
  std::vector<int> given = tok.encode(e.completion.substr(0, e.masked_prefix_bytes));
  s.completion = tok.encode(e.completion);
  // Native completions end with the end token's text, which encodes back to the token.
  if (s.completion.empty() || s.completion.back() != tok.eos()) s.completion.push_back(tok.eos());
  s.mask.assign(s.completion.size(), 1);
  for (size_t i = 0; i < given.size() && i < s.mask.size(); ++i) s.mask[i] = 0;
  s.advantage = 1;
  s.reward = 1;
  return s;
}

RepairOutcome repair_failures(const TrainConfig& config, size_t iteration,
                              const std::vector<std::vector<SampleRecord>>& groups,
                              const std::function<const tasks::Task&(const std::string&)>& task_of,
                              const RolloutEngine& engine, const policy::Tokenizer* tokenizer,
                              size_t context, critique::Critic* critic) {
  RepairOutcome out;
  bool critiquing = !config.critique.critic.empty() && critic;
  bool guiding = !config.guidance.strategy.empty();
  if (!critiquing && !guiding) return out;
  policy::SamplingParams sampling;
  sampling.temperature = config.temperature;
  sampling.max_tokens = config.max_tokens;
  // A prompt fits when it leaves room for a few tokens in the model's context.
  std::function<bool(const std::string&)> fits;
  if (tokenizer) {
    sampling.stop_tokens = {tokenizer->eos()};
    fits = [tokenizer, context](const std::string& prompt) {
      return tokenizer->encode(prompt).size() + 9 <= context;
    };
  }

  // Tasks by what their group found: unsolved ones are the ones help is measured on.
  std::map<std::string, size_t> correct_of;
  std::vector<critique::RolledSample> rolled;
  for (const auto& g : groups)
    for (const auto& rec : g) {
      correct_of[rec.task_id] += rec.reward.passed();
      if (rec.reward.valid)
        rolled.push_back({&task_of(rec.task_id), rec.text, rec.reward.passed()});
    }
  std::set<std::string> gained;  // unsolved tasks that got a verified solution
  if (critiquing) {
    critique::CritiqueRftOptions o;
    o.refinements = config.critique.refinements;
    o.max_kept = config.critique.max_kept;
    o.shortcut_ratio = config.critique.shortcut_ratio;
    o.critique_in_prompt = config.critique.in_prompt;
    o.restart_at_first_wrong = config.critique.restart;
    o.critique_conditioned = config.critique.conditioned;
    o.sampling = sampling;
    o.sampling.seed = derive_seed(config.seed, 9, iteration);
    o.prompt_template = config.prompt_template;
    o.fits = fits;
    auto r = critique::critique_rft(engine.policy(), *critic, rolled, o, engine.scorer());
    size_t refined = 0;
    for (auto& e : r.kept) {
      if (e.origin != "refined") continue;  // the originals are in the batch already
      if (correct_of[e.task_id] == 0) gained.insert(e.task_id);
      out.examples.push_back(std::move(e));
      ++refined;
    }
    out.metrics["critique_wrong"] = r.wrong;
    out.metrics["critique_refined_correct"] = r.refined_correct;
    out.metrics["critique_shortcuts"] = r.shortcuts;
    out.metrics["critique_kept"] = refined;
    out.metrics["critique_calls"] = r.policy_calls;
    out.metrics["critique_too_long"] = r.too_long;
  }
  if (guiding) {
    critique::GuidedOptions o;
    o.guidance = critique::guidance_from_name(config.guidance.strategy);
    o.rounds = config.guidance.rounds;
    o.samples = config.guidance.samples;
    o.wanted = 1;
    o.sampling = sampling;
    o.sampling.seed = derive_seed(config.seed, 10, iteration);
    o.prompt_template = config.prompt_template;
    o.fits = fits;
    std::vector<const tasks::Task*> hard;
    for (const auto& [id, correct] : correct_of)
      if (correct < config.guidance.min_correct) hard.push_back(&task_of(id));
    size_t calls = 0, solved = 0, too_long = 0;
    for (auto& r : critique::guided_resample(engine.policy(), critic, hard, o, engine.scorer())) {
      calls += r.policy_calls;
      too_long += r.too_long;
      solved += !r.found.empty();
      for (auto& e : r.found) {
        if (correct_of[e.task_id] == 0) gained.insert(e.task_id);
        out.examples.push_back(std::move(e));
      }
    }
    out.metrics["guided_tasks"] = hard.size();
    out.metrics["guided_solved"] = solved;
    out.metrics["guided_calls"] = calls;
    out.metrics["guided_too_long"] = too_long;
  }
  size_t unsolved = 0;
  for (const auto& [id, correct] : correct_of) unsolved += correct == 0;
  out.metrics["unsolved_tasks"] = unsolved;
  out.metrics["unsolved_gaining"] =
      unsolved ? static_cast<double>(gained.size()) / static_cast<double>(unsolved) : 0.0;
  out.metrics["tasks_with_solution"] =
      correct_of.empty() ? 0.0
                         : static_cast<double>(correct_of.size() - unsolved + gained.size()) /
                               static_cast<double>(correct_of.size());
  if (tokenizer)
    for (const auto& e : out.examples) out.sequences.push_back(to_sequence(e, *tokenizer));
  return out;
}

}  // namespace crucible::rollout
