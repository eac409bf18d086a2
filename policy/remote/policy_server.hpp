// `crucible serve-policy`: the completions API (completions_api.hpp) over HTTP, with a
// bounded queue of generation jobs (429 when full). Concurrent requests decode as one batch
// (batched_policy.hpp) unless batching is turned off.
//
//   PolicyServer server(policy, "my-model", {.port = 0});
//   server.start();  server.port();  ...  server.stop();
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/worker_pool.hpp"
#include "net/http_server.hpp"
#include "policy/batched_policy.hpp"
#include "policy/remote/completions_api.hpp"

namespace crucible::policy {

struct PolicyServerOptions {
  net::ServerOptions http;
  // Requests served at once. With batching they share the batch's rounds (a request waits
  // in the batch, not for another request to end); without it, each request is one batch.
  size_t workers = 64;
  size_t queue = 16;
  std::optional<BatchingOptions> batching = BatchingOptions{};
  CompletionsLimits limits;
};

class PolicyServer {
 public:
  PolicyServer(Policy& policy, std::string model_name, PolicyServerOptions options);
  ~PolicyServer();
  void start();
  void stop();
  uint16_t port() const;
  const BatchedPolicy* batching() const;  // its round counters; null when off

 private:
  Policy& policy_;
  std::unique_ptr<BatchedPolicy> batched_;  // null when batching is off
  std::string name_;
  PolicyServerOptions options_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace crucible::policy
