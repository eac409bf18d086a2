// crucible: the command-line entry point. Dispatches to one file per subcommand and turns
// errors into one clear line on stderr and a non-zero exit code.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "sandbox/jail/client.hpp"

namespace {

// `crucible run` is one run in a new process. Its jail helper starts here, before every other
// constructor of the program (the C++ library's included): the process's own initialisation
// (~2 ms of static constructors and page faults on a slow VM) then overlaps the helper's
// start and the jail it prepares, which come first on the command's critical path. The
// Sandbox that `run` makes adopts this helper. glibc passes main's arguments to constructors.
__attribute__((constructor(101))) void start_jail_helper_for_run(int argc, char** argv, char**) {
  if (argc < 3 || std::strcmp(argv[1], "run") != 0) return;
  for (int i = 2; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) return;
  crucible::sandbox::jail::JailClient::start_early(
      crucible::sandbox::jail::JailClient::Requests::OneAtATime);
}

constexpr const char* kUsage =
    "usage: crucible <command> [options]\n"
    "\n"
    "commands:\n"
    "  run     run a program in the sandbox and print its verdict\n"
    "  judge   judge a submission against test cases (or a JSONL batch)\n"
    "  serve   serve the sandbox over HTTP (native, SandboxFusion and Piston APIs)\n"
    "  tasks   import, validate, summarise, deduplicate, decontaminate and split task files\n"
    "  verify  check a math answer against a reference (or a JSONL batch)\n"
    "  sft     train the native policy on task answers (supervised)\n"
    "  sample  sample from a native policy checkpoint\n"
    "  serve-policy  serve a native policy over the OpenAI-compatible completions API\n"
    "  label   sample and reward tasks into a reward-labeled JSONL dataset\n"
    "  train   self-train the native policy on verified rewards (--preset demo)\n"
    "  critique  step-level critiques of samples (arithmetic, execution or a model critic)\n"
    "  refine  sample, critique and refine, against plain sampling at the same policy calls\n"
    "  report  an HTML report (SVG plots) of one or more training runs\n"
    "  doctor  check this host: namespaces, seccomp, cgroups, language toolchains\n"
    "  demo    run the examples/ programs through the sandbox\n"
    "\n"
    "`crucible <command> --help` describes a command.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  crucible::cli::Args args(argv + 2, argv + argc);
  try {
    if (command == "run") return crucible::cli::run_command(args);
    if (command == "doctor") return crucible::cli::doctor_command(args);
    if (command == "judge") return crucible::cli::judge_command(args);
    if (command == "serve") return crucible::cli::serve_command(args);
    if (command == "tasks") return crucible::cli::tasks_command(args);
    if (command == "verify") return crucible::cli::verify_command(args);
    if (command == "sft") return crucible::cli::sft_command(args);
    if (command == "sample") return crucible::cli::sample_command(args);
    if (command == "serve-policy") return crucible::cli::serve_policy_command(args);
    if (command == "label") return crucible::cli::label_command(args);
    if (command == "train") return crucible::cli::train_command(args);
    if (command == "critique") return crucible::cli::critique_command(args);
    if (command == "refine") return crucible::cli::refine_command(args);
    if (command == "report") return crucible::cli::report_command(args);
    if (command == "demo") return crucible::cli::demo_command(args);
    std::fprintf(stderr, "crucible: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const crucible::InvalidRequest& e) {
    std::fprintf(stderr, "crucible %s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crucible %s: error: %s\n", command.c_str(), e.what());
    return 1;
  }
}
