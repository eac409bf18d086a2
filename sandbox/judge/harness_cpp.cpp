#include "sandbox/judge/harness_cpp.hpp"

#include <sstream>

#include "base/error.hpp"
#include "sandbox/judge/harness_templates.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// The candidate's program: its own code, then a loop that answers calls. It holds nothing
// else: no tests, no nonce; its stdin and stdout are pipes to the test program.
constexpr const char* kServer = R"CPP(
// ---- Crucible harness: the candidate's side (answers calls, holds no tests) ----
namespace crucible_harness {
// The calls arrive on stdin and the answers leave on stdout. Before the candidate's own
// static initialisers (a lower constructor priority runs first), both move to descriptors of
// their own: the candidate's prints go to stderr and its reads of stdin see an empty input,
// as in a program run with no input, instead of breaking the messages.
static signed calls_in = 0, answers_out = 1;
__attribute__((constructor(101))) static void take_the_channel() {
  signed in = ::dup(0), out = ::dup(1);
  signed empty[2];
  if (in < 0 || out < 0 || ::pipe(empty) != 0) return;
  ::close(empty[1]);
  ::dup2(empty[0], 0);
  ::close(empty[0]);
  ::dup2(2, 1);
  calls_in = in;
  answers_out = out;
}
template <class R, class... A, size_t... I>
Value call_with(R (*f)(A...), const Value& args, std::index_sequence<I...>) {
  std::tuple<std::decay_t<A>...> values(value_as<std::decay_t<A>>(args.items[I])...);
  if constexpr (std::is_void_v<R>) {
    std::apply(f, values);
    return Value();
  } else {
    return Value(std::apply(f, values));
  }
}
template <class R, class... A> void serve(R (*f)(A...)) {
  char tag;
  std::string body;
  send_message(answers_out, 'r', "");
  while (receive_message(calls_in, tag, body)) {
    std::string reply;
    char status = 'o';
    try {
      Decoder d{body};
      Value args = d.read();
      if (args.kind != Value::List || args.items.size() != sizeof...(A))
        throw std::runtime_error("called with " + std::to_string(args.items.size()) + " arguments; the function takes " + std::to_string(sizeof...(A)));
      encode(call_with(f, args, std::index_sequence_for<A...>{}), reply);
    } catch (const std::exception& e) {
      status = 'e';
      reply = e.what();
    } catch (...) {
      status = 'e';
      reply = "unknown exception";
    }
    if (!send_message(answers_out, status, reply)) break;
  }
  ::_exit(0);
}
}  // namespace crucible_harness
@ENTRY_POINTER@
signed main() { crucible_harness::serve(crucible_entry); }  // "signed": code may #define int
)CPP";

// The test program: the tests and the nonce, never the candidate's code. It starts the
// candidate's program (/data/main) with pipes for stdin and stdout and calls it by message.
// Its binary is sealed unreadable and it runs non-dumpable, so the candidate can read
// neither its file nor its memory nor its stdin.
constexpr const char* kTests = R"CPP(
#include <bits/stdc++.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <algorithm>
#include <iostream>
#include <numeric>
#include <sstream>

namespace crucible_harness {
struct Failure {
  const char* expr;
};
static char nonce[80];
static int to_candidate = -1, from_candidate = -1;
static std::string load_error;
static void report(int index, const char* status, const std::string& message) {
  std::string m = message.substr(0, 500);
  for (char& c : m) if (c == '\n') c = ' ';
  std::string line = std::string(nonce) + " " + std::to_string(index) + " " + status + " " + m + "\n";
  (void)!::write(1, line.data(), line.size());
}
static void start_candidate() {
  int req[2], resp[2];
  if (::pipe2(req, O_CLOEXEC) != 0 || ::pipe2(resp, O_CLOEXEC) != 0) { load_error = "cannot create pipes"; return; }
  pid_t pid = ::fork();
  if (pid < 0) { load_error = "cannot start the candidate"; return; }
  if (pid == 0) {
    ::dup2(req[0], 0);
    ::dup2(resp[1], 1);
    char* argv[] = {const_cast<char*>("/data/main"), nullptr};
    ::execv(argv[0], argv);
    ::_exit(127);
  }
  ::close(req[0]);
  ::close(resp[1]);
  to_candidate = req[1];
  from_candidate = resp[0];
  char tag;
  std::string body;
  if (!receive_message(from_candidate, tag, body) || tag != 'r') load_error = "the candidate ended before its first call (an exit or a crash while loading)";
}
inline Value call(std::initializer_list<Value> args) {
  if (!load_error.empty()) throw std::runtime_error(load_error);
  std::string body;
  Value list(args);
  list.kind = Value::List;
  encode(list, body);
  char tag;
  std::string reply;
  if (!send_message(to_candidate, 'c', body) || !receive_message(from_candidate, tag, reply)) {
    load_error = "the candidate process ended";
    throw std::runtime_error(load_error);
  }
  if (tag == 'e') throw std::runtime_error(reply);
  Decoder d{reply};
  return d.read();
}
}  // namespace crucible_harness

#define candidate(...) ::crucible_harness::call({__VA_ARGS__})
#define @ENTRY@(...) ::crucible_harness::call({__VA_ARGS__})
// Test code is written against the candidate's prompt, which usually opens the std namespace.
using namespace std;
using crucible_harness::abs;
using crucible_harness::fabs;
// The test's own code at namespace scope (the task's helpers, the test's includes and helpers).
@SETUP@
// After it: a test's own #include <assert.h> would bring back the assert that aborts.
#undef NDEBUG
#undef assert
#define assert(e) ((e) ? (void)0 : throw ::crucible_harness::Failure{#e})

signed main() {
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (!std::fgets(crucible_harness::nonce, sizeof crucible_harness::nonce, stdin)) return 3;
  crucible_harness::nonce[std::strcspn(crucible_harness::nonce, "\r\n")] = 0;
  crucible_harness::start_candidate();
@ITEMS@
  std::string done = std::string(crucible_harness::nonce) + " done\n";
  (void)!::write(1, done.data(), done.size());
  ::_exit(0);
}
)CPP";
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

// Where the signature names the entry point (`NAME(`, not the end of a longer name), or npos.
size_t name_in_signature(const HarnessSpec& spec) {
  const std::string call = spec.entry_point + "(";
  for (size_t at = spec.signature.find(call); at != std::string::npos;
       at = spec.signature.find(call, at + 1))
    if (at == 0 || !is_identifier_char(spec.signature[at - 1])) return at;
  return std::string::npos;
}

// The answer's function as a pointer. `::` skips the std namespace the prompt opens (an answer's
// max_element beside std::max_element); the declaration, when known, also picks it out of the
// C library's functions of the same name (strlen).
// `name`: where the signature names it (name_in_signature).
std::string entry_pointer(const HarnessSpec& spec, size_t name) {
  const std::string address = "&::" + spec.entry_point;
  if (spec.signature.empty()) return "const auto crucible_entry = " + address + ";";
  return spec.signature.substr(0, name) + "(*const crucible_entry)" +
         spec.signature.substr(name + spec.entry_point.size()) + " = " + address + ";";
}

}  // namespace

CppHarness build_cpp_harness(const std::string& candidate, const HarnessSpec& spec) {
  const size_t name = name_in_signature(spec);
  if (!spec.signature.empty() &&
      (name == std::string::npos || spec.signature.find_first_of(";{}=") != std::string::npos))
    throw InvalidRequest("harness.signature must declare the entry point '" + spec.entry_point +
                         "' as `TYPE " + spec.entry_point +
                         "(PARAMETERS)`, without a body or default arguments");
  CppHarness h;
  // Answers often bring a main() of their own (a model's demo of its function): renamed, it is
  // an unused function and the harness's main runs. #line keeps the answer's line numbers.
  h.candidate_source = "#define main crucible_candidate_main\n#line 1\n" + candidate +
                       "\n#undef main\n" + cpp_harness_values() +
                       replace_all(kServer, "@ENTRY_POINTER@", entry_pointer(spec, name));
  std::string tests = replace_all(kTests, "@ENTRY@", spec.entry_point);
  tests = replace_all(tests, "@SETUP@", spec.setup);
  h.tests_source = cpp_harness_values() + replace_all(tests, "@ITEMS@", cpp_items(spec.items));
  return h;
}

}  // namespace crucible::sandbox::judge
