"""Code ground truth as the trainers' datasets carry it, judged in the sandbox (the program
extraction and the tests' reading are the C++ reward library's: rewards/remote_reward.hpp)."""

import json

import crucible


def parse_tests(ground_truth):
    """{"inputs": [...], "outputs": [...], "fn_name"?: str} from a dict or its JSON text."""
    if isinstance(ground_truth, str):
        try:
            ground_truth = json.loads(ground_truth)
        except ValueError as e:
            raise crucible.InvalidRequest("ground_truth: not JSON tests: %s" % e) from None
    if not isinstance(ground_truth, dict) or "inputs" not in ground_truth or "outputs" not in ground_truth:
        raise crucible.InvalidRequest("ground_truth: must hold \"inputs\" and \"outputs\"")
    if len(ground_truth["inputs"]) != len(ground_truth["outputs"]):
        raise crucible.InvalidRequest("ground_truth: inputs and outputs differ in length")
    return ground_truth


def score(completion, ground_truth, sandbox=None, limits=None, partial=False):
    """(score, details): 1.0 when every test passes (or the fraction passed with partial)."""
    tests = parse_tests(ground_truth)
    if not tests["inputs"]:
        return 0.0, {"reason": "no_tests"}
    result = (sandbox or crucible.default_sandbox()).judge_tests(completion, tests, limits)
    if result is None:
        return 0.0, {"reason": "no_code"}
    value = result["passed"] / result["total"] if partial else float(result["verdict"] == "Accepted")
    return value, {"verdict": result["verdict"], "passed": result["passed"], "total": result["total"]}
