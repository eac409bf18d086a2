"""Reward functions in the exact shapes the RL trainers call.

    verl      crucible.integrations.verl.compute_score(data_source, solution_str, ground_truth,
              extra_info=None, **kwargs) -> float | dict
    TRL       crucible.integrations.trl.math_reward(completions, **columns) -> list[float]
              crucible.integrations.trl.code_reward(completions, **columns) -> list[float]
    OpenRLHF  crucible.integrations.openrlhf.reward_func(queries, prompts, labels) -> dict

Math answers go through the verifier; code runs in the sandbox against the tests (stdin/
stdout pairs, or call-based with fn_name). A sample whose reference cannot be read or whose
sandbox failed scores 0 here (trainers take a number) and says why in the details.
"""

from . import code, openrlhf, trl, verl  # noqa: F401
