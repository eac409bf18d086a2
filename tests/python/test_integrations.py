"""The reward functions in the call shapes of verl, TRL and OpenRLHF (documented shapes; the
trainers themselves need GPUs and are not installed)."""

import json

import crucible
from crucible.integrations import openrlhf, trl, verl

ADD_TESTS = {"inputs": ["1 2\n", "5 7\n"], "outputs": ["3\n", "12\n"]}
GOOD = "Read two numbers.\n```python\na, b = map(int, input().split())\nprint(a + b)\n```"
BAD = "```python\na, b = map(int, input().split())\nprint(a - b)\n```"


def test_verl_compute_score_math_and_code():
    assert verl.compute_score("openai/gsm8k", "so she pays $18.\n#### 18", "18")["score"] == 1.0
    assert verl.compute_score("lighteval/MATH", "\\boxed{\\frac12}", "0.5")["score"] == 1.0
    assert verl.compute_score("openai/gsm8k", "#### 17", "18", extra_info={"index": 1})["score"] == 0.0
    assert verl.compute_score("codecontests", GOOD, json.dumps(ADD_TESTS))["score"] == 1.0
    assert verl.compute_score("codecontests", BAD, ADD_TESTS)["score"] == 0.0
    assert verl.compute_score("codecontests", "no code here", ADD_TESTS)["reason"] == "no_code"
    call_based = {"fn_name": "add", "inputs": [[1, 2], [5, 7]], "outputs": [[3], [12]]}
    program = "```python\ndef add(a, b):\n    return a + b\n```"
    assert verl.compute_score("apps", program, call_based)["score"] == 1.0
    assert verl.compute_score("apps", program.replace("a + b", "a * b"), call_based)["score"] == 0.0


def test_trl_reward_functions_plain_and_conversational():
    completions = ["The answer is 4.", "The answer is 5."]
    assert trl.math_reward(completions, answer=["4", "4"]) == [1.0, 0.0]
    conversational = [[{"role": "assistant", "content": "\\boxed{4}"}],
                      [{"role": "assistant", "content": "\\boxed{3}"}]]
    assert trl.math_reward(conversational, solution=["4", "4"], prompt=["q", "q"]) == [1.0, 0.0]
    assert trl.code_reward([GOOD, BAD], test_cases=[ADD_TESTS, json.dumps(ADD_TESTS)]) == [1.0, 0.0]
    try:
        trl.math_reward(completions)
    except crucible.InvalidRequest as e:
        assert "answer" in str(e)
    else:
        raise AssertionError("a missing reference column must be named")


def test_openrlhf_reward_func():
    prompts = ["Q: 2+2? ", "Q: 2+2? ", "Write a+b: "]
    queries = [prompts[0] + "\\boxed{4}", prompts[1] + "\\boxed{5}", prompts[2] + GOOD]
    out = openrlhf.reward_func(queries, prompts, ["4", "4", json.dumps(ADD_TESTS)])
    assert list(map(float, out["rewards"])) == [1.0, 0.0, 1.0]
    assert list(map(float, out["scores"])) == [1.0, 0.0, 1.0]
    assert "accuracy" in out["extra_logs"]
