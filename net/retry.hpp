// Retrying an HTTP request the way every client of the project does: a connection error,
// a 429 or a 5xx is retried after a backoff that doubles each time (with up to half again
// of random jitter, and at least a 429's Retry-After); any other answer, 4xx included, is
// returned as it is. The caller turns "no answer" into its own typed error.
//
//   net::RetryResult r = net::with_retries({.attempts = 3, .backoff = 100ms},
//                                          [&] { return client.request("GET", url, ""); });
//   if (!r.response) throw SandboxFailure("failed after 3 attempts: " + r.last_problem);
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "net/http_client.hpp"

namespace crucible::net {

struct RetryOptions {
  int attempts = 3;                        // requests in all, >= 1
  std::chrono::milliseconds backoff{100};  // before the second request
  bool jitter = true;                      // spreads clients that failed together
};

struct RetryResult {
  std::optional<HttpResponse> response;  // the first answer that is not retried
  std::string last_problem;              // why the last attempt failed, when none answered
};

// `send` makes one request; an exception from it counts as a connection error.
RetryResult with_retries(const RetryOptions& options, const std::function<HttpResponse()>& send);

}  // namespace crucible::net
