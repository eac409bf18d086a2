#include "sandbox/service/metrics.hpp"

#include <sstream>

namespace crucible::sandbox::service {
namespace {

// A label value in the text exposition format: backslash, quote and newline escaped.
std::string escaped(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
}

void Metrics::count_verdict(const std::string& verdict) {
  std::lock_guard lock(mu_);
  ++verdicts_[verdict];
}

void Metrics::observe_latency(double seconds) {
  std::lock_guard lock(mu_);
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++buckets_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::set_queue_depth_source(std::function<size_t()> source) {
  std::lock_guard lock(mu_);
  queue_depth_ = std::move(source);
}

std::string Metrics::prometheus_text() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  out << "# HELP crucible_requests_total HTTP requests by route and status.\n"
         "# TYPE crucible_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "crucible_requests_total{route=\"" << escaped(key.first) << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  out << "# HELP crucible_verdicts_total Verdicts of runs and judged submissions.\n"
         "# TYPE crucible_verdicts_total counter\n";
  for (const auto& [verdict, n] : verdicts_)
    out << "crucible_verdicts_total{verdict=\"" << escaped(verdict) << "\"} " << n << "\n";
  out << "# HELP crucible_queue_depth Jobs waiting for a worker.\n"
         "# TYPE crucible_queue_depth gauge\n"
      << "crucible_queue_depth " << (queue_depth_ ? queue_depth_() : 0) << "\n";
  out << "# HELP crucible_job_seconds Time from a job's start to its answer.\n"
         "# TYPE crucible_job_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out << "crucible_job_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += buckets_[kBuckets.size()];
  out << "crucible_job_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "crucible_job_seconds_sum " << latency_sum_ << "\n"
      << "crucible_job_seconds_count " << latency_count_ << "\n";
  return out.str();
}

}  // namespace crucible::sandbox::service
