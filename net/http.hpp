// Transport-neutral HTTP request/response values. Handlers are functions of these, so
// they are tested without sockets; http_server.hpp and http_client.hpp move them over TCP.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace crucible::net {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // without the query string
  std::string query;                           // after '?', may be empty
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  // Set by the server when the client hangs up before its answer (null outside a server):
  // queued work for it can be dropped.
  std::shared_ptr<std::atomic<bool>> client_gone;
  // The peer's IP address as the server saw it (empty outside a server): the service's
  // fair queue takes jobs round robin across clients by it.
  std::string client_address;
  std::string header(const std::string& lower_name) const;
  bool abandoned() const { return client_gone && client_gone->load(); }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON body (invalid UTF-8 in strings is replaced, never thrown).
HttpResponse json_response(int status, const nlohmann::json& body);
// {"error": message, "field": field} with the given status; `field` omitted when empty.
HttpResponse error_response(int status, const std::string& message, const std::string& field = "");

}  // namespace crucible::net
