// The sandbox's HTTP API as a function of the request: handle() maps an HttpRequest to
// an HttpResponse, so every endpoint and error class is tested without sockets. The
// server (server.hpp) decides which requests queue for a worker (is_job) and does I/O.
//
//   POST /v1/run            {language, source, stdin, limits, files, fetch_files} -> Outcome
//                           (fetch_files: names of /work files to return, base64, in
//                           "fetched")
//   POST /v1/judge          a submission (native, HumanEval, MBPP, APPS) -> JudgeResult
//   POST /v1/judge/batch    {"submissions": [...]} -> {"results": [...]}, in order
//   GET  /v1/languages, /v1/health, /metrics
//   POST /run_code          SandboxFusion-compatible
//   POST /api/v2/execute    Piston-compatible;  GET /api/v2/runtimes
//
// Errors: a malformed request is a 4xx whose JSON body names the field; a program's
// failure is a 200 carrying its verdict; only a failure of the sandbox itself is a 5xx.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "net/http.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/service/metrics.hpp"

namespace crucible::sandbox::service {

// A route the caller adds (the CLI adds OpenRLHF's /get_reward, which the reward library
// answers): a JSON body in, a JSON answer out; InvalidRequest becomes a 400 naming it.
struct ExtraRoute {
  std::string path;
  std::string method = "POST";
  bool job = true;  // runs code: waits for a worker like /v1/judge
  std::function<nlohmann::json(const nlohmann::json& body, Sandbox& sandbox)> handler;
};

// The request's "fetch_files" (absent or null: none), checked to be an array of strings.
std::vector<std::string> fetch_file_names(const nlohmann::json& body);

struct ServiceOptions {
  std::optional<std::string> token;  // when set, every route but /v1/health needs "Bearer <token>"
  size_t max_batch = 256;            // submissions per /v1/judge/batch request
  std::vector<ExtraRoute> extra_routes;
};

class SandboxService {
 public:
  SandboxService(Sandbox& sandbox, ServiceOptions options = {});
  net::HttpResponse handle(const net::HttpRequest& request);
  // True for requests that run code: they wait for a worker and may be refused with 429.
  bool is_job(const net::HttpRequest& request) const;
  // The path when it is one of the service's routes, else "other": the only values the
  // metrics' route label takes, so no client can grow the metrics at will.
  std::string route_label(const std::string& path) const;
  // Auth check alone (the server answers 401 before queueing); nullopt when allowed.
  std::optional<net::HttpResponse> authorize(const net::HttpRequest& request) const;
  Metrics& metrics() { return metrics_; }

 private:
  net::HttpResponse route(const net::HttpRequest& request);
  net::HttpResponse run(const net::HttpRequest& request);
  net::HttpResponse judge(const net::HttpRequest& request);
  net::HttpResponse judge_batch(const net::HttpRequest& request);
  net::HttpResponse languages();
  net::HttpResponse run_code(const net::HttpRequest& request);        // compat_sandboxfusion.cpp
  net::HttpResponse piston_execute(const net::HttpRequest& request);  // compat_piston.cpp
  net::HttpResponse piston_runtimes();

  Sandbox& sandbox_;
  ServiceOptions options_;
  Metrics metrics_;
};

// Versions of the toolchains ("3.11.2"), read once inside the jail; "" when unknown.
std::string toolchain_version(Sandbox& sandbox, const languages::Language& language);

}  // namespace crucible::sandbox::service
