#include "policy/remote/policy_server.hpp"

#include "base/error.hpp"

namespace crucible::policy {

PolicyServer::PolicyServer(Policy& policy, std::string model_name, PolicyServerOptions options)
    : policy_(policy), name_(std::move(model_name)), options_(std::move(options)) {
  if (options_.workers == 0) throw InvalidRequest("serve-policy: workers must be at least 1");
  if (options_.batching) batched_ = std::make_unique<BatchedPolicy>(policy_, *options_.batching);
  pool_ = std::make_unique<WorkerPool>(options_.workers, options_.queue);
  server_ = std::make_unique<net::HttpServer>(
      options_.http, [this](net::HttpRequest req, net::Respond respond) {
        auto shared_respond = std::make_shared<net::Respond>(std::move(respond));
        auto job = [this, req = std::move(req), shared_respond]() {
          try {
            Policy& serving = batched_ ? *batched_ : policy_;
            (*shared_respond)(handle_policy_request(req, serving, name_, options_.limits));
          } catch (const std::exception& e) {
            (*shared_respond)(openai_error(500, std::string("generation failed: ") + e.what()));
          }
        };
        if (!pool_->try_submit(std::move(job)))
          (*shared_respond)(openai_error(429, "busy: the generation queue is full; retry later"));
      });
}

PolicyServer::~PolicyServer() {
  stop();
}

void PolicyServer::start() {
  server_->start();
}

void PolicyServer::stop() {
  if (server_) server_->stop();
}

const BatchedPolicy* PolicyServer::batching() const {
  return batched_.get();
}

uint16_t PolicyServer::port() const {
  return server_->port();
}

}  // namespace crucible::policy
