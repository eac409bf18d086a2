#include "sandbox/service/service.hpp"

#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/files.hpp"
#include "base/json_fields.hpp"
#include "base/json_input.hpp"
#include "sandbox/judge/formats.hpp"

namespace crucible::sandbox::service {
namespace {

using net::error_response;
using net::HttpRequest;
using net::HttpResponse;
using net::json_response;
using nlohmann::json;

// Parses a JSON body; InvalidRequest names the problem.
json parse_body(const HttpRequest& req) {
  json j = parse_json_input_or_discarded(req.body, "the body");
  if (j.is_discarded()) throw InvalidRequest("the body is not valid JSON");
  if (!j.is_object()) throw InvalidRequest("the body must be a JSON object");
  return j;
}

// The dotted name that starts a message ("limits.cpu_seconds: ...", "files[2].name ...")
// as the field, when it has a '.', '[' or '_'. A linear scan, capped: messages quote
// untrusted names, and a backtracking regex over a 60 KB name overflows the stack.
std::string field_of(const std::string& message) {
  constexpr size_t kMaxField = 200;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  size_t i = 0;
  bool structured = false;
  while (i < message.size() && i <= kMaxField) {
    if (!(std::isalpha(static_cast<unsigned char>(message[i])) || message[i] == '_')) break;
    while (i < message.size() && word_char(message[i])) structured |= message[i++] == '_';
    if (i < message.size() && message[i] == '[') {
      size_t j = i + 1;
      while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j]))) ++j;
      if (j == i + 1 || j >= message.size() || message[j] != ']') break;
      i = j + 1;
      structured = true;
    }
    if (i + 1 < message.size() && message[i] == '.' &&
        (std::isalpha(static_cast<unsigned char>(message[i + 1])) || message[i + 1] == '_')) {
      ++i;
      structured = true;
      continue;
    }
    break;
  }
  if (i == 0 || i > kMaxField || !structured) return "";
  if (i < message.size() && word_char(message[i])) return "";
  return message.substr(0, i);
}

// The first "1.2" or "1.2.3" in a toolchain's version banner, or "".
std::string first_version_number(const std::string& text) {
  auto digits_at = [&](size_t p) {
    size_t n = 0;
    while (p + n < text.size() && std::isdigit(static_cast<unsigned char>(text[p + n]))) ++n;
    return n;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    size_t a = digits_at(i);
    if (a == 0) continue;
    size_t end = i + a;
    for (int part = 0; part < 2 && end < text.size() && text[end] == '.'; ++part) {
      size_t b = digits_at(end + 1);
      if (b == 0) break;
      end += 1 + b;
    }
    if (end > i + a) return text.substr(i, end - i);
    i += a;
  }
  return "";
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string toolchain_version(Sandbox& sandbox, const languages::Language& language) {
  static std::mutex mu;
  static std::map<std::string, std::string> cache;
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(language.name); it != cache.end()) return it->second;
  }
  std::string version;
  Outcome o = sandbox.probe_version(language);
  std::string text = o.stdout_data + o.stderr_data;
  if (o.verdict == Verdict::Accepted) version = first_version_number(text);
  std::lock_guard lock(mu);
  cache[language.name] = version;
  return version;
}

SandboxService::SandboxService(Sandbox& sandbox, ServiceOptions options)
    : sandbox_(sandbox), options_(std::move(options)) {}

bool SandboxService::is_job(const HttpRequest& r) const {
  for (const auto& extra : options_.extra_routes)
    if (r.path == extra.path) return extra.job && r.method == extra.method;
  return r.method == "POST" &&
         (r.path == "/v1/run" || r.path == "/v1/judge" || r.path == "/v1/judge/batch" ||
          r.path == "/run_code" || r.path == "/api/v2/execute");
}

std::optional<HttpResponse> SandboxService::authorize(const HttpRequest& r) const {
  if (!options_.token || r.path == "/v1/health") return std::nullopt;
  std::string header = r.header("authorization");
  if (header.rfind("Bearer ", 0) == 0 && constant_time_equal(header.substr(7), *options_.token))
    return std::nullopt;
  HttpResponse resp = error_response(401, "missing or wrong bearer token", "authorization");
  resp.headers.emplace_back("WWW-Authenticate", "Bearer");
  return resp;
}

HttpResponse SandboxService::handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  HttpResponse resp;
  if (auto denied = authorize(request)) {
    resp = *denied;
  } else {
    try {
      resp = route(request);
    } catch (const NotFound& e) {
      resp = error_response(404, e.what(), field_of(e.what()));
    } catch (const InvalidRequest& e) {
      resp = error_response(400, e.what(), field_of(e.what()));
    } catch (const Busy& e) {
      resp = error_response(429, e.what());
      resp.headers.emplace_back("Retry-After", "1");
    } catch (const Cancelled& e) {
      resp = error_response(499, e.what());
    } catch (const SandboxFailure& e) {
      resp = error_response(500, std::string("sandbox failure: ") + e.what());
    } catch (const json::exception& e) {
      resp = error_response(400, std::string("bad request: ") + e.what());
    } catch (const std::exception& e) {
      resp = error_response(500, std::string("internal error: ") + e.what());
    }
  }
  metrics_.count_request(route_label(request.path), resp.status);
  if (is_job(request))
    metrics_.observe_latency(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return resp;
}

namespace {

struct Route {
  const char* path;
  const char* method;
};
constexpr Route kRoutes[] = {
    {"/v1/run", "POST"},      {"/v1/judge", "POST"},       {"/v1/judge/batch", "POST"},
    {"/v1/languages", "GET"}, {"/v1/health", "GET"},       {"/metrics", "GET"},
    {"/run_code", "POST"},    {"/api/v2/execute", "POST"}, {"/api/v2/runtimes", "GET"}};

}  // namespace

std::string SandboxService::route_label(const std::string& path) const {
  for (const auto& route : kRoutes)
    if (path == route.path) return path;
  for (const auto& extra : options_.extra_routes)
    if (path == extra.path) return path;
  return "other";
}

HttpResponse SandboxService::route(const HttpRequest& r) {
  const Route* found = nullptr;
  for (const auto& route : kRoutes)
    if (r.path == route.path) found = &route;
  for (const auto& extra : options_.extra_routes) {
    if (found || r.path != extra.path) continue;
    if (r.method != extra.method) {
      HttpResponse resp = error_response(405, r.path + " takes " + extra.method);
      resp.headers.emplace_back("Allow", extra.method);
      return resp;
    }
    return json_response(200, extra.handler(parse_body(r), sandbox_));
  }
  if (!found) return error_response(404, "no such endpoint: " + r.path);
  if (r.method != found->method) {
    HttpResponse resp = error_response(405, r.path + " takes " + found->method);
    resp.headers.emplace_back("Allow", found->method);
    return resp;
  }
  if (r.path == "/v1/run") return run(r);
  if (r.path == "/v1/judge") return judge(r);
  if (r.path == "/v1/judge/batch") return judge_batch(r);
  if (r.path == "/v1/languages") return languages();
  if (r.path == "/v1/health") return json_response(200, {{"status", "ok"}});
  if (r.path == "/metrics") {
    HttpResponse resp;
    resp.content_type = "text/plain; version=0.0.4";
    resp.body = metrics_.prometheus_text();
    return resp;
  }
  if (r.path == "/run_code") return run_code(r);
  if (r.path == "/api/v2/execute") return piston_execute(r);
  return piston_runtimes();
}

std::vector<std::string> fetch_file_names(const json& body) {
  std::vector<std::string> names;
  if (!body.contains("fetch_files") || body["fetch_files"].is_null()) return names;
  const json& list = body["fetch_files"];
  if (!list.is_array()) throw InvalidRequest("fetch_files must be an array of file names");
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string())
      throw InvalidRequest("fetch_files[" + std::to_string(i) + "] must be a string");
    names.push_back(list[i].get<std::string>());
  }
  return names;
}

HttpResponse SandboxService::run(const HttpRequest& r) {
  json j = parse_body(r);
  JsonFields::only(j, "",
                   {"language", "source", "stdin", "limits", "filename", "files", "fetch_files"});
  if (!j.contains("source") || !j["source"].is_string())
    throw InvalidRequest("source must be a string");
  RunRequest req;
  req.source = j["source"];
  if (j.contains("language")) {
    if (!j["language"].is_string()) throw InvalidRequest("language must be a string");
    req.language = j["language"];
  }
  if (j.contains("stdin")) {
    if (!j["stdin"].is_string()) throw InvalidRequest("stdin must be a string");
    req.stdin_data = j["stdin"];
  }
  if (j.contains("filename")) req.filename = j["filename"].get<std::string>();
  if (j.contains("limits")) req.limits = j["limits"].get<Limits>();
  req.limits.validate();
  ExecuteOptions opts;
  if (j.contains("files")) {
    if (!j["files"].is_object()) throw InvalidRequest("files must be an object {name: content}");
    for (auto it = j["files"].begin(); it != j["files"].end(); ++it) {
      if (!it->is_string()) throw InvalidRequest("files." + it.key() + " must be a string");
      opts.work_files.emplace_back(it.key(), it->get<std::string>());
    }
  }
  opts.fetch_files = fetch_file_names(j);
  Program program =
      sandbox_.prepare(req.language, req.source, req.filename, Sandbox::SyntaxCheck::InFirstRun);
  Outcome o = sandbox_.execute(program, req.stdin_data, req.limits, opts);
  metrics_.count_verdict(verdict_name(o.verdict));
  return json_response(o.verdict == Verdict::SandboxError ? 500 : 200, o);
}

HttpResponse SandboxService::judge(const HttpRequest& r) {
  auto record = judge::record_from_json(parse_body(r));
  auto result = judge::Judge(sandbox_).run(record.submission);
  metrics_.count_verdict(verdict_name(result.verdict));
  json body = result;
  if (!record.id.empty()) body["id"] = record.id;
  return json_response(result.verdict == Verdict::SandboxError ? 500 : 200, body);
}

HttpResponse SandboxService::judge_batch(const HttpRequest& r) {
  json j = parse_body(r);
  JsonFields::only(j, "", {"submissions"});
  if (!j.contains("submissions") || !j["submissions"].is_array())
    throw InvalidRequest("submissions must be an array");
  if (j["submissions"].size() > options_.max_batch)
    throw InvalidRequest("submissions holds " + std::to_string(j["submissions"].size()) +
                         " items; the limit is " + std::to_string(options_.max_batch));
  json results = json::array();
  judge::Judge judge(sandbox_);
  for (size_t i = 0; i < j["submissions"].size(); ++i) {
    try {
      auto record = judge::record_from_json(j["submissions"][i]);
      json out = judge.run(record.submission);
      metrics_.count_verdict(out["verdict"]);
      if (!record.id.empty()) out["id"] = record.id;
      results.push_back(out);
    } catch (const InvalidRequest& e) {
      results.push_back({{"index", i}, {"error", e.what()}});
    }
  }
  return json_response(200, {{"results", results}});
}

HttpResponse SandboxService::languages() {
  json out = json::array();
  for (const auto& l : sandbox_.registry().all())
    out.push_back({{"name", l.name},
                   {"aliases", l.aliases},
                   {"extensions", l.extensions},
                   {"compiled", l.compiled()},
                   {"version", toolchain_version(sandbox_, l)}});
  return json_response(200, out);
}

}  // namespace crucible::sandbox::service
