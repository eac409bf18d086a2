// The flag parser of every subcommand: "--name value", "--name=value", boolean "--name",
// "-x value" for single-letter names, and positionals. Each command declares its flags once,
// in a table (CommandSpec) that both parses them and generates its --help; unknown flags,
// missing values, missing required flags and bad numbers are InvalidRequest errors naming
// the flag. The tables are constant data (views of string literals and arrays), so no command
// builds any of them when the program starts or runs:
//
//   constexpr FlagSpec kFlags[] = {{"tasks", "T.jsonl", "the tasks", true}};
//   constexpr CommandSpec kCommand{"label", {}, "Samples and rewards every task...", kFlags};
//   auto f = parse_command(args, kCommand);   // nullopt: --help was printed
//   if (!f) return 0;
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crucible::cli {

struct FlagSpec {
  std::string_view name;   // without the dashes
  std::string_view value;  // its placeholder in the help ("T.jsonl"); empty: a boolean flag
  std::string_view help;   // one line
  bool required = false;
};

// Views only: what they view (string literals, static arrays of rows) must outlive the spec.
struct CommandSpec {
  std::string_view name;                       // "label", "tasks"
  std::span<const std::string_view> synopsis;  // usage lines after "crucible"; empty: generated
  std::string_view summary;                    // what the command does (printed after the usage)
  std::span<const FlagSpec> flags;             // --help is implied
  std::string_view positionals = "";           // shown in a generated usage line ("FILE")
  std::string_view program = "crucible";       // what the usage lines start with (a bench's path)

  std::string help() const;
};

class Flags {
 public:
  // `with_value`: flags that take a value; `booleans`: flags that do not.
  Flags(const std::vector<std::string>& args, std::set<std::string> with_value,
        std::set<std::string> booleans);
  Flags(const std::vector<std::string>& args, const CommandSpec& spec);
  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // A value parsed as a positive number; InvalidRequest naming the flag otherwise.
  std::optional<double> number(const std::string& name) const;
  // A whole number from `lo` to `hi`; InvalidRequest naming the flag and the range otherwise.
  std::optional<uint64_t> whole(const std::string& name, uint64_t lo, uint64_t hi) const;
  // A number from `lo` to `hi` (any sign); InvalidRequest naming the flag otherwise.
  std::optional<double> real(const std::string& name, double lo, double hi) const;
  // A TCP port, 0 to 65535 (0: the system picks one); InvalidRequest naming the flag otherwise.
  std::optional<uint16_t> port(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// A flag's comma-separated list ("python3,c"), empty items dropped.
std::vector<std::string> split_list(const std::string& text);

// Parses `args` by `spec`: prints the help and returns nullopt for --help; a missing
// required flag is an InvalidRequest naming it, followed by the help.
std::optional<Flags> parse_command(const std::vector<std::string>& args, const CommandSpec& spec);

}  // namespace crucible::cli
