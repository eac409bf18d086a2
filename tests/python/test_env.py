"""crucible.Env: tool-integrated episodes from Python, in this host's jail and against a
running `crucible serve` (the same episode gives the same answers both ways)."""

import json
import os
import subprocess

import pytest

import crucible

TASK = {"id": "p1", "kind": "math", "prompt": "What is 1234 * 5678?", "answer": "7006652"}
CALL = "```python\nx = 1234 * 5678\nprint(x)\n```\n```output\n"


def play(env):
    obs, info = env.reset(TASK)
    assert obs == TASK["prompt"] and info["max_turns"] >= 1
    out = env.step(CALL)
    assert out[0] == "7006652\n```\n" and out[1:4] == (0, False, False)
    assert out[4]["call"]["verdict"] == "Accepted"
    again = env.step("```python\nprint(x + 1)\n```\n```output\n")
    assert again[0] == "7006653\n```\n", "the notebook keeps x"
    obs, reward, terminated, truncated, info = env.step("So \\boxed{7006652}.")
    assert (obs, reward, terminated, truncated) == ("", 1.0, True, False)
    assert info["verdict"] == "correct"
    with pytest.raises(crucible.InvalidRequest, match="reset"):
        env.step("after the end")


def test_an_episode_in_this_hosts_jail():
    play(crucible.Env())


def test_limits_and_bad_input_are_named():
    env = crucible.Env(max_turns=1)
    env.reset(TASK)
    env.step("```python\nprint(7006652)\n```\n```output\n")
    obs, reward, terminated, truncated, info = env.step("```python\nprint(1)\n```\n```output\n")
    assert truncated and not terminated and info["ended_by"] == "max_turns"
    with pytest.raises(crucible.InvalidRequest, match="task"):
        env.reset({"prompt": 5})
    with pytest.raises(crucible.InvalidRequest, match="max_turns"):
        crucible.Env(max_turns=0)


def test_the_same_episode_over_http():
    binary = os.environ.get("CRUCIBLE_BINARY")
    if not binary:
        pytest.skip("CRUCIBLE_BINARY is not set (CTest sets it)")
    server = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        address = json.loads(server.stdout.readline())["listening"]
        env = crucible.Env(url="http://" + address)
        play(env)
        with pytest.raises(crucible.InvalidRequest, match="HTTP 400"):
            env.reset({"kind": "math"})
    finally:
        server.terminate()
        server.wait(timeout=30)
