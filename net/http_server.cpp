#include "net/http_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "base/log.hpp"

namespace crucible::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Named, not anonymous: HttpServer::Impl holds a Shared.
namespace server_detail {

class Session;

struct Shared {
  ServerOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> connections{0};
  std::mutex mu;
  // Waiting for a request (closed at stop, shed first when connections run out), with the
  // time each started waiting.
  std::map<Session*, std::pair<std::weak_ptr<Session>, std::chrono::steady_clock::time_point>> idle;
  // Requests handed to the handler and not yet written back: stop() waits for them.
  size_t in_flight = 0;
  std::condition_variable drained;
  void begin_request() {
    std::lock_guard lock(mu);
    ++in_flight;
  }
  void end_request() {
    std::lock_guard lock(mu);
    if (--in_flight == 0) drained.notify_all();
  }
  // An answer being handed over from a handler's thread counts as a request in flight until
  // the hand-over is done: stop() waits for it like any other.
  struct Answering {
    Shared& shared;
    explicit Answering(Shared& s) : shared(s) { shared.begin_request(); }
    ~Answering() { shared.end_request(); }
    Answering(const Answering&) = delete;
    Answering& operator=(const Answering&) = delete;
  };
};

// One request's answer, shared by every copy of its `respond`. The first answer takes the
// session out: a copy may outlive the server (a worker thread drops its job late) and must
// not keep the connection alive. Dropped unanswered (a handler's bug, a job lost), it answers
// 500 itself, so neither the client nor stop() waits for an answer that never comes.
class PendingAnswer {
 public:
  PendingAnswer(std::shared_ptr<Session> session, std::shared_ptr<Shared> shared)
      : session_(std::move(session)), shared_(std::move(shared)) {}
  ~PendingAnswer();
  PendingAnswer(const PendingAnswer&) = delete;
  PendingAnswer& operator=(const PendingAnswer&) = delete;
  void answer(HttpResponse resp);

 private:
  std::mutex mu_;
  std::shared_ptr<Session> session_;  // null once answered
  std::shared_ptr<Shared> shared_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->connections;
  }
  ~Session() {
    finish_request();
    set_idle(false);
    --shared_->connections;
  }
  void start() { read(); }
  // Called from stop(): closes the connection if it is waiting for a request.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  friend class PendingAnswer;

  void set_idle(bool idle) {
    std::lock_guard lock(shared_->mu);
    idle_ = idle;
    if (idle)
      shared_->idle[this] = {weak_from_this(), std::chrono::steady_clock::now()};
    else
      shared_->idle.erase(this);
  }

  void read() {
    if (shared_->stopping) return close();
    parser_.emplace();
    parser_->body_limit(shared_->options.max_body_bytes);
    parser_->header_limit(64 << 10);
    stream_.expires_after(shared_->options.read_timeout);
    set_idle(true);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  // The header alone first: a declared body over the cap is refused before it is sent, and a
  // client that asks "Expect: 100-continue" (curl does above 1 MB) is told to go on instead of
  // waiting a second for a reply that never comes.
  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    if (!parser_->is_done() &&
        beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(stream_, *go_on,
                               [self = shared_from_this(), go_on](beast::error_code e, size_t) {
                                 if (e) return self->on_read(e);
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    set_idle(false);
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return write(error_response(
          413,
          "request body exceeds " + std::to_string(shared_->options.max_body_bytes) + " bytes"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      return write(error_response(431, "the request line and header fields exceed 65536 bytes"));
    }
    // A message the parser refused gets an answer naming why; a client that went away, stalled
    // past the timeout or ended mid-message gets none.
    if (ec.category() == beast::error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      keep_alive_ = false;
      return write(error_response(400, "malformed HTTP request: " + ec.message()));
    }
    if (ec) return close();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    std::string target(msg.target());
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      // A repeated field is one comma-separated list (RFC 9110 5.3): a proxy may add its own
      // X-Forwarded-For line after the client's instead of appending to it.
      auto [it, added] = req.headers.emplace(name, std::string(field.value()));
      if (!added) it->second += ", " + std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.client_gone = std::make_shared<std::atomic<bool>>(false);
    beast::error_code peer_ec;
    auto peer = stream_.socket().remote_endpoint(peer_ec);
    if (!peer_ec) req.client_address = peer.address().to_string();
    watch_for_hangup(req.client_gone);
    stream_.expires_never();  // the handler may take as long as its job's limits allow
    shared_->begin_request();
    in_request_ = true;
    auto pending = std::make_shared<PendingAnswer>(shared_from_this(), shared_);
    Respond respond = [pending](HttpResponse resp) { pending->answer(std::move(resp)); };
    try {
      shared_->handler(std::move(req), respond);
    } catch (const std::exception& e) {
      log::error(std::string("http handler failed: ") + e.what());
      respond(error_response(500, "internal error"));
    }
  }

  void write(HttpResponse resp) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(resp.status), 11);
    res->set(http::field::server, "crucible");
    res->set(http::field::content_type, resp.content_type);
    for (const auto& [k, v] : resp.headers) res->set(k, v);
    res->body() = std::move(resp.body);
    res->keep_alive(keep_alive_ && !shared_->stopping);
    res->prepare_payload();
    stream_.expires_after(shared_->options.read_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        self->finish_request();
                        if (ec || !res->keep_alive()) return self->close();
                        self->read();
                      });
  }

  // While a request is being handled nothing is read; a readable socket that has nothing
  // to read is a client that hung up (pipelined bytes stay for the next read).
  void watch_for_hangup(std::shared_ptr<std::atomic<bool>> gone) {
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this(),
                                                         gone](beast::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      char byte;
      ssize_t n = ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (ec || n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) *gone = true;
    });
  }

  void finish_request() {
    if (in_request_) shared_->end_request();
    in_request_ = false;
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  bool idle_ = false;
  bool in_request_ = false;
};

void PendingAnswer::answer(HttpResponse resp) {
  std::shared_ptr<Session> self;
  {
    std::lock_guard lock(mu_);
    self = std::move(session_);
  }
  if (!self) return;  // answered already
  // On a worker thread the last reference to the session or its strand may be dropped here
  // after the write ended; stop() waits for this call, so that never happens to an
  // io_context already destroyed.
  Shared::Answering answering(*shared_);
  auto executor = self->stream_.get_executor();
  asio::post(executor, [self = std::move(self), resp = std::move(resp)]() mutable {
    self->write(std::move(resp));
  });
}

PendingAnswer::~PendingAnswer() {
  if (!session_) return;
  log::error("http handler dropped a request without answering it");
  try {
    answer(error_response(500, "internal error: the request was dropped unanswered"));
  } catch (...) {
    // Out of memory while answering: ~Session, when the last reference goes, ends the request.
  }
}

}  // namespace server_detail

using server_detail::Session;
using server_detail::Shared;

struct HttpServer::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::vector<std::thread> threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  bool started = false, stopped = false;

  // Closes the session idle the longest; false when none is idle.
  bool shed_oldest_idle() {
    std::shared_ptr<Session> oldest;
    {
      std::lock_guard lock(shared->mu);
      auto pick = shared->idle.end();
      for (auto it = shared->idle.begin(); it != shared->idle.end(); ++it)
        if (pick == shared->idle.end() || it->second.second < pick->second.second) pick = it;
      if (pick != shared->idle.end()) {
        oldest = pick->second.first.lock();
        shared->idle.erase(pick);
      }
    }
    if (!oldest) return false;
    oldest->close_if_idle();
    return true;
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // the acceptor was closed
      // At the cap, the connection waiting longest for a request (idle keep-alive, slow
      // headers) makes room: a flood of held connections never locks out /v1/health.
      if (shared->connections >= shared->options.max_connections && !shed_oldest_idle()) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      accept();
    });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->shared->options = options;
  impl_->shared->handler = std::move(handler);
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw InvalidRequest("--host " + options.host + " is not an IP address");
  tcp::endpoint endpoint(address, options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                ec.message());
}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

size_t HttpServer::open_connections() const {
  return impl_->shared->connections;
}

void HttpServer::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->accept();
  for (size_t i = 0; i < std::max<size_t>(1, impl_->shared->options.io_threads); ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->shared->stopping = true;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Session>> idle;
  {
    std::lock_guard lock(impl_->shared->mu);
    for (auto& [raw, entry] : impl_->shared->idle)
      if (auto s = entry.first.lock()) idle.push_back(std::move(s));
  }
  // Outside the lock: dropping the last reference runs ~Session, which takes it.
  for (auto& s : idle) s->close_if_idle();
  idle.clear();
  // Requests in progress finish and are written back; then the context runs out of work.
  {
    std::unique_lock lock(impl_->shared->mu);
    impl_->shared->drained.wait(lock, [this] { return impl_->shared->in_flight == 0; });
  }
  impl_->work.reset();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace crucible::net
