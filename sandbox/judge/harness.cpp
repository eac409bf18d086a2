#include "sandbox/judge/harness.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "base/error.hpp"

namespace crucible::sandbox::judge {
namespace {

// A JSON string literal is also a valid Python and JavaScript string literal.
std::string literal(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string literal_list(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

// The templates are programs in other languages: the formatter must not touch them.
// clang-format off
constexpr const char* kPython = R"PY(import ctypes, marshal, os, sys

_SOURCE = @SOURCE@
_ENTRY = @ENTRY@
_SETUP = @SETUP@
_ITEMS = @ITEMS@
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
    _send(resp, ("ready", [k for k, v in ns.items() if callable(v) and not k.startswith("__")]))
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
    nonce = sys.stdin.readline().strip()
    out = sys.stdout

    def report(index, status, message=""):
        out.write("%s %s %s %s\n" % (nonce, index, status, message.replace("\n", " ")[:500]))
        out.flush()

    try:
        hello = _recv(resp_r)
    except Exception:
        hello = ("load_error", "Exit", "the candidate exited while loading")
    if hello[0] != "ready":
        for i in range(len(_ITEMS)):
            report(i, "error", "%s: %s" % (hello[1], hello[2]))
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
            raise CandidateError("%s: %s" % (reply[1], reply[2]) if reply[0] == "error" else "bad reply")
        return call

    tests = {"__name__": "__test__", "CandidateError": CandidateError}
    for name in hello[1]:
        tests[name] = proxy(name)
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

constexpr const char* kJavaScript = R"JS('use strict';
const vm = require('vm');
const fs = require('fs');
const SOURCE = @SOURCE@;
const ENTRY = @ENTRY@;
const SETUP = @SETUP@;
const ITEMS = @ITEMS@;
// References taken before any candidate code runs.
const write = fs.writeSync;
const parse = JSON.parse;
const stringify = JSON.stringify;
const isArray = Array.isArray;
const keys = Object.keys;
const objectIs = Object.is;
const nonce = fs.readFileSync(0, 'utf8').split('\n')[0].trim();

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
const assert = Object.freeze({
  ok(v, m) { if (!v) throw new AssertionFailure(m || 'assert.ok failed'); },
  equal(a, b, m) { if (a != b) throw new AssertionFailure(m || stringify(a) + ' != ' + stringify(b)); },
  strictEqual(a, b, m) { if (!objectIs(a, b)) throw new AssertionFailure(m || stringify(a) + ' !== ' + stringify(b)); },
  deepEqual(a, b, m) { if (!deepEqual(a, b)) throw new AssertionFailure(m || stringify(a) + ' deep!= ' + stringify(b)); },
  deepStrictEqual(a, b, m) { if (!deepEqual(a, b)) throw new AssertionFailure(m || stringify(a) + ' deep!== ' + stringify(b)); },
});

function report(index, status, message) {
  write(1, nonce + ' ' + index + ' ' + status + ' ' + String(message || '').replace(/\n/g, ' ').slice(0, 500) + '\n');
}

// The candidate's realm: its own globals and prototypes, no process, no require.
const realm = vm.createContext(Object.create(null));
let call = null;
let loadError = null;
try {
  vm.runInContext('var module = {exports: {}}; var exports = module.exports; var console = {log() {}, error() {}};', realm);
  vm.runInContext(SOURCE, realm, {filename: 'solution.js'});
  call = vm.runInContext('(function (name, args) { const f = typeof ' + ENTRY + ' === "function" ? ' + ENTRY +
      ' : module.exports; return JSON.stringify(f(...JSON.parse(args))); })', realm);
} catch (e) {
  loadError = String(e && e.message || e);
}
function candidate(...args) {
  if (loadError !== null) throw new Error('the candidate did not load: ' + loadError);
  const text = call(ENTRY, stringify(args));
  if (typeof text !== 'string') throw new Error('the candidate returned a value JSON cannot carry');
  return parse(text);
}
const tests = {assert, candidate, [ENTRY]: candidate};
const run = (code) => new Function(...keys(tests), code)(...keys(tests).map((k) => tests[k]));
try {
  run(SETUP);
  ITEMS.forEach((item, i) => {
    try {
      run(item);
      report(i, 'pass');
    } catch (e) {
      report(i, e instanceof AssertionFailure ? 'fail' : 'error', e && e.message);
    }
  });
} catch (e) {
  ITEMS.forEach((_, i) => report(i, 'error', 'setup failed: ' + (e && e.message)));
}
write(1, nonce + ' done\n');
)JS";

constexpr const char* kCpp = R"HARNESS(
// ---- Crucible harness: everything below runs the tests ----
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace crucible_harness {
struct Failure {
  const char* expr;
};
template <class T> struct plain : std::bool_constant<std::is_arithmetic_v<T>> {};
template <> struct plain<std::string> : std::true_type {};
template <class T> struct plain<std::vector<T>> : plain<T> {};
template <class T> struct plain<std::set<T>> : plain<T> {};
template <class K, class V> struct plain<std::map<K, V>> : std::bool_constant<plain<K>::value && plain<V>::value> {};
template <class A, class B> struct plain<std::pair<A, B>> : std::bool_constant<plain<A>::value && plain<B>::value> {};
template <class T> decltype(auto) check_plain(T&& value) {
  static_assert(plain<std::decay_t<T>>::value, "the candidate must return a plain type (numbers, strings, containers)");
  return std::forward<T>(value);
}
static char nonce[80];
static void report(int index, const char* status, const char* message) {
  std::string line = std::string(nonce) + " " + std::to_string(index) + " " + status + " " + message + "\n";
  (void)!::write(1, line.data(), line.size());
}
}  // namespace crucible_harness

#undef NDEBUG
#undef assert
#define assert(e) ((e) ? (void)0 : throw ::crucible_harness::Failure{#e})
#define candidate(...) ::crucible_harness::check_plain(@ENTRY@(__VA_ARGS__))

int main() {
  if (!std::fgets(crucible_harness::nonce, sizeof crucible_harness::nonce, stdin)) return 3;
  crucible_harness::nonce[std::strcspn(crucible_harness::nonce, "\r\n")] = 0;
  try {
    @SETUP@
  } catch (...) {
    return 4;
  }
@ITEMS@
  std::string done = std::string(crucible_harness::nonce) + " done\n";
  (void)!::write(1, done.data(), done.size());
  ::_exit(0);
}
)HARNESS";
// clang-format on

std::string cpp_items(const std::vector<std::string>& items) {
  std::ostringstream out;
  for (size_t i = 0; i < items.size(); ++i) {
    out << "  try {\n    " << items[i] << "\n    crucible_harness::report(" << i
        << ", \"pass\", \"\");\n"
        << "  } catch (const crucible_harness::Failure& f) {\n    crucible_harness::report(" << i
        << ", \"fail\", f.expr);\n  } catch (const std::exception& e) {\n    "
           "crucible_harness::report("
        << i << ", \"error\", e.what());\n  } catch (...) {\n    crucible_harness::report(" << i
        << ", \"error\", \"unknown exception\");\n  }\n";
  }
  return out.str();
}

}  // namespace

// [A-Za-z_$][A-Za-z0-9_$]*, at most 255 characters; a scan, since the name is untrusted.
static bool is_identifier(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  auto ok = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  for (size_t i = 0; i < name.size(); ++i)
    if (!ok(name[i], i == 0)) return false;
  return true;
}

bool harness_supports(const std::string& language) {
  return language == "python3" || language == "javascript" || language == "cpp";
}

HarnessProgram build_harness(const std::string& language, const std::string& candidate,
                             const HarnessSpec& spec) {
  if (!spec.entry_point.empty() && !is_identifier(spec.entry_point))
    throw InvalidRequest(
        "harness.entry_point is not an identifier of at most 255 characters "
        "([A-Za-z_$][A-Za-z0-9_$]*)");
  if (spec.items.empty()) throw InvalidRequest("harness.tests must hold at least one test");
  HarnessProgram p{language, ""};
  if (language == "python3" || language == "javascript") {
    std::string t = language == "python3" ? kPython : kJavaScript;
    t = replace_all(t, "@SOURCE@", literal(candidate));
    t = replace_all(t, "@ENTRY@", literal(spec.entry_point));
    t = replace_all(t, "@SETUP@", literal(spec.setup));
    p.source = replace_all(t, "@ITEMS@", literal_list(spec.items));
  } else if (language == "cpp") {
    if (spec.entry_point.empty()) throw InvalidRequest("harness.entry_point is required for cpp");
    std::string t = replace_all(kCpp, "@ENTRY@", spec.entry_point);
    t = replace_all(t, "@SETUP@", spec.setup);
    p.source = candidate + "\n" + replace_all(t, "@ITEMS@", cpp_items(spec.items));
  } else {
    throw InvalidRequest("a function-call harness needs python3, javascript or cpp, not '" +
                         language + "'");
  }
  return p;
}

std::string make_nonce() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    unsigned v = rd();
    for (int k = 0; k < 4; ++k) out.push_back(kHex[(v >> (k * 4)) & 15]);
  }
  return out;
}

std::vector<ItemResult> parse_harness_output(const std::string& stdout_data,
                                             const std::string& nonce, size_t items, bool& done) {
  std::vector<ItemResult> results(items);
  done = false;
  std::istringstream in(stdout_data);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(nonce + " ", 0) != 0) continue;
    std::string rest = line.substr(nonce.size() + 1);
    if (rest == "done") {
      done = true;
      continue;
    }
    std::istringstream fields(rest);
    size_t index;
    std::string status;
    if (!(fields >> index >> status) || index >= items) continue;
    std::string message;
    std::getline(fields, message);
    if (!message.empty() && message[0] == ' ') message.erase(0, 1);
    auto& r = results[index];
    r.status = status == "pass"   ? ItemResult::Status::Pass
               : status == "fail" ? ItemResult::Status::Fail
                                  : ItemResult::Status::Error;
    r.message = message;
  }
  return results;
}

}  // namespace crucible::sandbox::judge
