"""Crucible from Python: verify a math answer, judge a program, score a batch the way verl,
TRL and OpenRLHF call reward functions. Run: python3 examples/python/rewards.py"""

import json

import crucible
from crucible.integrations import openrlhf, trl, verl

# The verifier on answers as models write them.
print(crucible.verify("18", "She makes 9 * $2 = $18 every day.\nThe answer is $18.")["correct"])
print(crucible.explain("(3, 2)", "\\boxed{(p, q) = (3, 2)}")["explain"]["pred"]["rule"])

# One sandbox for the whole process; judge a HumanEval-shaped submission.
box = crucible.Sandbox()
result = box.judge({"task_id": "HumanEval/53", "prompt": "def add(x: int, y: int):\n",
                    "completion": "    return x + y\n",
                    "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n",
                    "entry_point": "add"})
print(result["verdict"], result["passed"], "/", result["total"])

# Reward functions in the trainers' shapes.
tests = json.dumps({"inputs": ["1 2\n"], "outputs": ["3\n"]})
program = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
print(verl.compute_score("codecontests", program, tests)["score"])
print(trl.math_reward(["The answer is 4.", "\\boxed{5}"], answer=["4", "4"]))
# Rewards are a torch tensor when torch is importable (as OpenRLHF expects), else a list.
print([float(r) for r in openrlhf.reward_func(["Q: 2+2? \\boxed{4}"], ["Q: 2+2? "], ["4"])["rewards"]])
