#include "sandbox/languages/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "sandbox/jail/spec.hpp"
#include "sandbox/languages/line_search.hpp"

namespace crucible::sandbox::languages {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> strings(const json& j, const std::string& where) {
  if (j.is_null()) return {};
  if (!j.is_array()) throw InvalidRequest(where + " must be an array of strings");
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (!v.is_string()) throw InvalidRequest(where + " must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::pair<std::string, double>> limit_overrides(const json& j,
                                                            const std::string& where) {
  std::vector<std::pair<std::string, double>> out;
  if (j.is_null()) return out;
  if (!j.is_object()) throw InvalidRequest(where + " must be an object");
  Limits probe;
  from_json(j, probe);  // rejects unknown limit names
  for (auto it = j.begin(); it != j.end(); ++it)
    out.emplace_back(it.key(), it.value().get<double>());
  return out;
}

Limits with_overrides(Limits base, const std::vector<std::pair<std::string, double>>& overrides,
                      bool raise_only) {
  json j = base;
  for (const auto& [key, value] : overrides)
    if (!raise_only || value > j[key].get<double>()) j[key] = value;
  return j.get<Limits>().clamped();
}

// An entry with "like": NAME starts from the entry of NAME (declared before it) without what
// identifies a language (name, aliases, extensions, detection); each key of its own replaces
// the inherited one, and a key set to null drops it.
// Takes the entry by value so one without `like` moves into the resolved list uncopied: every
// command parses the table in a fresh process, which pays for each heap page it touches, and
// the copies were a third of those pages.
json resolve_like(json entry, const std::vector<json>& earlier, size_t index) {
  if (!entry.is_object() || !entry.contains("like")) return entry;
  std::string where = "languages[" + std::to_string(index) + "].like";
  if (!entry["like"].is_string()) throw InvalidRequest(where + " must be a language name");
  const std::string like = entry["like"].get<std::string>();
  auto base = std::find_if(earlier.begin(), earlier.end(), [&](const json& e) {
    return e.is_object() && e.value("name", "") == like;
  });
  if (base == earlier.end())
    throw InvalidRequest(where + ": '" + like + "' names no language declared before it");
  json merged = *base;
  for (const char* own : {"name", "aliases", "extensions", "detect", "_why"}) merged.erase(own);
  for (auto& [key, value] : entry.items()) {
    if (key == "like") continue;
    if (value.is_null())
      merged.erase(key);
    else
      merged[key] = std::move(value);
  }
  return merged;
}

ProgramEnd parse_program_end(const json& j, const std::string& where) {
  if (!j.is_object()) throw InvalidRequest(where + " must be an object");
  ProgramEnd end;
  for (const char* key : {"replace_first", "qualify"})
    for (const auto& pair : j.value(key, json::array())) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string() ||
          pair[0].get<std::string>().empty())
        throw InvalidRequest(where + "." + key +
                             " must hold pairs of strings, the first not empty");
      (std::string(key) == "qualify" ? end.qualify : end.replace_first)
          .emplace_back(pair[0], pair[1]);
    }
  end.append = j.value("append", "");
  end.answer_closing = j.value("answer_closing", "");
  end.line = j.value("line", "{marker}");
  auto marks = [](const std::string& s) {
    return s.find("{marker}") != std::string::npos || s.find("{marker_name}") != std::string::npos;
  };
  bool marked = marks(end.append);
  for (const auto& pair : end.replace_first) marked = marked || marks(pair.second);
  if (!marked) throw InvalidRequest(where + " never prints {marker}");
  if (!marks(end.line)) throw InvalidRequest(where + ".line holds no {marker}");
  return end;
}

Language parse_language(const json& j, size_t index) {
  std::string where = "languages[" + std::to_string(index) + "]";
  if (!j.is_object()) throw InvalidRequest(where + " must be an object");
  Language l;
  try {
    l.name = j.at("name").get<std::string>();
    where = "language '" + l.name + "'";
    l.aliases = strings(j.value("aliases", json()), where + ".aliases");
    l.extensions = strings(j.value("extensions", json()), where + ".extensions");
    l.package = j.value("package", "");
    l.source_file = j.at("source_file").get<std::string>();
    if (j.contains("entry_pattern") && j["entry_pattern"].is_string())
      l.entry_patterns = {j["entry_pattern"].get<std::string>()};
    else
      l.entry_patterns = strings(j.value("entry_pattern", json()), where + ".entry_pattern");
    l.entry_default = j.value("entry_default", "");
    if (j.contains("compile") && !j["compile"].is_null()) {
      l.has_compile = true;
      l.compile.argv = strings(j["compile"].at("argv"), where + ".compile.argv");
      l.compile.limits =
          limit_overrides(j["compile"].value("limits", json()), where + ".compile.limits");
      if (j["compile"].contains("syntax_error_in_run")) {
        const json& s = j["compile"]["syntax_error_in_run"];
        SyntaxErrorInRun rule;
        rule.exit_code = s.at("exit_code").get<int>();
        rule.last_line_prefixes =
            strings(s.at("last_line_prefixes"), where + ".compile.syntax_error_in_run");
        rule.unless = s.value("unless", "");
        if (rule.last_line_prefixes.empty())
          throw InvalidRequest(where +
                               ".compile.syntax_error_in_run.last_line_prefixes must not be empty");
        l.syntax_error_in_run = rule;
      }
    }
    if (j.contains("analysis") && !j["analysis"].is_null()) {
      const json& a = j["analysis"];
      l.analysis_tool = a.at("tool").get<std::string>();
      l.analysis_argv = strings(a.at("argv"), where + ".analysis.argv");
      if (l.analysis_argv.empty() || l.analysis_argv[0].empty() || l.analysis_argv[0][0] != '/')
        throw InvalidRequest(where + ".analysis.argv[0] must be an absolute path");
    }
    l.run = strings(j.at("run"), where + ".run");
    if (j.contains("runner_report") && !j["runner_report"].is_null()) {
      const json& r = j["runner_report"];
      RunnerReport report;
      report.from_end = r.value("from_end", size_t{1});
      report.prefix = r.value("prefix", "");
      report.contains = r.value("contains", "");
      report.excludes = strings(r.value("excludes", json()), where + ".runner_report.excludes");
      if (report.from_end < 1 || report.from_end > 8)
        throw InvalidRequest(where + ".runner_report.from_end must be 1 to 8");
      if (report.prefix.empty() && report.contains.empty())
        throw InvalidRequest(where + ".runner_report needs a prefix or a contains");
      l.runner_report = report;
    }
    if (j.contains("program_end") && !j["program_end"].is_null())
      l.program_end = parse_program_end(j["program_end"], where + ".program_end");
    l.version = strings(j.value("version", json()), where + ".version");
    l.env = strings(j.value("env", json()), where + ".env");
    l.extra_ro_paths = strings(j.value("extra_ro_paths", json()), where + ".extra_ro_paths");
    if (l.extra_ro_paths.size() > jail::kMaxExtraRoPaths)
      throw InvalidRequest(where + ".extra_ro_paths may name at most " +
                           std::to_string(jail::kMaxExtraRoPaths) + " paths");
    for (const auto& path : l.extra_ro_paths)
      if (path.empty() || path[0] != '/' || path.find("/..") != std::string::npos || path == "/")
        throw InvalidRequest(where + ".extra_ro_paths: '" + path +
                             "' must be an absolute path below / without ..");
    l.min_limits = limit_overrides(j.value("min_limits", json()), where + ".min_limits");
    l.memory_error_patterns =
        strings(j.value("memory_error_patterns", json()), where + ".memory_error_patterns");
    if (j.contains("detect")) {
      const json& d = j["detect"];
      l.shebang_words = strings(d.value("shebang", json()), where + ".detect.shebang");
      std::vector<std::pair<std::string, double>> patterns;
      for (const auto& p : d.value("patterns", json::array()))
        patterns.emplace_back(p.at(0).get<std::string>(), p.at(1).get<double>());
      l.detect_patterns = DetectPatterns(where + ".detect.patterns", std::move(patterns));
    }
  } catch (const json::exception& e) {
    throw InvalidRequest(where + ": " + e.what());
  }
  if (l.run.empty()) throw InvalidRequest(where + ".run must not be empty");
  if (l.run[0].empty() || l.run[0][0] != '/')
    throw InvalidRequest(where + ".run[0] must be an absolute path");
  return l;
}

}  // namespace

std::string Language::entry_for(const std::string& source) const {
  for (const auto& pattern : entry_patterns) {
    std::smatch m;
    std::string line;
    // Line by line and bounded (line_search.hpp): a backtracking match over one long line
    // overflows the stack.
    if (search_lines(source.substr(0, 64 << 10), std::regex(pattern), &m, &line) && m.size() > 1) {
      std::string entry = m[1].str();
      if (entry.size() >= 255)
        throw InvalidRequest("the entry name in the source is " + std::to_string(entry.size()) +
                             "+ characters long; the limit is 254");
      return entry;
    }
  }
  return entry_default;
}

bool Language::compiled() const {
  if (!has_compile) return false;
  for (const auto& arg : run)
    if (arg.find("{source}") != std::string::npos) return false;
  return true;
}

Limits Language::run_limits(const Limits& requested) const {
  // A limit left at the library's default is the language's to raise (the JVM needs more
  // threads and time than a C program). One the caller chose is honoured as asked, never
  // changed silently: the run may then end in TimeLimit or MemoryLimit, by the caller's
  // choice. (A value equal to the default counts as left alone.)
  json asked = requested, defaults = Limits{};
  for (const auto& [key, minimum] : min_limits)
    if (asked[key].get<double>() < minimum && asked[key] == defaults[key]) asked[key] = minimum;
  return asked.get<Limits>().clamped();
}

Limits Language::compile_limits() const {
  return with_overrides(Limits{}, compile.limits, false);
}

struct DetectPatterns::Compiled {
  std::once_flag once;
  std::vector<std::pair<std::regex, double>> patterns;
};

DetectPatterns::DetectPatterns(std::string where, std::vector<std::pair<std::string, double>> texts)
    : where_(std::move(where)), texts_(std::move(texts)), compiled_(std::make_shared<Compiled>()) {}

const std::vector<std::pair<std::regex, double>>& DetectPatterns::compiled() const {
  static const std::vector<std::pair<std::regex, double>> none;
  if (!compiled_) return none;
  // A throw leaves the flag unset: the next call names the bad pattern again.
  std::call_once(compiled_->once, [&] {
    std::vector<std::pair<std::regex, double>> out;
    for (const auto& [text, weight] : texts_) {
      try {
        out.emplace_back(std::regex(text, std::regex::ECMAScript | std::regex::optimize), weight);
      } catch (const std::regex_error& e) {
        throw InvalidRequest(where_ + ": bad regex '" + text + "': " + e.what());
      }
    }
    compiled_->patterns = std::move(out);
  });
  return compiled_->patterns;
}

Registry Registry::parse(std::string_view json_text, bool check_patterns) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) throw InvalidRequest("languages registry: not valid JSON");
  if (!doc.contains("languages") || !doc["languages"].is_array())
    throw InvalidRequest("languages registry: 'languages' must be an array");
  Registry r;
  json& entries = doc["languages"];
  std::vector<json> resolved;  // each entry with what it took from the one it is like
  resolved.reserve(entries.size());
  r.languages_.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    resolved.push_back(resolve_like(std::move(entries[i]), resolved, i));
    r.languages_.push_back(parse_language(resolved.back(), i));
    if (check_patterns) r.languages_.back().detect_patterns.compiled();
  }
  return r;
}

const Registry& Registry::builtin() {
  static const Registry registry = [] {
    const char* path = std::getenv("CRUCIBLE_LANGUAGES");
    if (path && *path) return parse(read_file(path));
    return parse(kEmbeddedLanguagesJson, /*check_patterns=*/false);
  }();
  return registry;
}

const Language& Registry::find(const std::string& name) const {
  std::string want = lower(name);
  for (const auto& l : languages_) {
    if (l.name == want) return l;
    for (const auto& a : l.aliases)
      if (a == want) return l;
  }
  std::string known;
  for (const auto& l : languages_) known += (known.empty() ? "" : ", ") + l.name;
  throw InvalidRequest("unknown language '" + name + "'; known: " + known + " (or auto)");
}

const Language* Registry::find_by_extension(const std::string& extension) const {
  std::string want = lower(extension);
  for (const auto& l : languages_)
    for (const auto& e : l.extensions)
      if (e == want) return &l;
  return nullptr;
}

}  // namespace crucible::sandbox::languages
