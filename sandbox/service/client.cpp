#include "sandbox/service/client.hpp"

#include "base/error.hpp"
#include "net/retry.hpp"

namespace crucible::sandbox::service {

SandboxClient::SandboxClient(ClientOptions options) : options_(std::move(options)) {
  if (options_.endpoints.empty())
    throw InvalidRequest("the sandbox client needs at least one endpoint");
  for (auto& e : options_.endpoints) {
    while (!e.empty() && e.back() == '/') e.pop_back();
    net::parse_url(e);  // validates
  }
  if (options_.attempts < 1) options_.attempts = 1;
}

std::unique_ptr<net::HttpClient> SandboxClient::take() {
  std::lock_guard lock(mu_);
  if (idle_.empty()) return std::make_unique<net::HttpClient>(options_.timeout);
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return c;
}

void SandboxClient::give(std::unique_ptr<net::HttpClient> client) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(client));
}

net::HttpResponse SandboxClient::send(const std::string& method, const std::string& path,
                                      const std::string& body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (options_.token) headers.emplace_back("Authorization", "Bearer " + *options_.token);
  std::string endpoint;
  net::RetryResult r = net::with_retries(
      {.attempts = options_.attempts, .backoff = options_.backoff, .jitter = true}, [&] {
        endpoint = options_.endpoints[next_++ % options_.endpoints.size()];
        auto client = take();  // dropped, not given back, when the request throws
        net::HttpResponse resp = client->request(method, endpoint + path, body, headers);
        give(std::move(client));
        return resp;
      });
  if (r.response) return *r.response;
  throw SandboxFailure("sandbox service failed after " + std::to_string(options_.attempts) +
                       " attempts (last: " + endpoint + "): " + r.last_problem);
}

nlohmann::json SandboxClient::post_json(const std::string& path, const nlohmann::json& body) {
  auto resp =
      send("POST", path, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  auto j = nlohmann::json::parse(resp.body, nullptr, false);
  if (resp.status >= 400) {
    std::string message =
        !j.is_discarded() && j.contains("error") ? j["error"].get<std::string>() : resp.body;
    throw InvalidRequest(path + ": " + message);
  }
  if (j.is_discarded()) throw SandboxFailure(path + ": the service answered with invalid JSON");
  return j;
}

nlohmann::json SandboxClient::run(const nlohmann::json& request) {
  return post_json("/v1/run", request);
}
nlohmann::json SandboxClient::judge(const nlohmann::json& submission) {
  return post_json("/v1/judge", submission);
}

}  // namespace crucible::sandbox::service
