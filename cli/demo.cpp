// crucible demo [--dir examples/programs]: runs each example program (with its .in file as
// stdin) through the sandbox and prints one JSON line per program, then a summary.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "sandbox/sandbox.hpp"

namespace crucible::cli {
namespace fs = std::filesystem;

namespace {

constexpr FlagSpec kFlags[] = {{"dir", "DIR", "the programs (default examples/programs)"}};
constexpr CommandSpec kCommand{"demo", {}, "Runs DIR's programs in the sandbox.", kFlags};

}  // namespace

int demo_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  fs::path dir = flags.get("dir").value_or("examples/programs");
  if (!fs::is_directory(dir)) throw InvalidRequest("--dir " + dir.string() + " is not a directory");
  std::vector<fs::path> programs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() != ".in" && e.path().extension() != ".expected")
      programs.push_back(e.path());
  std::sort(programs.begin(), programs.end());

  sandbox::Sandbox sandbox;
  int matched = 0;
  for (const auto& p : programs) {
    sandbox::RunRequest req;
    req.source = read_file(p);
    req.filename = p.filename();
    fs::path in = p, expected = p;
    in.replace_extension(".in");
    expected.replace_extension(".expected");
    if (fs::exists(in)) req.stdin_data = read_file(in);
    sandbox::Outcome o = sandbox.run(req);
    // ".expected" names the verdict the example is meant to show.
    std::string want = fs::exists(expected) ? read_file(expected) : "Accepted\n";
    want.erase(want.find_last_not_of(" \n") + 1);
    bool ok = want == sandbox::verdict_name(o.verdict);
    matched += ok;
    nlohmann::json line = {{"program", p.filename()},
                           {"language", o.language},
                           {"verdict", sandbox::verdict_name(o.verdict)},
                           {"expected", want},
                           {"message", o.message},
                           {"wall_seconds", o.wall_seconds},
                           {"stdout", o.stdout_data.substr(0, 200)}};
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  }
  std::fprintf(stderr, "demo: %d of %zu programs gave their expected verdict\n", matched,
               programs.size());
  return matched == static_cast<int>(programs.size()) ? 0 : 1;
}

}  // namespace crucible::cli
