// Which requests count as one client for the service's fair queue and per-client share.
#include "net/client_group.hpp"

#include <gtest/gtest.h>

namespace crucible::net {
namespace {

TEST(ClientGroup, AddressesOfOneIpv6Slash64AreOneClient) {
  EXPECT_EQ(client_group("2001:db8::1", 32, 64), "2001:db8::/64");
  EXPECT_EQ(client_group("2001:db8::ffff:1234:5678:9abc", 32, 64), "2001:db8::/64");
  EXPECT_EQ(client_group("2001:db8:0:1::1", 32, 64), "2001:db8:0:1::/64");
  EXPECT_EQ(client_group("2001:db8::1", 32, 128), "2001:db8::1");
  EXPECT_EQ(client_group("2001:db8:0:1::1", 32, 48), client_group("2001:db8:0:2::1", 32, 48));
}

TEST(ClientGroup, Ipv4KeepsWholeAddressesUnlessAPrefixIsAsked) {
  EXPECT_EQ(client_group("10.0.0.1", 32, 64), "10.0.0.1");
  EXPECT_NE(client_group("10.0.0.1", 32, 64), client_group("10.0.0.2", 32, 64));
  EXPECT_EQ(client_group("10.0.0.1", 24, 64), "10.0.0.0/24");
  EXPECT_EQ(client_group("10.0.0.200", 24, 64), "10.0.0.0/24");
  EXPECT_EQ(client_group("127.0.0.7", 0, 64), "0.0.0.0/0");
}

TEST(ClientGroup, Ipv4MappedAddressesCountAsIpv4) {
  EXPECT_EQ(client_group("::ffff:10.0.0.7", 32, 64), "10.0.0.7");
  EXPECT_EQ(client_group("::ffff:10.0.0.7", 24, 64), "10.0.0.0/24");
}

TEST(ClientGroup, WhatIsNotAnAddressIsLeftAsItIs) {
  EXPECT_EQ(client_group("", 24, 64), "");
  EXPECT_EQ(client_group("not an address", 24, 64), "not an address");
  EXPECT_EQ(client_group("10.0.0.1:80", 24, 64), "10.0.0.1:80");
}

}  // namespace
}  // namespace crucible::net
