#include "rewards/math/evaluate.hpp"

#include <cmath>
#include <limits>

namespace crucible::rewards::math {
namespace {

using boost::multiprecision::denominator;
using boost::multiprecision::msb;
using boost::multiprecision::numerator;

unsigned bits(const Integer& v) {
  return v == 0 ? 0 : static_cast<unsigned>(msb(abs(v))) + 1;
}
unsigned bits(const Rational& v) {
  return std::max(bits(numerator(v)), bits(denominator(v)));
}

Exact ok(Rational v) {
  return {ExactStatus::Ok, std::move(v)};
}
Exact fail(ExactStatus s) {
  return {s, {}};
}

// The exact k-th root of a non-negative integer, when it has one.
std::optional<Integer> integer_root(const Integer& n, unsigned k) {
  if (n < 0) return std::nullopt;
  if (n < 2) return n;
  if (k == 2) {
    Integer r = boost::multiprecision::sqrt(n);
    if (r * r == n) return r;
    return std::nullopt;
  }
  if (bits(n) > 1000) return std::nullopt;
  double guess = std::round(std::pow(n.convert_to<double>(), 1.0 / k));
  for (double d : {guess - 1, guess, guess + 1}) {
    if (d < 0) continue;
    Integer r(static_cast<long long>(d));
    if (boost::multiprecision::pow(r, k) == n) return r;
  }
  return std::nullopt;
}

// x^(1/k) for rational x, exact or not at all; an odd root of a negative is negative.
std::optional<Rational> rational_root(const Rational& x, unsigned k) {
  bool negative = x < 0;
  if (negative && k % 2 == 0) return std::nullopt;
  auto n = integer_root(abs(numerator(x)), k);
  auto d = integer_root(denominator(x), k);
  if (!n || !d) return std::nullopt;
  Rational r(*n, *d);
  return negative ? Rational(-r) : r;
}

std::optional<long> small_integer(const Rational& v, long limit) {
  if (denominator(v) != 1 || abs(v) > limit) return std::nullopt;
  return numerator(v).convert_to<long>();
}

class ExactEval {
 public:
  ExactEval(const EvalLimits& limits, Budget& budget) : limits_(limits), budget_(budget) {}

  Exact eval(const Expr& e) {
    if (!budget_.spend()) return fail(ExactStatus::OutOfBudget);
    switch (e.kind) {
      case ExprKind::Number:
        return ok(e.value);
      case ExprKind::Add: {
        Rational sum = 0;
        for (const auto& k : e.kids) {
          Exact v = eval(k);
          if (v.status != ExactStatus::Ok) return v;
          sum += v.value;
        }
        return ok(std::move(sum));
      }
      case ExprKind::Neg: {
        Exact v = eval(e.kids[0]);
        if (v.status == ExactStatus::Ok) v.value = -v.value;
        return v;
      }
      case ExprKind::Mul: {
        Rational product = 1;
        for (const auto& k : e.kids) {
          Exact v = eval(k);
          if (v.status != ExactStatus::Ok) return v;
          product *= v.value;
          if (bits(product) > limits_.max_bits) return fail(ExactStatus::TooLarge);
        }
        return ok(std::move(product));
      }
      case ExprKind::Div: {
        Exact a = eval(e.kids[0]), b = eval(e.kids[1]);
        if (a.status != ExactStatus::Ok) return a;
        if (b.status != ExactStatus::Ok) return b;
        if (b.value == 0) return fail(ExactStatus::Undefined);
        return ok(a.value / b.value);
      }
      case ExprKind::Pow:
        return power(e);
      case ExprKind::Percent: {
        Exact v = eval(e.kids[0]);
        if (v.status == ExactStatus::Ok) v.value /= 100;
        return v;
      }
      case ExprKind::Factorial: {
        Exact v = eval(e.kids[0]);
        if (v.status != ExactStatus::Ok) return v;
        auto n = small_integer(v.value, std::numeric_limits<long>::max());
        if (!n || *n < 0) return fail(ExactStatus::Undefined);
        if (*n > static_cast<long>(limits_.max_factorial)) return fail(ExactStatus::TooLarge);
        Integer f = 1;
        for (long i = 2; i <= *n; ++i) f *= i;
        return ok(Rational(f));
      }
      case ExprKind::Func:
        return function(e);
      default:
        return fail(ExactStatus::NotRational);
    }
  }

 private:
  Exact power(const Expr& e) {
    Exact base = eval(e.kids[0]);
    Exact exponent = eval(e.kids[1]);
    if (exponent.status != ExactStatus::Ok) return exponent;
    if (base.status != ExactStatus::Ok) return base;
    const Rational& x = base.value;
    const Rational& p = exponent.value;
    if (x == 0) {
      if (p < 0) return fail(ExactStatus::Undefined);
      return ok(p == 0 ? Rational(1) : Rational(0));
    }
    if (x == 1) return ok(1);
    if (x == -1 && denominator(p) == 1) return ok(numerator(p) % 2 == 0 ? 1 : -1);
    Integer q = denominator(p);
    if (q > 64) return fail(ExactStatus::NotRational);
    unsigned k = q.convert_to<unsigned>();
    Integer m = abs(numerator(p));
    // Estimated size of x^|p| before computing it: bits(x) * |p| / k.
    if (m > limits_.max_bits) return fail(ExactStatus::TooLarge);
    Rational root = x;
    if (k > 1) {
      auto r = rational_root(x, k);
      if (!r) return fail(ExactStatus::NotRational);
      root = *r;
    }
    unsigned mm = m.convert_to<unsigned>();
    if (static_cast<uint64_t>(bits(root)) * mm > limits_.max_bits)
      return fail(ExactStatus::TooLarge);
    if (!budget_.spend(mm / 64 + 1)) return fail(ExactStatus::OutOfBudget);
    Rational v(boost::multiprecision::pow(numerator(root), mm),
               boost::multiprecision::pow(denominator(root), mm));
    return ok(p < 0 ? Rational(1 / v) : v);
  }

  Exact function(const Expr& e) {
    std::vector<Rational> args;
    for (const auto& k : e.kids) {
      Exact v = eval(k);
      if (v.status != ExactStatus::Ok) return v;
      args.push_back(std::move(v.value));
    }
    const std::string& f = e.name;
    if (f == "sqrt" || f == "root") {
      unsigned k = 2;
      if (f == "root") {
        auto n = small_integer(args[1], 64);
        if (!n || *n < 1) return fail(ExactStatus::NotRational);
        k = static_cast<unsigned>(*n);
      }
      auto r = rational_root(args[0], k);
      return r ? ok(*r) : fail(ExactStatus::NotRational);
    }
    if (f == "abs") return ok(abs(args[0]));
    if (f == "floor" || f == "ceil") {
      Integer q = numerator(args[0]) / denominator(args[0]);  // truncates toward zero
      Rational t(q);
      if (f == "floor" && t > args[0]) t -= 1;
      if (f == "ceil" && t < args[0]) t += 1;
      return ok(t);
    }
    if (f == "binom" && args.size() == 2) {
      auto n = small_integer(args[0], limits_.max_factorial),
           k = small_integer(args[1], limits_.max_factorial);
      if (!n || !k || *n < 0) return fail(ExactStatus::NotRational);
      if (*k < 0 || *k > *n) return ok(0);
      Integer c = 1;
      for (long i = 1; i <= *k; ++i) c = c * (*n - *k + i) / i;
      return ok(Rational(c));
    }
    if ((f == "max" || f == "min") && !args.empty()) {
      Rational best = args[0];
      for (const auto& a : args) best = f == "max" ? std::max(best, a) : std::min(best, a);
      return ok(best);
    }
    if (f == "gcd" && args.size() >= 2) {
      Integer g = 0;
      for (const auto& a : args) {
        if (denominator(a) != 1) return fail(ExactStatus::NotRational);
        g = boost::multiprecision::gcd(g, numerator(a));
      }
      return ok(Rational(g));
    }
    if (f == "log" && args.size() == 2 && args[0] > 0 && args[1] > 1 && denominator(args[1]) == 1 &&
        denominator(args[0]) == 1) {
      // log_b(b^n) = n exactly for integer b and b^n.
      Integer v = numerator(args[0]), b = numerator(args[1]);
      long n = 0;
      while (v > 1 && v % b == 0) {
        v /= b;
        ++n;
      }
      if (v == 1) return ok(n);
    }
    return fail(ExactStatus::NotRational);
  }

  const EvalLimits& limits_;
  Budget& budget_;
};

using C = std::complex<double>;
const C kNaN(std::numeric_limits<double>::quiet_NaN(), 0);

C numeric(const Expr& e, const Point& point, Budget& budget);

C function(const Expr& e, const Point& point, Budget& budget) {
  std::vector<C> a;
  for (const auto& k : e.kids) a.push_back(numeric(k, point, budget));
  const std::string& f = e.name;
  auto real = [](C z) { return std::abs(z.imag()) < 1e-12 * std::max(1.0, std::abs(z.real())); };
  if (f == "sqrt") return std::sqrt(a[0]);
  if (f == "root") {
    double n = a[1].real();
    if (real(a[0]) && a[0].real() < 0 && std::fmod(n, 2) == 1)
      return -std::pow(-a[0].real(), 1 / n);
    return std::pow(a[0], 1.0 / a[1]);
  }
  if (f == "sin") return std::sin(a[0]);
  if (f == "cos") return std::cos(a[0]);
  if (f == "tan") return std::tan(a[0]);
  if (f == "sec") return 1.0 / std::cos(a[0]);
  if (f == "csc") return 1.0 / std::sin(a[0]);
  if (f == "cot") return 1.0 / std::tan(a[0]);
  if (f == "arcsin") return std::asin(a[0]);
  if (f == "arccos") return std::acos(a[0]);
  if (f == "arctan") return std::atan(a[0]);
  if (f == "sinh") return std::sinh(a[0]);
  if (f == "cosh") return std::cosh(a[0]);
  if (f == "tanh") return std::tanh(a[0]);
  if (f == "exp") return std::exp(a[0]);
  if (f == "ln") return std::log(a[0]);
  if (f == "log") return a.size() == 2 ? std::log(a[0]) / std::log(a[1]) : std::log(a[0]);
  if (f == "abs") return std::abs(a[0]);
  if (f == "floor") return std::floor(a[0].real());
  if (f == "ceil") return std::ceil(a[0].real());
  if (f == "binom" && a.size() == 2) {
    double n = a[0].real(), k = a[1].real();
    return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1));
  }
  if ((f == "max" || f == "min") && !a.empty()) {
    double best = a[0].real();
    for (auto z : a) best = f == "max" ? std::max(best, z.real()) : std::min(best, z.real());
    return best;
  }
  return kNaN;
}

C numeric(const Expr& e, const Point& point, Budget& budget) {
  if (!budget.spend()) return kNaN;
  switch (e.kind) {
    case ExprKind::Number:
      return e.value.convert_to<double>();
    case ExprKind::Symbol: {
      auto it = point.find(e.name);
      return it == point.end() ? kNaN : C(it->second);
    }
    case ExprKind::Constant:
      if (e.name == "pi") return M_PI;
      if (e.name == "e") return M_E;
      if (e.name == "i") return C(0, 1);
      return std::numeric_limits<double>::infinity();
    case ExprKind::Add: {
      C s = 0;
      for (const auto& k : e.kids) s += numeric(k, point, budget);
      return s;
    }
    case ExprKind::Neg:
      return -numeric(e.kids[0], point, budget);
    case ExprKind::Mul: {
      C p = 1;
      for (const auto& k : e.kids) p *= numeric(k, point, budget);
      return p;
    }
    case ExprKind::Div:
      return numeric(e.kids[0], point, budget) / numeric(e.kids[1], point, budget);
    case ExprKind::Pow: {
      C b = numeric(e.kids[0], point, budget), x = numeric(e.kids[1], point, budget);
      if (b.imag() == 0 && x.imag() == 0 && (b.real() >= 0 || std::floor(x.real()) == x.real()))
        return std::pow(b.real(), x.real());
      return std::pow(b, x);
    }
    case ExprKind::Percent:
      return numeric(e.kids[0], point, budget) / 100.0;
    case ExprKind::Factorial: {
      C n = numeric(e.kids[0], point, budget);
      return std::tgamma(n.real() + 1);
    }
    case ExprKind::Func:
      return function(e, point, budget);
    default:
      return kNaN;
  }
}

}  // namespace

Exact exact_value(const Expr& e, const EvalLimits& limits, Budget& budget) {
  return ExactEval(limits, budget).eval(e);
}

std::complex<double> numeric_value(const Expr& e, const Point& point, Budget& budget) {
  return numeric(e, point, budget);
}

}  // namespace crucible::rewards::math
