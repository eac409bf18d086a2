"""OpenRLHF's custom reward function (--remote_rm_url pointing at this file):

    reward_func(queries, prompts, labels) -> {"rewards", "scores", "extra_logs"}

queries are prompt + response texts, prompts the prompts, labels the references (a math
answer, or code tests as JSON {"inputs", "outputs"}). Rewards and scores are torch tensors
when torch is importable (as OpenRLHF expects), plain lists otherwise. The same scoring is
served over HTTP by `crucible serve` at POST /get_reward.
"""

import crucible
from crucible.integrations import verl


def _response(query, prompt):
    return query[len(prompt):] if prompt and query.startswith(prompt) else query


def score_all(queries, prompts, labels):
    """(rewards, extra_logs) for parallel lists; a label that names code tests is judged."""
    if not (len(queries) == len(prompts) == len(labels)):
        raise crucible.InvalidRequest("queries, prompts and labels must have the same length (%d, %d, %d)"
                                      % (len(queries), len(prompts), len(labels)))
    rewards, verdicts = [], []
    for q, p, label in zip(queries, prompts, labels):
        result = verl.compute_score("openrlhf", _response(q, p), label)
        rewards.append(float(result["score"]))
        verdicts.append(result.get("verdict", result.get("reason", "")))
    accuracy = sum(r == 1.0 for r in rewards) / len(rewards) if rewards else 0.0
    return rewards, {"accuracy": accuracy}


def reward_func(queries, prompts, labels):
    """OpenRLHF's reward function shape."""
    rewards, logs = score_all(queries, prompts, labels)
    try:
        import torch
        values = torch.tensor(rewards, dtype=torch.float32)
        return {"rewards": values, "scores": values.clone(),
                "extra_logs": {k: torch.tensor(v) for k, v in logs.items()}}
    except ImportError:
        return {"rewards": rewards, "scores": list(rewards), "extra_logs": logs}
