// crucible run [--lang L|auto] [--stdin FILE] [--time-limit S] [--memory-limit MB] [--json] FILE
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "sandbox/sandbox.hpp"

namespace crucible::cli {

namespace {
constexpr std::string_view kUsage[] = {"run [options] FILE"};
constexpr FlagSpec kFlags[] = {{"lang", "L|auto", "the language (default: detected)"},
                               {"stdin", "FILE", "the program's standard input"},
                               {"time-limit", "S", "CPU seconds"},
                               {"wall-limit", "S", "wall-clock seconds"},
                               {"memory-limit", "MB", "memory"},
                               {"json", "", "print the whole result as JSON"}};
constexpr CommandSpec kCommand{
    "run", kUsage,
    "Runs FILE in the sandbox. Prints the program's stdout, then one verdict line on stderr;\n"
    "with --json, one JSON object with the full result on stdout. FILE may be - for stdin.\n"
    "Exit code: 0 when the program ran and exited 0, 1 for any other verdict, 2 for bad usage.",
    kFlags};
}  // namespace

int run_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  if (flags.positionals().size() != 1)
    throw InvalidRequest("expected exactly one FILE to run\n" + kCommand.help());
  const std::string& file = flags.positionals()[0];
  // First, so the helper starts (and prepares the jail) while the request is put together.
  sandbox::SandboxOptions options;
  options.single_run = true;  // one run, then the process ends
  sandbox::Sandbox sandbox(options);

  sandbox::RunRequest req;
  req.language = flags.get("lang").value_or("auto");
  if (file == "-") {
    req.source.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    try {
      req.source = read_file(file);
    } catch (const Error& e) {
      throw InvalidRequest(e.what());
    }
    req.filename = file;
  }
  if (auto in = flags.get("stdin")) {
    try {
      req.stdin_data = read_file(*in);
    } catch (const Error& e) {
      throw InvalidRequest(std::string("--stdin: ") + e.what());
    }
  }
  if (auto t = flags.number("time-limit")) {
    req.limits.cpu_seconds = *t;
    req.limits.wall_seconds = std::max(req.limits.wall_seconds, *t * 2 + 1);
  }
  if (auto w = flags.number("wall-limit")) req.limits.wall_seconds = *w;
  if (auto m = flags.number("memory-limit"))
    req.limits.memory_bytes = static_cast<uint64_t>(*m * 1024 * 1024);
  try {
    req.limits.validate();
  } catch (const InvalidRequest& e) {
    throw InvalidRequest(std::string(e.what()) +
                         " (check --time-limit/--wall-limit/--memory-limit)");
  }

  sandbox::Outcome o = sandbox.run(req);
  if (flags.has("json")) {
    std::cout << nlohmann::json(o).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << o.stdout_data << std::flush;
    if (!o.compile_output.empty() && o.verdict == sandbox::Verdict::CompileError)
      std::cerr << o.compile_output;
    std::fprintf(stderr, "%s (%s) %s; cpu %.3f s, wall %.3f s, memory %.1f MiB\n",
                 sandbox::verdict_name(o.verdict), o.language.c_str(), o.message.c_str(),
                 o.cpu_seconds, o.wall_seconds, o.peak_memory_bytes / (1024.0 * 1024.0));
  }
  if (o.verdict == sandbox::Verdict::SandboxError) return 3;
  return o.verdict == sandbox::Verdict::Accepted ? 0 : 1;
}

}  // namespace crucible::cli
