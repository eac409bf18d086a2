// A small flag parser shared by the subcommands: "--name value", "--name=value", boolean
// "--name", "-x value" for single-letter names, and positionals. Unknown flags and missing values
// are InvalidRequest errors that name the flag.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crucible::cli {

class Flags {
 public:
  // `with_value`: flags that take a value; `booleans`: flags that do not.
  Flags(const std::vector<std::string>& args, std::set<std::string> with_value,
        std::set<std::string> booleans);
  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // A value parsed as a positive number; InvalidRequest naming the flag otherwise.
  std::optional<double> number(const std::string& name) const;
  // A whole number from `lo` to `hi`; InvalidRequest naming the flag and the range otherwise.
  std::optional<uint64_t> whole(const std::string& name, uint64_t lo, uint64_t hi) const;
  // A TCP port, 0 to 65535 (0: the system picks one); InvalidRequest naming the flag otherwise.
  std::optional<uint16_t> port(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

}  // namespace crucible::cli
