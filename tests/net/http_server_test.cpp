// The HTTP server's lifetime against handlers that answer on threads of their own, as the
// policy server and the sandbox service do: an answer given late, twice, or from a thread
// that outlives the server must neither be lost nor touch a server that is gone.
#include "net/http_server.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "net/http_client.hpp"

namespace crucible::net {
namespace {

HttpResponse answer(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string url_of(const HttpServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

// Each answer comes from a thread of its own that goes on after answering; the server is
// destroyed as soon as the client has read it. The answering thread must not be left
// holding the connection: its last reference would close a socket of a destroyed
// io_context (seen as a use-after-free under AddressSanitizer). Repeated, since which thread
// lets go last is up to the scheduler.
TEST(HttpServer, AnAnswerFromAnotherThreadIsWrittenAndTheServerCanGoAtOnce) {
  // On one CPU, with the answering thread at idle priority, the io thread and the client
  // preempt it as soon as its answer is posted: the server then goes before the answering
  // thread lets go of what it holds, the order that was a use-after-free.
  cpu_set_t before, one;
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &before)) {
      CPU_SET(cpu, &one);
      break;
    }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  for (int round = 0; round < 100; ++round) {
    std::vector<std::thread> answerers;
    std::mutex mu;
    auto server =
        std::make_unique<HttpServer>(ServerOptions{.port = 0}, [&](HttpRequest, Respond respond) {
          std::lock_guard lock(mu);
          answerers.emplace_back([respond = std::move(respond)] {
            sched_param idle{};
            pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
            respond(answer(200, "ok"));
          });
        });
    server->start();
    HttpClient client(std::chrono::seconds(10));
    HttpResponse r = client.request("GET", url_of(*server));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok");
    server.reset();
    for (auto& t : answerers) t.join();
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof before, &before), 0);
}

// stop() waits for a request in progress and writes its answer back.
TEST(HttpServer, StopWaitsForTheAnswerInProgress) {
  std::promise<Respond> handed;
  HttpServer server({.port = 0},
                    [&](HttpRequest, Respond respond) { handed.set_value(std::move(respond)); });
  server.start();
  auto reply = std::async(std::launch::async, [&] {
    HttpClient client(std::chrono::seconds(10));
    return client.request("GET", url_of(server));
  });
  Respond respond = handed.get_future().get();
  std::thread stopper([&] { server.stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  respond(answer(201, "late"));
  stopper.join();
  HttpResponse r = reply.get();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "late");
  // A copy of the answer kept past the server's end is inert.
  respond(answer(500, "again"));
}

// A handler that lets its answer go without calling it (a bug, a job lost on the way) must
// not leave the client waiting or the server unable to stop.
TEST(HttpServer, ARequestDroppedUnansweredGetsA500) {
  HttpServer server({.port = 0}, [](HttpRequest, Respond) {});
  server.start();
  HttpClient client(std::chrono::seconds(10));
  HttpResponse r = client.request("GET", url_of(server));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("dropped unanswered"), std::string::npos) << r.body;
  server.stop();
}

}  // namespace
}  // namespace crucible::net
