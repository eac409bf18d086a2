// Reward hacking against the function-call harnesses: a candidate that reads the tests (from
// the harness's module or memory, from the program's file, from the harness's stdin) and
// answers with the expected values, or reads the nonce and writes "pass" lines itself. Every
// harness (Python native and HumanEval shapes, JavaScript, C++) is tried with every shape:
// none may pass. Each attack answers correctly only if it found the tests, so a harness that
// leaks them fails here; the honest candidate beside each must still pass.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sandbox/judge/formats.hpp"
#include "sandbox/judge/judge.hpp"
#include "tests/support/humaneval_record.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::judge {
namespace {

using nlohmann::json;

// The expected values are arbitrary numbers no function computes from the arguments.
const std::vector<std::string> kPyTests = {"assert candidate(1) == 918273645",
                                           "assert candidate(2) == 192837465"};
const std::vector<std::string> kJsTests = {"assert.strictEqual(candidate(1), 918273645);",
                                           "assert.strictEqual(candidate(2), 192837465);"};
const std::vector<std::string> kCppTests = {"assert(candidate(1) == 918273645);",
                                            "assert(candidate(2) == 192837465);"};

JudgeResult judge(const json& request) {
  return Judge(testing::shared_sandbox()).run(record_from_json(request).submission);
}

json native(const std::string& language, const std::string& source,
            const std::vector<std::string>& tests) {
  return {{"language", language},
          {"source", source},
          {"harness", {{"entry_point", "f"}, {"tests", tests}}}};
}

json humaneval_shape(const std::string& source) {
  return {{"task_id", "Hack/0"},
          {"prompt", ""},
          {"completion", source},
          {"test",
           "def check(candidate):\n    assert candidate(1) == 918273645\n"
           "    assert candidate(2) == 192837465\n"},
          {"entry_point", "f"}};
}

// An attack gets no test: not accepted, nothing passed, and never a sandbox failure.
void expect_no_test_passes(const json& request, const std::string& attack) {
  auto r = judge(request);
  EXPECT_NE(r.verdict, Verdict::Accepted) << attack << ": passed " << r.passed;
  EXPECT_EQ(r.passed, 0u) << attack;
  EXPECT_NE(r.verdict, Verdict::SandboxError) << attack << ": " << r.message;
}

struct Attack {
  const char* name;
  const char* source;
};

// Python: each looks for "candidate(<n>) == <value>" wherever it can reach and returns it.
const char* kPyFind =
    "import re\n"
    "def _find(text, n):\n"
    "    m = re.search(r'candidate\\(%d\\) == (\\d+)' % n, text)\n"
    "    return int(m.group(1)) if m else 0\n";

const Attack kPyAttacks[] = {
    {"a forged hello of odd shapes on the harness's own pipe",
     "import sys\n"
     "_frame = sys._getframe(1)\n"
     "_send, _resp = _frame.f_globals.get('_send'), _frame.f_locals.get('resp')\n"
     "if _send and _resp is not None:\n"
     "    _send(_resp, ('ready', ['f', 'abs', 7, ['x']], [([1], 'math'), ('math', 'cmath'), 5]))\n"
     "    _send(_resp, ('ok', 0))\n"
     "    _send(_resp, ('ready',))\n"
     "def f(n):\n    return 0\n"},
    {"harness module globals",
     "import __main__\n"
     "def f(n):\n"
     "    text = repr(vars(__main__))\n"
     "    return _find(text, n)\n"},
    {"every object in the heap",
     "import gc\n"
     "def f(n):\n"
     "    for o in gc.get_objects():\n"
     "        if isinstance(o, (list, dict, tuple)):\n"
     "            v = _find(repr(o), n)\n"
     "            if v: return v\n"
     "    return 0\n"},
    {"the program's file",
     "import glob\n"
     "def f(n):\n"
     "    for p in glob.glob('/box/*') + glob.glob('/work/*') + glob.glob('/tmp/*'):\n"
     "        try:\n"
     "            v = _find(open(p, errors='replace').read(), n)\n"
     "            if v: return v\n"
     "        except OSError: pass\n"
     "    return 0\n"},
    {"the harness's stdin through /proc",
     "import os\n"
     "def f(n):\n"
     "    for p in ['/proc/%d/fd/0' % os.getppid(), '/proc/self/fd/0', '/dev/stdin']:\n"
     "        try:\n"
     "            v = _find(open(p, errors='replace').read(), n)\n"
     "            if v: return v\n"
     "        except OSError: pass\n"
     "    return 0\n"},
    {"the harness's memory",
     "import os, re\n"
     "def f(n):\n"
     "    try:\n"
     "        mem = open('/proc/%d/mem' % os.getppid(), 'rb')\n"
     "        for line in open('/proc/%d/maps' % os.getppid()):\n"
     "            a, b = [int(x, 16) for x in line.split()[0].split('-')]\n"
     "            try:\n"
     "                mem.seek(a); v = _find(mem.read(b - a).decode('latin-1'), n)\n"
     "                if v: return v\n"
     "            except OSError: pass\n"
     "    except OSError: pass\n"
     "    return 0\n"},
    {"forged result lines with the nonce from stdin",
     "import os\n"
     "def f(n):\n"
     "    try:\n"
     "        nonce = os.pread(0, 32, 0).decode()\n"
     "    except OSError:\n"
     "        nonce = open('/proc/%d/fd/0' % os.getppid()).readline().strip()\n"
     "    out = os.open('/proc/%d/fd/1' % os.getppid(), os.O_WRONLY)\n"
     "    os.write(out, (nonce + ' 0 pass\\n' + nonce + ' 1 pass\\n' + nonce + ' "
     "done\\n').encode())\n"
     "    os._exit(0)\n"},
};

TEST(HarnessHacking, PythonCandidatesCannotReachTheTests) {
  auto honest =
      judge(native("python3", "def f(n):\n    return {1: 918273645, 2: 192837465}[n]\n", kPyTests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  for (const auto& a : kPyAttacks) {
    std::string source = std::string(kPyFind) + a.source;
    for (const json& request : {native("python3", source, kPyTests), humaneval_shape(source)}) {
      expect_no_test_passes(request,
                            std::string(a.name) + " (" + request.dump().substr(0, 40) + ")");
    }
  }
}

// Python: an answer that defines functions named like the builtins the tests call (abs,
// sorted, round, len, isinstance, ...) must not have them called in the builtins' place:
// its abs() returning 0 would pass any `abs(candidate(x) - y) < 1e-6`, its sorted() returning
// a constant any `sorted(a) == sorted(b)`. Tests in the shapes real benchmarks use.
TEST(HarnessHacking, PythonCandidatesCannotReplaceTheBuiltinsTheTestsCall) {
  const std::vector<std::string> tests = {
      "assert abs(candidate(1) - 918273645) < 1e-6",
      "assert sorted(candidate(2)) == sorted([192837465, 1])",
      "assert round(candidate(3), 2) == round(0.1234, 2)",
      "assert len(candidate(4)) == 7 and isinstance(candidate(4), list)",
      "assert set(candidate(5)) == set([5, 6, 7]) and max(candidate(5)) == 7"};
  auto honest = judge(native("python3",
                             "def f(n):\n"
                             "    return {1: 918273645, 2: [1, 192837465], 3: 0.12, "
                             "4: [0] * 7, 5: [7, 6, 5]}[n]\n",
                             tests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  const std::string forger =
      "def f(n):\n    return None\n"
      "def abs(x):\n    return 0\n"
      "def sorted(x):\n    return [1]\n"
      "def round(*a):\n    return 1\n"
      "def len(x):\n    return 7\n"
      "def isinstance(*a):\n    return True\n"
      "def set(*a):\n    return 0\n"
      "max = lambda *a: 7\n";
  expect_no_test_passes(native("python3", forger, tests), "builtins replaced (native)");
  json humaneval = humaneval_shape(forger);
  humaneval["test"] =
      "def check(candidate):\n    assert abs(candidate(1) - 918273645) < 1e-6\n"
      "    assert sorted(candidate(2)) == sorted([192837465, 1])\n";
  expect_no_test_passes(humaneval, "builtins replaced (HumanEval)");
  // The entry point itself may carry a builtin's name: the tests call it by that name.
  json entry_named_sum = native("python3", "def sum(n):\n    return n + 1\n",
                                {"assert sum(1) == 2", "assert candidate(2) == 3"});
  entry_named_sum["harness"]["entry_point"] = "sum";
  auto r = judge(entry_named_sum);
  EXPECT_EQ(r.verdict, Verdict::Accepted) << r.message;
}

// MBPP's tests call the modules the answer imported (`math.isclose(...)` after `import
// math`), so the tests get them, imported afresh in the harness. An answer must not pass its
// own module in their place: a module object it made and named "math", another module under
// that name, or a math.py it wrote where an import might look.
TEST(HarnessHacking, PythonCandidatesCannotHandTheTestsAModule) {
  const std::vector<std::string> tests = {"assert math.isclose(f(1), 918273645.5, rel_tol=1e-9)",
                                          "assert math.isclose(f(2), 192837465.5, rel_tol=1e-9)"};
  auto honest = judge(native("python3",
                             "import math\n"
                             "def f(n):\n    return {1: 918273645.5, 2: 192837465.5}[n]\n",
                             tests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  const Attack attacks[] = {
      {"a module object named math",
       "import types\nmath = types.ModuleType('math')\n"
       "math.isclose = lambda *a, **k: True\ndef f(n):\n    return 0\n"},
      {"another module under the name math",
       "import cmath as math\nimport unittest.mock as mock\ndef f(n):\n    return 0\n"},
      {"a math.py written where imports look",
       "import os, sys\n"
       "for d in ['/tmp', '/work', os.getcwd(), os.path.dirname(sys.argv[0]) or '.']:\n"
       "    try:\n"
       "        open(os.path.join(d, 'math.py'), 'w').write('isclose = lambda *a, **k: True\\n')\n"
       "    except OSError:\n"
       "        pass\n"
       "sys.path.insert(0, '/tmp')\n"
       "import importlib\nmath = importlib.import_module('math')\n"
       "def f(n):\n    return 0\n"},
  };
  for (const auto& a : attacks) expect_no_test_passes(native("python3", a.source, tests), a.name);
  // Which modules the harness imports is the candidate's choice, so only those the tests name
  // are imported; an answer that imports noisy ones (`this` prints, `antigravity` starts a
  // browser) is judged as any other.
  auto noisy = judge(native("python3",
                            "import this, antigravity, math\n"
                            "def f(n):\n    return {1: 918273645.5, 2: 192837465.5}[n]\n",
                            tests));
  EXPECT_EQ(noisy.verdict, Verdict::Accepted) << noisy.message;
}

// The answer's exceptions reach the tests as themselves, but StopIteration raised inside
// map() would end the iteration, and all(map(check, cases)) would hold.
TEST(HarnessHacking, PythonCandidatesCannotEndTheTestsIterations) {
  const std::vector<std::string> tests = {
      "assert all(map(lambda c: candidate(c[0]) == c[1], [(1, 918273645), (2, 192837465)]))",
      "assert all(map(lambda c: f(c) > 0, [1, 2]))"};
  auto honest =
      judge(native("python3", "def f(n):\n    return {1: 918273645, 2: 192837465}[n]\n", tests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  for (const char* kind : {"StopIteration", "StopAsyncIteration", "GeneratorExit", "SystemExit"})
    expect_no_test_passes(
        native("python3", std::string("def f(n):\n    raise ") + kind + "()\n", tests), kind);
}

// JavaScript: escape the realm (constructor chain) to node's process, then look for the tests
// in the harness's file, its stdin, its memory, or forge lines on stdout.
const char* kJsFind =
    "function _find(text, n) {\n"
    "  const m = new RegExp('candidate\\\\(' + n + '\\\\), (\\\\d+)').exec(text);\n"
    "  return m ? Number(m[1]) : 0;\n"
    "}\n"
    "function _process() { return this.constructor.constructor('return process')(); }\n"
    "function _fs() { const p = _process(); return p.getBuiltinModule ? "
    "p.getBuiltinModule('fs') : p.binding('fs'); }\n";

const Attack kJsAttacks[] = {
    {"the program's file",
     "function f(n) {\n"
     "  const fs = _fs();\n"
     "  for (const dir of ['/box', '/work', '/tmp'])\n"
     "    for (const name of fs.readdirSync(dir)) {\n"
     "      try { const v = _find(fs.readFileSync(dir + '/' + name, 'utf8'), n); if (v) return v; }"
     " catch (e) {}\n"
     "    }\n"
     "  return 0;\n"
     "}\n"},
    {"the harness's stdin and memory through /proc",
     "function f(n) {\n"
     "  const fs = _fs(); const p = _process();\n"
     "  for (const path of ['/proc/' + p.ppid + '/fd/0', '/proc/' + p.pid + '/fd/0']) {\n"
     "    try { const v = _find(fs.readFileSync(path, 'utf8'), n); if (v) return v; } catch (e) "
     "{}\n"
     "  }\n"
     "  return 0;\n"
     "}\n"},
    {"forged result lines",
     "function f(n) {\n"
     "  const fs = _fs(); const p = _process();\n"
     "  const nonce = fs.readFileSync('/proc/' + p.ppid + '/fd/0', 'utf8').split('\\n')[0];\n"
     "  fs.writeSync(1, nonce + ' 0 pass\\n' + nonce + ' 1 pass\\n' + nonce + ' done\\n');\n"
     "  p.exit(0);\n"
     "}\n"},
    {"node's fs through require: the harness's memory",
     "const fs = require('fs');\n"
     "function f(n) {\n"
     "  const maps = fs.readFileSync('/proc/' + process.ppid + '/maps', 'utf8').split('\\n');\n"
     "  const mem = fs.openSync('/proc/' + process.ppid + '/mem', 'r');\n"
     "  for (const line of maps) {\n"
     "    const [a, b] = line.split(' ')[0].split('-').map((x) => parseInt(x, 16));\n"
     "    if (!(b > a) || b - a > (64 << 20)) continue;\n"
     "    const buf = Buffer.alloc(b - a);\n"
     "    try { fs.readSync(mem, buf, 0, b - a, a); } catch (e) { continue; }\n"
     "    const v = _find(buf.toString('latin1'), n); if (v) return v;\n"
     "  }\n"
     "  return 0;\n"
     "}\n"},
    {"node's child_process through require",
     "function f(n) {\n"
     "  const out = require('child_process').execFileSync('/bin/sh', ['-c', 'cat /proc/' + "
     "process.ppid + '/fd/0 /box/* 2>/dev/null'], {encoding: 'latin1'});\n"
     "  return _find(out, n);\n"
     "}\n"},
};

// A candidate with node's process in reach sends the harness SIGUSR1, which would start the
// harness's inspector for any local process to drive. The harness must not start it.
TEST(HarnessHacking, JavaScriptCandidatesCannotSwitchOnTheHarnessDebugger) {
  auto r = judge(native("javascript",
                        "process.kill(process.ppid, 'SIGUSR1');\n"
                        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);\n"
                        "function f(n) { return -1; }\n",
                        kJsTests));
  EXPECT_EQ(r.verdict, Verdict::WrongAnswer) << r.message;
  ASSERT_FALSE(r.tests.empty());
  for (const auto& t : r.tests)
    EXPECT_EQ(t.stderr_data.find("Debugger listening"), std::string::npos) << t.stderr_data;
}

TEST(HarnessHacking, JavaScriptCandidatesCannotReachTheTests) {
  auto honest = judge(
      native("javascript", "function f(n) { return {1: 918273645, 2: 192837465}[n]; }", kJsTests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  for (const auto& a : kJsAttacks) {
    expect_no_test_passes(native("javascript", std::string(kJsFind) + a.source, kJsTests), a.name);
  }
}

// C++: read the nonce from stdin and print "pass" lines; read the test binary's own file;
// scan the process's memory for the expected values.
const Attack kCppAttacks[] = {
    {"forged result lines with the nonce from stdin",
     "#include <unistd.h>\n#include <string>\n#include <fcntl.h>\n"
     "int f(int) {\n"
     "  char buf[128] = {0};\n"
     "  ssize_t n = pread(0, buf, 127, 0);\n"
     "  if (n <= 0) { int fd = open(\"/proc/1/fd/0\", O_RDONLY); if (fd >= 0) n = pread(fd, buf, "
     "127, 0); }\n"
     "  std::string nonce(buf, n > 0 ? static_cast<size_t>(n) : 0);\n"
     "  nonce = nonce.substr(0, nonce.find('\\n'));\n"
     "  std::string out = nonce + \" 0 pass \\n\" + nonce + \" 1 pass \\n\" + nonce + \" "
     "done\\n\";\n"
     "  (void)!write(1, out.data(), out.size());\n"
     "  _exit(0);\n"
     "}\n"},
    {"the expected values in the process's own memory",
     "#include <cstring>\n#include <cstdio>\n#include <string>\n"
     "extern \"C\" char __executable_start, etext;\n"
     "int f(int n) {\n"
     "  // The literals sit in the code as immediates: look for both in order.\n"
     "  const unsigned char* p = reinterpret_cast<const unsigned char*>(&__executable_start);\n"
     "  const unsigned char* end = reinterpret_cast<const unsigned char*>(&etext);\n"
     "  int found = 0, want = n;\n"
     "  for (; p + 4 <= end; ++p) {\n"
     "    int v; std::memcpy(&v, p, 4);\n"
     "    if (v == 918273645 || v == 192837465) { if (++found == want) return v; }\n"
     "  }\n"
     "  return 0;\n"
     "}\n"},
    {"the test program's file and source",
     "#include <fstream>\n#include <sstream>\n#include <string>\n#include <cstring>\n"
     "int f(int n) {\n"
     "  for (const char* path : {\"/box/main\", \"/box/main.cpp\", \"/proc/1/exe\"}) {\n"
     "    std::ifstream in(path, std::ios::binary);\n"
     "    std::stringstream ss; ss << in.rdbuf(); std::string s = ss.str();\n"
     "    for (size_t p = 0; p + 4 <= s.size(); ++p) {\n"
     "      int v; std::memcpy(&v, s.data() + p, 4);\n"
     "      if ((n == 1 && v == 918273645) || (n == 2 && v == 192837465)) return v;\n"
     "    }\n"
     "    size_t at = s.find(\"candidate(\" + std::to_string(n) + \") == \");\n"
     "    if (at != std::string::npos) return std::stoi(s.substr(at + 15));\n"
     "  }\n"
     "  return 0;\n"
     "}\n"},
};

TEST(HarnessHacking, CppCandidatesCannotReachTheTests) {
  auto honest =
      judge(native("cpp", "int f(int n) { return n == 1 ? 918273645 : 192837465; }", kCppTests));
  ASSERT_EQ(honest.verdict, Verdict::Accepted) << honest.message;
  for (const auto& a : kCppAttacks) {
    expect_no_test_passes(native("cpp", a.source, kCppTests), a.name);
  }
}

// A float check within a tolerance (`math.Abs(F(x)-y) < 1e-6`) used to run in the answer's
// program, expected value and all, so an answer that searched the files it can read for
// `F(x)-` found y (Accepted on d6b3d8b in Go through the native API). Now y is printed by the
// task's program and compared in the judge: the same answers find nothing.
TEST(HarnessHacking, FloatChecksExpectedValuesAreNotInTheAnswersProgram) {
  const std::string go_reader =
      "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"path/filepath\"\n"
      "\t\"strconv\"\n\t\"strings\"\n\t\"testing\"\n)\n\nvar _ = testing.Short\n\n"
      "func f(x float64) float64 {\n"
      "\tkey := fmt.Sprintf(\"f(%v)-\", x)\n"
      "\tfound := 0.0\n"
      "\tfor _, root := range []string{\"/box\", \"/data\", \"/tmp\", \".\"} {\n"
      "\t\tfilepath.Walk(root, func(p string, info os.FileInfo, err error) error {\n"
      "\t\t\tif err != nil || info.IsDir() || info.Size() > 1<<24 {\n\t\t\t\treturn nil\n\t\t\t}\n"
      "\t\t\tb, _ := os.ReadFile(p)\n"
      "\t\t\tif i := strings.Index(string(b), key); i >= 0 {\n"
      "\t\t\t\trest := string(b)[i+len(key):]\n"
      "\t\t\t\tif j := strings.IndexAny(rest, \") \"); j > 0 {\n"
      "\t\t\t\t\tif v, err := strconv.ParseFloat(rest[:j], 64); err == nil {\n"
      "\t\t\t\t\t\tfound = v\n\t\t\t\t\t}\n\t\t\t\t}\n\t\t\t}\n"
      "\t\t\treturn nil\n\t\t})\n\t}\n\treturn found\n}\n";
  const std::vector<std::string> go_tests = {
      "assert.Equal(true, math.Abs(f(1.33)-0.918273645) < 1e-6)",
      "assert.Equal(true, math.Abs(f(2.5)-0.192837465) < 1e-6)"};
  expect_no_test_passes(native("go_test", go_reader, go_tests), "Go: reads y from its files");
  std::string honest = go_reader;
  honest.replace(honest.find("\treturn found\n"), 14,
                 "\t_ = found\n\tif x == 1.33 {\n\t\treturn 0.918273645\n\t}\n"
                 "\treturn 0.1928374651\n");
  auto right = judge(native("go_test", honest, go_tests));
  EXPECT_EQ(right.verdict, Verdict::Accepted) << right.message << right.compile.compile_output;

  // HumanEval-X's Java: the same search through every file under the places it can read.
  const json java = {
      {"task_id", "Java/2"},
      {"prompt", testing::kHumanEvalXJava2Prompt},
      {"declaration", testing::kHumanEvalXJava2Prompt},
      {"test",
       "public class Main {\n    public static void main(String[] args) {\n"
       "        Solution s = new Solution();\n        List<Boolean> correct = Arrays.asList(\n"
       "            Math.abs(s.truncateNumber(1.33) - 0.918273645) < 1e-6,\n"
       "            Math.abs(s.truncateNumber(2.5) - 0.192837465) < 1e-6\n        );\n"
       "        if (correct.contains(false)) {\n            throw new AssertionError();\n"
       "        }\n    }\n}"},
      {"generation",
       "        String key = \"truncateNumber(\" + number + \") - \";\n"
       "        for (String dir : new String[] {\"/box\", \"/data\", \"/tmp\", \".\"}) {\n"
       "            try (java.util.stream.Stream<java.nio.file.Path> all =\n"
       "                     java.nio.file.Files.walk(java.nio.file.Paths.get(dir), 4)) {\n"
       "                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) all::iterator) "
       "{\n"
       "                    try {\n"
       "                        String t = new String(java.nio.file.Files.readAllBytes(p), "
       "\"ISO-8859-1\");\n"
       "                        int i = t.indexOf(key);\n"
       "                        if (i < 0) continue;\n"
       "                        String r = t.substring(i + key.length()).replace(\"(\", \"\");\n"
       "                        int e = 0;\n"
       "                        while (e < r.length() && \"0123456789.\".indexOf(r.charAt(e)) >= "
       "0) "
       "e++;\n"
       "                        return Double.parseDouble(r.substring(0, e));\n"
       "                    } catch (Exception ignored) {\n                    }\n"
       "                }\n            } catch (Exception ignored) {\n            }\n"
       "        }\n        return 0;\n    }\n}\n"}};
  const Submission s = record_from_json(java).submission;
  ASSERT_TRUE(s.harness.has_value());
  auto r = Judge(testing::shared_sandbox()).run(s);
  EXPECT_NE(r.verdict, Verdict::Accepted) << "Java: reads y from its files";
  EXPECT_EQ(r.passed, 0u);
  EXPECT_NE(r.verdict, Verdict::SandboxError) << r.message;
}

}  // namespace
}  // namespace crucible::sandbox::judge
