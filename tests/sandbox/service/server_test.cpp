// The service over real sockets on 127.0.0.1 with ephemeral ports: body cap, backpressure,
// auth, graceful shutdown, and the client spreading and retrying across two servers.
#include "sandbox/service/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/error.hpp"
#include "base/files.hpp"
#include "net/http_client.hpp"
#include "sandbox/service/client.hpp"
#include "sandbox/service/remote_judge.hpp"
#include "tests/support/marked_processes.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::service {
namespace {

using nlohmann::json;
using testing::await_marked;

class Server : public ::testing::Test {
 protected:
  TempDir cache{temp_root()};
  ServeOptions options(size_t workers = 2, size_t queue = 16) {
    ServeOptions o;
    o.port = 0;
    o.workers = workers;
    o.queue = queue;
    o.sandbox.cache_dir = cache.path();
    return o;
  }
  static std::string url(const SandboxServer& s, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(s.port()) + path;
  }
};

const std::string kSleep =
    R"j({"language":"python3","source":"import time\ntime.sleep(1)\nprint('slept')"})j";

TEST_F(Server, AnswersOverHttpWithKeepAlive) {
  SandboxServer server(options());
  server.start();
  net::HttpClient client;
  for (int i = 0; i < 3; ++i) {
    auto r = client.request("POST", url(server, "/v1/run"),
                            R"j({"language":"python3","source":"print(7)"})j");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["stdout"], "7\n");
  }
  EXPECT_EQ(client.request("GET", url(server, "/v1/health")).status, 200);
  server.stop();
}

TEST_F(Server, OversizedBodiesGet413) {
  auto o = options();
  o.max_body_bytes = 1024;
  SandboxServer server(o);
  server.start();
  net::HttpClient client;
  auto r = client.request("POST", url(server, "/v1/run"), std::string(4096, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("1024"), std::string::npos);
  server.stop();
}

TEST_F(Server, AFullQueueAnswers429WithRetryAfter) {
  SandboxServer server(options(1, 1));
  server.start();
  std::vector<std::future<net::HttpResponse>> calls;
  for (int i = 0; i < 4; ++i)
    calls.push_back(std::async(std::launch::async, [&] {
      net::HttpClient c;
      return c.request("POST", url(server, "/v1/run"), kSleep);
    }));
  int ok = 0, busy = 0;
  for (auto& f : calls) {
    auto r = f.get();
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++busy;
      bool retry_after = false;
      for (const auto& [k, v] : r.headers)
        retry_after = retry_after || (k == "Retry-After" && v == "1");
      EXPECT_TRUE(retry_after);
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(busy, 1);
  EXPECT_EQ(ok + busy, 4);
  server.stop();
}

// A raw TCP connection to the server, for clients that misbehave on purpose; `from`: the
// loopback address to connect from (127.0.0.0/8 is all local), a client of its own.
int raw_connection(int port, const char* from = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && from) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string post_request(const std::string& body) {
  return "POST /v1/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(Server, OneClientCannotFillTheQueueThatOthersNeed) {
  auto o = options(1, 4);
  o.queue_per_client = 2;
  SandboxServer server(o);
  server.start();
  std::string sleep = post_request(kSleep);
  std::vector<int> flood;
  for (int i = 0; i < 4; ++i) {  // one runs, two wait, the fourth is over the client's share
    int fd = raw_connection(server.port(), "127.0.0.2");
    ASSERT_GE(fd, 0) << "binding 127.0.0.2";
    ASSERT_EQ(::write(fd, sleep.data(), sleep.size()), static_cast<ssize_t>(sleep.size()));
    flood.push_back(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  char buffer[4096];
  ssize_t n = ::recv(flood.back(), buffer, sizeof buffer, 0);
  ASSERT_GT(n, 0);
  std::string refused(buffer, static_cast<size_t>(n));
  EXPECT_EQ(refused.rfind("HTTP/1.1 429", 0), 0u) << refused;
  EXPECT_NE(refused.find("this client already has 2 jobs waiting (the limit per client is 2)"),
            std::string::npos)
      << refused;
  net::HttpClient other;  // from 127.0.0.1: a client of its own, with room left for it
  auto r = other.request("POST", url(server, "/v1/run"),
                         R"j({"language":"python3","source":"print(1)"})j");
  EXPECT_EQ(r.status, 200) << r.body;
  for (int fd : flood) ::close(fd);
  server.stop();
}

// Sends `count` sleeping jobs on connections of their own, 100 ms apart, each with `headers`;
// returns the connections (the caller closes them).
std::vector<int> send_sleepers(int port, int count, const char* from, const std::string& headers) {
  std::string request = post_request(kSleep);
  request.insert(request.find("\r\n") + 2, headers);
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    int fd = raw_connection(port, from);
    if (fd < 0) break;
    if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) break;
    fds.push_back(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fds;
}

std::string first_answer(int fd) {
  char buffer[4096];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// One request with `headers` from `from`; its answer's first bytes (waits up to 30 s).
std::string answer_from(int port, const char* from, const std::string& headers,
                        const std::string& body) {
  std::string request = post_request(body);
  request.insert(request.find("\r\n") + 2, headers);
  int fd = raw_connection(port, from);
  if (fd < 0) return "cannot connect from " + std::string(from);
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()))
    answer = first_answer(fd);
  ::close(fd);
  return answer;
}

// Behind a reverse proxy every request comes from the proxy: a proxy named with
// --trusted-proxy is believed about the client (X-Forwarded-For), so one client behind it
// cannot take the others' share; anyone else's X-Forwarded-For changes nothing.
TEST_F(Server, ClientsBehindATrustedProxyHaveSharesOfTheirOwn) {
  auto o = options(1, 4);
  o.queue_per_client = 2;
  o.trusted_proxies = {"127.0.0.0/30"};  // 127.0.0.1-3; 127.0.0.9 is not a proxy
  SandboxServer server(o);
  server.start();
  auto flood = send_sleepers(server.port(), 4, "127.0.0.2", "X-Forwarded-For: 203.0.113.9\r\n");
  ASSERT_EQ(flood.size(), 4u) << "binding 127.0.0.2";
  std::string refused = first_answer(flood.back());
  EXPECT_EQ(refused.rfind("HTTP/1.1 429", 0), 0u) << refused;
  // From the same proxy, for another client: room is left for it.
  const std::string print1 = R"j({"language":"python3","source":"print(1)"})j";
  std::string other = answer_from(server.port(), "127.0.0.2",
                                  "X-Forwarded-For: 198.51.100.7, 127.0.0.3\r\n", print1);
  EXPECT_EQ(other.rfind("HTTP/1.1 200", 0), 0u) << other;
  std::string malformed =
      answer_from(server.port(), "127.0.0.2", "X-Forwarded-For: unknown\r\n", print1);
  EXPECT_EQ(malformed.rfind("HTTP/1.1 400", 0), 0u) << malformed;
  EXPECT_NE(malformed.find("holds 'unknown', not an IP address"), std::string::npos) << malformed;
  for (int fd : flood) ::close(fd);
  server.stop();
}

TEST_F(Server, AnUntrustedForwardedForIsIgnored) {
  auto o = options(1, 4);
  o.queue_per_client = 2;
  SandboxServer server(o);
  server.start();
  // The same sender claims a new client each time: it is still one client, over its share.
  std::vector<int> flood;
  for (const char* claimed : {"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"}) {
    auto fds = send_sleepers(server.port(), 1, "127.0.0.2",
                             std::string("X-Forwarded-For: ") + claimed + "\r\n");
    ASSERT_EQ(fds.size(), 1u) << "binding 127.0.0.2";
    flood.push_back(fds[0]);
  }
  std::string refused = first_answer(flood.back());
  EXPECT_EQ(refused.rfind("HTTP/1.1 429", 0), 0u) << refused;
  for (int fd : flood) ::close(fd);
  server.stop();
}

TEST_F(Server, AShareAboveTheQueueIsRefused) {
  auto o = options(1, 4);
  o.queue_per_client = 5;
  try {
    SandboxServer server(o);
    FAIL() << "accepted a per-client share above the queue";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("--queue-per-client (5) must not exceed --queue (4)"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(Server, AClientPrefixOutsideTheAddressIsRefused) {
  for (auto [v4, v6] : {std::pair{33, 64}, std::pair{-1, 64}, std::pair{32, 129}}) {
    auto o = options(1, 4);
    o.client_prefix_v4 = v4;
    o.client_prefix_v6 = v6;
    EXPECT_THROW(SandboxServer server(o), InvalidRequest) << v4 << " " << v6;
  }
}

// Held-open connections (idle, or sending headers slowly) beyond the cap do not lock out
// the next client: the one waiting longest for a request is shed.
TEST_F(Server, HealthAnswersWhileConnectionsAreHeldOpen) {
  SandboxServer server(options());
  server.start();
  std::vector<int> held;
  for (int i = 0; i < 700; ++i) {
    int fd = raw_connection(server.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    if (i % 2) (void)!::write(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n", 34);  // slow headers
    held.push_back(fd);
  }
  net::HttpClient client(std::chrono::seconds(5));
  auto health = client.request("GET", url(server, "/v1/health"));
  EXPECT_EQ(health.status, 200) << health.body;
  for (int fd : held) ::close(fd);
  server.stop();
}

// Reads from a raw connection until `until` has arrived or the peer closes (10 s at most).
std::string read_until(int fd, const std::string& until) {
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buf[4096];
  while (got.find(until) == std::string::npos) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

// curl sends "Expect: 100-continue" with bodies over 1 MB and waits a second for the go-ahead
// before sending them: the server gives it at once, or refuses an oversized body unsent.
TEST_F(Server, AClientThatExpects100ContinueIsToldToGoOnOrRefusedEarly) {
  auto o = options();
  o.max_body_bytes = 1 << 20;
  SandboxServer server(o);
  server.start();
  const std::string body = R"j({"language":"python3","source":"print(6 * 7)"})j";
  int fd = raw_connection(server.port());
  ASSERT_GE(fd, 0);
  std::string head =
      "POST /v1/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  std::string go_on = read_until(fd, "\r\n\r\n");
  EXPECT_EQ(go_on.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << go_on;
  ASSERT_EQ(::write(fd, body.data(), body.size()), static_cast<ssize_t>(body.size()));
  std::string answer = read_until(fd, "42\\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  ::close(fd);

  fd = raw_connection(server.port());
  ASSERT_GE(fd, 0);
  head = "POST /v1/run HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
         std::to_string(2 << 20) + "\r\n\r\n";
  ASSERT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  std::string refused = read_until(fd, "bytes");
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused;
  ::close(fd);
  server.stop();
}

// Bytes that are not HTTP get an answer that says so, not a silently closed connection.
TEST_F(Server, MalformedHttpGetsAnAnswerNamingTheProblem) {
  SandboxServer server(options());
  server.start();
  const struct {
    std::string request;
    const char* status;
    const char* says;
  } cases[] = {
      {"GARBAGE\r\n\r\n", "HTTP/1.1 400", "malformed HTTP request"},
      {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 400", "malformed HTTP request"},
      {"POST /v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 400",
       "malformed HTTP request"},
      {"GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 431",
       "exceed 65536 bytes"},
  };
  for (const auto& c : cases) {
    int fd = raw_connection(server.port());
    ASSERT_GE(fd, 0);
    (void)!::write(fd, c.request.data(), c.request.size());
    std::string answer = read_until(fd, c.says);
    EXPECT_EQ(answer.rfind(c.status, 0), 0u) << c.request.substr(0, 40) << ": " << answer;
    EXPECT_NE(answer.find(c.says), std::string::npos) << answer;
    ::close(fd);
  }
  net::HttpClient client;
  EXPECT_EQ(client.request("GET", url(server, "/v1/health")).status, 200);
  server.stop();
}

// A client that hangs up while its job runs (a timeout on its side, a retry) has the job's
// run stopped: the worker is free again long before the run's wall limit.
TEST_F(Server, ARunningJobWhoseClientHungUpIsStopped) {
  SandboxServer server(options(1, 4));
  server.start();
  for (const char* path : {"/v1/run", "/v1/judge", "/run_code"}) {
    std::string marker = "crucible-hangup-check-" + std::to_string(::getpid()) + path;
    std::replace(marker.begin(), marker.end(), '/', '-');
    json body = {{"language", "bash"},
                 {"source", "exec -a " + marker + " sleep 60\n"},
                 {"code", "exec -a " + marker + " sleep 60\n"},
                 {"limits", {{"wall_seconds", 60}}},
                 {"run_timeout", 60},
                 {"tests", json::array({{{"input", ""}, {"output", ""}}})}};
    if (std::string(path) == "/v1/run") body.erase("tests");
    if (std::string(path) != "/run_code") body.erase("code"), body.erase("run_timeout");
    if (std::string(path) == "/run_code")
      body.erase("source"), body.erase("limits"), body.erase("tests");
    std::string text = body.dump();
    int fd = raw_connection(server.port());
    ASSERT_GE(fd, 0);
    std::string request = "POST " + std::string(path) +
                          " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: " +
                          std::to_string(text.size()) + "\r\n\r\n" + text;
    ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    ASSERT_TRUE(await_marked(marker, true, 60)) << path << ": the program never started";
    ::close(fd);
    EXPECT_TRUE(await_marked(marker, false, 30)) << path << ": the run outlived its client";
  }
  // The one worker is free: the next job runs at once.
  net::HttpClient client;
  auto r = client.request("POST", url(server, "/v1/run"),
                          R"j({"language":"python3","source":"print(5)"})j");
  EXPECT_EQ(r.status, 200) << r.body;
  server.stop();
}

// A job whose client hung up while it waited in the queue is dropped, not run.
TEST_F(Server, QueuedJobsOfClientsThatHungUpAreDropped) {
  SandboxServer server(options(1, 16));
  server.start();
  std::string request = post_request(kSleep);
  std::vector<int> abandoned;
  for (int i = 0; i < 6; ++i) {
    int fd = raw_connection(server.port());
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    abandoned.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all six are queued or running
  for (int fd : abandoned) ::close(fd);
  net::HttpClient client(std::chrono::seconds(30));
  auto r = client.request("POST", url(server, "/v1/run"),
                          R"j({"language":"python3","source":"print(1)"})j");
  EXPECT_EQ(r.status, 200) << r.body;
  std::string metrics = client.request("GET", url(server, "/metrics")).body;
  // At most the job already running when the clients left may have run; the rest were not.
  const std::string series = "route=\"/v1/run\",status=\"499\"} ";
  auto at = metrics.find(series);
  ASSERT_NE(at, std::string::npos) << metrics;
  int dropped = std::stoi(metrics.substr(at + series.size()));
  EXPECT_GE(dropped, 5) << metrics;
  server.stop();
}

// Whether an answer has arrived on `fd` (without waiting).
bool answered(int fd) {
  char c;
  return ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

// One client's backlog does not hold up another client's job: jobs are taken round robin
// across client addresses, so the second client waits for one of the backlog, not all six.
TEST_F(Server, AnotherClientsJobDoesNotWaitForABacklog) {
  SandboxServer server(options(1, 16));
  server.start();
  std::string sleep = post_request(kSleep);
  std::vector<int> backlog;
  for (int i = 0; i < 6; ++i) {
    int fd = raw_connection(server.port(), "127.0.0.2");
    ASSERT_GE(fd, 0) << "binding 127.0.0.2";
    ASSERT_EQ(::write(fd, sleep.data(), sleep.size()), static_cast<ssize_t>(sleep.size()));
    backlog.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all six queued or running
  int other = raw_connection(server.port(), "127.0.0.3");
  ASSERT_GE(other, 0);
  std::string quick = post_request(R"j({"language":"python3","source":"print(1)"})j");
  ASSERT_EQ(::write(other, quick.data(), quick.size()), static_cast<ssize_t>(quick.size()));
  char buffer[4096];
  ssize_t n = ::recv(other, buffer, sizeof buffer, 0);  // blocks until the answer
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)).rfind("HTTP/1.1 200", 0), 0u);
  int backlog_answered = 0;
  for (int fd : backlog) backlog_answered += answered(fd);
  EXPECT_LE(backlog_answered, 3) << "first in first out would have answered all six first";
  ::close(other);
  for (int fd : backlog) ::close(fd);
  server.stop();
}

TEST_F(Server, TokenFileTurnsOnAuth) {
  TempDir dir(temp_root());
  write_file(dir.path() / "token", "  t0ken\n");
  auto o = options();
  o.token_file = dir.path() / "token";
  SandboxServer server(o);
  server.start();
  net::HttpClient client;
  std::string body = R"j({"language":"python3","source":"print(1)"})j";
  EXPECT_EQ(client.request("POST", url(server, "/v1/run"), body).status, 401);
  EXPECT_EQ(
      client.request("POST", url(server, "/v1/run"), body, {{"Authorization", "Bearer t0ken"}})
          .status,
      200);
  server.stop();
}

TEST_F(Server, NonLoopbackNeedsAToken) {
  auto o = options();
  o.host = "0.0.0.0";
  EXPECT_THROW(SandboxServer{o}, InvalidRequest);
  o.host = "127.0.0.1";
  o.token_file = "/nonexistent/token";
  EXPECT_THROW(SandboxServer{o}, InvalidRequest);
}

TEST_F(Server, StopFinishesRunningJobsAndAnswersThem) {
  auto server = std::make_unique<SandboxServer>(options());
  server->start();
  std::string target = url(*server, "/v1/run");
  auto running = std::async(std::launch::async, [&] {
    net::HttpClient c;
    return c.request("POST", target, kSleep);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server->stop();  // returns only after the running job was answered
  auto r = running.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["stdout"], "slept\n");
  net::HttpClient late(std::chrono::seconds(2));
  EXPECT_THROW(late.request("GET", target.substr(0, target.rfind('/')) + "/health"), Error);
}

TEST_F(Server, ClientSpreadsLoadAndSurvivesALostEndpoint) {
  SandboxServer a(options()), b(options());
  a.start();
  b.start();
  ClientOptions co;
  co.endpoints = {"http://127.0.0.1:" + std::to_string(a.port()),
                  "http://127.0.0.1:" + std::to_string(b.port())};
  co.backoff = std::chrono::milliseconds(10);
  SandboxClient client(co);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(client.run({{"language", "python3"},
                          {"source", "print(" + std::to_string(i) + ")"}})["stdout"],
              std::to_string(i) + "\n");
  std::string metrics_a = net::HttpClient().request("GET", co.endpoints[0] + "/metrics").body;
  EXPECT_NE(metrics_a.find("route=\"/v1/run\",status=\"200\"} 3"), std::string::npos) << metrics_a;
  b.stop();
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(client.run({{"language", "python3"}, {"source", "print(1)"}})["verdict"], "Accepted");
  EXPECT_THROW(client.run({{"language", "cobol"}, {"source", "x"}}), InvalidRequest)
      << "4xx is not retried";
  a.stop();
  EXPECT_THROW(client.run({{"language", "python3"}, {"source", "print(1)"}}), SandboxFailure);
}

// A RemoteJudge gives what the local Judge gives for the same submission: the verdict,
// per-test results with the failing test's input/expected/actual, the compile output.
TEST_F(Server, RemoteJudgeAgreesWithTheLocalJudge) {
  SandboxServer a(options());
  a.start();
  ClientOptions co;
  co.endpoints = {"http://127.0.0.1:" + std::to_string(a.port())};
  RemoteJudge remote(co);
  judge::Judge local(crucible::testing::shared_sandbox());
  auto submission = [](const std::string& source) {
    return judge::Submission::from_json(
        {{"language", "python3"},
         {"source", source},
         {"tests",
          {{{"input", "2\n"}, {"output", "4\n"}}, {{"input", "3\n"}, {"output", "6\n"}}}}});
  };
  for (const std::string source :
       {"print(2 * int(input()))", "print(int(input()) ** 2)", "print(1/0)", "def f(:\n  pass"}) {
    judge::JudgeResult want = local.run(submission(source));
    judge::JudgeResult got = remote.run(submission(source));
    EXPECT_EQ(got.verdict, want.verdict) << source;
    EXPECT_EQ(got.passed, want.passed) << source;
    EXPECT_EQ(got.total, want.total) << source;
    EXPECT_EQ(got.first_failure, want.first_failure) << source;
    ASSERT_EQ(got.tests.size(), want.tests.size()) << source;
    for (size_t i = 0; i < got.tests.size(); ++i) {
      EXPECT_EQ(got.tests[i].verdict, want.tests[i].verdict);
      EXPECT_EQ(got.tests[i].input, want.tests[i].input);
      EXPECT_EQ(got.tests[i].expected, want.tests[i].expected);
      EXPECT_EQ(got.tests[i].actual, want.tests[i].actual);
    }
    EXPECT_EQ(got.compile.verdict, want.compile.verdict) << source;
  }
  EXPECT_THROW(remote.run(judge::Submission::from_json({{"language", "cobol"}, {"source", "x"}})),
               InvalidRequest);
  a.stop();
}

TEST(Client, NeedsEndpoints) {
  EXPECT_THROW(SandboxClient(ClientOptions{}), InvalidRequest);
  ClientOptions bad;
  bad.endpoints = {"ftp://x"};
  EXPECT_THROW(SandboxClient{bad}, InvalidRequest);
}

}  // namespace
}  // namespace crucible::sandbox::service
