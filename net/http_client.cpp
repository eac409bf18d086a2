#include "net/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <map>
#include <optional>

#include "base/error.hpp"

namespace crucible::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Url parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw InvalidRequest("URL '" + url + "' must start with http://");
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Url u;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    try {
      int port = std::stoi(authority.substr(colon + 1));
      if (port <= 0 || port > 65535) throw std::out_of_range("port");
      u.port = static_cast<uint16_t>(port);
    } catch (const std::exception&) {
      throw InvalidRequest("URL '" + url + "' has a bad port");
    }
  } else {
    u.host = authority;
  }
  if (u.host.empty()) throw InvalidRequest("URL '" + url + "' has no host");
  return u;
}

struct HttpClient::Impl {
  asio::io_context ioc;
  std::map<std::string, std::unique_ptr<beast::tcp_stream>> connections;

  // Runs the context until `done` or the deadline; the stream's own timer does the rest.
  void run() {
    ioc.restart();
    ioc.run();
  }
};

HttpClient::HttpClient(std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()), timeout_(timeout) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& url,
                                 const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  Url u = parse_url(url);
  std::string key = u.host + ":" + std::to_string(u.port);
  http::request<http::string_body> req(http::string_to_verb(method), u.target, 11);
  if (req.method() == http::verb::unknown)
    throw InvalidRequest("unknown HTTP method '" + method + "'");
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "crucible");
  req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.keep_alive(true);
  req.prepare_payload();

  // A reused connection may have been closed by the server: retry once on a fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto& stream = impl_->connections[key];
    bool fresh = !stream;
    beast::error_code ec;
    if (fresh) {
      stream = std::make_unique<beast::tcp_stream>(impl_->ioc);
      tcp::resolver resolver(impl_->ioc);
      auto endpoints = resolver.resolve(u.host, std::to_string(u.port), ec);
      if (ec) throw Error("cannot resolve " + u.host + ": " + ec.message());
      stream->expires_after(timeout_);
      stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
      impl_->run();
      if (ec) {
        impl_->connections.erase(key);
        throw Error("cannot connect to " + key + ": " + ec.message());
      }
    }
    stream->expires_after(timeout_);
    http::async_write(*stream, req, [&](beast::error_code e, size_t) { ec = e; });
    impl_->run();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ull << 30);
    if (!ec) {
      http::async_read(*stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
      impl_->run();
    }
    if (ec) {
      impl_->connections.erase(key);
      bool stale =
          !fresh && (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                     ec == asio::error::broken_pipe || ec == asio::error::eof);
      if (stale) continue;
      throw Error(std::string(ec == beast::error::timeout ? "timed out" : "request failed") +
                  " on " + url + ": " + ec.message());
    }
    auto& res = parser.get();
    HttpResponse out;
    out.status = res.result_int();
    out.content_type = std::string(res[http::field::content_type]);
    for (const auto& field : res)
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) impl_->connections.erase(key);
    return out;
  }
  throw Error("request failed on " + url + ": the connection was closed");
}

}  // namespace crucible::net
