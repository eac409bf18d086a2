#include "rollout/train/learner.hpp"

#include <optional>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/rng.hpp"
#include "policy/model/checkpoint.hpp"
#include "policy/model/sft.hpp"
#include "policy/native_policy.hpp"
#include "policy/remote/http_policy.hpp"
#include "rollout/train/machine.hpp"
#include "rollout/train/train_config.hpp"

namespace crucible::rollout {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class NativeLearner final : public Learner {
 public:
  NativeLearner(const TrainConfig& config, const fs::path& run_dir, bool resume)
      : update_options_(config.update) {
    std::optional<policy::Checkpoint> checkpoint;  // read once: weights and, on resume, state
    if (resume || !config.init.empty()) {
      checkpoint =
          policy::load_checkpoint(resume ? (run_dir / "checkpoint").string() : config.init);
      policy_ = std::make_unique<policy::NativePolicy>(*checkpoint, "policy");
    } else {
      policy::Tokenizer tok;
      policy::ModelConfig mc = config.model;
      mc.vocab = tok.vocab_size();
      auto model = std::make_shared<policy::Transformer<float>>(mc);
      model->init(derive_seed(config.seed, 0, 0));
      policy_ = std::make_unique<policy::NativePolicy>(model, tok, "policy");
    }
    policy_->model().set_backend(config.kernels == "naive" ? policy::Backend::Naive
                                                           : policy::Backend::Blas);
    policy::OptimizerConfig oc;
    oc.lr = config.lr;
    optimizer_ = std::make_unique<policy::AdamW>(policy_->model().params.size(),
                                                 policy::decay_mask(policy_->model()), oc);
    if (resume) restore(*checkpoint);
  }

  policy::Policy& actor() override { return *policy_; }
  std::vector<int> stop_tokens() const override { return {policy_->tokenizer().eos()}; }
  const policy::Tokenizer* tokenizer() const override { return &policy_->tokenizer(); }
  size_t context() const override { return policy_->model().config().max_seq; }
  json machine() const override { return describe_machine(policy_->model().backend()); }

  void warm_start(const std::vector<tasks::Task>& tasks, const WarmStartOptions& options,
                  const std::function<void(size_t, double)>& progress,
                  const fs::path& keep_dir) override {
    if (options.steps == 0) return;
    train_warm_start(policy_->model(), policy_->tokenizer(), tasks, options, progress);
    policy_->updated();
    // Kept: other runs (other rules, the experiments) can start from the same warm start
    // with "init": "RUN_DIR/warm_start" and no warmup.
    policy::save_checkpoint(keep_dir.string(), policy_->model(), policy_->tokenizer(), nullptr,
                            {{"warmup_steps", options.steps}});
  }

  policy::UpdateStats update(const std::vector<policy::ScoredSequence>& batch) override {
    policy::PgTrainer trainer(policy_->model(), *optimizer_, update_options_);
    policy::UpdateStats u = trainer.step(batch);
    if (u.steps > 0) policy_->updated();
    return u;
  }
  size_t updates() const override { return policy_->updates(); }

  void save(const fs::path& dir, const json& state) override {
    json s = state;
    s["policy_updates"] = policy_->updates();
    policy::save_checkpoint(dir.string(), policy_->model(), policy_->tokenizer(), optimizer_.get(),
                            s);
  }

 private:
  void restore(const policy::Checkpoint& c) {
    if (c.adam_m.size() != optimizer_->m().size())
      throw InvalidRequest("--resume: the checkpoint has no optimizer state for this model");
    optimizer_->m() = c.adam_m;
    optimizer_->v() = c.adam_v;
    optimizer_->set_steps(c.optimizer_steps);
    resumed_state_ = c.trainer_state;
    // Versions continue where they were: the records of a resumed run name the same ones.
    for (size_t k = c.trainer_state.at("policy_updates").get<size_t>(); k > 0; --k)
      policy_->updated();
  }

  policy::UpdateOptions update_options_;
  std::unique_ptr<policy::NativePolicy> policy_;
  std::unique_ptr<policy::AdamW> optimizer_;
};

class ServedLearner final : public Learner {
 public:
  ServedLearner(const TrainConfig& config, const fs::path& run_dir, bool resume)
      : policy_(policy::HttpPolicyOptions{.base_url = config.remote.policy_url,
                                          .model = config.remote.policy_model}) {
    if (resume) resumed_state_ = json::parse(read_file(run_dir / "checkpoint" / "state.json"));
  }

  policy::Policy& actor() override { return policy_; }
  std::vector<int> stop_tokens() const override { return {}; }
  const policy::Tokenizer* tokenizer() const override { return nullptr; }
  size_t context() const override { return 0; }
  json machine() const override { return nullptr; }
  void warm_start(const std::vector<tasks::Task>&, const WarmStartOptions&,
                  const std::function<void(size_t, double)>&, const fs::path&) override {}
  policy::UpdateStats update(const std::vector<policy::ScoredSequence>&) override { return {}; }
  size_t updates() const override { return 0; }

  void save(const fs::path& dir, const json& state) override {
    json s = state;
    s["policy_updates"] = 0;
    fs::create_directories(dir);
    replace_file(dir / "state.json", s.dump());
  }

 private:
  policy::HttpPolicy policy_;
};

}  // namespace

std::unique_ptr<Learner> make_learner(const TrainConfig& config, const fs::path& run_dir,
                                      bool resume) {
  if (config.remote_policy()) return std::make_unique<ServedLearner>(config, run_dir, resume);
  return std::make_unique<NativeLearner>(config, run_dir, resume);
}

}  // namespace crucible::rollout
