"""Crucible from Python: the math verifier, the sandbox and judge, the reward library,
task generators and loaders, and reward functions in the shapes verl, TRL and OpenRLHF
call (crucible.integrations).

    import crucible
    crucible.verify("\\frac{1}{2}", "so the answer is $0.5$.")["correct"]   # True
    box = crucible.Sandbox()                                              # create once, reuse
    box.run("print(input()[::-1])", language="python3", stdin="abc")["stdout"]  # 'cba\\n'

Every call releases the GIL, so threads verify and judge in parallel. Bad arguments raise
crucible.InvalidRequest (a ValueError) naming what is wrong; a failure of the sandbox
itself raises crucible.SandboxFailure (a RuntimeError), never a verdict of the program.
"""

import json as _json
import os as _os
import threading as _threading
import urllib.error as _urlerror
import urllib.request as _urlrequest

from . import _paths

_os.environ.setdefault("CRUCIBLE_JAIL_HELPER", _paths.JAIL)

from . import _crucible  # noqa: E402  (after the helper path is known)
from ._crucible import Error, InvalidRequest, SandboxFailure  # noqa: E402

__all__ = [
    "Error", "InvalidRequest", "SandboxFailure", "Sandbox", "verify", "explain",
    "math_reward", "format_reward", "overlong_penalty", "group_advantages", "serial_rewards",
    "generate_tasks", "load_tasks", "default_sandbox", "Env",
]


def _dumps(value):
    return _json.dumps(value if value is not None else {})


def verify(gold, pred, **options):
    """Whether `pred` (free-form model output) states the answer `gold`. Options are the
    verifier's (significant_digits, tolerance, percent, join_boxes, ...). Returns
    {correct, status, reason, gold_answer, pred_answer, gold_parsed, pred_parsed,
    extraction, message?}."""
    return _json.loads(_crucible.verify(str(gold), str(pred), _dumps(options)))


def explain(gold, pred, **options):
    """verify() plus "explain": the extraction rule, the text it read and the parsed trees."""
    return _json.loads(_crucible.explain(str(gold), str(pred), _dumps(options)))


def math_reward(reference, completion, **options):
    """The math correctness reward: {value, verdict, reason, details, valid}."""
    return _json.loads(_crucible.math_reward(str(reference), str(completion), _dumps(options)))


def format_reward(completion, **spec):
    """1 when the completion has the form (<think> once, then one answer), else 0."""
    return _json.loads(_crucible.format_reward(str(completion), _dumps(spec)))


def overlong_penalty(completion_tokens, **spec):
    """DAPO's soft overlong penalty (max_tokens, cache_tokens)."""
    return _crucible.overlong_penalty(int(completion_tokens), _dumps(spec))


def group_advantages(rewards, mode="standard"):
    """Group-relative advantages: "standard", "no_std" (Dr. GRPO) or "leave_one_out"."""
    return _json.loads(_crucible.group_advantages(_json.dumps([float(r) for r in rewards]), mode))


def serial_rewards(correct, **schedule):
    """S-GRPO's decaying rewards of a serial group's exits: 1/2^(k-1) for the k-th correct."""
    return _json.loads(_crucible.serial_rewards(_json.dumps([bool(c) for c in correct]),
                                                _dumps(schedule)))


def generate_tasks(family, count=100, difficulty=1, seed=0):
    """Built-in task generators (families: crucible tasks families)."""
    return _json.loads(_crucible.generate_tasks(family, int(count), int(difficulty), int(seed)))


def load_tasks(path, format="crucible"):
    """Tasks from a JSONL file: "crucible", or a public format (gsm8k, math, humaneval, mbpp,
    apps, codecontests, verl)."""
    return _json.loads(_crucible.load_tasks(format, str(path)))


class Sandbox:
    """The jail and the judge: create once, reuse from many threads."""

    def __init__(self, cache_dir=""):
        self._handle = _crucible.SandboxHandle(str(cache_dir))

    def run(self, source, language="auto", stdin="", limits=None, filename=""):
        """Runs a program: the outcome {verdict, exit_code, stdout, stderr, cpu_seconds, ...}."""
        request = {"source": source, "language": language, "stdin": stdin, "filename": filename}
        if limits:
            request["limits"] = limits
        return _json.loads(self._handle.run(_json.dumps(request)))

    def judge(self, submission):
        """Judges a submission in any shape the judge reads: native {language, source, tests,
        harness, limits}, HumanEval, MBPP or APPS/CodeContests rows."""
        return _json.loads(self._handle.judge(_json.dumps(submission)))

    def label(self, tasks, out_path, checkpoint=None, url=None, model=None, reward=None, **options):
        """Samples every task with a policy (a native checkpoint, or an OpenAI-compatible
        server's url and model), rewards the samples and appends them to a reward-labeled
        JSONL file (a rerun resumes). Options as `crucible label`: mode, n, segments,
        batch_tasks, template, advantage, max_tokens, temperature, top_p, top_k, seed.
        Returns the summary."""
        if checkpoint is not None:
            policy = {"checkpoint": str(checkpoint)}
        elif url is not None and model is not None:
            policy = {"url": url, "model": model}
        else:
            raise InvalidRequest("label: give checkpoint=..., or url=... and model=...")
        return _json.loads(self._handle.label(_json.dumps(tasks), _json.dumps(policy),
                                              _dumps(options), _dumps(reward or {}), str(out_path)))

    def judge_tests(self, completion, tests, limits=None):
        """Judges the last fenced program of a completion against tests as RL datasets carry
        them ({"inputs", "outputs"}, with "fn_name" for call-based problems); None when the
        completion has no program."""
        return _json.loads(self._handle.judge_tests(str(completion), _json.dumps(tests),
                                                    _dumps(limits)))

    def code_reward(self, task, completion, **options):
        """The code reward of a completion (its last fenced block) for a code task."""
        return _json.loads(self._handle.code_reward(_json.dumps(task), str(completion),
                                                    _dumps(options)))


_default = None
_default_lock = _threading.Lock()


def default_sandbox():
    """One shared Sandbox per process, created on first use (reward functions use it)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Sandbox()
        return _default


class Env:
    """Tool-integrated episodes, one at a time, gymnasium-style: the policy's text in; the
    output of the tool call it ends with, or the reward of the transcript when it ends
    without one. The protocol: a fenced code block, then the line ```output (the call runs
    with a notebook's state; only the new cell's output comes back).

        env = crucible.Env()                                   # this host's jail
        env = crucible.Env(url="http://host:8080")             # `crucible serve`'s /v1/env
        obs, info = env.reset(task)                            # obs: the prompt
        obs, reward, terminated, truncated, info = env.step(text)

    reward is 0 until the episode ends, then the verifier's (or the judge's) reward; None
    when a sandbox failure voided the episode (info["valid"] is False): never train on it.
    truncated is True when the episode ended at its tool-call or length limit."""

    def __init__(self, sandbox=None, url=None, token=None, max_turns=4,
                 languages=("python3",), max_output_bytes=256, timeout=60.0):
        self._url = url.rstrip("/") if url else None
        self._token = token
        self._timeout = float(timeout)
        self._session = None
        if self._url is None:
            options = {"max_turns": int(max_turns), "languages": list(languages),
                       "max_output_bytes": int(max_output_bytes)}
            box = sandbox if sandbox is not None else default_sandbox()
            self._handle = _crucible.EnvHandle(box._handle, _json.dumps(options))

    def _call(self, action, body):
        if self._url is None:
            method = self._handle.reset if action == "reset" else self._handle.step
            return _json.loads(method(_json.dumps(body)))
        request = _urlrequest.Request(self._url + "/v1/env/" + action,
                                      data=_json.dumps(body).encode(), method="POST",
                                      headers={"Content-Type": "application/json"})
        if self._token:
            request.add_header("Authorization", "Bearer " + self._token)
        try:
            with _urlrequest.urlopen(request, timeout=self._timeout) as response:
                return _json.loads(response.read())
        except _urlerror.HTTPError as e:
            text = e.read().decode(errors="replace")
            try:
                message = _json.loads(text).get("error", text)
            except ValueError:
                message = text
            error = InvalidRequest if 400 <= e.code < 500 else Error
            raise error(f"env {action}: HTTP {e.code}: {message}") from None

    def reset(self, task, template="plain"):
        """Starts an episode on a task (crucible's task JSON: id, kind, prompt, answer or
        tests); returns (the prompt, info)."""
        info = self._call("reset", {"task": task, "template": template})
        self._session = info["session_id"]
        return info["observation"], info

    def step(self, action):
        """The policy's text since the last observation; returns (observation, reward,
        terminated, truncated, info)."""
        if self._session is None:
            raise InvalidRequest("env step: call reset() first (no open episode)")
        info = self._call("step", {"session_id": self._session, "action": str(action)})
        done = bool(info["done"])
        if done:
            self._session = None
        truncated = done and "ended_by" in info
        return info["observation"], info.get("reward"), done and not truncated, truncated, info

