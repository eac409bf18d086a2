// Who a request comes from behind a reverse proxy: only a proxy the operator named is
// believed about the client it forwards for, and only up to the first hop it cannot vouch for.
#include "net/trusted_proxies.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace crucible::net {
namespace {

TEST(TrustedProxies, ATrustedProxyNamesTheClientItForwardsFor) {
  TrustedProxies proxies({"10.0.0.5", "192.168.0.0/16", "fd00::/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(proxies.client_address("10.0.0.5", " 203.0.113.9 , 192.168.1.2"), "203.0.113.9");
  EXPECT_EQ(proxies.client_address("::ffff:10.0.0.5", "2001:db8::7"), "2001:db8::7");
  EXPECT_EQ(proxies.client_address("fd12::1", "[2001:db8::7]:4711"), "2001:db8::7");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "203.0.113.9:51234"), "203.0.113.9");
  // Left of the first untrusted hop, anything may be the client's own invention.
  EXPECT_EQ(proxies.client_address("10.0.0.5", "1.1.1.1, 203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "not-an-address, 203.0.113.9"), "203.0.113.9");
}

TEST(TrustedProxies, AnyoneElsesHeaderIsIgnored) {
  TrustedProxies proxies({"10.0.0.5"});
  EXPECT_EQ(proxies.client_address("10.0.0.6", "203.0.113.9"), "10.0.0.6");
  EXPECT_EQ(TrustedProxies().client_address("10.0.0.5", "203.0.113.9"), "10.0.0.5");
  EXPECT_TRUE(TrustedProxies().empty());
}

TEST(TrustedProxies, WithoutAHeaderOrBeyondEveryProxyTheLastHopCounts) {
  TrustedProxies proxies({"10.0.0.0/8"});
  EXPECT_EQ(proxies.client_address("10.0.0.5", ""), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", " , "), "10.0.0.5");
  EXPECT_EQ(proxies.client_address("10.0.0.5", "10.1.1.1, 10.2.2.2"), "10.1.1.1");
}

TEST(TrustedProxies, AMalformedHopFromATrustedProxyIsNamed) {
  TrustedProxies proxies({"10.0.0.5"});
  try {
    proxies.client_address("10.0.0.5", "203.0.113.9, unknown");
    FAIL() << "accepted a hop that is not an address";
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find("holds 'unknown', not an IP address"), std::string::npos)
        << e.what();
  }
}

TEST(TrustedProxies, EntriesThatAreNotAddressesOrNetworksAreRefused) {
  for (const char* entry : {"proxy.local", "10.0.0.5:80", "10.0.0.0/33", "10.0.0.0/", "fd00::/129",
                            "10.0.0.0/8x", ""}) {
    try {
      TrustedProxies proxies({entry});
      FAIL() << "accepted '" << entry << "'";
    } catch (const InvalidRequest& e) {
      EXPECT_NE(std::string(e.what()).find("is not an IP address or network"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_TRUE(TrustedProxies({"::ffff:10.0.0.5"}).contains("10.0.0.5"));
}

}  // namespace
}  // namespace crucible::net
