// `crucible serve`: the sandbox service on an HTTP server with a bounded job queue.
// Requests that run code wait for one of `workers`, taken round robin across client
// clients (an address, or its IPv6 /64: one client's backlog does not hold up another's job);
// when `queue` are already waiting, or `queue_per_client` of the same client's, the answer
// is 429 with Retry-After.
// Binding to a non-loopback address requires a token.
//
//   SandboxServer server({.port = 0, .workers = 2});
//   server.start();  ... server.port() ...  server.stop();   // graceful
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/worker_pool.hpp"
#include "net/http_server.hpp"
#include "net/trusted_proxies.hpp"
#include "sandbox/service/service.hpp"

namespace crucible::sandbox::service {

struct ServeOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  size_t workers = 2;
  size_t queue = 64;
  // Jobs one client address may have waiting; 0: three quarters of `queue`. The compat
  // queue gives a client the same fraction of `compat_queue`. A flood from one client thus
  // leaves room for others.
  size_t queue_per_client = 0;
  // What counts as one client (net/client_group.hpp): addresses cut to these prefixes, so a
  // client rotating through the addresses of its IPv6 /64 is still one client.
  int client_prefix_v4 = 32;
  int client_prefix_v6 = 64;
  // Reverse proxies (addresses or networks) whose X-Forwarded-For names the client
  // (net/trusted_proxies.hpp); without them, everything behind a proxy is one client.
  std::vector<std::string> trusted_proxies;
  // SandboxFusion's /run_code and Piston's /api/v2/execute run as those services do: many
  // at once, each bounded by its wall-clock timeout (verl's client fans out 32 requests
  // with a 30 s read timeout). Crucible's own /v1 jobs keep `workers`, so their verdicts do
  // not depend on load.
  size_t compat_workers = 32;
  size_t compat_queue = 512;
  std::string token_file;  // empty: no auth (allowed on loopback only)
  size_t max_body_bytes = 16 << 20;
  SandboxOptions sandbox;
  std::vector<ExtraRoute> extra_routes;  // see service.hpp
};

bool is_loopback(const std::string& host);

class SandboxServer {
 public:
  // Throws InvalidRequest for a bad option (non-loopback without a token, unreadable
  // token file) and Error when the address cannot be bound.
  explicit SandboxServer(ServeOptions options);
  ~SandboxServer();
  uint16_t port() const { return http_->port(); }
  void start() { http_->start(); }
  // Stops accepting, finishes queued and running jobs, answers them, then returns.
  void stop();
  SandboxService& service() { return *service_; }
  WorkerPool& pool() { return *pool_; }

 private:
  ServeOptions options_;
  net::TrustedProxies trusted_proxies_;
  std::unique_ptr<Sandbox> sandbox_;
  std::unique_ptr<SandboxService> service_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<WorkerPool> compat_pool_;  // SandboxFusion and Piston jobs
  std::unique_ptr<net::HttpServer> http_;
  bool stopped_ = false;
};

}  // namespace crucible::sandbox::service
