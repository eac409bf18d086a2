// One retry loop for every HTTP client: which answers are retried, how many requests are
// made, and what is reported when none succeeds.
#include "net/retry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace crucible::net {
namespace {

using std::chrono::milliseconds;

// Answers with the given statuses in turn (0: the connection fails).
struct Script {
  std::vector<int> statuses;
  size_t calls = 0;
  HttpResponse operator()() {
    int status = statuses.at(calls++);
    if (status == 0) throw std::runtime_error("connection refused");
    HttpResponse r;
    r.status = status;
    r.body = "body " + std::to_string(status);
    return r;
  }
};

TEST(Retry, ConnectionErrors429And5xxAreRetriedOtherAnswersReturned) {
  Script s{{0, 503, 429, 200}};
  RetryResult r = with_retries({.attempts = 4, .backoff = milliseconds(1)}, std::ref(s));
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->status, 200);
  EXPECT_EQ(s.calls, 4u);
  for (int status : {400, 404, 413, 499}) {
    Script once{{status}};
    RetryResult a = with_retries({.attempts = 3, .backoff = milliseconds(1)}, std::ref(once));
    ASSERT_TRUE(a.response) << status;
    EXPECT_EQ(a.response->status, status) << "a 4xx is the caller's to handle, never retried";
    EXPECT_EQ(once.calls, 1u);
  }
}

TEST(Retry, GivesUpAfterTheAttemptsWithTheLastProblem) {
  Script s{{500, 0}};
  RetryResult r = with_retries({.attempts = 2, .backoff = milliseconds(1)}, std::ref(s));
  EXPECT_FALSE(r.response);
  EXPECT_EQ(s.calls, 2u);
  EXPECT_EQ(r.last_problem, "connection refused");
  Script t{{0, 502}};
  RetryResult q =
      with_retries({.attempts = 2, .backoff = milliseconds(1), .jitter = false}, std::ref(t));
  EXPECT_EQ(q.last_problem, "HTTP 502: body 502");
  Script zero{{200}};
  EXPECT_TRUE(with_retries({.attempts = 0}, std::ref(zero)).response) << "at least one request";
}

}  // namespace
}  // namespace crucible::net
