"""TRL's GRPOTrainer with Crucible's rewards (needs trl, transformers and a GPU; not run in
CI). The dataset has a "prompt" column and an "answer" column (math) or "test_cases" (code)."""

from crucible.integrations.trl import code_reward, math_reward


def make_trainer(model_name, dataset, code=False):
    from trl import GRPOConfig, GRPOTrainer  # imported here: the trainer is optional

    config = GRPOConfig(output_dir="grpo-crucible", num_generations=8, max_completion_length=512)
    return GRPOTrainer(model=model_name, reward_funcs=[code_reward if code else math_reward],
                       args=config, train_dataset=dataset)
