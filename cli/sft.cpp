// crucible sft --tasks T.jsonl --config model.json --steps N --out CKPT [--batch B]
//              [--lr X] [--seed S] [--rationale] [--resume]
// crucible sample --ckpt CKPT --prompt TEXT [--n N] [--max-tokens M] [--temperature T]
//                 [--top-k K] [--top-p P] [--seed S]
//
// sft trains the native model on task answers (after their rationales with --rationale),
// saving CKPT (weights, optimizer, position) every 100 steps and at the end; --resume
// continues from CKPT exactly. sample prints one JSON line per sample: text, token ids,
// log-probs and finish reason.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/rng.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "policy/model/checkpoint.hpp"
#include "policy/model/sampler.hpp"
#include "policy/model/sft.hpp"
#include "rollout/sft_data.hpp"
#include "tasks/jsonl.hpp"

namespace crucible::cli {
namespace {

using nlohmann::json;
using namespace crucible::policy;

constexpr FlagSpec kSftFlags[] = {
    {"tasks", "T.jsonl", "tasks with reference answers", true},
    {"steps", "N", "optimizer steps", true},
    {"out", "CKPT", "the checkpoint directory", true},
    {"config", "model.json", "the model's shape"},
    {"batch", "B", "sequences per step (default 16)"},
    {"lr", "X", "learning rate"},
    {"seed", "S", "initialisation and batch order (default 0)"},
    {"template", "NAME", "prompt template (default plain)"},
    {"rationale", "", "train on the worked rationale before the answer"},
    {"resume", "", "continue the checkpoint in --out exactly"}};
constexpr CommandSpec kSftCommand{
    "sft",
    {},
    "Trains the native policy on the tasks' reference answers as \\boxed{...} (after their\n"
    "rationales with --rationale), prompted as `crucible label --template NAME` prompts them\n"
    "(default plain). Saves CKPT every 100 steps and at the end; --resume continues exactly.\n"
    "Without --config the model has the default shape: dim 64, 4 layers, 4 heads, MLP 176,\n"
    "context 256, SwiGLU (about 0.2M parameters).",
    kSftFlags};

constexpr FlagSpec kSampleFlags[] = {{"ckpt", "CKPT", "the checkpoint", true},
                                     {"prompt", "TEXT", "the prompt", true},
                                     {"n", "N", "samples (default 1)"},
                                     {"max-tokens", "M", "tokens per sample (default 64)"},
                                     {"temperature", "T", "0 to 10 (default 1)"},
                                     {"top-k", "K", "keep the K likeliest tokens (0: all)"},
                                     {"top-p", "P", "nucleus sampling, 0 to 1"},
                                     {"seed", "S", "sampling seed (default 0)"}};
constexpr CommandSpec kSampleCommand{
    "sample", {}, "Samples from a native checkpoint; one JSON line per sample.", kSampleFlags};

}  // namespace

int sft_command(const Args& args) {
  auto parsed = parse_command(args, kSftCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  std::string out = *f.get("out");
  size_t steps = *f.whole("steps", 1, 100000000),
         batch_size = f.whole("batch", 1, 4096).value_or(16);
  uint64_t seed = f.whole("seed", 0, uint64_t{1} << 52).value_or(0);
  Tokenizer tok;
  auto task_list = tasks::read_tasks(*f.get("tasks"));
  if (task_list.empty()) throw InvalidRequest(*f.get("tasks") + ": no tasks");
  std::vector<SftExample> examples;
  for (const auto& t : task_list)
    examples.push_back(
        rollout::sft_example(t, tok, f.has("rationale"), f.get("template").value_or("plain")));
  set_policy_threads(2);

  std::unique_ptr<Transformer<float>> model;
  std::unique_ptr<AdamW> opt;
  size_t start = 0;
  if (f.has("resume")) {
    Checkpoint c = load_checkpoint(out);
    if (!c.optimizer_config) throw InvalidRequest("--resume: " + out + " has no optimizer state");
    model = std::make_unique<Transformer<float>>(c.config);
    model->params = c.params;
    opt = std::make_unique<AdamW>(model->params.size(), decay_mask(*model), *c.optimizer_config);
    opt->m() = c.adam_m;
    opt->v() = c.adam_v;
    opt->set_steps(c.optimizer_steps);
    start = c.trainer_state.value("step", size_t{0});
    seed = c.trainer_state.value("seed", seed);
  } else {
    // Without --config: the default shape (policy/model/config.hpp: 64 wide, 4 layers of 4
    // heads, MLP 176, context 256, SwiGLU; about 0.2M parameters) and default optimizer.
    json cj = json::object();
    if (f.has("config")) {
      cj = json::parse(read_file(*f.get("config")), nullptr, false);
      if (cj.is_discarded()) throw InvalidRequest("--config: not valid JSON");
    }
    json optimizer_json = cj.contains("optimizer") ? cj["optimizer"] : json();
    cj.erase("optimizer");
    ModelConfig mc = ModelConfig::from_json(cj);
    mc.vocab = tok.vocab_size();
    model = std::make_unique<Transformer<float>>(mc);
    model->init(seed);
    OptimizerConfig oc = OptimizerConfig::from_json(optimizer_json);
    if (auto lr = f.real("lr", 1e-9, 10)) oc.lr = *lr;
    if (oc.total == 0) oc.total = steps;
    opt = std::make_unique<AdamW>(model->params.size(), decay_mask(*model), oc);
  }
  SftTrainer trainer(*model, *opt);
  auto save = [&](size_t step) {
    save_checkpoint(out, *model, tok, opt.get(), {{"step", step}, {"seed", seed}});
  };
  for (size_t step = start; step < steps; ++step) {
    // The batch is a function of (seed, step), so a resumed run sees the same batches.
    Rng rng(seed, "sft-batch-" + std::to_string(step));
    std::vector<SftExample> batch;
    for (size_t i = 0; i < batch_size; ++i)
      batch.push_back(
          examples[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(examples.size()) - 1))]);
    LossResult r = trainer.step(batch);
    if ((step + 1) % 10 == 0 || step + 1 == steps)
      std::fprintf(stderr, "sft: step %zu/%zu loss %.4f entropy %.3f lr %.2e\n", step + 1, steps,
                   r.loss, r.mean_entropy, opt->learning_rate(step));
    if ((step + 1) % 100 == 0) save(step + 1);
  }
  save(std::max(steps, start));
  std::cout
      << json({{"checkpoint", out}, {"steps", steps}, {"parameters", model->params.size()}}).dump()
      << "\n";
  return 0;
}

int sample_command(const Args& args) {
  auto parsed = parse_command(args, kSampleCommand);
  if (!parsed) return 0;
  const Flags& f = *parsed;
  Checkpoint c = load_checkpoint(*f.get("ckpt"));
  Transformer<float> model(c.config);
  model.params = c.params;
  SamplingParams p;
  p.max_tokens = f.whole("max-tokens", 1, 1 << 20).value_or(64);
  p.temperature = f.real("temperature", 0, 10).value_or(p.temperature);
  p.top_k = f.whole("top-k", 0, 1 << 20).value_or(0);
  p.top_p = f.real("top-p", 1e-9, 1).value_or(p.top_p);
  p.seed = f.whole("seed", 0, uint64_t{1} << 52).value_or(0);
  p.stop_tokens = {c.tokenizer.eos()};
  Sampler sampler(model, c.tokenizer);
  std::vector<std::string> prompts(f.whole("n", 1, 4096).value_or(1), *f.get("prompt"));
  for (const auto& s : sampler.generate(prompts, p))
    std::cout << json({{"text", s.text},
                       {"tokens", s.tokens},
                       {"logprobs", s.logprobs},
                       {"raw_logprobs", s.raw_logprobs},
                       {"finish_reason", s.finish_reason}})
                     .dump(-1, ' ', false, json::error_handler_t::replace)
              << "\n";
  return 0;
}

}  // namespace crucible::cli
