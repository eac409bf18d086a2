#include "sandbox/judge/harness_templates.hpp"

namespace crucible::sandbox::judge {
namespace {

// The values that cross between the two processes, and their wire format, shared by both
// programs. A Value is null, bool, integer, floating, string, list or map; pairs, tuples,
// vectors and sets are lists. Floating values travel in hex (%a), so they arrive exact.
// clang-format off
constexpr const char* kValue = R"CPP(
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>
#include <unistd.h>

namespace crucible_harness {
struct Value;
template <class T> T value_as(const Value& v);
template <class T> struct is_std_vector : std::false_type {};
template <class T, class A> struct is_std_vector<std::vector<T, A>> : std::true_type {};

struct Value {
  enum Kind { Null, Bool, Int, Float, Str, List, Map } kind = Null;
  bool b = false;
  long long i = 0;
  double d = 0;
  std::string s;
  std::vector<Value> items;
  std::vector<std::pair<Value, Value>> pairs;

  Value() {}
  Value(std::nullptr_t) {}
  Value(std::nullopt_t) {}
  Value(bool v) : kind(Bool), b(v) {}
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T v) : kind(Int), i(static_cast<long long>(v)) {}
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Value(T v) : kind(Float), d(static_cast<double>(v)) {}
  Value(const char* v) : kind(Str), s(v) {}
  Value(const std::string& v) : kind(Str), s(v) {}
  Value(std::initializer_list<Value> v) : kind(List), items(v) {}
  template <class T, class A> Value(const std::vector<T, A>& v) : kind(List) { for (const auto& x : v) items.push_back(Value(x)); }
  template <class T, class C> Value(const std::set<T, C>& v) : kind(List) { for (const auto& x : v) items.push_back(Value(x)); }
  template <class T> Value(const std::unordered_set<T>& v) : kind(List) { for (const auto& x : v) items.push_back(Value(x)); }
  template <class K, class V, class C> Value(const std::map<K, V, C>& v) : kind(Map) { for (const auto& [k, x] : v) pairs.emplace_back(Value(k), Value(x)); }
  template <class K, class V> Value(const std::unordered_map<K, V>& v) : kind(Map) { for (const auto& [k, x] : v) pairs.emplace_back(Value(k), Value(x)); }
  template <class A, class B> Value(const std::pair<A, B>& v) : kind(List) { items.push_back(Value(v.first)); items.push_back(Value(v.second)); }
  template <class... T> Value(const std::tuple<T...>& v) : kind(List) { std::apply([&](const auto&... x) { (items.push_back(Value(x)), ...); }, v); }
  template <class T> Value(const std::optional<T>& v) { if (v) *this = Value(*v); }

  template <class T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, Value> && !std::is_pointer_v<T>, int> = 0>
  operator T() const { return value_as<T>(*this); }

  bool is_number() const { return kind == Int || kind == Float || kind == Bool; }
  double number() const { return kind == Float ? d : kind == Bool ? (b ? 1 : 0) : static_cast<double>(i); }
  size_t size() const { return kind == Str ? s.size() : kind == Map ? pairs.size() : items.size(); }
  bool empty() const { return size() == 0; }
  Value operator[](size_t k) const {
    if (kind == Str) return k < s.size() ? Value(s[k]) : throw std::out_of_range("index");
    if (k >= items.size()) throw std::out_of_range("index " + std::to_string(k) + " of " + std::to_string(items.size()));
    return items[k];
  }
  std::vector<Value>::const_iterator begin() const { return items.begin(); }
  std::vector<Value>::const_iterator end() const { return items.end(); }
};

inline bool same(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.kind == Value::Float || b.kind == Value::Float) return a.number() == b.number();
    long long x = a.kind == Value::Bool ? a.b : a.i, y = b.kind == Value::Bool ? b.b : b.i;
    return x == y;
  }
  if (a.kind == Value::Str && b.kind == Value::Str) return a.s == b.s;
  // A one-character string and a char (an integer) are the same value.
  if (a.kind == Value::Str && b.kind == Value::Int) return a.s.size() == 1 && static_cast<unsigned char>(a.s[0]) == b.i;
  if (a.kind == Value::Int && b.kind == Value::Str) return same(b, a);
  if (a.kind != b.kind) return a.kind == Value::Null && b.kind == Value::Null;
  if (a.kind == Value::List) {
    if (a.items.size() != b.items.size()) return false;
    for (size_t k = 0; k < a.items.size(); ++k) if (!same(a.items[k], b.items[k])) return false;
    return true;
  }
  if (a.kind == Value::Map) {
    if (a.pairs.size() != b.pairs.size()) return false;
    for (const auto& [k, v] : a.pairs) {
      bool found = false;
      for (const auto& [k2, v2] : b.pairs) if (same(k, k2)) { found = same(v, v2); break; }
      if (!found) return false;
    }
    return true;
  }
  return true;
}
inline int order(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.number() < b.number() ? -1 : a.number() > b.number() ? 1 : 0;
  if (a.kind == Value::Str && b.kind == Value::Str) return a.s.compare(b.s) < 0 ? -1 : a.s == b.s ? 0 : 1;
  if (a.kind == Value::List && b.kind == Value::List) {
    for (size_t k = 0; k < a.items.size() && k < b.items.size(); ++k) if (int c = order(a.items[k], b.items[k])) return c;
    return a.items.size() < b.items.size() ? -1 : a.items.size() > b.items.size() ? 1 : 0;
  }
  throw std::runtime_error("values of different kinds cannot be ordered");
}
inline bool operator==(const Value& a, const Value& b) { return same(a, b); }
inline bool operator!=(const Value& a, const Value& b) { return !same(a, b); }
inline bool operator<(const Value& a, const Value& b) { return order(a, b) < 0; }
inline bool operator>(const Value& a, const Value& b) { return order(a, b) > 0; }
inline bool operator<=(const Value& a, const Value& b) { return order(a, b) <= 0; }
inline bool operator>=(const Value& a, const Value& b) { return order(a, b) >= 0; }
#define CRUCIBLE_COMPARE(op) \
  template <class T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, Value>, int> = 0> bool operator op(const Value& a, const T& b) { return a op Value(b); } \
  template <class T, std::enable_if_t<!std::is_same_v<std::decay_t<T>, Value>, int> = 0> bool operator op(const T& a, const Value& b) { return Value(a) op b; }
CRUCIBLE_COMPARE(==) CRUCIBLE_COMPARE(!=) CRUCIBLE_COMPARE(<) CRUCIBLE_COMPARE(>) CRUCIBLE_COMPARE(<=) CRUCIBLE_COMPARE(>=)
#undef CRUCIBLE_COMPARE
inline Value arith(const Value& a, const Value& b, char op) {
  if (!a.is_number() || !b.is_number()) {
    if (op == '+' && a.kind == Value::Str && b.kind == Value::Str) return Value(a.s + b.s);
    throw std::runtime_error("arithmetic on a value that is not a number");
  }
  bool real = a.kind == Value::Float || b.kind == Value::Float || op == '/';
  if (op == '/' && a.kind != Value::Float && b.kind != Value::Float) {
    long long y = b.kind == Value::Bool ? b.b : b.i;
    if (y == 0) throw std::runtime_error("division by zero");
    return Value((a.kind == Value::Bool ? a.b : a.i) / y);
  }
  if (real) { double x = a.number(), y = b.number(); return Value(op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y); }
  long long x = a.kind == Value::Bool ? a.b : a.i, y = b.kind == Value::Bool ? b.b : b.i;
  return Value(op == '+' ? x + y : op == '-' ? x - y : x * y);
}
#define CRUCIBLE_ARITH(op) \
  inline Value operator op(const Value& a, const Value& b) { return arith(a, b, (#op)[0]); } \
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0> Value operator op(const Value& a, T b) { return arith(a, Value(b), (#op)[0]); } \
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0> Value operator op(T a, const Value& b) { return arith(Value(a), b, (#op)[0]); }
CRUCIBLE_ARITH(+) CRUCIBLE_ARITH(-) CRUCIBLE_ARITH(*) CRUCIBLE_ARITH(/)
#undef CRUCIBLE_ARITH
inline Value operator-(const Value& a) { return arith(Value(0), a, '-'); }
// A string or a list has no magnitude: 0 would pass `fabs(candidate(x)) < 1e-9`.
inline double magnitude(const Value& a) {
  if (!a.is_number()) throw std::runtime_error("the magnitude of a value that is not a number");
  return std::fabs(a.number());
}
inline double fabs(const Value& a) { return magnitude(a); }
inline double abs(const Value& a) { return magnitude(a); }
inline std::ostream& operator<<(std::ostream& out, const Value& v) {
  switch (v.kind) {
    case Value::Null: return out << "null";
    case Value::Bool: return out << (v.b ? "true" : "false");
    case Value::Int: return out << v.i;
    case Value::Float: return out << v.d;
    case Value::Str: return out << '"' << v.s << '"';
    case Value::List: { out << '{'; for (size_t k = 0; k < v.items.size(); ++k) out << (k ? ", " : "") << v.items[k]; return out << '}'; }
    case Value::Map: { out << '{'; for (size_t k = 0; k < v.pairs.size(); ++k) out << (k ? ", " : "") << v.pairs[k].first << ": " << v.pairs[k].second; return out << '}'; }
  }
  return out;
}

template <class T> struct as_tag {};
template <class T> T value_as_impl(const Value& v, as_tag<T>) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_number()) throw std::runtime_error("expected a bool");
    return v.number() != 0;
  } else if constexpr (std::is_integral_v<T>) {
    if (v.kind == Value::Str && v.s.size() == 1) return static_cast<T>(v.s[0]);
    if (!v.is_number()) throw std::runtime_error("expected a number");
    return v.kind == Value::Float ? static_cast<T>(v.d) : static_cast<T>(v.kind == Value::Bool ? v.b : v.i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) throw std::runtime_error("expected a number");
    return static_cast<T>(v.number());
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (v.kind == Value::Null) return std::string();  // "{}"
    if (v.kind != Value::Str) throw std::runtime_error("expected a string");
    return v.s;
  } else {
    if (v.kind == Value::Null) return T{};  // "{}" is the empty container
    return value_as_container(v, as_tag<T>{});
  }
}
template <class T, class A> std::vector<T, A> value_as_container(const Value& v, as_tag<std::vector<T, A>>) {
  if (v.kind != Value::List) throw std::runtime_error("expected a list");
  std::vector<T, A> out; for (const auto& x : v.items) out.push_back(value_as<T>(x)); return out;
}
template <class T, class C> std::set<T, C> value_as_container(const Value& v, as_tag<std::set<T, C>>) {
  if (v.kind != Value::List) throw std::runtime_error("expected a list");
  std::set<T, C> out; for (const auto& x : v.items) out.insert(value_as<T>(x)); return out;
}
template <class T> std::unordered_set<T> value_as_container(const Value& v, as_tag<std::unordered_set<T>>) {
  if (v.kind != Value::List) throw std::runtime_error("expected a list");
  std::unordered_set<T> out; for (const auto& x : v.items) out.insert(value_as<T>(x)); return out;
}
// A braced list of pairs ({{"a", 1}, {"b", 2}}) initialises a map, as in C++.
inline std::vector<std::pair<Value, Value>> entries_of(const Value& v) {
  if (v.kind == Value::Map) return v.pairs;
  if (v.kind != Value::List) throw std::runtime_error("expected a map");
  std::vector<std::pair<Value, Value>> out;
  for (const auto& x : v.items) {
    if (x.kind != Value::List || x.items.size() != 2) throw std::runtime_error("expected a map");
    out.emplace_back(x.items[0], x.items[1]);
  }
  return out;
}
template <class K, class V, class C> std::map<K, V, C> value_as_container(const Value& v, as_tag<std::map<K, V, C>>) {
  std::map<K, V, C> out; for (const auto& [k, x] : entries_of(v)) out.emplace(value_as<K>(k), value_as<V>(x)); return out;
}
template <class K, class V> std::unordered_map<K, V> value_as_container(const Value& v, as_tag<std::unordered_map<K, V>>) {
  std::unordered_map<K, V> out; for (const auto& [k, x] : entries_of(v)) out.emplace(value_as<K>(k), value_as<V>(x)); return out;
}
template <class A, class B> std::pair<A, B> value_as_container(const Value& v, as_tag<std::pair<A, B>>) {
  if (v.kind != Value::List || v.items.size() != 2) throw std::runtime_error("expected a pair");
  return {value_as<A>(v.items[0]), value_as<B>(v.items[1])};
}
template <class... T, size_t... I> std::tuple<T...> tuple_from(const Value& v, std::index_sequence<I...>) {
  return std::tuple<T...>(value_as<T>(v.items[I])...);
}
template <class... T> std::tuple<T...> value_as_container(const Value& v, as_tag<std::tuple<T...>>) {
  if (v.kind != Value::List || v.items.size() != sizeof...(T)) throw std::runtime_error("expected a tuple");
  return tuple_from<T...>(v, std::index_sequence_for<T...>{});
}
template <class T> std::optional<T> value_as_container(const Value& v, as_tag<std::optional<T>>) {
  if (v.kind == Value::Null) return std::nullopt;
  return value_as<T>(v);
}
template <class T> T value_as(const Value& v) { return value_as_impl(v, as_tag<std::decay_t<T>>{}); }

// ---- wire format ----
inline void encode(const Value& v, std::string& out) {
  char buf[64];
  switch (v.kind) {
    case Value::Null: out += 'n'; return;
    case Value::Bool: out += v.b ? 't' : 'F'; return;
    case Value::Int: out += 'i'; out += std::to_string(v.i); out += ';'; return;
    case Value::Float: std::snprintf(buf, sizeof buf, "%a", v.d); out += 'f'; out += buf; out += ';'; return;
    case Value::Str: out += 's'; out += std::to_string(v.s.size()); out += ':'; out += v.s; return;
    case Value::List: out += 'l'; out += std::to_string(v.items.size()); out += ':'; for (const auto& x : v.items) encode(x, out); return;
    case Value::Map: out += 'm'; out += std::to_string(v.pairs.size()); out += ':'; for (const auto& [k, x] : v.pairs) { encode(k, out); encode(x, out); } return;
  }
}
struct Decoder {
  const std::string& t;
  size_t p = 0;
  size_t number_until(char end) {
    size_t q = t.find(end, p);
    if (q == std::string::npos || q - p > 40) throw std::runtime_error("bad message");
    size_t start = p; p = q + 1; return start;
  }
  size_t count() { size_t s = number_until(':'); return std::strtoull(t.c_str() + s, nullptr, 10); }
  Value read(int depth = 0) {
    if (depth > 200 || p >= t.size()) throw std::runtime_error("bad message");
    char c = t[p++];
    Value v;
    switch (c) {
      case 'n': return v;
      case 't': return Value(true);
      case 'F': return Value(false);
      case 'i': { size_t s = number_until(';'); return Value(std::strtoll(t.c_str() + s, nullptr, 10)); }
      case 'f': { size_t s = number_until(';'); return Value(std::strtod(t.c_str() + s, nullptr)); }
      case 's': { size_t n = count(); if (n > t.size() - p) throw std::runtime_error("bad message"); v = Value(t.substr(p, n)); p += n; return v; }
      case 'l': { size_t n = count(); if (n > t.size() - p) throw std::runtime_error("bad message"); v.kind = Value::List; for (size_t k = 0; k < n; ++k) v.items.push_back(read(depth + 1)); return v; }
      case 'm': { size_t n = count(); if (n > t.size() - p) throw std::runtime_error("bad message"); v.kind = Value::Map; for (size_t k = 0; k < n; ++k) { Value key = read(depth + 1); v.pairs.emplace_back(key, read(depth + 1)); } return v; }
    }
    throw std::runtime_error("bad message");
  }
};
inline bool send_message(int fd, char tag, const std::string& body) {
  std::string m(9, '\0');
  unsigned long long n = body.size() + 1;
  std::memcpy(&m[0], &n, 8);
  m[8] = tag;
  m += body;
  for (size_t o = 0; o < m.size();) {
    ssize_t w = ::write(fd, m.data() + o, m.size() - o);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    o += static_cast<size_t>(w);
  }
  return true;
}
inline bool read_exact(int fd, char* buf, size_t n) {
  for (size_t o = 0; o < n;) {
    ssize_t r = ::read(fd, buf + o, n - o);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    o += static_cast<size_t>(r);
  }
  return true;
}
inline bool receive_message(int fd, char& tag, std::string& body) {
  unsigned long long n = 0;
  if (!read_exact(fd, reinterpret_cast<char*>(&n), 8) || n == 0 || n > (64ull << 20)) return false;
  std::string m(n, '\0');
  if (!read_exact(fd, &m[0], n)) return false;
  tag = m[0];
  body = m.substr(1);
  return true;
}
}  // namespace crucible_harness
)CPP";
// clang-format on

}  // namespace

const char* cpp_harness_values() {
  return kValue;
}

}  // namespace crucible::sandbox::judge
