#include "net/trusted_proxies.hpp"

#include <optional>

#include "base/error.hpp"
#include "net/client_group.hpp"

namespace crucible::net {
namespace {

namespace ip = boost::asio::ip;

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// An address as proxies write it: plain, "[v6]:port" or "v4:port". IPv4-mapped IPv6 counts
// as the IPv4 address.
std::optional<ip::address> parse_address(std::string text) {
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string::npos && text.find(':') == text.rfind(':')) {
    text = text.substr(0, text.find(':'));  // one colon: IPv4 with a port
  }
  return ip_address(text);
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& raw : entries) {
    std::string entry = trim(raw);
    size_t slash = entry.find('/');
    auto bad = [&] {
      return InvalidRequest("trusted proxy '" + entry +
                            "' is not an IP address or network (10.0.0.5, 10.0.0.0/8, fd00::/8)");
    };
    auto parsed = ip_address(entry.substr(0, slash));  // no port here
    if (!parsed) throw bad();
    const ip::address& address = *parsed;
    int max_bits = address.is_v4() ? 32 : 128, bits = max_bits;
    if (slash != std::string::npos) {
      std::string digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
        throw bad();
      bits = std::stoi(digits);
      if (bits > max_bits) throw bad();
    }
    if (address.is_v4())
      v4_.push_back(ip::make_network_v4(address.to_v4(), bits).canonical());
    else
      v6_.push_back(ip::make_network_v6(address.to_v6(), bits).canonical());
  }
}

bool TrustedProxies::contains(const std::string& text) const {
  auto address = parse_address(trim(text));
  if (!address) return false;
  if (address->is_v4()) {
    for (const auto& net : v4_)
      if (ip::make_network_v4(address->to_v4(), net.prefix_length()).canonical() == net)
        return true;
    return false;
  }
  for (const auto& net : v6_)
    if (ip::make_network_v6(address->to_v6(), net.prefix_length()).canonical() == net) return true;
  return false;
}

std::string TrustedProxies::client_address(const std::string& peer,
                                           const std::string& forwarded_for) const {
  if (!contains(peer)) return peer;
  std::string client = peer;
  size_t end = forwarded_for.size();
  while (end > 0) {
    size_t comma = forwarded_for.rfind(',', end - 1);
    size_t start = comma == std::string::npos ? 0 : comma + 1;
    std::string entry = trim(forwarded_for.substr(start, end - start));
    end = comma == std::string::npos ? 0 : comma;
    if (entry.empty()) continue;
    auto address = parse_address(entry);
    if (!address)
      throw InvalidRequest("X-Forwarded-For from trusted proxy " + peer + " holds '" +
                           entry.substr(0, 64) + "', not an IP address");
    client = address->to_string();
    if (!contains(client)) return client;
  }
  return client;  // every hop a trusted proxy: the left-most one
}

}  // namespace crucible::net
