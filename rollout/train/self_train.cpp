#include "rollout/train/self_train.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/rng.hpp"
#include "policy/model/checkpoint.hpp"
#include "policy/model/sft.hpp"
#include "policy/remote/http_policy.hpp"
#include "rewards/advantages.hpp"
#include "rollout/parallel.hpp"
#include "rollout/repeated.hpp"
#include "rollout/serial.hpp"
#include "rollout/train/evaluation.hpp"
#include "rollout/train/exports.hpp"
#include "rollout/train/machine.hpp"
#include "rollout/train/repair.hpp"
#include "rollout/train/run_files.hpp"
#include "rollout/train/seeds.hpp"
#include "rollout/train/warm_start.hpp"
#include "tasks/generators.hpp"
#include "tasks/jsonl.hpp"
#include "tasks/prompts.hpp"

namespace crucible::rollout {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

size_t thinking_tokens(const std::vector<int>& tokens, const policy::Tokenizer& tok) {
  size_t n = 0;
  bool inside = false;
  for (int t : tokens) {
    if (t == tok.think()) {
      inside = true;
      continue;
    }
    if (t == tok.end_think()) break;
    n += inside;
  }
  return n;
}

json nullable(std::optional<double> v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

SelfTrainer::SelfTrainer(TrainConfig config, fs::path run_dir, bool resume, Judging judging)
    : config_(std::move(config)), dir_(std::move(run_dir)), judging_(std::move(judging)) {
  const fs::path config_file = dir_ / "config.json";
  if (resume) {
    if (!fs::exists(dir_ / "checkpoint"))
      throw InvalidRequest("--resume: " + dir_.string() + " has no checkpoint to resume from");
    config_ = TrainConfig::from_json(json::parse(read_file(config_file)));
  } else {
    if (fs::exists(config_file))
      throw InvalidRequest(dir_.string() +
                           " already holds a run; pass --resume to continue it, or another --out");
    fs::create_directories(dir_);
    write_file(config_file, config_.to_json().dump(2) + "\n");
  }
  if (!config_.critique.critic.empty())
    critic_ = critique::make_critic(config_.critique.critic, {judging_.judge, nullptr});
  tasks_ = load(config_.tasks, 2, true);
  eval_ = load(config_.eval_tasks, 3, true);
  // Held out means never trained on: prompts of training and warm-up tasks are dropped.
  std::set<std::string> seen;
  for (const auto& t : tasks_) seen.insert(t.prompt);
  if (!resume)
    for (const auto& t : load(config_.warmup_tasks, 1, false)) seen.insert(t.prompt);
  std::erase_if(eval_, [&](const tasks::Task& t) { return seen.count(t.prompt) > 0; });
  if (eval_.empty())
    throw InvalidRequest("every held-out task also occurs in training; use other eval_tasks");

  if (config_.update.rule == policy::UpdateRule::Dapo)  // DAPO's soft overlong penalty
    reward_ = rewards::CompositeReward::from_json(
        {{"terms",
          {{{"name", "correctness"}, {"weight", 1}},
           {{"name", "overlong"},
            {"weight", 1},
            {"overlong",
             {{"max_tokens", config_.max_tokens},
              {"cache_tokens", std::max<size_t>(1, config_.max_tokens / 4)}}}}}}});
  pool_ = std::make_unique<RewardPool>(2, 1024, std::chrono::seconds(60));
  curriculum_ = std::make_unique<Curriculum>(
      tasks_.size(), CurriculumOptions{.balance = config_.balance,
                                       .mastered_pass_rate = config_.mastered_pass_rate});

  for (size_t i = 0; i < tasks_.size(); ++i)
    if (!index_of_.emplace(tasks_[i].id, i).second)
      throw InvalidRequest("two training tasks share the id '" + tasks_[i].id + "'");
  if (config_.remote_policy()) {  // everything but the weight update
    remote_ = std::make_unique<policy::HttpPolicy>(policy::HttpPolicyOptions{
        .base_url = config_.remote.policy_url, .model = config_.remote.policy_model});
    if (resume) restore_state(json::parse(read_file(dir_ / "checkpoint" / "state.json")));
    return;
  }
  policy::Tokenizer tok;
  std::optional<policy::Checkpoint> checkpoint;  // read once: weights and, on resume, state
  if (resume || !config_.init.empty()) {
    checkpoint = policy::load_checkpoint(resume ? (dir_ / "checkpoint").string() : config_.init);
    policy_ = std::make_unique<policy::NativePolicy>(*checkpoint, "policy");
  } else {
    policy::ModelConfig mc = config_.model;
    mc.vocab = tok.vocab_size();
    auto model = std::make_shared<policy::Transformer<float>>(mc);
    model->init(mix(config_.seed, 0, 0));
    policy_ = std::make_unique<policy::NativePolicy>(model, tok, "policy");
  }
  policy_->model().set_backend(config_.kernels == "naive" ? policy::Backend::Naive
                                                          : policy::Backend::Blas);
  if (!resume)
    write_file(dir_ / "machine.json", describe_machine(policy_->model().backend()).dump(2) + "\n");
  policy::OptimizerConfig oc;
  oc.lr = config_.lr;
  optimizer_ = std::make_unique<policy::AdamW>(policy_->model().params.size(),
                                               policy::decay_mask(policy_->model()), oc);
  if (resume) restore(*checkpoint);
}

SelfTrainer::~SelfTrainer() = default;

std::vector<tasks::Task> SelfTrainer::load(const std::vector<TaskSource>& sources, uint64_t purpose,
                                           bool need_tests) {
  std::vector<tasks::Task> out;
  for (size_t i = 0; i < sources.size(); ++i) {
    const TaskSource& s = sources[i];
    std::vector<tasks::Task> ts =
        s.file.empty() ? tasks::generate({.family = s.family,
                                          .count = s.count,
                                          .difficulty = s.difficulty,
                                          .seed = mix(config_.seed, purpose, i) % 1000000007ULL})
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

void SelfTrainer::warm_start() {
  if (config_.warmup_steps == 0 || !policy_) return;
  train_warm_start(policy_->model(), policy_->tokenizer(), load(config_.warmup_tasks, 1, false),
                   warm_start_options(config_), warmup_progress_);
  policy_->updated();
  // Kept: other runs (other rules, the experiments) can start from the same warm start
  // with "init": "RUN_DIR/warm_start" and no warmup.
  policy::save_checkpoint((dir_ / "warm_start").string(), policy_->model(), policy_->tokenizer(),
                          nullptr, {{"warmup_steps", config_.warmup_steps}});
}

double SelfTrainer::evaluate(size_t iteration) {
  policy::SamplingParams greedy;
  greedy.temperature = 0;
  greedy.max_tokens = config_.max_tokens;
  if (policy_) greedy.stop_tokens = {policy_->tokenizer().eos()};
  HeldOut h = evaluate_held_out(
      actor(), eval_, greedy, config_.prompt_template,
      [this](const tasks::Task& t, const policy::Sample& s) {
        return reward_.score(t, {s.text, s.tokens.size()}, judging_.judge);
      },
      *pool_, iteration);
  append_durably(dir_ / "heldout.jsonl", h.lines);
  last_eval_by_source_ = h.by_source;
  return h.accuracy;
}

json SelfTrainer::iterate(size_t iteration) {
  auto t0 = Clock::now();
  std::vector<size_t> order = curriculum_->pick(tasks_.size(), mix(config_.seed, 8, iteration));
  Rollout r = roll_out(iteration, order);

  // Outcomes: the curriculum's history, and what the iteration reports.
  size_t samples = 0, valid = 0, correct = 0, completion = 0, thinking = 0, solved = 0;
  double reward_sum = 0, pass_sum = 0;
  std::map<size_t, std::pair<size_t, size_t>> per_task;  // attempts, correct
  std::string lines;
  for (const auto& g : r.groups) {
    size_t g_valid = 0, g_correct = 0;
    for (const auto& rec : g) {
      ++samples;
      completion += rec.completion_tokens.size();
      if (policy_) thinking += thinking_tokens(rec.completion_tokens, policy_->tokenizer());
      json j = rec;
      j["iteration"] = iteration;
      lines += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
      if (!rec.reward.valid) continue;
      ++valid, ++g_valid;
      reward_sum += rec.reward.value;
      g_correct += rec.reward.passed();
    }
    correct += g_correct;
    solved += g_correct > 0;
    if (g_valid >= config_.pass_k) pass_sum += pass_at_k(g_valid, g_correct, config_.pass_k);
    auto& pt = per_task[index_of_.at(g.front().task_id)];
    pt.first += g_valid;
    pt.second += g_correct;
  }
  for (const auto& [task, ac] : per_task) curriculum_->record(task, ac.first, ac.second);

  // The update.
  std::vector<policy::ScoredSequence> batch;
  std::string repaired;
  for (const auto& g : r.groups) {
    std::set<std::vector<int>> kept;
    for (const auto& rec : g) {
      policy::ScoredSequence s{rec.prompt_tokens, rec.completion_tokens,     rec.loss_mask,
                               rec.logprobs,      rec.advantage.value_or(0), rec.reward.value};
      if (config_.update.rule == policy::UpdateRule::Rft) {
        // Verified-correct samples only, distinct, at most max_accepted_per_task per task.
        if (!rec.reward.passed() || kept.size() >= config_.max_accepted_per_task ||
            !kept.insert(rec.completion_tokens).second)
          continue;
        s.advantage = 1;
      } else if (!rec.advantage) {
        continue;  // invalid: excluded from its group
      }
      batch.push_back(std::move(s));
    }
  }
  // Repair (rft): critiqued-and-refined and guided solutions join the verified ones.
  auto task_of = [this](const std::string& id) -> const tasks::Task& {
    return tasks_[index_of_.at(id)];
  };
  RepairOutcome repair = repair_failures(
      config_, iteration, r.groups, task_of, actor(), policy_ ? &policy_->tokenizer() : nullptr,
      policy_ ? policy_->model().config().max_seq : 0, critic_.get(), judging_.judge);
  for (auto& s : repair.sequences) batch.push_back(std::move(s));
  for (const auto& e : repair.examples) {
    json j = e;
    j["iteration"] = iteration;
    repaired += j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  ExportCounts exported =
      write_iteration_exports(dir_, iteration, r.groups, repair.examples, task_of);
  policy::UpdateStats u;  // a served policy is updated by its own trainer, from the exports
  if (policy_) {
    policy::PgTrainer trainer(policy_->model(), *optimizer_, config_.update);
    u = trainer.step(batch);
    if (u.steps > 0) policy_->updated();
  }

  std::optional<double> accuracy;
  if (iteration % config_.eval_every == 0 || iteration == config_.iterations) {
    accuracy = evaluate(iteration);
    accuracy_last_ = *accuracy;
  }
  size_t ever = 0;
  for (size_t i = 0; i < tasks_.size(); ++i) ever += curriculum_->solved_ever(i);
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  elapsed_ += seconds;
  auto ratio = [](double a, size_t b) { return b ? a / static_cast<double>(b) : 0.0; };
  json m = {{"iteration", iteration},
            {"heldout_accuracy", nullable(accuracy)},
            {"heldout_by_source", accuracy ? last_eval_by_source_ : json(nullptr)},
            {"reward_mean", ratio(reward_sum, valid)},
            {"accept_rate", ratio(static_cast<double>(correct), valid)},
            {"pass_at_k", ratio(pass_sum, r.groups.size())},
            {"k", config_.pass_k},
            {"completion_tokens", ratio(static_cast<double>(completion), samples)},
            {"thinking_tokens", ratio(static_cast<double>(thinking), samples)},
            {"entropy", u.steps ? json(u.entropy) : json(nullptr)},
            {"policy_entropy", u.steps ? json(u.policy_entropy) : json(nullptr)},
            {"loss", u.steps ? json(u.loss) : json(nullptr)},
            {"clipped_fraction", u.steps ? json(u.clipped_fraction) : json(nullptr)},
            {"masked_mastered", u.masked_mastered},
            {"trained_sequences", u.sequences},
            {"samples", samples},
            {"invalid_samples", samples - valid},
            {"samples_per_second", r.seconds > 0 ? static_cast<double>(samples) / r.seconds : 0},
            {"tasks_solved", ratio(static_cast<double>(solved), r.groups.size())},
            {"ever_solved", ratio(static_cast<double>(ever), tasks_.size())},
            {"mastered_tasks", curriculum_->mastered_count()},
            {"dropped_groups", r.dropped},
            {"seconds", seconds},
            {"elapsed", elapsed_}};
  for (const auto& [key, value] : repair.metrics.items()) m[key] = value;
  if (config_.segments > 1) {
    m["samples_in_flight"] = r.in_flight;
    m["groups_waiting"] = r.groups_waiting;
  }
  m["exported_verl_rows"] = exported.verl_rows;
  m["exported_sft_pairs"] = exported.sft_pairs;
  append_durably(dir_ / "samples.jsonl", lines);
  if (!repaired.empty()) append_durably(dir_ / "repaired.jsonl", repaired);
  return m;
}

void SelfTrainer::save(size_t iteration) {
  json state = {{"iteration", iteration},
                {"curriculum", curriculum_->to_json()},
                {"accuracy_before", nullable(accuracy_before_)},
                {"accuracy_last", accuracy_last_},
                {"accuracy_last_by_source", last_eval_by_source_},
                {"elapsed", elapsed_},
                {"policy_updates", policy_ ? policy_->updates() : 0}};
  if (!policy_) {  // a served policy: the loop's own state is all there is to keep
    fs::create_directories(dir_ / "checkpoint");
    replace_file(dir_ / "checkpoint" / "state.json", state.dump());
    return;
  }
  policy::save_checkpoint((dir_ / "checkpoint").string(), policy_->model(), policy_->tokenizer(),
                          optimizer_.get(), state);
}

void SelfTrainer::restore(const policy::Checkpoint& c) {
  if (c.adam_m.size() != optimizer_->m().size())
    throw InvalidRequest("--resume: the checkpoint has no optimizer state for this model");
  optimizer_->m() = c.adam_m;
  optimizer_->v() = c.adam_v;
  optimizer_->set_steps(c.optimizer_steps);
  restore_state(c.trainer_state);
  // Versions continue where they were: the records of a resumed run name the same ones.
  for (size_t k = c.trainer_state.at("policy_updates").get<size_t>(); k > 0; --k)
    policy_->updated();
}

void SelfTrainer::restore_state(const json& s) {
  done_ = s.at("iteration").get<size_t>();
  curriculum_->load(s.at("curriculum"));
  if (!s.at("accuracy_before").is_null()) accuracy_before_ = s["accuracy_before"].get<double>();
  accuracy_last_ = s.at("accuracy_last").get<double>();
  last_eval_by_source_ = s.at("accuracy_last_by_source");
  elapsed_ = s.at("elapsed").get<double>();
  // Lines written after the checkpoint (an interrupted iteration) are redone.
  keep_iterations_up_to(dir_ / "metrics.jsonl", done_);
  keep_iterations_up_to(dir_ / "samples.jsonl", done_);
  keep_iterations_up_to(dir_ / "repaired.jsonl", done_);
  keep_iterations_up_to(dir_ / "heldout.jsonl", done_);
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
    warm_start();
    accuracy_before_ = evaluate(0);
    accuracy_last_ = *accuracy_before_;
    elapsed_ += std::chrono::duration<double>(Clock::now() - t0).count();
    emit({{"iteration", 0},
          {"heldout_accuracy", *accuracy_before_},
          {"heldout_by_source", last_eval_by_source_},
          {"elapsed", elapsed_}});
    save(0);
  }
  for (size_t it = done_ + 1; it <= config_.iterations; ++it) {
    json m = iterate(it);
    emit(m);  // metrics first: a checkpoint never covers an iteration without its line
    save(it);
    done_ = it;
  }
  TrainSummary s;
  s.iterations = done_;
  s.accuracy_before = accuracy_before_.value_or(0);
  s.accuracy_after = accuracy_last_;
  s.eval_tasks = eval_.size();
  s.by_source_after = last_eval_by_source_;
  s.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return s;
}

}  // namespace crucible::rollout
