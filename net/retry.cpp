#include "net/retry.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <random>
#include <thread>

namespace crucible::net {

RetryResult with_retries(const RetryOptions& options, const std::function<HttpResponse()>& send) {
  thread_local std::mt19937 rng(std::random_device{}());
  RetryResult result;
  auto delay = options.backoff;
  for (int attempt = 0; attempt < std::max(1, options.attempts); ++attempt) {
    if (attempt > 0) {
      auto wait = delay;
      if (options.jitter && delay.count() > 1) {
        std::uniform_int_distribution<long> extra(0, static_cast<long>(delay.count() / 2));
        wait += std::chrono::milliseconds(extra(rng));
      }
      std::this_thread::sleep_for(wait);
      delay *= 2;
    }
    HttpResponse r;
    try {
      r = send();
    } catch (const std::exception& e) {
      result.last_problem = e.what();
      continue;
    }
    if (r.status < 500 && r.status != 429) {
      result.response = std::move(r);
      return result;
    }
    result.last_problem = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
    if (r.status == 429)
      for (const auto& [key, value] : r.headers)
        if (key == "Retry-After" || key == "retry-after")
          delay = std::max(delay, std::chrono::milliseconds(std::atol(value.c_str()) * 1000));
  }
  return result;
}

}  // namespace crucible::net
