// The sandbox service called as a function of the request (no sockets), for the API tests.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sandbox/service/service.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::sandbox::service {

inline net::HttpRequest post(const std::string& path, const std::string& body) {
  net::HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.body = body;
  return r;
}

inline net::HttpRequest get(const std::string& path) {
  net::HttpRequest r;
  r.method = "GET";
  r.path = path;
  return r;
}

class Service : public ::testing::Test {
 protected:
  SandboxService service{testing::shared_sandbox()};
  nlohmann::json call(const net::HttpRequest& r, int want_status) {
    auto resp = service.handle(r);
    EXPECT_EQ(resp.status, want_status) << r.method << " " << r.path << ": " << resp.body;
    return nlohmann::json::parse(resp.body, nullptr, false);
  }
};

}  // namespace crucible::sandbox::service
