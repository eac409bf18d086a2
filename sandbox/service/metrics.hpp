// Service metrics in the Prometheus text format: requests by route and status, verdict
// counts, queue depth, and a histogram of job latency. Thread-safe.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace crucible::sandbox::service {

class Metrics {
 public:
  void count_request(const std::string& route, int status);
  void count_verdict(const std::string& verdict);
  void observe_latency(double seconds);
  // Where the queue depth comes from (the server's worker pool).
  void set_queue_depth_source(std::function<size_t()> source);
  std::string prometheus_text() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10,  30};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, uint64_t> verdicts_;
  std::array<uint64_t, kBuckets.size() + 1> buckets_{};
  double latency_sum_ = 0;
  uint64_t latency_count_ = 0;
  std::function<size_t()> queue_depth_;
};

}  // namespace crucible::sandbox::service
