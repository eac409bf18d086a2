// crucible doctor [--json] [--languages a,b]: checks the host and each language toolchain (or
// the named ones), with fixes.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/flags.hpp"
#include "sandbox/doctor.hpp"

namespace crucible::cli {

namespace {

constexpr FlagSpec kFlags[] = {{"json", "", "print the findings as JSON"},
                               {"languages", "python3,c", "check only these languages"}};
constexpr CommandSpec kCommand{
    "doctor",
    {},
    "Checks namespaces, seccomp, cgroups and every language toolchain (or only the named ones).",
    kFlags};

}  // namespace

int doctor_command(const Args& args) {
  auto parsed = parse_command(args, kCommand);
  if (!parsed) return 0;
  const Flags& flags = *parsed;
  std::vector<std::string> languages;
  if (auto list = flags.get("languages")) {
    languages = split_list(*list);
    if (languages.empty()) throw InvalidRequest("--languages: give names such as python3,c");
  }
  auto checks = sandbox::check_host();
  bool host_ok = true;
  for (const auto& c : checks) host_ok = host_ok && c.ok;
  if (host_ok)
    for (auto& c : sandbox::check_languages(languages)) checks.push_back(std::move(c));
  bool all_ok = true;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : checks) {
    all_ok = all_ok && c.ok;
    out.push_back(
        {{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}, {"fix", c.ok ? "" : c.fix}});
    if (!flags.has("json"))
      std::printf("%-4s %-22s %s%s%s\n", c.ok ? "ok" : "FAIL", c.name.c_str(), c.detail.c_str(),
                  c.ok ? "" : "\n     fix: ", c.ok ? "" : c.fix.c_str());
  }
  if (flags.has("json")) std::cout << out.dump(2) << "\n";
  return all_ok ? 0 : 1;
}

}  // namespace crucible::cli
