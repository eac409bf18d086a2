// Resource limits of one sandboxed run. Every field has a default and a hard ceiling the
// caller cannot exceed; both live in one table (limits.cpp) with the threat each answers.
//
//   Limits l;                 // defaults
//   l.cpu_seconds = 1.0;
//   l.validate();             // throws InvalidRequest naming the field if out of range
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace crucible::sandbox {

struct Limits {
  double cpu_seconds = 2.0;                // CPU time of the whole process tree
  double wall_seconds = 5.0;               // elapsed time from start to exit
  uint64_t memory_bytes = 256ull << 20;    // whole tree, through the memory cgroup
  uint32_t processes = 64;                 // tasks (processes and threads), pids cgroup
  uint32_t open_files = 256;               // RLIMIT_NOFILE per process
  uint64_t file_size_bytes = 64ull << 20;  // RLIMIT_FSIZE and size of each writable tmpfs
  uint64_t output_bytes = 16ull << 20;     // stdout and stderr, each

  // Throws InvalidRequest naming the first field that is not in [floor, ceiling].
  void validate() const;
  // Sets the field `name` ("memory_bytes", ...) from a number a client sent, checked against
  // its floor and ceiling before it is converted (a huge or negative double never reaches an
  // integer field). Throws InvalidRequest naming limits.<name>.
  void set(const std::string& name, double value);
  // The same limits with every field clamped to its ceiling (for per-language raises).
  Limits clamped() const;
};

// One row of the limits table, for documentation and `crucible doctor`.
struct LimitRow {
  std::string field;
  std::string unit;
  double default_value;
  double floor;  // the smallest value the jail can enforce
  double ceiling;
  std::string threat;
};
const std::vector<LimitRow>& limit_table();

void to_json(nlohmann::json& j, const Limits& l);
// Reads the fields present over the defaults; unknown fields are an InvalidRequest.
void from_json(const nlohmann::json& j, Limits& l);

}  // namespace crucible::sandbox
