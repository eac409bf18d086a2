#include "sandbox/sandbox.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/sha256.hpp"
#include "sandbox/classify.hpp"
#include "sandbox/jail/fetch.hpp"
#include "sandbox/jail/mounts.hpp"
#include "sandbox/languages/detect.hpp"

namespace crucible::sandbox {
namespace {

const std::vector<std::string> kBaseEnv = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp",
                                           "TMPDIR=/tmp", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

struct Placeholders {
  std::string source_path, entry, heap_mb;
  std::string apply(const std::string& arg) const {
    return replace_all(replace_all(replace_all(arg, "{source}", source_path), "{entry}", entry),
                       "{heap_mb}", heap_mb);
  }
  std::vector<std::string> apply(const std::vector<std::string>& argv) const {
    std::vector<std::string> out;
    for (const auto& a : argv) out.push_back(apply(a));
    return out;
  }
};

Placeholders placeholders(const languages::Language& lang, const std::string& entry,
                          const Limits& limits) {
  std::string file = replace_all(lang.source_file, "{entry}", entry);
  return {"/box/" + file, entry, std::to_string(limits.memory_bytes * 3 / 4 >> 20)};
}

jail::JailSpec base_spec(const languages::Language& lang) {
  jail::JailSpec spec;
  spec.env = kBaseEnv;
  spec.env.insert(spec.env.end(), lang.env.begin(), lang.env.end());
  spec.extra_ro_paths = lang.extra_ro_paths;
  return spec;
}

// Changes to the toolchain binary invalidate its cached builds.
std::string toolchain_stamp(const std::vector<std::string>& argv) {
  struct stat st {};
  if (argv.empty() || ::stat(argv[0].c_str(), &st) != 0) return "missing";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_size);
}

Outcome sandbox_error(const std::string& message) {
  Outcome o;
  o.verdict = Verdict::SandboxError;
  o.reason = "sandbox";
  o.message = message;
  return o;
}

// A toolchain that is not installed is the host's problem, with a fix to name.
std::string missing_toolchain(const languages::Language& lang,
                              const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0].rfind("/box/", 0) == 0 || ::access(argv[0].c_str(), X_OK) == 0)
    return "";
  return "the " + lang.name + " toolchain is not installed (" + argv[0] +
         " missing); apt-get install " + lang.package + ", or run `crucible doctor`";
}

// "/tmp, /dev/shm or /mnt": the scratch places beside /work, for error messages.
std::string other_scratch_places() {
  std::vector<std::string> places;
  for (const auto& place : jail::scratch_table())
    if (std::string(place.path) != "/work") places.push_back(place.path);
  std::string out;
  for (size_t i = 0; i < places.size(); ++i)
    out += (i == 0 ? "" : i + 1 == places.size() ? " or " : ", ") + places[i];
  return out;
}
}  // namespace

Sandbox::Sandbox(SandboxOptions options)
    : jail_(options.helper_path, jail::JailClient::Start::Now,
            options.single_run ? jail::JailClient::Requests::OneAtATime
                               : jail::JailClient::Requests::Concurrent),
      registry_(languages::Registry::builtin()),
      single_run_(options.single_run),
      cache_(options.cache_dir, options.cache_entries) {}

Program Sandbox::prepare(const std::string& language, const std::string& source,
                         const std::string& filename, SyntaxCheck check) {
  if (source.size() > kMaxSourceBytes)
    throw InvalidRequest("source is " + std::to_string(source.size()) + " bytes; the limit is " +
                         std::to_string(kMaxSourceBytes));
  Program p;
  p.language = (language.empty() || language == "auto")
                   ? languages::detect(registry_, source, filename).language
                   : &registry_.find(language);
  const auto& lang = *p.language;
  p.entry = lang.entry_for(source);
  // Everything the build depends on: the compiler's argv and environment (GOPATH, ...).
  p.syntax_checked_by_runs = check == SyntaxCheck::InFirstRun && lang.syntax_error_in_run;
  std::string key = sha256_hex(lang.name + '\0' + nlohmann::json(lang.compile.argv).dump() + '\0' +
                               nlohmann::json(lang.env).dump() + '\0' + lang.source_file + '\0' +
                               p.entry + '\0' + toolchain_stamp(lang.compile.argv) + '\0' + source);
  // An unchecked source is cached apart: a checked prepare must never take it as checked.
  if (p.syntax_checked_by_runs) key = sha256_hex(key + "\0unchecked");
  p.compile = compile(lang, source, p.entry, key, p.box_dir, !p.syntax_checked_by_runs);
  p.compile.language = lang.name;
  return p;
}

Outcome Sandbox::compile(const languages::Language& lang, const std::string& source,
                         const std::string& entry, const std::string& key, std::string& box_dir,
                         bool check_syntax) {
  Outcome ok;
  ok.verdict = Verdict::Accepted;
  ok.reason = "ok";
  if (auto hit = cache_.lookup(key)) {
    box_dir = hit->dir;
    Outcome o = ok;
    if (!hit->ok) {
      o.verdict = Verdict::CompileError;
      o.reason = "compile";
      o.message = "the source does not compile";
    }
    o.compile_output = hit->output;
    o.compile_cached = true;
    o.exit_code = hit->exit_code;  // clients read the compile's return code on a hit too
    return o;
  }
  std::string missing = missing_toolchain(lang, lang.has_compile ? lang.compile.argv : lang.run);
  if (missing.empty() && lang.has_compile) missing = missing_toolchain(lang, lang.run);
  if (!missing.empty()) return sandbox_error(missing);

  std::filesystem::path staged = cache_.stage();
  Limits limits = lang.compile_limits();
  Placeholders ph = placeholders(lang, entry, limits);
  write_file(staged / ph.source_path.substr(5), source);
  if (!lang.has_compile || !check_syntax) {
    box_dir = cache_.commit(staged, key, true, "", 0).dir;
    return ok;
  }
  jail::JailSpec spec = base_spec(lang);
  spec.argv = ph.apply(lang.compile.argv);
  spec.box_dir = staged;
  spec.box_writable = true;
  spec.limits = limits;
  jail::JailReport report;
  try {
    report = jail_.run(spec);
  } catch (const SandboxFailure& e) {
    cache_.discard(staged);
    return sandbox_error(e.what());
  } catch (const Cancelled&) {
    cache_.discard(staged);
    throw;
  }
  Outcome o = classify_compile(report);
  // Only the compiler's own verdict on the source is cached; a timeout may pass next time.
  bool cacheable = o.verdict == Verdict::Accepted || o.reason == "compile";
  if (!cacheable) {
    cache_.discard(staged);
    return o;
  }
  box_dir = cache_
                .commit(staged, key, o.verdict == Verdict::Accepted, o.compile_output,
                        o.exit_code.value_or(o.verdict == Verdict::Accepted ? 0 : 1))
                .dir;
  return o;
}

Outcome Sandbox::execute(const Program& program, const std::string& stdin_data,
                         const Limits& limits, const ExecuteOptions& options) {
  return execute_batch(program, {stdin_data}, limits, options).front();
}

std::vector<Outcome> Sandbox::execute_batch(const Program& program,
                                            const std::vector<std::string>& inputs,
                                            const Limits& limits, const ExecuteOptions& options) {
  if (!program.ok())
    return std::vector<Outcome>(std::max<size_t>(1, inputs.size()), program.compile);
  limits.validate();
  if (options.work_files.size() > kMaxWorkFiles)
    throw InvalidRequest("files: " + std::to_string(options.work_files.size()) +
                         " files; the limit is " + std::to_string(kMaxWorkFiles));
  size_t args_total = 0;
  for (size_t i = 0; i < options.extra_args.size(); ++i) {
    const std::string& arg = options.extra_args[i];
    if (arg.size() > kMaxArgBytes)
      throw InvalidRequest("args[" + std::to_string(i) + "] is " + std::to_string(arg.size()) +
                           " bytes; an argument may have at most " + std::to_string(kMaxArgBytes));
    if (arg.find('\0') != std::string::npos)
      throw InvalidRequest("args[" + std::to_string(i) + "] contains a NUL byte");
    args_total += arg.size() + 1;
  }
  if (args_total > kMaxArgsTotalBytes)
    throw InvalidRequest("args: " + std::to_string(args_total) + " bytes in all; the limit is " +
                         std::to_string(kMaxArgsTotalBytes));
  std::set<std::string_view> names;
  for (const auto& [name, content] : options.work_files) {
    if (!jail::valid_work_file_name(name))
      throw InvalidRequest("file name '" + name + "' must be a relative path without ..");
    names.insert(name);
  }
  // "a" and "a/b" cannot both be files: the client's error, named, not a jail failure.
  for (std::string_view name : names)
    for (size_t slash = name.find('/'); slash != std::string_view::npos;
         slash = name.find('/', slash + 1))
      if (names.count(name.substr(0, slash)))
        throw InvalidRequest("files: '" + std::string(name.substr(0, slash)) + "' is a file, so '" +
                             std::string(name) + "' cannot be inside it");
  if (options.fetch_files.size() > kMaxFetchFiles)
    throw InvalidRequest("fetch_files names " + std::to_string(options.fetch_files.size()) +
                         " files; the limit is " + std::to_string(kMaxFetchFiles));
  for (const auto& name : options.fetch_files)
    if (!jail::valid_fetch_name(name))
      throw InvalidRequest("fetch_files: '" + name + "' must be a path in /work (relative, or " +
                           "absolute) or under " + other_scratch_places() + ", without . or ..");
  const auto& lang = *program.language;
  jail::JailSpec spec = base_spec(lang);
  spec.limits = lang.run_limits(limits);
  spec.argv = placeholders(lang, program.entry, spec.limits).apply(lang.run);
  spec.argv.insert(spec.argv.end(), options.extra_args.begin(), options.extra_args.end());
  spec.data_dir = options.data_dir;
  spec.work_files = options.work_files;
  spec.fetch_files = options.fetch_files;
  spec.box_dir = program.box_dir;

  std::vector<Outcome> out;
  size_t total = std::max<size_t>(1, inputs.size());
  while (out.size() < total) {
    // A run that hits a limit ends its jail: carry on from the next input in a fresh one.
    spec.inputs.assign(inputs.begin() + std::min(out.size(), inputs.size()), inputs.end());
    std::vector<jail::JailReport> reports;
    try {
      reports = jail_.run_all(spec);
    } catch (const SandboxFailure& e) {
      reports.clear();
      jail::JailReport failed;
      failed.setup_error = e.what();
      reports.push_back(failed);
    }
    for (const auto& r : reports) {
      std::optional<Outcome> syntax_error;
      if (program.syntax_checked_by_runs)
        syntax_error = syntax_error_of_run(r, *lang.syntax_error_in_run);
      Outcome o = syntax_error ? *syntax_error : classify_run(r, spec.limits, &lang);
      o.language = lang.name;
      if (!syntax_error) o.compile_output = program.compile.compile_output;
      o.compile_cached = program.compile.compile_cached;
      o.files = r.fetched;
      out.push_back(std::move(o));
    }
    // A sandbox failure is not the program's: every remaining run shares it.
    if (out.back().verdict == Verdict::SandboxError)
      while (out.size() < total) out.push_back(out.back());
  }
  return out;
}

std::vector<std::string> Sandbox::reference_outputs(const std::string& language,
                                                    const std::string& source,
                                                    const std::vector<std::string>& inputs,
                                                    const Limits& limits) {
  std::vector<std::string> outputs;
  for (const auto& run : execute_batch(prepare(language, source), inputs, limits)) {
    if (run.verdict != Verdict::Accepted)
      throw SandboxFailure("a reference solution failed (" +
                           std::string(verdict_name(run.verdict)) + ": " + run.message + ")");
    outputs.push_back(run.stdout_data);
  }
  return outputs;
}

Outcome Sandbox::run_tool(const Program& program, const std::vector<std::string>& argv,
                          const Limits& limits) {
  const auto& lang = *program.language;
  jail::JailSpec spec = base_spec(lang);
  spec.limits = limits;
  spec.argv = placeholders(lang, program.entry, limits).apply(argv);
  spec.box_dir = program.box_dir;
  try {
    return classify_run(jail_.run(spec), limits, nullptr);
  } catch (const SandboxFailure& e) {
    return sandbox_error(e.what());
  }
}

Outcome Sandbox::probe_version(const languages::Language& language) {
  if (language.version.empty()) return sandbox_error(language.name + " has no version command");
  if (std::string missing = missing_toolchain(language, language.version); !missing.empty())
    return sandbox_error(missing);
  TempDir box(temp_root(), "crucible-version-");
  ::chmod(box.path().c_str(), 0755);  // the jail's init looks it up as an unprivileged uid
  jail::JailSpec spec = base_spec(language);
  spec.argv = language.version;
  spec.box_dir = box.path();
  spec.limits = language.run_limits(language.compile_limits());
  try {
    return classify_run(jail_.run(spec), spec.limits, nullptr);
  } catch (const SandboxFailure& e) {
    return sandbox_error(e.what());
  }
}

Outcome Sandbox::run(const RunRequest& request) {
  request.limits.validate();
  Program program =
      prepare(request.language, request.source, request.filename, SyntaxCheck::InFirstRun);
  if (single_run_) jail_.last_request_next();
  return execute(program, request.stdin_data, request.limits);
}

}  // namespace crucible::sandbox
