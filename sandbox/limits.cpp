#include "sandbox/limits.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/number_text.hpp"

namespace crucible::sandbox {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Accessors so the table below drives validation, clamping and JSON alike.
struct Field {
  const char* name;
  double (*get)(const Limits&);
  void (*set)(Limits&, double);
};

const Field kFields[] = {
    {"cpu_seconds", [](const Limits& l) { return l.cpu_seconds; },
     [](Limits& l, double v) { l.cpu_seconds = v; }},
    {"wall_seconds", [](const Limits& l) { return l.wall_seconds; },
     [](Limits& l, double v) { l.wall_seconds = v; }},
    {"memory_bytes", [](const Limits& l) { return double(l.memory_bytes); },
     [](Limits& l, double v) { l.memory_bytes = uint64_t(v); }},
    {"processes", [](const Limits& l) { return double(l.processes); },
     [](Limits& l, double v) { l.processes = uint32_t(v); }},
    {"open_files", [](const Limits& l) { return double(l.open_files); },
     [](Limits& l, double v) { l.open_files = uint32_t(v); }},
    {"file_size_bytes", [](const Limits& l) { return double(l.file_size_bytes); },
     [](Limits& l, double v) { l.file_size_bytes = uint64_t(v); }},
    {"output_bytes", [](const Limits& l) { return double(l.output_bytes); },
     [](Limits& l, double v) { l.output_bytes = uint64_t(v); }},
};

}  // namespace

const std::vector<LimitRow>& limit_table() {
  // Floors: a time or count must be positive; a memory limit below what the memory cgroup
  // already holds for the jail cannot be written (the kernel answers EBUSY), so the smallest
  // one is 1 MiB, where a program is OOM-killed instead.
  static const std::vector<LimitRow> table = {
      {"cpu_seconds", "s", 2.0, 0.001, 60.0, "CPU spin, busy loops across many processes"},
      {"wall_seconds", "s", 5.0, 0.001, 120.0, "sleep, blocking reads, anything that never ends"},
      {"memory_bytes", "bytes", 256 * kMiB, kMiB, 4096 * kMiB,
       "memory bombs, tmpfs filling (charged too)"},
      {"processes", "tasks", 64, 1, 1024, "fork bombs and thread bombs"},
      {"open_files", "fds", 256, 1, 4096, "descriptor exhaustion"},
      {"file_size_bytes", "bytes", 64 * kMiB, 1, 1024 * kMiB, "disk fill in the scratch places"},
      {"output_bytes", "bytes", 16 * kMiB, 1, 256 * kMiB, "stdout/stderr floods"},
  };
  return table;
}

namespace {

void check_range(const LimitRow& row, double v) {
  if (!(v >= row.floor))
    throw InvalidRequest("limits." + row.field + " = " + short_number(v) + " is below " +
                         short_number(row.floor) + " " + row.unit + ", the smallest allowed");
  if (v > row.ceiling)
    throw InvalidRequest("limits." + row.field + " = " + short_number(v) + " exceeds the ceiling " +
                         short_number(row.ceiling) + " " + row.unit);
}

}  // namespace

void Limits::validate() const {
  const auto& table = limit_table();
  for (size_t i = 0; i < std::size(kFields); ++i) check_range(table[i], kFields[i].get(*this));
}

void Limits::set(const std::string& name, double value) {
  const auto& table = limit_table();
  for (size_t i = 0; i < std::size(kFields); ++i) {
    if (name != kFields[i].name) continue;
    check_range(table[i], value);
    kFields[i].set(*this, value);
    return;
  }
  throw InvalidRequest("limits." + name + " is not a limit");
}

Limits Limits::clamped() const {
  Limits out = *this;
  const auto& table = limit_table();
  for (size_t i = 0; i < std::size(kFields); ++i)
    kFields[i].set(out, std::min(kFields[i].get(out), table[i].ceiling));
  return out;
}

void to_json(nlohmann::json& j, const Limits& l) {
  j = nlohmann::json::object();
  for (const auto& f : kFields) {
    double v = f.get(l);
    if (std::string(f.name).ends_with("seconds"))
      j[f.name] = v;
    else
      j[f.name] = uint64_t(v);
  }
}

void from_json(const nlohmann::json& j, Limits& l) {
  JsonFields fields(j, "limits.");
  for (const auto& f : kFields) {
    const nlohmann::json* v = fields.value(f.name);
    if (!v) continue;
    if (!v->is_number()) fields.fail(f.name, "must be a number");
    l.set(f.name, v->get<double>());  // names limits.<field> if out of range
  }
  fields.done();
}

}  // namespace crucible::sandbox
