// A client for one or more `crucible serve` endpoints: it spreads requests across them
// (round robin), retries sandbox errors (5xx), 429s (honouring Retry-After) and
// connection failures with exponential backoff, and never retries a 4xx. Thread-safe.
//
//   SandboxClient client({.endpoints = {"http://127.0.0.1:8080", "http://127.0.0.1:8081"}});
//   nlohmann::json outcome = client.run({{"language", "python3"}, {"source", "print(1)"}});
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.hpp"

namespace crucible::sandbox::service {

struct ClientOptions {
  std::vector<std::string> endpoints;  // "http://host:port"
  std::chrono::milliseconds timeout{120000};
  int attempts = 4;  // tries per request, spread over the endpoints
  std::chrono::milliseconds backoff{100};
  std::optional<std::string> token;
};

class SandboxClient {
 public:
  explicit SandboxClient(ClientOptions options);      // throws InvalidRequest without endpoints
  nlohmann::json run(const nlohmann::json& request);  // POST /v1/run
  nlohmann::json judge(const nlohmann::json& submission);  // POST /v1/judge
  // Any request with retries; returns the final response (a 4xx is returned, not thrown).
  // Throws SandboxFailure when every attempt failed for retryable reasons.
  net::HttpResponse send(const std::string& method, const std::string& path,
                         const std::string& body = "");

 private:
  std::unique_ptr<net::HttpClient> take();
  void give(std::unique_ptr<net::HttpClient> client);
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body);

  ClientOptions options_;
  std::atomic<size_t> next_{0};
  std::mutex mu_;
  std::vector<std::unique_ptr<net::HttpClient>> idle_;
};

}  // namespace crucible::sandbox::service
