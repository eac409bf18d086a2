#include "rollout/train/warm_start.hpp"

#include <algorithm>

#include "base/rng.hpp"
#include "policy/model/optimizer.hpp"
#include "policy/model/sft.hpp"
#include "rollout/sft_data.hpp"
#include "rollout/train/teacher.hpp"
#include "rollout/train/train_config.hpp"

namespace crucible::rollout {

WarmStartOptions warm_start_options(const TrainConfig& c) {
  return {.steps = c.warmup_steps,
          .batch = c.warmup_batch,
          .lr = c.warmup_lr,
          .rationale = c.warmup_rationale,
          .sign_slips = c.warmup_sign_slips,
          .print_slips = c.warmup_print_slips,
          .tool_demos = c.warmup_tool_demos,
          .rechecks = c.warmup_rechecks,
          .prompt_template = c.prompt_template,
          .seed = c.seed};
}

void train_warm_start(policy::Transformer<float>& model, const policy::Tokenizer& tokenizer,
                      const std::vector<tasks::Task>& tasks, const WarmStartOptions& o,
                      const std::function<void(size_t, double)>& on_step) {
  policy::OptimizerConfig oc;
  oc.lr = o.lr;
  oc.warmup = std::min<size_t>(20, o.steps / 10);
  oc.total = o.steps;
  policy::AdamW opt(model.params.size(), policy::decay_mask(model), oc);
  policy::SftTrainer trainer(model, opt);
  std::vector<policy::SftExample> examples;
  Rng teacher(derive_seed(o.seed, 4, 1)), tool_user(derive_seed(o.seed, 4, 2)),
      checker(derive_seed(o.seed, 4, 3));
  for (tasks::Task t : tasks) {
    if (o.rechecks > 0 && checker.chance(o.rechecks)) t.solution = with_recheck(t.solution);
    if (o.sign_slips > 0) t.solution = slip_signs(t.solution, o.sign_slips, teacher);
    if (o.print_slips > 0) t.solution = quote_prints(t.solution, o.print_slips, teacher);
    if (o.tool_demos > 0 && t.metadata.contains("program")) {
      examples.push_back(tool_user.chance(o.tool_demos)
                             ? sft_tool_example(t, tokenizer, o.prompt_template)
                             : sft_unrun_example(t, tokenizer, o.prompt_template));
      continue;
    }
    examples.push_back(sft_example(t, tokenizer, o.rationale, o.prompt_template));
  }
  Rng rng(derive_seed(o.seed, 4, 0));
  for (size_t step = 0; step < o.steps; ++step) {
    std::vector<policy::SftExample> batch;
    for (size_t b = 0; b < o.batch; ++b)
      batch.push_back(examples[rng.uniform(0, static_cast<int64_t>(examples.size()) - 1)]);
    double loss = trainer.step(batch).loss;
    if (on_step) on_step(step + 1, loss);
  }
}

}  // namespace crucible::rollout
