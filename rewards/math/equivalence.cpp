#include "rewards/math/equivalence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "base/rng.hpp"
#include "rewards/math/evaluate.hpp"

namespace crucible::rewards::math {
namespace {

using C = std::complex<double>;

bool is_assignment(const Expr& e) {
  return e.kind == ExprKind::Relation && e.kids.size() == 2 && e.ops[0] == RelOp::Eq &&
         (e.kids[0].kind == ExprKind::Symbol || e.kids[1].kind == ExprKind::Symbol);
}
const Expr& assigned_name(const Expr& e) {
  return e.kids[0].kind == ExprKind::Symbol ? e.kids[0] : e.kids[1];
}
const Expr& assigned_value(const Expr& e) {
  return e.kids[0].kind == ExprKind::Symbol ? e.kids[1] : e.kids[0];
}

// A name for a value rather than a value: "AB", "(p, q)", "f(x)", "|AB|", "\\frac{NO}{BO}",
// "V_1 : V_2" (symbols under products, quotients, tuples and absolute value; no numbers).
bool is_label(const Expr& e) {
  bool symbol = false;
  std::vector<const Expr*> stack{&e};
  while (!stack.empty()) {
    const Expr* n = stack.back();
    stack.pop_back();
    switch (n->kind) {
      case ExprKind::Symbol:
        symbol = true;
        break;
      case ExprKind::Constant:
        break;
      case ExprKind::Mul:
      case ExprKind::Div:
      case ExprKind::Tuple:
        for (const auto& k : n->kids) stack.push_back(&k);
        break;
      case ExprKind::Func:
        if (n->name != "abs") return false;
        for (const auto& k : n->kids) stack.push_back(&k);
        break;
      default:
        return false;
    }
  }
  return symbol;
}

// The value of "label = value" ("(p, q) = (3, 2)", "f(x) = 1", "AB = 4"): the right side
// when it uses fewer of the label's symbols than the label has ("y = 2x + 1" stays an
// equation).
const Expr* labelled_value(const Expr& e) {
  if (e.kind != ExprKind::Relation || e.kids.size() != 2 || e.ops[0] != RelOp::Eq) return nullptr;
  if (!is_label(e.kids[0])) return nullptr;
  auto label = free_symbols(e.kids[0]), value = free_symbols(e.kids[1]);
  bool subset = std::includes(label.begin(), label.end(), value.begin(), value.end());
  return subset && value.size() < label.size() ? &e.kids[1] : nullptr;
}

// "p=5, q=2; p=7, q=2" -> ((5, 2), (7, 2)): a list of labelled values in which a label
// comes back is a list of groups, one tuple per group.
Expr grouped_assignments(const Expr& e) {
  if (e.kind != ExprKind::List || e.kids.size() < 2) return e;
  std::vector<std::vector<Expr>> groups(1);
  std::vector<std::string> seen;
  for (const auto& kid : e.kids) {
    const Expr* value = labelled_value(kid);
    if (!value) return e;
    std::string label = to_text(kid.kids[0]);
    if (std::find(seen.begin(), seen.end(), label) != seen.end()) {
      groups.emplace_back();
      seen.clear();
    }
    seen.push_back(label);
    groups.back().push_back(*value);
  }
  if (groups.size() == 1) return e;
  std::vector<Expr> items;
  for (auto& g : groups) {
    if (g.size() == 1) {
      items.push_back(std::move(g[0]));
      continue;
    }
    Expr t = Expr::node(ExprKind::Tuple, std::move(g));
    t.open = '(';
    t.close = ')';
    items.push_back(std::move(t));
  }
  return Expr::node(ExprKind::List, std::move(items));
}

int infinity_sign(const Expr& e) {
  if (e.kind == ExprKind::Constant && e.name == "inf") return 1;
  if (e.kind == ExprKind::Neg) return -infinity_sign(e.kids[0]);
  return 0;
}

bool contains(const Expr& e, ExprKind kind) {
  if (e.kind == kind) return true;
  for (const auto& k : e.kids)
    if (contains(k, kind)) return true;
  return false;
}

// Replaces the first a ± b with a + b and a - b, recursively: every value it stands for.
void expand_plus_minus(const Expr& e, std::vector<Expr>& out, size_t cap) {
  if (out.size() >= cap) return;
  if (!contains(e, ExprKind::PlusMinus)) {
    out.push_back(e);
    return;
  }
  for (int sign : {1, -1}) {
    Expr copy = e;
    std::vector<Expr*> stack{&copy};
    while (!stack.empty()) {
      Expr* n = stack.back();
      stack.pop_back();
      if (n->kind == ExprKind::PlusMinus) {
        Expr b =
            sign > 0 ? std::move(n->kids[1]) : Expr::node(ExprKind::Neg, {std::move(n->kids[1])});
        *n = Expr::node(ExprKind::Add, {std::move(n->kids[0]), std::move(b)});
        break;
      }
      for (auto& k : n->kids) stack.push_back(&k);
    }
    expand_plus_minus(copy, out, cap);
  }
}

Expr without_percent(const Expr& e) {
  if (e.kind == ExprKind::Percent) return without_percent(e.kids[0]);
  Expr copy = e;
  for (auto& k : copy.kids) k = without_percent(k);
  return copy;
}

std::string rounded(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  return buf;
}

bool is_collection(const Expr& e) {
  switch (e.kind) {
    case ExprKind::List:
    case ExprKind::Tuple:
    case ExprKind::Set:
    case ExprKind::Interval:
    case ExprKind::Union:
    case ExprKind::Matrix:
      return true;
    default:
      return false;
  }
}

bool interval_like(const Expr& e) {
  return e.kind == ExprKind::Interval ||
         (e.kind == ExprKind::Tuple && e.kids.size() == 2 && e.open == '(' && e.close == ')');
}

Expr infinity(int sign) {
  Expr inf = Expr::constant("inf");
  return sign > 0 ? inf : Expr::node(ExprKind::Neg, {std::move(inf)});
}

Expr interval(Expr lo, bool lo_closed, Expr hi, bool hi_closed) {
  Expr iv = Expr::node(ExprKind::Interval, {std::move(lo), std::move(hi)});
  iv.left_closed = lo_closed;
  iv.right_closed = hi_closed;
  return iv;
}

// "x > 3" -> (3, inf); "1 <= x < 2" -> [1, 2); "x != 0" -> (-inf, 0) U (0, inf).
std::optional<Expr> inequality_as_set(const Expr& rel) {
  if (rel.kind != ExprKind::Relation) return std::nullopt;
  Expr r = rel;
  bool greater = r.ops[0] == RelOp::Gt || r.ops[0] == RelOp::Ge;
  if (greater) {
    std::reverse(r.kids.begin(), r.kids.end());
    std::reverse(r.ops.begin(), r.ops.end());
    for (auto& op : r.ops) op = flipped(op);
  }
  for (const auto& op : r.ops)
    if (op != RelOp::Lt && op != RelOp::Le && !(r.ops.size() == 1 && op == RelOp::Ne))
      return std::nullopt;
  auto constant = [](const Expr& e) { return free_symbols(e).empty(); };
  if (r.kids.size() == 2) {
    bool closed = r.ops[0] == RelOp::Le;
    if (is_label(r.kids[0]) && constant(r.kids[1])) {
      if (r.ops[0] == RelOp::Ne)
        return Expr::node(ExprKind::Union, {interval(infinity(-1), false, r.kids[1], false),
                                            interval(r.kids[1], false, infinity(1), false)});
      return interval(infinity(-1), false, r.kids[1], closed);
    }
    if (is_label(r.kids[1]) && constant(r.kids[0]) && r.ops[0] != RelOp::Ne)
      return interval(r.kids[0], closed, infinity(1), false);
    return std::nullopt;
  }
  if (r.kids.size() == 3 && is_label(r.kids[1]) && constant(r.kids[0]) && constant(r.kids[2])) {
    bool lo_closed = r.ops[0] == RelOp::Le, hi_closed = r.ops[1] == RelOp::Le;
    const Expr& middle = r.kids[1];
    // "1 <= |z| <= 3/2": z in [-3/2, -1] U [1, 3/2] (for a positive lower end).
    if (middle.kind == ExprKind::Func && middle.name == "abs" &&
        !(r.kids[0].kind == ExprKind::Number && r.kids[0].value <= 0)) {
      Expr neg_hi = Expr::node(ExprKind::Neg, {r.kids[2]});
      Expr neg_lo = Expr::node(ExprKind::Neg, {r.kids[0]});
      return Expr::node(ExprKind::Union,
                        {interval(std::move(neg_hi), hi_closed, std::move(neg_lo), lo_closed),
                         interval(r.kids[0], lo_closed, r.kids[2], hi_closed)});
    }
    return interval(r.kids[0], lo_closed, r.kids[2], hi_closed);
  }
  return std::nullopt;
}

class Comparer {
 public:
  Comparer(const VerifyOptions& options, Budget& budget) : o_(options), budget_(budget) {}

  Comparison run(const Expr& gold, const Expr& pred) {
    bool equal = eq(grouped_assignments(gold), grouped_assignments(pred));
    if (equal && reason_.empty()) reason_ = "structural";
    if (!equal && (reason_.empty() || is_positive_reason())) reason_ = "not_equal";
    return {equal, reason_};
  }

 private:
  bool is_positive_reason() const {
    return reason_ == "exact" || reason_ == "rounded" || reason_ == "numeric" ||
           reason_ == "structural" || reason_ == "text";
  }

  bool decide(bool equal, const char* reason) {
    reason_ = reason;
    return equal;
  }

  bool eq(const Expr& g, const Expr& p) {
    if (!budget_.spend()) return decide(false, "timeout");
    if (is_assignment(g) && is_assignment(p)) {
      if (assigned_name(g).name != assigned_name(p).name) return decide(false, "variables_differ");
      return eq(assigned_value(g), assigned_value(p));
    }
    // Compare values, not the names given to them: "(p, q) = (3, 2)" is (3, 2).
    if (const Expr* v = labelled_value(g)) return eq(*v, p);
    if (const Expr* v = labelled_value(p)) return eq(g, *v);
    // "x = 5 + 5 + 1 = 11" states 11 as x's value: an assignment chain's last side is the answer.
    if (const Expr* v = assignment_chain_value(g); v && !is_assignment_chain(p)) return eq(*v, p);
    if (const Expr* v = assignment_chain_value(p); v && !is_assignment_chain(g)) return eq(g, *v);
    if (is_assignment_chain(g) && is_assignment_chain(p))
      return eq(*assignment_chain_value(g), *assignment_chain_value(p));
    if (is_equality_chain(g) && p.kind != ExprKind::Relation) return chain_matches(g, p, true);
    if (is_equality_chain(p) && g.kind != ExprKind::Relation) return chain_matches(p, g, false);
    if (g.kind != ExprKind::Relation && contains(g, ExprKind::PlusMinus)) return eq(expanded(g), p);
    if (p.kind != ExprKind::Relation && contains(p, ExprKind::PlusMinus)) return eq(g, expanded(p));
    if (g.kind == ExprKind::Text || p.kind == ExprKind::Text)
      return decide(g.kind == p.kind && g.name == p.name,
                    g.kind == p.kind ? "text" : "shape_mismatch");
    if (g.kind == ExprKind::Relation || p.kind == ExprKind::Relation) return relation(g, p);
    if (is_collection(g) || is_collection(p)) return collection(g, p);
    return scalar(g, p);
  }

  // "label = ... = value" with at least three sides and a constant last side.
  static bool is_assignment_chain(const Expr& e) {
    return is_equality_chain(e) && e.kids.size() >= 3 && is_label(e.kids.front()) &&
           free_symbols(e.kids.back()).empty();
  }
  static const Expr* assignment_chain_value(const Expr& e) {
    return is_assignment_chain(e) ? &e.kids.back() : nullptr;
  }

  static bool is_equality_chain(const Expr& e) {
    return e.kind == ExprKind::Relation &&
           std::all_of(e.ops.begin(), e.ops.end(), [](RelOp op) { return op == RelOp::Eq; });
  }

  // "x = 3" and "3 \cdot 5 = 15" against a value: every side that is not a bare variable
  // must equal it (so a false equation never matches), and there must be such a side.
  bool chain_matches(const Expr& chain, const Expr& value, bool chain_is_gold) {
    size_t compared = 0;
    for (const auto& side : chain.kids) {
      if (side.kind == ExprKind::Symbol) continue;
      ++compared;
      if (!(chain_is_gold ? eq(side, value) : eq(value, side))) return false;
    }
    return compared > 0 ? true : decide(false, "shape_mismatch");
  }

  static Expr expanded(const Expr& e) {
    std::vector<Expr> values;
    expand_plus_minus(e, values, 16);
    return Expr::node(ExprKind::List, std::move(values));
  }

  // Every element of a has an equal in b and every element of b one in a.
  bool unordered(const std::vector<Expr>& a, const std::vector<Expr>& b) {
    if (a.empty() != b.empty()) return decide(false, "not_equal");
    // Elements written identically match at once; only the rest are compared pairwise.
    std::unordered_set<std::string> text_a, text_b;
    for (const auto& e : a) text_a.insert(to_text(e));
    for (const auto& e : b) text_b.insert(to_text(e));
    auto covered = [&](const std::vector<Expr>& x, const std::vector<Expr>& y, bool gold_first) {
      const auto& other_texts = gold_first ? text_b : text_a;
      for (const auto& xi : x) {
        if (!budget_.spend()) return false;
        if (!has_decimal(xi) && other_texts.count(to_text(xi))) continue;
        bool found = false;
        for (const auto& yi : y)
          if (gold_first ? eq(xi, yi) : eq(yi, xi)) {
            found = true;
            break;
          }
        if (!found) return false;
      }
      return true;
    };
    bool equal = covered(a, b, true) && covered(b, a, false);
    return decide(equal, equal ? "structural" : "not_equal");
  }

  bool ordered(const std::vector<Expr>& a, const std::vector<Expr>& b) {
    if (a.size() != b.size()) return decide(false, "shape_mismatch");
    for (size_t i = 0; i < a.size(); ++i)
      if (!eq(a[i], b[i])) return decide(false, "not_equal");
    return decide(true, "structural");
  }

  bool collection(const Expr& g, const Expr& p) {
    auto set_like = [](const Expr& e) {
      return e.kind == ExprKind::Set || e.kind == ExprKind::List;
    };
    auto seq_like = [](const Expr& e) {
      return e.kind == ExprKind::Tuple || e.kind == ExprKind::List;
    };
    if (interval_like(g) && interval_like(p) &&
        (g.kind == ExprKind::Interval || p.kind == ExprKind::Interval)) {
      bool gl = g.kind == ExprKind::Interval && g.left_closed,
           gr = g.kind == ExprKind::Interval && g.right_closed;
      bool pl = p.kind == ExprKind::Interval && p.left_closed,
           pr = p.kind == ExprKind::Interval && p.right_closed;
      if (gl != pl || gr != pr) return decide(false, "not_equal");
      return ordered(g.kids, p.kids);
    }
    if (g.kind == ExprKind::Union || p.kind == ExprKind::Union) {
      if (g.kind != p.kind) return decide(false, "shape_mismatch");
      return unordered(g.kids, p.kids);
    }
    if (g.kind == ExprKind::Matrix || p.kind == ExprKind::Matrix) {
      if (g.kind == p.kind && (g.rows != p.rows || g.cols != p.cols))
        return decide(false, "shape_mismatch");
      const Expr& m = g.kind == ExprKind::Matrix ? g : p;
      const Expr& other = g.kind == ExprKind::Matrix ? p : g;
      if (other.kind != ExprKind::Matrix && !(seq_like(other) && (m.rows == 1 || m.cols == 1)))
        return decide(false, "shape_mismatch");
      return ordered(g.kids, p.kids);
    }
    if (set_like(g) && set_like(p)) return unordered(g.kids, p.kids);
    if (seq_like(g) && seq_like(p)) return ordered(g.kids, p.kids);
    // A one-element set or list against a single value.
    if (set_like(g) && g.kids.size() == 1 && !is_collection(p)) return eq(g.kids[0], p);
    if (set_like(p) && p.kids.size() == 1 && !is_collection(g)) return eq(g, p.kids[0]);
    return decide(false, "shape_mismatch");
  }

  bool relation(const Expr& g, const Expr& p) {
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
      if (&rel == &p && !o_.inequality_for_interval)
        return decide(false, "inequality_for_interval");
      auto as_set = inequality_as_set(rel);
      if (!as_set) return decide(false, "shape_mismatch");
      return &rel == &g ? collection(*as_set, other) : collection(other, *as_set);
    }
    return decide(false, "shape_mismatch");
  }

  // Inequalities read left to right as "<" or "<=".
  static Expr canonical(const Expr& rel) {
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

  std::vector<Point> points(const std::vector<std::string>& symbols) const {
    Rng rng(0x5eedULL, "verifier-points");
    std::vector<Point> out(static_cast<size_t>(std::max(1, o_.random_points)));
    for (auto& point : out)
      for (const auto& s : symbols) point[s] = 0.35 + 2.3 * rng.uniform01();
    return out;
  }

  bool close(C a, C b, bool approx) const {
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

  // a = c * b for one constant c != 0 (c > 0 when `positive`), at every sampled point.
  bool proportional(const Expr& a, const Expr& b, bool positive) {
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

  bool scalar(const Expr& g, const Expr& p) {
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

  bool scalar_once(const Expr& g, const Expr& p) {
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
    return decide(all_valid_equal,
                  all_valid_equal ? (approx ? "rounded" : "numeric") : "not_equal");
  }

  const VerifyOptions& o_;
  Budget& budget_;
  std::string reason_;
};

}  // namespace

Comparison compare(const Expr& gold, const Expr& pred, const VerifyOptions& options,
                   Budget& budget) {
  return Comparer(options, budget).run(gold, pred);
}

}  // namespace crucible::rewards::math
