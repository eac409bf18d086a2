"""The Python package end to end: the verifier, the sandbox and judge, rewards, tasks, and
errors as Python exceptions. Runs through CTest with the build's package on sys.path."""

import threading

import pytest

import crucible


def test_verify_reads_real_model_answers():
    assert crucible.verify("20", "She pays $12 + $8 = $20 in total.\nA: 20")["correct"]
    assert crucible.verify("\\frac{1}{2}", "so the answer is $0.5$.")["correct"]
    wrong = crucible.verify("3", "The answer is 4.")
    assert not wrong["correct"] and wrong["status"] == "wrong"
    assert crucible.verify("1/3", "0.33", significant_digits=2)["correct"]
    explained = crucible.explain("20", "A: 20")
    assert explained["explain"]["pred"]["rule"] == "answer_line"


def test_bad_arguments_raise_with_the_cpp_message():
    with pytest.raises(crucible.InvalidRequest, match="significant_digits"):
        crucible.verify("1", "1", significant_digits="many")
    with pytest.raises(ValueError, match="mode"):
        crucible.group_advantages([1, 0], mode="median")
    box = crucible.default_sandbox()
    with pytest.raises(crucible.InvalidRequest, match="cobol"):
        box.run("x", language="cobol")


def test_sandbox_runs_and_judges():
    box = crucible.default_sandbox()
    out = box.run("print(input()[::-1])", language="python3", stdin="abc\n")
    assert out["verdict"] == "Accepted" and out["stdout"] == "cba\n"
    assert box.run("while True: pass", language="python3",
                   limits={"cpu_seconds": 0.5, "wall_seconds": 1})["verdict"] == "TimeLimit"
    humaneval = {"task_id": "T/0", "prompt": "def add(a, b):\n", "completion": "    return a + b\n",
                 "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n", "entry_point": "add"}
    result = box.judge(humaneval)
    assert result["verdict"] == "Accepted" and result["id"] == "T/0"
    humaneval["completion"] = "    return a - b\n"
    assert box.judge(humaneval)["verdict"] == "WrongAnswer"


def test_many_threads_share_one_sandbox_and_the_verifier():
    box = crucible.default_sandbox()
    results, errors = [], []

    def work(i):
        try:
            o = box.run("print(%d * 2)" % i, language="python3")
            v = crucible.verify(str(i * 2), o["stdout"])
            results.append(v["correct"])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [True] * 8


def test_reward_library():
    assert crucible.math_reward("42", "\\boxed{42}")["value"] == 1.0
    assert crucible.format_reward("<think>x</think> \\boxed{1}")["value"] == 1.0
    assert crucible.format_reward("\\boxed{1}")["value"] == 0.0
    adv = crucible.group_advantages([1, 0, 1, 0])
    assert adv[0] > 0 > adv[1]
    assert crucible.group_advantages([1, 1, 1]) == [0.0, 0.0, 0.0]
    assert crucible.serial_rewards([True, False, True, True]) == [1.0, 0.0, 0.5, 0.25]
    assert crucible.overlong_penalty(100, max_tokens=4096, cache_tokens=512) == 0.0


def test_tasks():
    tasks = crucible.generate_tasks("arithmetic", count=5, difficulty=1, seed=3)
    assert len(tasks) == 5 and all(t["kind"] == "math" for t in tasks)
    assert tasks == crucible.generate_tasks("arithmetic", count=5, difficulty=1, seed=3)
    with pytest.raises(crucible.InvalidRequest):
        crucible.generate_tasks("no-such-family")


def test_label_writes_a_reward_labeled_dataset(tmp_path):
    import subprocess
    import os
    tasks = crucible.generate_tasks("arithmetic", count=3, difficulty=1, seed=5)
    crucible_bin = os.path.join(os.path.dirname(crucible.__file__), "..", "..", "bin", "crucible")
    task_file = tmp_path / "t.jsonl"
    task_file.write_text("".join(__import__("json").dumps(t) + "\n" for t in tasks))
    subprocess.run([crucible_bin, "sft", "--tasks", str(task_file), "--steps", "2", "--batch", "2",
                    "--out", str(tmp_path / "ckpt")], check=True, capture_output=True)
    out = tmp_path / "labels.jsonl"
    summary = crucible.default_sandbox().label(tasks, out, checkpoint=tmp_path / "ckpt", n=2,
                                               max_tokens=8, seed=1)
    assert summary["tasks"] == 3 and summary["samples"] == 6
    rows = [__import__("json").loads(l) for l in out.read_text().splitlines()]
    assert len(rows) == 6 and all("reward" in r for r in rows)
    with pytest.raises(crucible.InvalidRequest):
        crucible.default_sandbox().label(tasks, out)
