"""Reward functions for TRL's GRPOTrainer: reward_funcs=[math_reward] (or code_reward).

TRL calls f(completions, **columns) with every dataset column as a keyword (a list, one per
completion) and takes a list of floats. Completions are plain strings or conversations
([{"role": "assistant", "content": ...}]). Math reads the reference from the "answer",
"solution" or "ground_truth" column; code from "test_cases", "tests", "ground_truth" or
"verification_info" ({"inputs", "outputs"} or its JSON).
"""

import crucible
from crucible.integrations import code

_ANSWER_COLUMNS = ("answer", "solution", "ground_truth", "reference")
_TEST_COLUMNS = ("test_cases", "tests", "ground_truth", "verification_info")


def _text(completion):
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):  # conversational: the assistant's last message
        for message in reversed(completion):
            if isinstance(message, dict) and message.get("role", "assistant") == "assistant":
                return str(message.get("content", ""))
        return ""
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    return str(completion)


def _column(columns, names, n):
    for name in names:
        if name in columns and columns[name] is not None:
            values = columns[name]
            if len(values) != n:
                raise crucible.InvalidRequest("%s: %d values for %d completions" % (name, len(values), n))
            return values
    raise crucible.InvalidRequest("no reference column: pass one of %s" % ", ".join(names))


def math_reward(completions, **columns):
    """1.0 when the completion's answer equals the reference, else 0.0."""
    references = _column(columns, _ANSWER_COLUMNS, len(completions))
    return [1.0 if crucible.verify(str(r), _text(c))["correct"] else 0.0
            for c, r in zip(completions, references)]


def code_reward(completions, **columns):
    """1.0 when the completion's last fenced program passes every test, else 0.0."""
    tests = _column(columns, _TEST_COLUMNS, len(completions))
    out = []
    for c, t in zip(completions, tests):
        try:
            out.append(code.score(_text(c), t)[0])
        except crucible.InvalidRequest:
            out.append(0.0)
    return out
