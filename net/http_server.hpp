// An HTTP/1.1 server on Boost.Beast: the connection code only does I/O, with a deadline on
// every read and a cap on every body; what a request means is the handler's business.
//
//   HttpServer server({.host = "127.0.0.1", .port = 0}, [](HttpRequest req, Respond respond) {
//     respond(json_response(200, {{"ok", true}}));   // may be called later, from any thread
//   });
//   server.start();  server.port();  ...  server.stop();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http.hpp"

namespace crucible::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;                 // 0: an ephemeral port (see HttpServer::port)
  size_t max_body_bytes = 16 << 20;  // larger bodies get 413
  std::chrono::seconds read_timeout{30};
  size_t io_threads = 1;
  size_t max_connections = 512;  // beyond this, new connections are closed at once
};

// Called exactly once per request, from any thread.
using Respond = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest, Respond)>;

class HttpServer {
 public:
  // Binds at once; throws Error naming the address if it cannot.
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Runs the I/O threads in the background.
  void start();
  // Stops accepting, closes idle connections, lets requests in progress answer (no
  // keep-alive after that), then joins the I/O threads. Idempotent.
  void stop();
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crucible::net
