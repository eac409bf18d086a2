#include "sandbox/judge/harness_templates.hpp"

namespace crucible::sandbox::judge {
namespace {

// The templates are programs in other languages: the formatter must not touch them.
// clang-format off
// Python: the harness process holds the tests and the nonce; the candidate runs in a child
// forked before either is read from stdin (so its memory never held them), with stdin and
// stdout replaced by /dev/null and only a pipe back. The parent is not dumpable, so the
// child cannot open /proc/<parent>/{mem,fd}. This file holds no tests.
constexpr const char* kPython = R"PY(import builtins, ctypes, importlib, json, keyword, marshal, os, re, sys

_SOURCE = @SOURCE@
_ENTRY = @ENTRY@
_PLAIN = (int, float, complex, str, bytes, bool, type(None), list, tuple, dict, set, frozenset)
_LIMIT = 64 << 20


def _plain(v, depth=0):
    t = type(v)
    if t not in _PLAIN or depth > 200:
        return False
    if t in (list, tuple, set, frozenset):
        return all(_plain(x, depth + 1) for x in v)
    if t is dict:
        return all(_plain(k, depth + 1) and _plain(x, depth + 1) for k, x in v.items())
    return True


def _send(fd, obj):
    data = marshal.dumps(obj)
    data = len(data).to_bytes(8, "little") + data
    while data:
        data = data[os.write(fd, data):]


def _read(fd, n):
    out = b""
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out


def _recv(fd):
    n = int.from_bytes(_read(fd, 8), "little")
    if n > _LIMIT:
        raise ValueError("message too large")
    return marshal.loads(_read(fd, n))


def _candidate(req, resp):
    # No stdin (the nonce), no stdout (the results): only the pipe back to the parent.
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    ns = {"__name__": "__candidate__"}
    try:
        exec(compile(_SOURCE, "solution", "exec"), ns)
    except BaseException as e:
        _send(resp, ("load_error", type(e).__name__, str(e)[:1000]))
        os._exit(0)
    _send(resp, ("ready", [k for k, v in ns.items() if callable(v) and not k.startswith("__")],
                 [(k, v.__name__) for k, v in ns.items() if type(v) is type(sys) and type(v.__name__) is str]))
    while True:
        try:
            name, args, kwargs = _recv(req)
        except EOFError:
            os._exit(0)
        try:
            result = ns[name](*args, **kwargs)
            if not _plain(result):
                _send(resp, ("error", "TypeError", "returned a %s, not a plain value" % type(result).__name__))
            else:
                _send(resp, ("ok", result))
        except BaseException as e:
            _send(resp, ("error", type(e).__name__, str(e)[:1000]))


class CandidateError(Exception):
    pass


def _name_for_tests(name):
    # The tests' globals get the candidate's functions by name, but never in place of a
    # builtin the tests call: an answer's own abs() returning 0 would pass
    # `assert abs(candidate(x) - y) < 1e-6`, its sorted() or round() returning a constant
    # would pass comparisons of both sides. Only the entry point may carry such a name.
    if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
        return False
    if name.startswith("__"):
        return False
    return name == _ENTRY or name not in vars(builtins)


def _raised_by_candidate(kind, message):
    # A builtin exception the answer raised is raised here as itself, so tests that expect it
    # (`except ValueError`, pytest.raises(KeyError)) see it. Never StopIteration or
    # StopAsyncIteration: raised inside map() they end the iteration, and
    # all(map(check, cases)) would be True.
    text = str(message)
    cls = vars(builtins).get(kind) if type(kind) is str else None
    if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(
            cls, (StopIteration, StopAsyncIteration)):
        try:
            return cls(text)
        except Exception:
            pass
    return CandidateError("%s: %s" % (kind, text))


def _standard_module(alias, name):
    # A module the answer imported (MBPP's tests call math.isclose after the answer's
    # `import math`), imported here afresh: only the standard library, from its own read-only
    # directories (a file the answer wrote in /tmp or /work is never loaded here), and only
    # under its own name, so no module stands in for another.
    if not _name_for_tests(alias) or type(name) is not str:
        return None
    if alias != name and alias != name.rpartition(".")[2]:
        return None
    if name.partition(".")[0] not in getattr(sys, "stdlib_module_names", ()):
        return None
    saved = sys.path[:]
    sys.path[:] = [p for p in saved if p.startswith(sys.base_prefix + "/lib/")]
    try:
        return importlib.import_module(name)
    except Exception:
        return None
    finally:
        sys.path[:] = saved


def _main():
    libc = ctypes.CDLL(None)
    if libc.prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE 0: the child cannot read our memory
        raise SystemExit("harness: cannot make the parent non-dumpable")
    req_r, req_w = os.pipe()
    resp_r, resp_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(req_w)
        os.close(resp_r)
        _candidate(req_r, resp_w)
        os._exit(0)
    os.close(req_r)
    os.close(resp_w)
    # Only now, in the parent alone: the nonce, then the tests.
    nonce = sys.stdin.readline().strip()
    spec = json.loads(sys.stdin.readline())
    _SETUP, _ITEMS = spec["setup"], spec["items"]
    out = sys.stdout

    def report(index, status, message=""):
        out.write("%s %s %s %s\n" % (nonce, index, status, message.replace("\n", " ")[:500]))
        out.flush()

    try:
        hello = _recv(resp_r)
    except Exception:
        hello = ("load_error", "Exit", "the candidate exited while loading")
    # The hello comes from the candidate's process: any shape but these two is a load error.
    if type(hello) is not tuple or len(hello) < 2 or hello[0] != "ready":
        loaded = type(hello) is tuple and len(hello) == 3 and hello[0] == "load_error"
        why = "%s: %s" % (hello[1], hello[2]) if loaded else "the candidate sent no valid hello"
        for i in range(len(_ITEMS)):
            report(i, "error", why)
        out.write(nonce + " done\n")
        return

    def proxy(name):
        def call(*args, **kwargs):
            if not _plain(args) or not _plain(kwargs):
                raise TypeError("arguments must be plain values")
            try:
                _send(req_w, (name, args, kwargs))
                reply = _recv(resp_r)
            except Exception:
                raise CandidateError("the candidate process ended")
            if reply[0] == "ok" and _plain(reply[1]):
                return reply[1]
            if reply[0] == "error" and len(reply) == 3:
                raise _raised_by_candidate(reply[1], reply[2])
            raise CandidateError("bad reply")
        return call

    tests = {"__name__": "__test__", "CandidateError": CandidateError}
    for name in hello[1] if isinstance(hello[1], list) else []:
        if _name_for_tests(name):
            tests[name] = proxy(name)
    # Only modules the tests name are imported here: importing runs a module's code (`this`
    # prints to stdout), and which ones is the candidate's choice.
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", _SETUP + "\n".join(_ITEMS)))
    for pair in hello[2] if len(hello) > 2 and isinstance(hello[2], list) else []:
        if type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and \
                pair[0] in named and pair[0] not in tests:
            module = _standard_module(*pair)
            if module is not None:
                tests[pair[0]] = module
    if _ENTRY:
        tests["candidate"] = proxy(_ENTRY)
    try:
        exec(compile(_SETUP, "setup", "exec"), tests)
    except BaseException as e:
        for i in range(len(_ITEMS)):
            report(i, "error", "setup failed: %s: %s" % (type(e).__name__, e))
        out.write(nonce + " done\n")
        return
    for i, item in enumerate(_ITEMS):
        try:
            exec(compile(item, "test_%d" % i, "exec"), tests)
            report(i, "pass")
        except AssertionError as e:
            report(i, "fail", str(e) or item)
        except BaseException as e:
            report(i, "error", "%s: %s" % (type(e).__name__, e))
    out.write(nonce + " done\n")
    out.flush()


_main()
)PY";

// JavaScript: the harness process reads the nonce and the tests from stdin; the candidate
// runs in a separate node process (a fresh image: it never held them) under
// node's permission model where available, so it can open no file (not this one, not
// /proc/<harness>/mem) and start no process; the two talk over two FIFOs in /tmp.
constexpr const char* kJavaScript = R"JS('use strict';
// SIGUSR1 would start this process's inspector, which any local process (the candidate's
// included) could then drive: a listener of our own keeps node from doing that.
process.on('SIGUSR1', () => {});
const fs = require('fs');
const childProcess = require('child_process');
const SOURCE = @SOURCE@;
const ENTRY = @ENTRY@;
// References taken before anything else runs.
const write = fs.writeSync;
const parse = JSON.parse;
const stringify = JSON.stringify;
const isArray = Array.isArray;
const keys = Object.keys;
const objectIs = Object.is;
const input = fs.readFileSync(0, 'utf8');
const firstLine = input.indexOf('\n');
const nonce = input.slice(0, firstLine).trim();
const spec = parse(input.slice(firstLine + 1));
const SETUP = spec.setup;
const ITEMS = spec.items;

// The candidate's process: reads requests {name, args} and answers {ok, value} or {ok: false,
// error}, one JSON line each. Confined by node's permission model (it can open nothing but
// its two FIFOs, start nothing and load no addon), it loads the candidate as a CommonJS
// module with node's require, so answers that use crypto, util or assert run. On a node
// without that model, a realm with no node object in reach is all that keeps the candidate
// from the harness, so there it gets no require.
const CANDIDATE = `'use strict';
const fs = require('fs');
const vm = require('vm');
const {parse, stringify} = JSON;
const [reqPath, respPath] = process.argv.slice(-2);
const requests = fs.openSync(reqPath, 'r');
const replies = fs.openSync(respPath, 'w');
let pending = '';
function readLine() {
  const buf = Buffer.alloc(65536);
  for (;;) {
    const nl = pending.indexOf('\\n');
    if (nl >= 0) { const line = pending.slice(0, nl); pending = pending.slice(nl + 1); return line; }
    const n = fs.readSync(requests, buf, 0, buf.length, null);
    if (n === 0) process.exit(0);
    pending += buf.toString('utf8', 0, n);
  }
}
function reply(obj) { const t = stringify(obj) + '\\n'; const b = Buffer.from(t); let o = 0; while (o < b.length) o += fs.writeSync(replies, b, o); }
const confined = process.permission !== undefined && !process.permission.has('child') &&
    !process.permission.has('fs.read', '/proc/' + process.ppid + '/mem');
// The entry point: the named function, else what the module exports (or its member so named).
function pick(found, exported, entry) {
  if (typeof found === 'function') return found;
  if (typeof exported === 'function') return exported;
  if (exported !== null && typeof exported === 'object' && typeof exported[entry] === 'function') return exported[entry];
  throw new Error(entry ? 'the answer defines no function ' + entry : 'the answer exports no function');
}
function loadAsModule(hello) {
  const module = {exports: {}};
  const lookup = hello.entry ? '\\n;return typeof ' + hello.entry + ' === "function" ? ' + hello.entry + ' : undefined;' : '';
  const body = vm.compileFunction(hello.source + lookup, ['require', 'module', 'exports'], {filename: 'solution.js'});
  const found = body(require, module, module.exports);
  const entry = pick(found, module.exports, hello.entry);
  return (args) => stringify(entry(...parse(args)));
}
function loadInRealm(hello) {
  const realm = vm.createContext(Object.create(null));
  vm.runInContext('var module = {exports: {}}; var exports = module.exports; var console = {log() {}, error() {}};' +
      'function require(name) { throw new Error("require(" + name + ") needs node 20 or later: this node cannot confine the answer"); }', realm);
  vm.runInContext(hello.source, realm, {filename: 'solution.js'});
  return vm.runInContext('(function (args) { const crucibleEntry = typeof ' + hello.entry + ' === "function" ? ' +
      hello.entry + ' : module.exports; return JSON.stringify(crucibleEntry(...JSON.parse(args))); })', realm);
}
const hello = parse(readLine());
let call = null;
try {
  call = confined ? loadAsModule(hello) : loadInRealm(hello);
  reply({ok: true});
} catch (e) {
  reply({ok: false, error: String(e && e.message || e)});
}
for (;;) {
  const req = parse(readLine());
  try {
    const text = call(req.args);
    if (typeof text !== 'string') reply({ok: false, error: 'the candidate returned a value JSON cannot carry'});
    else reply({ok: true, value: text});
  } catch (e) {
    reply({ok: false, error: String(e && e.message || e).slice(0, 1000)});
  }
}
`;

const dir = fs.mkdtempSync('/tmp/harness-');
const reqPath = dir + '/req';
const respPath = dir + '/resp';
childProcess.execFileSync('/usr/bin/mkfifo', ['-m', '600', reqPath, respPath]);
const permission = process.allowedNodeEnvironmentFlags.has('--experimental-permission')
  ? ['--experimental-permission', '--allow-fs-read=' + reqPath, '--allow-fs-write=' + respPath, '--no-warnings']
  : [];
const child = childProcess.spawn(process.execPath,
  [...process.execArgv, ...permission, '-e', CANDIDATE, reqPath, respPath],
  {stdio: ['ignore', 'ignore', 'inherit'], env: {}});
child.unref();
const requests = fs.openSync(reqPath, 'w');
const replies = fs.openSync(respPath, 'r');
let pending = '';
function readReply() {
  const buf = Buffer.alloc(65536);
  for (;;) {
    const nl = pending.indexOf('\n');
    if (nl >= 0) { const line = pending.slice(0, nl); pending = pending.slice(nl + 1); return parse(line); }
    const n = fs.readSync(replies, buf, 0, buf.length, null);
    if (n === 0) throw new Error('the candidate process ended');
    pending += buf.toString('utf8', 0, n);
  }
}
function send(obj) {
  const b = Buffer.from(stringify(obj) + '\n');
  let o = 0;
  while (o < b.length) o += write(requests, b, o);
}
send({source: SOURCE, entry: ENTRY});
let loadError = null;
try {
  const hello = readReply();
  if (!hello.ok) loadError = hello.error;
} catch (e) {
  loadError = String(e && e.message || e);
}

function deepEqual(a, b) {
  if (objectIs(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isArray(a) !== isArray(b)) return false;
  const ka = keys(a), kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual(a[k], b[k])) return false;
  return true;
}
class AssertionFailure extends Error {}
// Callable too (`assert(cond)`), as node's assert is.
const assert = Object.freeze(Object.assign(function assert(v, m) {
  if (!v) throw new AssertionFailure(m || 'assert failed');
}, {
  ok(v, m) { if (!v) throw new AssertionFailure(m || 'assert.ok failed'); },
  equal(a, b, m) { if (a != b) throw new AssertionFailure(m || stringify(a) + ' != ' + stringify(b)); },
  strictEqual(a, b, m) { if (!objectIs(a, b)) throw new AssertionFailure(m || stringify(a) + ' !== ' + stringify(b)); },
  deepEqual(a, b, m) { if (!deepEqual(a, b)) throw new AssertionFailure(m || stringify(a) + ' deep!= ' + stringify(b)); },
  deepStrictEqual(a, b, m) { if (!deepEqual(a, b)) throw new AssertionFailure(m || stringify(a) + ' deep!== ' + stringify(b)); },
}));

function report(index, status, message) {
  write(1, nonce + ' ' + index + ' ' + status + ' ' + String(message || '').replace(/\n/g, ' ').slice(0, 500) + '\n');
}

function candidate(...args) {
  if (loadError !== null) throw new Error('the candidate did not load: ' + loadError);
  const text = stringify(args);
  if (typeof text !== 'string') throw new Error('arguments JSON cannot carry');
  send({args: text});
  const r = readReply();
  if (!r.ok) throw new Error(r.error);
  return realmParse(r.value);
}
// The tests run as scripts in a realm of their own, one after another, as a test file's
// statements would: what the setup declares (a check function, `const assert =
// require('node:assert')` as MultiPL-E's tests begin) the tests see. The realm's globals
// (assert, candidate, the entry point, require) may be redeclared by the tests. Answers come
// in as that realm's own values, so `instanceof Array` holds. The tests are the task's code,
// trusted; the answer never runs here.
const vm = require('vm');
const nodeAssert = require('assert');
const testRealm = vm.createContext({});
const realmParse = vm.runInContext('JSON.parse', testRealm);
const toStderr = (...a) => { try { fs.writeSync(2, a.map(String).join(' ') + '\n'); } catch (e) {} };
// console.assert fails the test (HumanEval-X's JavaScript tests are console.assert calls; node's
// own only prints).
const consoleAssert = (v, ...m) => { if (!v) throw new AssertionFailure(m.length ? m.map(String).join(' ') : 'console.assert failed'); };
const testConsole = {log: toStderr, error: toStderr, warn: toStderr, info: toStderr, debug: toStderr, assert: consoleAssert};
for (const [name, value] of [['assert', assert], ['candidate', candidate], ['require', require],
                             ['console', testConsole], [ENTRY, candidate]]) {
  if (name) Object.defineProperty(testRealm, name, {value, writable: true, configurable: true});
}
const run = (code, name) => vm.runInContext(code, testRealm, {filename: name});
// Each test in a block of its own: two tests may both declare `const r`.
const runTest = (code, name) => vm.runInContext('{\n' + code + '\n}', testRealm, {filename: name, lineOffset: -1});
const failed = (e) => e instanceof AssertionFailure || e instanceof nodeAssert.AssertionError;
try {
  run(SETUP, 'setup');
  ITEMS.forEach((item, i) => {
    try {
      runTest(item, 'test_' + i);
      report(i, 'pass');
    } catch (e) {
      report(i, failed(e) ? 'fail' : 'error', e && e.message);
    }
  });
} catch (e) {
  ITEMS.forEach((_, i) => report(i, 'error', 'setup failed: ' + (e && e.message)));
}
write(1, nonce + ' done\n');
fs.closeSync(requests);
child.kill('SIGKILL');
process.exit(0);
)JS";

// clang-format on

}  // namespace

const char* python_harness_template() {
  return kPython;
}

const char* javascript_harness_template() {
  return kJavaScript;
}

}  // namespace crucible::sandbox::judge
