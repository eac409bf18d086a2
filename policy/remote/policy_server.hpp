// `crucible serve-policy`: the completions API (completions_api.hpp) over HTTP, with a
// bounded queue of generation jobs (429 when full).
//
//   PolicyServer server(policy, "my-model", {.port = 0});
//   server.start();  server.port();  ...  server.stop();
#pragma once

#include <memory>
#include <string>

#include "base/worker_pool.hpp"
#include "net/http_server.hpp"
#include "policy/remote/completions_api.hpp"

namespace crucible::policy {

struct PolicyServerOptions {
  net::ServerOptions http;
  size_t workers = 1;  // generation jobs at once (the native model generates one batch at a time)
  size_t queue = 16;
  CompletionsLimits limits;
};

class PolicyServer {
 public:
  PolicyServer(Policy& policy, std::string model_name, PolicyServerOptions options);
  ~PolicyServer();
  void start();
  void stop();
  uint16_t port() const;

 private:
  Policy& policy_;
  std::string name_;
  PolicyServerOptions options_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace crucible::policy
