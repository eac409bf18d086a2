#include "sandbox/service/client.hpp"

#include <random>
#include <thread>

#include "base/error.hpp"

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
  thread_local std::mt19937 rng(std::random_device{}());
  std::string last_problem;
  auto delay = options_.backoff;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    const std::string& endpoint = options_.endpoints[next_++ % options_.endpoints.size()];
    auto client = take();
    std::optional<net::HttpResponse> resp;
    try {
      resp = client->request(method, endpoint + path, body, headers);
      give(std::move(client));
    } catch (const Error& e) {
      last_problem = e.what();  // the connection is dropped with the client object
    }
    if (resp) {
      if (resp->status < 500 && resp->status != 429) return *resp;
      last_problem =
          endpoint + " answered " + std::to_string(resp->status) + ": " + resp->body.substr(0, 300);
      if (resp->status == 429)
        for (const auto& [k, v] : resp->headers)
          if (k == "Retry-After" || k == "retry-after")
            delay = std::max(delay, std::chrono::milliseconds(std::atoi(v.c_str()) * 1000));
    }
    if (attempt + 1 < options_.attempts) {
      std::uniform_int_distribution<int> jitter(0, static_cast<int>(delay.count() / 2));
      std::this_thread::sleep_for(delay + std::chrono::milliseconds(jitter(rng)));
      delay *= 2;
    }
  }
  throw SandboxFailure("sandbox service failed after " + std::to_string(options_.attempts) +
                       " attempts: " + last_problem);
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
