#include "cli/flags.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "base/error.hpp"
#include "base/number_text.hpp"

namespace crucible::cli {

Flags::Flags(const std::vector<std::string>& args, std::set<std::string> with_value,
             std::set<std::string> booleans) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    // Single-letter flags also take the short form: "-j 4" is "--j 4".
    if (a.size() == 2 && a[0] == '-' && a[1] != '-' &&
        (with_value.count(a.substr(1)) || booleans.count(a.substr(1))))
      a = "-" + a;
    if (a.size() < 3 || a.rfind("--", 0) != 0) {
      if (a.size() > 1 && a[0] == '-') throw InvalidRequest("unknown flag '" + a + "'");
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    // A repeated flag is refused rather than letting the last one silently win.
    if (values_.count(name)) throw InvalidRequest("flag --" + name + " is given twice");
    if (booleans.count(name)) {
      if (inline_value) throw InvalidRequest("flag --" + name + " takes no value");
      values_[name] = "true";
    } else if (with_value.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) throw InvalidRequest("flag --" + name + " needs a value");
        value = args[++i];
      }
      values_[name] = value;
    } else {
      throw InvalidRequest("unknown flag '--" + name + "'");
    }
  }
}

namespace {

std::set<std::string> flag_names(const CommandSpec& spec, bool with_value) {
  std::set<std::string> out;
  for (const auto& f : spec.flags)
    if (f.value.empty() != with_value) out.emplace(f.name);
  if (!with_value) out.insert("help");
  return out;
}

// "--name VALUE" (or "-x VALUE"), as a usage line and the help's flag column show it.
std::string flag_usage(std::string_view dashes, const FlagSpec& f) {
  std::string out(dashes);
  out += f.name;
  if (!f.value.empty()) (out += ' ') += f.value;
  return out;
}

}  // namespace

Flags::Flags(const std::vector<std::string>& args, const CommandSpec& spec)
    : Flags(args, flag_names(spec, true), flag_names(spec, false)) {}

std::string CommandSpec::help() const {
  std::string out;
  std::vector<std::string> lines(synopsis.begin(), synopsis.end());
  if (lines.empty()) {
    std::string line(name);
    auto add = [&line](std::string_view part) {
      if (!line.empty()) line += ' ';
      line += part;
    };
    for (const auto& f : flags)
      if (f.required) add(flag_usage("--", f));
    if (std::any_of(flags.begin(), flags.end(), [](const FlagSpec& f) { return !f.required; }))
      add("[options]");
    if (!positionals.empty()) add(positionals);
    lines.push_back(line);
  }
  for (size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? "usage: " : "       ") + std::string(program) + " " + lines[i] + "\n";
  if (!summary.empty()) out += std::string(summary) + (summary.back() == '\n' ? "" : "\n");
  if (flags.empty()) return out;
  out += "flags:\n";
  size_t width = 0;
  auto left = [](const FlagSpec& f) { return flag_usage(f.name.size() == 1 ? "-" : "--", f); };
  for (const auto& f : flags) width = std::max(width, left(f).size());
  for (const auto& f : flags) {
    std::string l = left(f);
    out += "  " + l + std::string(width + 2 - l.size(), ' ') + std::string(f.help) +
           (f.required ? " (required)" : "") + "\n";
  }
  return out;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::optional<Flags> parse_command(const std::vector<std::string>& args, const CommandSpec& spec) {
  Flags f(args, spec);
  if (f.has("help")) {
    std::cout << spec.help();
    return std::nullopt;
  }
  for (const auto& flag : spec.flags)
    if (flag.required && !f.has(std::string(flag.name)))
      throw InvalidRequest("--" + std::string(flag.name) + " is required\n" + spec.help());
  return f;
}

std::optional<double> Flags::real(const std::string& name, double lo, double hi) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  std::optional<double> d = finite_number(*v);
  if (!d || *d < lo || *d > hi) {
    char range[64];
    std::snprintf(range, sizeof range, "%g to %g", lo, hi);
    throw InvalidRequest("--" + name + " must be a number from " + range + ", got '" + *v + "'");
  }
  return *d;
}

std::optional<std::string> Flags::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<double> Flags::number(const std::string& name) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  std::optional<double> d = finite_number(*v);
  if (!d || *d <= 0)
    throw InvalidRequest("--" + name + " must be a positive number, got '" + *v + "'");
  return *d;
}

std::optional<uint64_t> Flags::whole(const std::string& name, uint64_t lo, uint64_t hi) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  // At most 19 digits: every such number fits in 64 bits, so the range check below is exact.
  bool digits =
      !v->empty() && v->size() <= 19 && v->find_first_not_of("0123456789") == std::string::npos;
  uint64_t n = digits ? std::stoull(*v) : 0;
  if (!digits || n < lo || n > hi)
    throw InvalidRequest("--" + name + " must be a whole number from " + std::to_string(lo) +
                         " to " + std::to_string(hi) + ", got '" + *v + "'");
  return n;
}

std::optional<uint16_t> Flags::port(const std::string& name) const {
  auto p = whole(name, 0, 65535);
  if (!p) return std::nullopt;
  return static_cast<uint16_t>(*p);
}

}  // namespace crucible::cli
