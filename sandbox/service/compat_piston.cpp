// Piston's POST /api/v2/execute and GET /api/v2/runtimes, so its clients work unchanged:
//   request  {language, version, files: [{name?, content, encoding?: utf8|base64|hex}], stdin,
//   args,
//             compile_timeout, run_timeout (ms), compile_memory_limit, run_memory_limit
//             (bytes, -1 for the default), run_cpu_time (ms)}
//   response {language, version, run: {stdout, stderr, output, code, signal}, compile?}; after a
//            compile error `run` repeats `compile`, as Piston does
// Errors use Piston's {"message": ...} body.
#include <nlohmann/json.hpp>
#include <optional>

#include "base/base64.hpp"
#include "base/error.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "sandbox/service/service.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;

net::HttpResponse piston_error(int status, const std::string& message) {
  return net::json_response(status, {{"message", message}});
}

// Piston's names for our languages, where they differ.
std::string piston_name(const std::string& ours) {
  if (ours == "python3") return "python";
  if (ours == "cpp") return "c++";
  return ours;
}

json stage(const std::string& out, const std::string& err, const Outcome& o) {
  json code = o.exit_code ? json(*o.exit_code) : json(nullptr);
  json signal = nullptr;
  if (o.signal)
    signal = "SIG" + std::string(sigabbrev_np(*o.signal) ? sigabbrev_np(*o.signal) : "KILL");
  return {
      {"stdout", out}, {"stderr", err}, {"output", out + err}, {"code", code}, {"signal", signal}};
}

// Piston's "hex" file encoding: two hex digits a byte, either case.
std::optional<std::string> hex_decode(const std::string& text) {
  if (text.size() % 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

double number(const json& j, const char* key, double fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number()) throw InvalidRequest(std::string(key) + " must be a number");
  double v = j[key].get<double>();
  return v < 0 ? fallback : v;
}

}  // namespace

net::HttpResponse SandboxService::piston_execute(const net::HttpRequest& r) {
  json j;
  try {
    j = parse_json_input_or_discarded(r.body, "the body");
  } catch (const InvalidRequest& e) {
    return piston_error(400, e.what());
  }
  if (j.is_discarded() || !j.is_object())
    return piston_error(400, "the body must be a JSON object");
  try {
    JsonFields::only(
        j, "",
        {"language", "version", "files", "stdin", "args", "compile_timeout", "run_timeout",
         "compile_memory_limit", "run_memory_limit", "compile_cpu_time", "run_cpu_time"});
    if (!j.contains("language") || !j["language"].is_string())
      return piston_error(400, "language is required as a string");
    for (const char* key : {"version", "stdin"})
      if (j.contains(key) && !j[key].is_null() && !j[key].is_string())
        return piston_error(400, std::string(key) + " must be a string");
    if (!j.contains("files") || !j["files"].is_array() || j["files"].empty())
      return piston_error(400, "files must be a non-empty array");
    std::vector<std::pair<std::string, std::string>> files;
    for (size_t i = 0; i < j["files"].size(); ++i) {
      const json& f = j["files"][i];
      std::string where = "files[" + std::to_string(i) + "]";
      if (!f.is_object() || !f.contains("content") || !f["content"].is_string())
        return piston_error(400, where + ".content is required as a string");
      for (const char* key : {"name", "encoding"})
        if (f.contains(key) && !f[key].is_string())
          return piston_error(400, where + "." + key + " must be a string");
      std::string content = f["content"];
      std::string encoding = f.value("encoding", "utf8");
      if (encoding == "base64") {
        auto decoded = base64_decode(content);
        if (!decoded) return piston_error(400, where + ".content is not valid base64");
        content = *decoded;
      } else if (encoding == "hex") {
        auto decoded = hex_decode(content);
        if (!decoded) return piston_error(400, where + ".content is not valid hex");
        content = *decoded;
      } else if (encoding != "utf8") {
        return piston_error(400, where + ".encoding must be utf8, base64 or hex");
      }
      files.emplace_back(f.value("name", "file" + std::to_string(i)), content);
    }
    const languages::Language* lang = nullptr;
    try {
      lang = &sandbox_.registry().find(j["language"].get<std::string>() == "python"
                                           ? "python3"
                                           : j["language"].get<std::string>());
    } catch (const InvalidRequest&) {
      return piston_error(400, j["language"].get<std::string>() + "-" + j.value("version", "*") +
                                   " runtime is unknown");
    }
    // The language's compile limits apply: these are only checked.
    for (const char* key : {"compile_timeout", "compile_memory_limit", "compile_cpu_time"})
      number(j, key, 0);
    Limits limits;
    double run_timeout_ms = number(j, "run_timeout", 3000);
    limits.set("wall_seconds", run_timeout_ms / 1000);
    limits.set("cpu_seconds", number(j, "run_cpu_time", run_timeout_ms) / 1000);
    if (double bytes = number(j, "run_memory_limit", 0); bytes > 0)
      limits.set("memory_bytes", bytes);
    ExecuteOptions opts;
    if (j.contains("args")) {
      if (!j["args"].is_array()) return piston_error(400, "args must be an array of strings");
      for (const auto& a : j["args"]) {
        if (!a.is_string()) return piston_error(400, "args must be an array of strings");
        opts.extra_args.push_back(a);
      }
    }
    // The first file is the program; the others are placed in its working directory.
    for (size_t i = 1; i < files.size(); ++i) opts.work_files.push_back(files[i]);
    std::string stdin_data =
        j.contains("stdin") && j["stdin"].is_string() ? j["stdin"].get<std::string>() : "";

    Program program = sandbox_.prepare(lang->name, files[0].second, files[0].first);
    std::string version = toolchain_version(sandbox_, *lang);
    json out = {{"language", piston_name(lang->name)}, {"version", version}};
    if (program.compile.verdict == Verdict::SandboxError)
      return piston_error(500, program.compile.message);
    if (lang->compiled() || !program.ok())
      out["compile"] = stage("", program.compile.compile_output, program.compile);
    if (!program.ok()) {
      if (out["compile"]["code"].is_null()) out["compile"]["code"] = 1;
      out["run"] = out["compile"];  // as Piston does when the run stage never started
      metrics_.count_verdict(verdict_name(program.compile.verdict));
      return net::json_response(200, out);
    }
    Outcome o = sandbox_.execute(program, stdin_data, limits, opts);
    metrics_.count_verdict(verdict_name(o.verdict));
    if (o.verdict == Verdict::SandboxError) return piston_error(500, o.message);
    out["run"] = stage(o.stdout_data, o.stderr_data, o);
    return net::json_response(200, out);
  } catch (const InvalidRequest& e) {
    return piston_error(400, e.what());
  }
}

net::HttpResponse SandboxService::piston_runtimes() {
  json out = json::array();
  for (const auto& l : sandbox_.registry().all()) {
    json aliases = l.aliases;
    if (piston_name(l.name) != l.name) aliases.push_back(l.name);
    out.push_back({{"language", piston_name(l.name)},
                   {"version", toolchain_version(sandbox_, l)},
                   {"aliases", aliases}});
  }
  return net::json_response(200, out);
}

}  // namespace crucible::sandbox::service
