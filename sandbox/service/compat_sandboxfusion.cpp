// SandboxFusion's POST /run_code, so its clients work unchanged:
//   request  {code, language, compile_timeout, run_timeout, memory_limit_MB, stdin,
//             files: {path: base64}, fetch_files}
//   response {status: Success|Failed|SandboxError, message,
//             compile_result: {status: Finished|Error|TimeLimitExceeded, execution_time,
//                              return_code, stdout, stderr} | null,
//             run_result: {...same...} | null, files: {path: base64}}
//   fetch_files are read from the run's /work after it ends; a missing file (or one that
//   is not a regular file, or behind a symbolic link) is left out of files, as there.
//   Interpreted languages have no compile step here: a syntax error is a finished run with a
//   non-zero return_code. On a build-cache hit, compile_result.return_code is the cached
//   compile's.
#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "base/number_text.hpp"
#include "sandbox/service/service.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;

// SandboxFusion's language names that differ from ours.
std::string our_language(const std::string& name) {
  if (name == "python") return "python3";
  if (name == "nodejs") return "javascript";
  return name;
}

json command_result(const Outcome& o, bool compile_step) {
  const char* status = o.verdict == Verdict::TimeLimit      ? "TimeLimitExceeded"
                       : o.verdict == Verdict::SandboxError ? "Error"
                                                            : "Finished";
  json rc = o.exit_code ? json(*o.exit_code) : o.signal ? json(-*o.signal) : json(nullptr);
  if (compile_step && o.verdict == Verdict::CompileError && rc.is_null()) rc = 1;
  return {{"status", status},
          {"execution_time", o.wall_seconds},
          {"return_code", rc},
          {"stdout", compile_step ? "" : o.stdout_data},
          {"stderr", compile_step ? o.compile_output : o.stderr_data}};
}

// A number field as SandboxFusion's models read it: a JSON number or a numeric string
// ("10", as pydantic accepts); absent or null gives the fallback; anything else is refused.
double lax_number(const json& j, const char* key, double fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (j[key].is_number()) return j[key].get<double>();
  if (j[key].is_string())
    if (auto v = finite_number(j[key].get<std::string>())) return *v;
  throw InvalidRequest(std::string(key) + " must be a number");
}

}  // namespace

net::HttpResponse SandboxService::run_code(const net::HttpRequest& r) {
  json j = parse_json_input_or_discarded(r.body, "the body");
  if (j.is_discarded() || !j.is_object()) throw InvalidRequest("the body must be a JSON object");
  JsonFields::only(j, "",
                   {"code", "language", "compile_timeout", "run_timeout", "memory_limit_MB",
                    "stdin", "files", "fetch_files"});
  if (!j.contains("code") || !j["code"].is_string()) throw InvalidRequest("code must be a string");
  if (!j.contains("language") || !j["language"].is_string())
    throw InvalidRequest("language must be a string");

  Limits limits;
  lax_number(j, "compile_timeout", 10);  // the language's compile limits apply; only checked
  try {
    double run_timeout = lax_number(j, "run_timeout", 10);
    limits.set("wall_seconds", run_timeout);
    limits.set("cpu_seconds", run_timeout);
  } catch (const InvalidRequest& e) {
    throw InvalidRequest(std::string(e.what()) + " (from run_timeout)");
  }
  // memory_limit_MB <= 0 (SandboxFusion's default is -1) leaves the default limit.
  if (double mb = lax_number(j, "memory_limit_MB", -1); mb > 0) {
    try {
      limits.set("memory_bytes", mb * (1 << 20));
    } catch (const InvalidRequest& e) {
      throw InvalidRequest(std::string(e.what()) + " (from memory_limit_MB)");
    }
  }
  ExecuteOptions opts;
  if (j.contains("files") && !j["files"].is_null()) {
    if (!j["files"].is_object()) throw InvalidRequest("files must map paths to base64 content");
    for (auto it = j["files"].begin(); it != j["files"].end(); ++it) {
      if (it->is_null()) continue;  // SandboxFusion's models allow it and restore nothing
      auto content = it->is_string() ? base64_decode(it->get<std::string>()) : std::nullopt;
      if (!content) throw InvalidRequest("files." + it.key() + " is not valid base64");
      opts.work_files.emplace_back(it.key(), *content);
    }
  }
  opts.fetch_files = fetch_file_names(j);
  if (j.contains("stdin") && !j["stdin"].is_null() && !j["stdin"].is_string())
    throw InvalidRequest("stdin must be a string");
  std::string stdin_data =
      j.contains("stdin") && j["stdin"].is_string() ? j["stdin"].get<std::string>() : "";

  Program program = sandbox_.prepare(our_language(j["language"]), j["code"]);
  const auto& lang = *program.language;
  json out = {{"status", "Failed"},
              {"message", ""},
              {"compile_result", nullptr},
              {"run_result", nullptr},
              {"files", json::object()}};
  if (program.compile.verdict == Verdict::SandboxError) {
    out["status"] = "SandboxError";
    out["message"] = program.compile.message;
    metrics_.count_verdict("SandboxError");
    return net::json_response(200, out);
  }
  if (!program.ok() && !lang.compiled()) {
    // SandboxFusion has no compile step for interpreted languages: a syntax error there is
    // a finished run with a non-zero return code and the error on stderr (verl scores it
    // as a runtime error). Crucible's own /v1 verdicts keep it a CompileError.
    Outcome as_run = program.compile;
    if (!as_run.exit_code) as_run.exit_code = 1;
    as_run.signal.reset();
    as_run.stderr_data = program.compile.compile_output;
    as_run.stdout_data.clear();
    out["run_result"] = command_result(as_run, false);
    out["message"] = program.compile.message;
    metrics_.count_verdict(verdict_name(program.compile.verdict));
    return net::json_response(200, out);
  }
  if (lang.compiled() || !program.ok())
    out["compile_result"] = command_result(program.compile, true);
  if (!program.ok()) {
    out["message"] = program.compile.message;
    metrics_.count_verdict(verdict_name(program.compile.verdict));
    return net::json_response(200, out);
  }
  Outcome o = sandbox_.execute(program, stdin_data, limits, opts);
  metrics_.count_verdict(verdict_name(o.verdict));
  out["run_result"] = command_result(o, false);
  // As SandboxFusion does: the files that exist, base64; the others left out.
  for (const auto& f : o.files)
    if (f.error.empty()) out["files"][f.name] = base64_encode(f.content);
  if (o.verdict == Verdict::SandboxError) {
    out["status"] = "SandboxError";
    out["message"] = o.message;
  } else if (o.verdict == Verdict::Accepted) {
    out["status"] = "Success";
  } else {
    out["message"] = o.message;
  }
  return net::json_response(200, out);
}

}  // namespace crucible::sandbox::service
