"""Code ground truth as the trainers' datasets carry it, judged in the sandbox."""

import json
import re

import crucible

_FENCE = re.compile(r"```([A-Za-z0-9_+#-]*)[^\n]*\n(.*?)```", re.S)
_LANGS = {"python": "python3", "py": "python3", "python3": "python3", "cpp": "cpp", "c++": "cpp",
          "c": "c", "java": "java", "javascript": "javascript", "js": "javascript", "go": "go",
          "rust": "rust", "bash": "bash", "sh": "bash", "ruby": "ruby"}


def extract_program(text):
    """The last fenced block of a completion (after </think> when present) and its language."""
    if "</think>" in text:
        text = text.rsplit("</think>", 1)[1]
    blocks = _FENCE.findall(text)
    if not blocks:
        return None, None
    info, body = blocks[-1]
    return body, _LANGS.get(info.lower(), "auto" if info == "" else info.lower())


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


def _as_text(value):
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) + "\n"
    return value if isinstance(value, str) else json.dumps(value)


_CALL_SETUP = """import json as _json
def _same(got, want):
    return got == want or [got] == want or (isinstance(got, tuple) and list(got) == want)
"""


def submission(program, language, tests, limits=None):
    """The judge's submission for a program and verl-style tests."""
    if tests.get("fn_name"):
        items = ["assert _same(candidate(*_json.loads(%r)), _json.loads(%r))"
                 % (json.dumps(args if isinstance(args, list) else [args]), json.dumps(want))
                 for args, want in zip(tests["inputs"], tests["outputs"])]
        sub = {"language": "python3" if language in (None, "auto") else language, "source": program,
               "harness": {"entry_point": tests["fn_name"], "setup": _CALL_SETUP, "tests": items}}
    else:
        sub = {"language": language or "auto", "source": program,
               "tests": [{"input": _as_text(i), "output": _as_text(o)}
                         for i, o in zip(tests["inputs"], tests["outputs"])]}
    if limits:
        sub["limits"] = limits
    return sub


def score(completion, ground_truth, sandbox=None, limits=None, partial=False):
    """(score, details): 1.0 when every test passes (or the fraction passed with partial)."""
    program, language = extract_program(completion)
    if program is None:
        return 0.0, {"reason": "no_code"}
    tests = parse_tests(ground_truth)
    if not tests["inputs"]:
        return 0.0, {"reason": "no_tests"}
    result = (sandbox or crucible.default_sandbox()).judge(submission(program, language, tests, limits))
    value = result["passed"] / result["total"] if partial else float(result["verdict"] == "Accepted")
    return value, {"verdict": result["verdict"], "passed": result["passed"], "total": result["total"]}
