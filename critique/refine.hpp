// Critique in the loop at test time: sample, critique, refine. Each task gets `chains`
// chains; a chain's first attempt is a plain sample, and while the critic finds a fault
// (or, with stop_when_verified, while the verifier fails) the actor refines it, up to
// `rounds` attempts per chain. A refinement sees the task and, as configured, the critique
// (in its prompt) and the steps before the first wrong one (kept, the actor continues from
// there). The task's answer is the majority vote over the chains' last answers (math) or
// the last attempt the critic accepted (code).
//
// The baseline spends the same budget, chains x rounds policy calls per task, on plain
// samples and votes over all of them.
//
//   RefineResult r = refine(actor, critic, tasks, options, scorer)[i];
//   r.voted_correct, r.any_correct, r.policy_calls
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "critique/critic.hpp"
#include "policy/policy.hpp"
#include "rewards/composite.hpp"
#include "rewards/scorer.hpp"
#include "tasks/task.hpp"

namespace crucible::critique {

struct RefineOptions {
  size_t chains = 2;  // independent chains per task
  size_t rounds = 2;  // attempts per chain: the first sample and up to rounds - 1 refinements
  bool critique_in_prompt = true;      // the actor reads the rendered critique
  bool restart_at_first_wrong = true;  // the steps before the first wrong one are kept
  bool stop_when_verified = false;     // stop on the verifier (an oracle), not the critic
  policy::SamplingParams sampling;
  std::string prompt_template = "plain";
  rewards::math::VerifyOptions vote;  // how the chains' math answers are compared
  // Whether a prompt fits the actor (a native model's context); those that do not are
  // skipped and counted, not sent. Unset: every prompt fits.
  std::function<bool(const std::string&)> fits;
};

struct Attempt {
  std::string completion;
  Critique critique;  // of this attempt (empty for the baseline's samples)
  bool correct = false;
};

struct RefineResult {
  std::string task_id;
  std::vector<std::vector<Attempt>> chains;
  std::optional<std::string> answer;  // the voted answer (math) or program (code)
  bool voted_correct = false;
  bool any_correct = false;
  size_t policy_calls = 0;
  size_t too_long = 0;  // refinements not asked: their prompt did not fit the actor
};

// The refinement prompt: the task's prompt and, when asked, the previous attempt and its
// critique; then the kept steps, which the actor continues.
std::string refinement_prompt(const std::string& task_prompt, const std::string& attempt,
                              const Critique& critique, bool with_critique,
                              const std::string& kept_steps);

// The part of an attempt before its first wrong step ("" when no step is flagged).
std::string steps_before_first_wrong(const std::string& completion, const Critique& critique);

std::vector<RefineResult> refine(policy::Policy& actor, Critic& critic,
                                 const std::vector<tasks::Task>& tasks,
                                 const RefineOptions& options, const rewards::Scorer& score);

// The baseline: chains x rounds plain samples per task, voted the same way.
std::vector<RefineResult> sample_repeatedly(policy::Policy& actor,
                                            const std::vector<tasks::Task>& tasks,
                                            const RefineOptions& options,
                                            const rewards::Scorer& score);

struct RefineSummary {
  size_t tasks = 0;
  double accuracy = 0;  // voted answer correct
  double coverage = 0;  // any attempt correct
  double calls_per_task = 0;
};
RefineSummary summarize(const std::vector<RefineResult>& results);

void to_json(nlohmann::json& j, const RefineSummary& s);
void to_json(nlohmann::json& j, const RefineResult& r);

}  // namespace crucible::critique
