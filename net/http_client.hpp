// A small HTTP/1.1 client on Boost.Beast with a deadline on every request and connection
// reuse (one kept-alive connection per host:port). Not thread-safe: use one per thread.
//
//   HttpClient client(std::chrono::seconds(10));
//   HttpResponse r = client.request("POST", "http://127.0.0.1:8080/v1/run", body);
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/http.hpp"

namespace crucible::net {

struct Url {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";
};
// "http://host[:port][/path]"; throws InvalidRequest naming the URL otherwise.
Url parse_url(const std::string& url);

class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws Error (with the reason) on connection failure or timeout; any HTTP status is a
  // response, not an error.
  HttpResponse request(const std::string& method, const std::string& url,
                       const std::string& body = "",
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::chrono::milliseconds timeout_;
};

}  // namespace crucible::net
