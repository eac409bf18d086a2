"""verl's custom reward function: set in the trainer config

    custom_reward_function:
      path: <site-packages>/crucible/integrations/verl.py
      name: compute_score

verl calls compute_score(data_source, solution_str, ground_truth, extra_info) per sample.
Math ground truth is the reference answer; code ground truth is {"inputs", "outputs"} (with
"fn_name" for call-based problems), as verl's code datasets carry it, as a dict or JSON.
Returns {"score", "acc", "reason", ...}; verl uses "score" and logs the rest.
"""

import json

import crucible
from crucible.integrations import code

_CODE_SOURCES = ("code", "apps", "taco", "codecontests", "code_contests", "livecodebench",
                 "humaneval", "mbpp", "primeintellect", "leetcode", "codeforces")


def _is_code(data_source, ground_truth):
    if any(tag in str(data_source).lower() for tag in _CODE_SOURCES):
        return True
    if isinstance(ground_truth, dict):
        return "inputs" in ground_truth
    if isinstance(ground_truth, str) and ground_truth.lstrip().startswith("{"):
        try:
            return "inputs" in json.loads(ground_truth)
        except ValueError:
            return False
    return False


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's reward function shape."""
    if _is_code(data_source, ground_truth):
        try:
            value, details = code.score(solution_str, ground_truth, limits=kwargs.get("limits"),
                                        partial=bool(kwargs.get("partial", False)))
        except crucible.InvalidRequest as e:
            return {"score": 0.0, "acc": False, "reason": "bad_ground_truth: %s" % e}
        return {"score": value, "acc": value == 1.0, **details}
    reference = ground_truth if isinstance(ground_truth, str) else json.dumps(ground_truth)
    v = crucible.verify(reference, solution_str)
    return {"score": 1.0 if v["correct"] else 0.0, "acc": v["correct"], "reason": v["reason"],
            "pred": v["pred_answer"]}
