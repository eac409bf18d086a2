// The client a request counts against, for fair queueing and per-client shares: its address
// cut to a network prefix. One host usually holds a whole IPv6 /64, so counting addresses
// one by one would let a client that rotates through its own /64 take a share per address.
//
//   client_group("2001:db8::7", 32, 64) == "2001:db8::/64"
//   client_group("::ffff:10.0.0.7", 24, 64) == "10.0.0.0/24"
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>

namespace crucible::net {

// `address` as the server saw it. IPv4 (and IPv4-mapped IPv6) keep `v4_prefix` bits, IPv6
// `v6_prefix`; a full-length prefix returns the address alone. Not an IP address (a unit
// test's client, a Unix socket): returned unchanged.
std::string client_group(const std::string& address, int v4_prefix, int v6_prefix);

// `text` as an IP address, an IPv4-mapped IPv6 address as the IPv4 one (a dual-stack socket
// reports IPv4 clients that way); nullopt when it is not one.
std::optional<boost::asio::ip::address> ip_address(const std::string& text);

}  // namespace crucible::net
