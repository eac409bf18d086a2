#include "sandbox/service/server.hpp"

#include <algorithm>

#include "base/cancel.hpp"
#include "base/error.hpp"
#include "base/files.hpp"
#include "net/client_group.hpp"

namespace crucible::sandbox::service {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

SandboxServer::SandboxServer(ServeOptions options) : options_(std::move(options)) {
  ServiceOptions service_options;
  service_options.extra_routes = options_.extra_routes;
  if (!options_.token_file.empty()) {
    std::string token;
    try {
      token = read_file(options_.token_file);
    } catch (const Error& e) {
      throw InvalidRequest(std::string("--token-file: ") + e.what());
    }
    token.erase(token.find_last_not_of(" \t\r\n") + 1);
    token.erase(0, token.find_first_not_of(" \t\r\n"));
    if (token.empty()) throw InvalidRequest("--token-file " + options_.token_file + " is empty");
    service_options.token = token;
  } else if (!is_loopback(options_.host)) {
    throw InvalidRequest("binding to " + options_.host + " (not loopback) requires --token-file");
  }
  if (options_.workers == 0) throw InvalidRequest("--workers must be at least 1");
  if (options_.queue == 0) throw InvalidRequest("--queue must be at least 1");
  sandbox_ = std::make_unique<Sandbox>(options_.sandbox);
  service_ = std::make_unique<SandboxService>(*sandbox_, service_options);
  if (options_.client_prefix_v4 < 0 || options_.client_prefix_v4 > 32)
    throw InvalidRequest("--client-prefix-v4 must be 0-32 bits, not " +
                         std::to_string(options_.client_prefix_v4));
  if (options_.client_prefix_v6 < 0 || options_.client_prefix_v6 > 128)
    throw InvalidRequest("--client-prefix-v6 must be 0-128 bits, not " +
                         std::to_string(options_.client_prefix_v6));
  trusted_proxies_ = net::TrustedProxies(options_.trusted_proxies);
  if (options_.queue_per_client > options_.queue)
    throw InvalidRequest("--queue-per-client (" + std::to_string(options_.queue_per_client) +
                         ") must not exceed --queue (" + std::to_string(options_.queue) + ")");
  auto share = [&](size_t queue) {
    if (options_.queue_per_client) return options_.queue_per_client * queue / options_.queue;
    return std::max<size_t>(1, queue * 3 / 4);
  };
  pool_ = std::make_unique<WorkerPool>(options_.workers, options_.queue, share(options_.queue));
  compat_pool_ = std::make_unique<WorkerPool>(options_.compat_workers, options_.compat_queue,
                                              share(options_.compat_queue));
  service_->metrics().set_queue_depth_source(
      [this] { return pool_->queued() + compat_pool_->queued(); });
  net::ServerOptions http_options;
  http_options.host = options_.host == "localhost" ? "127.0.0.1" : options_.host;
  http_options.port = options_.port;
  http_options.max_body_bytes = options_.max_body_bytes;
  http_options.io_threads = 1;
  http_ = std::make_unique<net::HttpServer>(http_options, [this](net::HttpRequest req,
                                                                 net::Respond respond) {
    if (auto denied = service_->authorize(req)) {
      service_->metrics().count_request(service_->route_label(req.path), denied->status);
      return respond(*denied);
    }
    if (!service_->is_job(req)) return respond(service_->handle(req));
    auto request = std::make_shared<net::HttpRequest>(std::move(req));
    bool compat = request->path == "/run_code" || request->path == "/api/v2/execute";
    std::string address;
    try {
      auto forwarded = request->headers.find("x-forwarded-for");
      address = trusted_proxies_.client_address(
          request->client_address,
          forwarded == request->headers.end() ? std::string() : forwarded->second);
    } catch (const InvalidRequest& e) {
      service_->metrics().count_request(service_->route_label(request->path), 400);
      return respond(net::error_response(400, e.what()));
    }
    const std::string client =
        net::client_group(address, options_.client_prefix_v4, options_.client_prefix_v6);
    auto queued =
        (compat ? compat_pool_ : pool_)
            ->try_submit(
                [this, request, respond] {
                  // A client that hung up while its job waited gets no run: the worker moves on.
                  if (request->abandoned()) {
                    service_->metrics().count_request(service_->route_label(request->path), 499);
                    return respond(net::error_response(499, "the client closed the connection"));
                  }
                  // A client that hangs up while its job runs has the job's runs stopped.
                  CancelScope cancel(request->client_gone.get());
                  respond(service_->handle(*request));
                },
                client);
    if (!queued) {
      WorkerPool& pool = *(compat ? compat_pool_ : pool_);
      size_t mine = pool.waiting(client);
      net::HttpResponse busy = net::error_response(
          429, mine >= pool.per_key_capacity()
                   ? "this client already has " + std::to_string(mine) +
                         " jobs waiting (the limit per client is " +
                         std::to_string(pool.per_key_capacity()) + "); retry later"
                   : std::string("the job queue is full; retry later"));
      busy.headers.emplace_back("Retry-After", "1");
      service_->metrics().count_request(service_->route_label(request->path), 429);
      respond(busy);
    }
  });
}

SandboxServer::~SandboxServer() {
  stop();
}

void SandboxServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  http_->stop();  // waits for every request handed out, queued jobs included
  pool_->join();  // jobs hold answers for connections: none may outlive the HTTP server
  compat_pool_->join();
}

}  // namespace crucible::sandbox::service
