"""Runs SandboxFusion's own runner tests (sandbox/tests/runners/test_*.py from a copy you
have) against a running `crucible serve`, without FastAPI or pytest: the few names the tests
import from them are stood in for here, and each request goes over HTTP to the server.

  python3 sandboxfusion_suite.py TREE URL [test_python.py ...]

TREE holds SandboxFusion's sandbox/ directory (sandboxfusion_suite.sh exports it). Prints one
line per test (pass, FAIL with the reason, or skip when the answer was a 400 for a language
or a 404 for an endpoint Crucible does not serve) and a summary; exits 1 if any test failed.
"""
import asyncio
import importlib.util
import inspect
import pathlib
import sys
import traceback
import types

import requests

tree, url = pathlib.Path(sys.argv[1]), sys.argv[2].rstrip("/")
only = set(sys.argv[3:])


def module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


class _Response:
    def __init__(self, r):
        self.status_code, self._r = r.status_code, r

    def json(self):
        return self._r.json()


class TestClient:  # fastapi.testclient.TestClient, over HTTP to the server under test
    def __init__(self, app):
        pass

    last = None  # the last answer, to tell a language Crucible does not serve from a failure

    def post(self, path, json=None, **kw):
        TestClient.last = requests.post(url + path, json=json, timeout=600)
        return _Response(TestClient.last)

    def get(self, path, **kw):
        return _Response(requests.get(url + path, timeout=600))


class _Anything:  # structlog loggers, pytest.mark.<name>, fastapi.APIRouter
    def __getattr__(self, name):
        return _Anything()

    def __call__(self, *args, **kw):
        if len(args) == 1 and callable(args[0]) and not kw:
            return args[0]  # used as a bare decorator
        return _Anything()


module("fastapi", APIRouter=_Anything)
module("fastapi.testclient", TestClient=TestClient)
module("structlog", stdlib=_Anything(), get_logger=_Anything())
module("pytest", mark=_Anything(), fixture=_Anything(), skip=_Anything())
sys.path.insert(0, str(tree))
# Only the request and response types of SandboxFusion's package: not its runners or server.
pkg = module("sandbox", __path__=[str(tree / "sandbox")])
runners = module("sandbox.runners", __path__=[str(tree / "sandbox/runners")])
types_spec = importlib.util.spec_from_file_location("sandbox.runners.types",
                                                    tree / "sandbox/runners/types.py")
runner_types = importlib.util.module_from_spec(types_spec)
sys.modules["sandbox.runners.types"] = runner_types
types_spec.loader.exec_module(runner_types)
runners.__dict__.update({k: v for k, v in vars(runner_types).items() if not k.startswith("_")})
runners.CODE_RUNNERS, runners.run_jupyter = {}, None
module("sandbox.server", __path__=[str(tree / "sandbox/server")])
module("sandbox.server.server", app=None)

def language_not_served():
    r = TestClient.last
    return r is not None and (r.status_code == 404 or  # an endpoint (/run_jupyter)
                              r.status_code == 400 and "unknown language" in r.text)


failed = passed = not_served = 0
for path in sorted((tree / "sandbox/tests/runners").glob("test_*.py")):
    if only and path.name not in only:
        continue
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as e:
        print(f"{path.name}: cannot load: {e}")
        failed += 1
        continue
    for name, fn in vars(mod).items():
        if not name.startswith("test_") or not callable(fn):
            continue
        TestClient.last = None
        try:
            result = fn()
            if inspect.iscoroutine(result):
                asyncio.run(result)
            passed += 1
            print(f"pass  {path.name}::{name}")
        except Exception as e:
            if language_not_served():
                not_served += 1
                print(f"skip  {path.name}::{name}: language or endpoint not served")
                continue
            failed += 1
            where = traceback.extract_tb(e.__traceback__)[-1]
            print(f"FAIL  {path.name}::{name}: {type(e).__name__} {e} (line {where.lineno}: "
                  f"{where.line})")
print(f"{passed} passed, {failed} failed, {not_served} skipped (not served)")
sys.exit(1 if failed else 0)
