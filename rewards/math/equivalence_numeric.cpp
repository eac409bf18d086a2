// The equivalence check's relations (as canonical forms) and values: exact or rounded
// numbers, and expressions in variables compared at sampled points (equivalence_rules.hpp).
#include <algorithm>
#include <cmath>

#include "base/rng.hpp"
#include "rewards/math/equivalence_rules.hpp"

namespace crucible::rewards::math::comparing {

bool Comparer::relation(const Expr& g, const Expr& p) {
  if (g.kind == ExprKind::Relation && p.kind == ExprKind::Relation) {
    Expr a = canonical(g), b = canonical(p);
    if (a.ops != b.ops) return decide(false, "not_equal");
    if (a.kids.size() == 2) {
      bool equation = a.ops[0] == RelOp::Eq || a.ops[0] == RelOp::Ne;
      // Sides pairwise first (cheap, and exact for constants), then a - b up to a factor.
      Expr da = Expr::node(ExprKind::Add, {a.kids[1], Expr::node(ExprKind::Neg, {a.kids[0]})});
      Expr db = Expr::node(ExprKind::Add, {b.kids[1], Expr::node(ExprKind::Neg, {b.kids[0]})});
      if (ordered(a.kids, b.kids)) return decide(true, equation ? "equation" : "inequality");
      return proportional(da, db, !equation);
    }
    return ordered(a.kids, b.kids);
  }
  const Expr& rel = g.kind == ExprKind::Relation ? g : p;
  const Expr& other = g.kind == ExprKind::Relation ? p : g;
  if (interval_like(other) || other.kind == ExprKind::Union) {
    if (&rel == &p && !o_.inequality_for_interval) return decide(false, "inequality_for_interval");
    auto as_set = inequality_as_set(rel);
    if (!as_set) return decide(false, "shape_mismatch");
    return &rel == &g ? collection(*as_set, other) : collection(other, *as_set);
  }
  return decide(false, "shape_mismatch");
}

Expr Comparer::canonical(const Expr& rel) {
  Expr r = rel;
  bool greater = std::any_of(r.ops.begin(), r.ops.end(),
                             [](RelOp op) { return op == RelOp::Gt || op == RelOp::Ge; });
  if (greater) {
    std::reverse(r.kids.begin(), r.kids.end());
    std::reverse(r.ops.begin(), r.ops.end());
    for (auto& op : r.ops) op = flipped(op);
  }
  return r;
}

std::vector<Point> Comparer::points(const std::vector<std::string>& symbols) const {
  Rng rng(0x5eedULL, "verifier-points");
  std::vector<Point> out(static_cast<size_t>(std::max(1, o_.random_points)));
  for (auto& point : out)
    for (const auto& s : symbols) point[s] = 0.35 + 2.3 * rng.uniform01();
  return out;
}

bool Comparer::close(C a, C b, bool approx) const {
  if (approx) {
    bool real_only = std::abs(a.imag()) <= 1e-12 * std::abs(a.real()) &&
                     std::abs(b.imag()) <= 1e-12 * std::abs(b.real());
    if (!std::isfinite(a.real()) || !std::isfinite(b.real())) return false;
    if (rounded(a.real(), o_.significant_digits) != rounded(b.real(), o_.significant_digits))
      return false;
    return real_only ||
           rounded(a.imag(), o_.significant_digits) == rounded(b.imag(), o_.significant_digits);
  }
  double diff = std::abs(a - b);
  return diff <= o_.tolerance * std::max(std::abs(a), std::abs(b)) || diff <= 1e-12;
}

bool Comparer::proportional(const Expr& a, const Expr& b, bool positive) {
  auto syms = free_symbols(a);
  if (syms != free_symbols(b)) return decide(false, "variables_differ");
  std::optional<C> ratio;
  for (const auto& point : points(syms)) {
    C va = numeric_value(a, point, budget_), vb = numeric_value(b, point, budget_);
    if (budget_.exhausted()) return decide(false, "timeout");
    if (!std::isfinite(std::abs(va)) || !std::isfinite(std::abs(vb))) continue;
    if (std::abs(vb) < 1e-12 || std::abs(va) < 1e-12) {
      if (std::abs(vb) < 1e-12 && std::abs(va) < 1e-12) continue;
      return decide(false, "not_equal");
    }
    C r = va / vb;
    if (!ratio)
      ratio = r;
    else if (!close(r, *ratio, false))
      return decide(false, "not_equal");
  }
  if (!ratio) return decide(false, "undefined");
  if (positive && !(ratio->real() > 0 && std::abs(ratio->imag()) < 1e-12))
    return decide(false, "not_equal");
  return decide(true, positive ? "inequality" : "equation");
}

bool Comparer::scalar(const Expr& g, const Expr& p) {
  bool gp = contains(g, ExprKind::Percent), pp = contains(p, ExprKind::Percent);
  if (!gp && !pp) return scalar_once(g, p);
  auto readings = [&](const Expr& e, bool has) {
    std::vector<Expr> r;
    if (!has || o_.percent != PercentReading::Value) r.push_back(e);
    if (has && o_.percent != PercentReading::Fraction) r.push_back(without_percent(e));
    return r;
  };
  for (const auto& a : readings(g, gp))
    for (const auto& b : readings(p, pp))
      if (scalar_once(a, b)) return true;
  return false;
}

bool Comparer::scalar_once(const Expr& g, const Expr& p) {
  int gi = infinity_sign(g), pi = infinity_sign(p);
  if (gi || pi) return decide(gi == pi, gi == pi ? "structural" : "not_equal");
  auto syms = free_symbols(g);
  if (syms != free_symbols(p)) return decide(false, "variables_differ");
  bool approx = has_decimal(g) || has_decimal(p);
  if (syms.empty()) {
    Exact a = exact_value(g, o_.eval, budget_), b = exact_value(p, o_.eval, budget_);
    if (a.status == ExactStatus::OutOfBudget || b.status == ExactStatus::OutOfBudget)
      return decide(false, "timeout");
    if (a.status == ExactStatus::Ok && b.status == ExactStatus::Ok) {
      if (a.value == b.value) return decide(true, "exact");
      if (approx) {
        double x = a.value.convert_to<double>(), y = b.value.convert_to<double>();
        if (std::isfinite(x) && std::isfinite(y) && close(x, y, true))
          return decide(true, "rounded");
      }
      return decide(false, "not_equal");
    }
    if (a.status == ExactStatus::TooLarge || b.status == ExactStatus::TooLarge) {
      bool same = to_text(g) == to_text(p);
      return decide(same, same ? "structural" : "too_large");
    }
    if (a.status == ExactStatus::Undefined || b.status == ExactStatus::Undefined) {
      bool same = to_text(g) == to_text(p);
      return decide(same, same ? "structural" : "undefined");
    }
  }
  bool all_valid_equal = true;
  int valid = 0;
  for (const auto& point : points(syms)) {
    C x = numeric_value(g, point, budget_), y = numeric_value(p, point, budget_);
    if (budget_.exhausted()) return decide(false, "timeout");
    if (!std::isfinite(std::abs(x)) || !std::isfinite(std::abs(y))) continue;
    ++valid;
    if (!close(x, y, approx)) {
      all_valid_equal = false;
      break;
    }
    if (syms.empty()) break;  // one point is all a constant needs
  }
  if (valid == 0) {
    bool same = to_text(g) == to_text(p);
    return decide(same, same ? "structural" : "undefined");
  }
  return decide(all_valid_equal, all_valid_equal ? (approx ? "rounded" : "numeric") : "not_equal");
}

}  // namespace crucible::rewards::math::comparing
