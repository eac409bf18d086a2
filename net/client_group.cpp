#include "net/client_group.hpp"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace crucible::net {

std::optional<boost::asio::ip::address> ip_address(const std::string& text) {
  namespace ip = boost::asio::ip;
  boost::system::error_code ec;
  ip::address a = ip::make_address(text, ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

std::string client_group(const std::string& address, int v4_prefix, int v6_prefix) {
  namespace ip = boost::asio::ip;
  auto parsed = ip_address(address);
  if (!parsed) return address;
  const ip::address& a = *parsed;
  if (a.is_v4()) {
    if (v4_prefix >= 32) return a.to_string();
    return ip::make_network_v4(a.to_v4(), v4_prefix).canonical().to_string();
  }
  if (v6_prefix >= 128) return a.to_string();
  return ip::make_network_v6(a.to_v6(), v6_prefix).canonical().to_string();
}

}  // namespace crucible::net
