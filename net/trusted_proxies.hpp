// The client behind a reverse proxy. Behind nginx or HAProxy every request comes from the
// proxy's address, so fair queueing would see one client; a proxy the operator names is
// believed about who it forwards for (its X-Forwarded-For), nobody else is.
//
//   TrustedProxies p({"10.0.0.5", "192.168.0.0/16"});
//   p.client_address("10.0.0.5", "203.0.113.9, 192.168.1.2") == "203.0.113.9"
//   p.client_address("198.51.100.1", "203.0.113.9") == "198.51.100.1"  // not a proxy of ours
#pragma once

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <vector>

namespace crucible::net {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Addresses or networks ("10.0.0.5", "10.0.0.0/8", "fd00::/8"). Throws InvalidRequest
  // naming an entry that is neither.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool contains(const std::string& address) const;

  // `peer` when it is not a trusted proxy. Otherwise the right-most X-Forwarded-For entry
  // that is not a trusted proxy either (each proxy appends the address it saw, so entries
  // left of the first untrusted one may be forged); the proxy itself when the header is
  // absent. Throws InvalidRequest naming an entry the walk reaches that is not an address.
  std::string client_address(const std::string& peer, const std::string& forwarded_for) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace crucible::net
