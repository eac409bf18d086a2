#include "rollout/train/self_train.hpp"

#include <chrono>
#include <set>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/rng.hpp"
#include "rollout/train/evaluation.hpp"
#include "rollout/train/exports.hpp"
#include "rollout/train/outcomes.hpp"
#include "rollout/train/repair.hpp"
#include "rollout/train/run_files.hpp"
#include "rollout/train/update_batch.hpp"
#include "tasks/jsonl.hpp"

namespace crucible::rollout {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

json nullable(std::optional<double> v) {
  return v ? json(*v) : json(nullptr);
}

// The loop's reward: correctness, and DAPO's soft overlong penalty under that rule.
rewards::CompositeReward loop_reward(const TrainConfig& c) {
  if (c.update.rule != policy::UpdateRule::Dapo) return {};
  return rewards::CompositeReward::from_json(
      {{"terms",
        {{{"name", "correctness"}, {"weight", 1}},
         {{"name", "overlong"},
          {"weight", 1},
          {"overlong",
           {{"max_tokens", c.max_tokens},
            {"cache_tokens", std::max<size_t>(1, c.max_tokens / 4)}}}}}}});
}

ToolOptions tool_options(const TrainConfig& c) {
  return {.max_turns = c.tools.max_turns,
          .max_tokens = c.max_tokens,
          .max_output_bytes = c.tools.max_output_bytes,
          .default_language = c.tools.languages.front(),
          .languages = c.tools.languages};
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

SelfTrainer::SelfTrainer(TrainConfig config, fs::path run_dir, bool resume, Judging judging,
                         const json& overrides)
    : config_(open_run(run_dir, config, resume, overrides)),
      dir_(std::move(run_dir)),
      judging_(std::move(judging)) {
  tasks_ = load(config_.tasks, 2, true);
  eval_ = load(config_.eval_tasks, 3, true);
  // Held out means never trained on: prompts of training and warm-up tasks are dropped.
  std::set<std::string> seen;
  for (const auto& t : tasks_) seen.insert(t.prompt);
  if (!resume) warmup_ = load(config_.warmup_tasks, 1, false);
  for (const auto& t : warmup_) seen.insert(t.prompt);
  std::erase_if(eval_, [&](const tasks::Task& t) { return seen.count(t.prompt) > 0; });
  if (eval_.empty())
    throw InvalidRequest("every held-out task also occurs in training; use other eval_tasks");
  for (size_t i = 0; i < tasks_.size(); ++i)
    if (!index_of_.emplace(tasks_[i].id, i).second)
      throw InvalidRequest("two training tasks share the id '" + tasks_[i].id + "'");

  learner_ = make_learner(config_, dir_, resume);
  if (json machine = learner_->machine(); !resume && !machine.is_null())
    write_file(dir_ / "machine.json", machine.dump(2) + "\n");
  pool_ = std::make_unique<RewardPool>(2, 1024, std::chrono::seconds(60));
  if (config_.use_tools()) {
    if (!judging_.tool_calls)
      throw InvalidRequest("train config: tools: the policy's tool calls need a sandbox");
    tools_ = std::make_unique<ToolUse>(ToolUse{tool_options(config_), judging_.tool_calls});
  }
  engine_ = std::make_unique<RolloutEngine>(learner_->actor(),
                                            rewards::Scorer(loop_reward(config_), judging_.judge),
                                            pool_.get(), tools_.get());
  rollout_ = std::make_unique<RolloutStep>(RolloutStepConfig::of(config_), learner_->stop_tokens());
  if (!config_.critique.critic.empty())
    critic_ = critique::make_critic(config_.critique.critic, {judging_.judge, nullptr});
  curriculum_ = std::make_unique<Curriculum>(
      tasks_.size(), CurriculumOptions{.balance = config_.balance,
                                       .mastered_pass_rate = config_.mastered_pass_rate});
  if (resume) restore_state(learner_->resumed_state());
}

SelfTrainer::~SelfTrainer() = default;

std::vector<tasks::Task> SelfTrainer::load(const std::vector<TaskSource>& sources, uint64_t purpose,
                                           bool need_tests) {
  std::vector<tasks::Task> out;
  for (size_t i = 0; i < sources.size(); ++i) {
    const TaskSource& s = sources[i];
    std::vector<tasks::Task> ts =
        s.file.empty()
            ? tasks::generate({.family = s.family,
                               .count = s.count,
                               .difficulty = s.difficulty,
                               .seed = derive_seed(config_.seed, purpose, i) % 1000000007ULL})
            : tasks::read_tasks(s.file);
    bool code = std::any_of(ts.begin(), ts.end(),
                            [](const tasks::Task& t) { return t.kind == tasks::Kind::Code; });
    if (code && (!judging_.judge || !judging_.reference_outputs))
      throw InvalidRequest("code tasks need the sandbox (source " + std::to_string(i) + ")");
    if (code && need_tests && !s.family.empty())
      tasks::complete_code_tests(ts, judging_.reference_outputs);
    out.insert(out.end(), ts.begin(), ts.end());
  }
  return out;
}

double SelfTrainer::evaluate(size_t iteration) {
  policy::SamplingParams greedy;
  greedy.temperature = 0;
  greedy.max_tokens = config_.max_tokens;
  greedy.stop_tokens = learner_->stop_tokens();
  HeldOut h = evaluate_held_out(*engine_, eval_, greedy, config_.prompt_template, iteration);
  append_durably(dir_ / "heldout.jsonl", h.lines);
  last_eval_by_source_ = h.by_source;
  last_eval_tool_rate_ = h.tool_rate;
  return h.accuracy;
}

json SelfTrainer::iterate(size_t iteration) {
  auto t0 = Clock::now();
  // Pick tasks; roll out and score them.
  std::vector<tasks::Task> ordered;
  for (size_t i : curriculum_->pick(tasks_.size(), derive_seed(config_.seed, 8, iteration)))
    ordered.push_back(tasks_[i]);
  IterationRollout r = rollout_->run(*engine_, iteration, ordered, [this](const tasks::Task& t) {
    return !curriculum_->solved_ever(index_of_.at(t.id));
  });
  // Tally: the curriculum's history and what the iteration reports.
  Outcomes o = tally_outcomes(r.groups, iteration, config_.pass_k, learner_->tokenizer());
  for (const auto& [id, t] : o.per_task)
    curriculum_->record(index_of_.at(id), t.attempts, t.correct);
  // Repair (rft): critiqued-and-refined and guided solutions join the verified ones.
  auto task_of = [this](const std::string& id) -> const tasks::Task& {
    return tasks_[index_of_.at(id)];
  };
  RepairOutcome repair = repair_failures(config_, iteration, r.groups, task_of, *engine_,
                                         learner_->tokenizer(), learner_->context(), critic_.get());
  // Update (a served policy is updated by its own trainer, from the exports).
  auto batch = update_batch(r.groups, config_.update.rule, config_.max_accepted_per_task);
  for (auto& s : repair.sequences) batch.push_back(std::move(s));
  ExportCounts exported =
      write_iteration_exports(dir_, iteration, r.groups, repair.examples, task_of);
  policy::UpdateStats u = learner_->update(batch);
  // Evaluate.
  std::optional<double> accuracy;
  if (iteration % config_.eval_every == 0 || iteration == config_.iterations) {
    accuracy = evaluate(iteration);
    accuracy_last_ = *accuracy;
  }
  // Record.
  size_t ever = 0;
  for (size_t i = 0; i < tasks_.size(); ++i) ever += curriculum_->solved_ever(i);
  double seconds = seconds_since(t0);
  elapsed_ += seconds;
  auto trained = [&](double v) { return u.steps ? json(v) : json(nullptr); };
  json m = o.metrics(config_.pass_k);
  m.update({{"iteration", iteration},
            {"heldout_accuracy", nullable(accuracy)},
            {"heldout_by_source", accuracy ? last_eval_by_source_ : json(nullptr)},
            {"entropy", trained(u.entropy)},
            {"policy_entropy", trained(u.policy_entropy)},
            {"loss", trained(u.loss)},
            {"clipped_fraction", trained(u.clipped_fraction)},
            {"masked_mastered", u.masked_mastered},
            {"trained_sequences", u.sequences},
            {"samples_per_second", r.seconds > 0 ? static_cast<double>(o.samples) / r.seconds : 0},
            {"ever_solved", static_cast<double>(ever) / static_cast<double>(tasks_.size())},
            {"mastered_tasks", curriculum_->mastered_count()},
            {"dropped_groups", r.dropped},
            {"seconds", seconds},
            {"elapsed", elapsed_},
            {"exported_verl_rows", exported.verl_rows},
            {"exported_sft_pairs", exported.sft_pairs}});
  m.update(repair.metrics);
  if (config_.use_tools()) {
    m.update(o.tool_metrics());
    m["heldout_tool_rate"] = accuracy ? json(last_eval_tool_rate_) : json(nullptr);
  }
  if (config_.segments > 1) {
    m["samples_in_flight"] = r.in_flight;
    m["groups_waiting"] = r.groups_waiting;
  }
  append_durably(dir_ / "samples.jsonl", o.lines);
  std::string repaired;
  for (const auto& e : repair.examples) {
    json j = e;
    j["iteration"] = iteration;
    repaired += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  if (!repaired.empty()) append_durably(dir_ / "repaired.jsonl", repaired);
  return m;
}

json SelfTrainer::loop_state(size_t iteration) const {
  return {{"iteration", iteration},
          {"curriculum", curriculum_->to_json()},
          {"accuracy_before", nullable(accuracy_before_)},
          {"accuracy_last", accuracy_last_},
          {"accuracy_last_by_source", last_eval_by_source_},
          {"elapsed", elapsed_}};
}

void SelfTrainer::restore_state(const json& s) {
  done_ = s.at("iteration").get<size_t>();
  curriculum_->load(s.at("curriculum"));
  if (!s.at("accuracy_before").is_null()) accuracy_before_ = s["accuracy_before"].get<double>();
  accuracy_last_ = s.at("accuracy_last").get<double>();
  last_eval_by_source_ = s.at("accuracy_last_by_source");
  elapsed_ = s.at("elapsed").get<double>();
  // Lines written after the checkpoint (an interrupted iteration) are redone.
  for (const char* file : {"metrics.jsonl", "samples.jsonl", "repaired.jsonl", "heldout.jsonl"})
    keep_iterations_up_to(dir_ / file, done_);
  write_metrics_csv(dir_ / "metrics.jsonl", dir_ / "metrics.csv");
}

TrainSummary SelfTrainer::run(const std::function<void(const json&)>& on_iteration) {
  auto t0 = Clock::now();
  auto emit = [&](const json& m) {
    append_durably(dir_ / "metrics.jsonl", m.dump() + "\n");
    write_metrics_csv(dir_ / "metrics.jsonl", dir_ / "metrics.csv");
    if (on_iteration) on_iteration(m);
  };
  if (!accuracy_before_) {  // a fresh run: warm start, then the "before" measurement
    learner_->warm_start(warmup_, warm_start_options(config_), warmup_progress_,
                         dir_ / "warm_start");
    warmup_ = {};
    accuracy_before_ = evaluate(0);
    accuracy_last_ = *accuracy_before_;
    elapsed_ += seconds_since(t0);
    json m = {{"iteration", 0},
              {"heldout_accuracy", *accuracy_before_},
              {"heldout_by_source", last_eval_by_source_},
              {"elapsed", elapsed_}};
    if (config_.use_tools()) m["heldout_tool_rate"] = last_eval_tool_rate_;
    emit(m);
    learner_->save(dir_ / "checkpoint", loop_state(0));
  }
  for (size_t it = done_ + 1; it <= config_.iterations; ++it) {
    json m = iterate(it);
    emit(m);  // metrics first: a checkpoint never covers an iteration without its line
    learner_->save(dir_ / "checkpoint", loop_state(it));
    done_ = it;
  }
  TrainSummary s;
  s.iterations = done_;
  s.accuracy_before = accuracy_before_.value_or(0);
  s.accuracy_after = accuracy_last_;
  s.eval_tasks = eval_.size();
  s.by_source_after = last_eval_by_source_;
  s.seconds = seconds_since(t0);
  return s;
}

}  // namespace crucible::rollout
