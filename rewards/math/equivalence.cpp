#include "rewards/math/equivalence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "base/rng.hpp"
#include "rewards/math/equivalence_rules.hpp"
#include "rewards/math/evaluate.hpp"

namespace crucible::rewards::math {
namespace comparing {

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

Comparison Comparer::run(const Expr& gold, const Expr& pred) {
  bool equal = eq(grouped_assignments(gold), grouped_assignments(pred));
  if (equal && reason_.empty()) reason_ = "structural";
  if (!equal && (reason_.empty() || is_positive_reason())) reason_ = "not_equal";
  return {equal, reason_};
}

bool Comparer::is_positive_reason() const {
  return reason_ == "exact" || reason_ == "rounded" || reason_ == "numeric" ||
         reason_ == "structural" || reason_ == "text";
}

bool Comparer::decide(bool equal, const char* reason) {
  reason_ = reason;
  return equal;
}

bool Comparer::eq(const Expr& g, const Expr& p) {
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

bool Comparer::is_assignment_chain(const Expr& e) {
  return is_equality_chain(e) && e.kids.size() >= 3 && is_label(e.kids.front()) &&
         free_symbols(e.kids.back()).empty();
}

const Expr* Comparer::assignment_chain_value(const Expr& e) {
  return is_assignment_chain(e) ? &e.kids.back() : nullptr;
}

bool Comparer::is_equality_chain(const Expr& e) {
  return e.kind == ExprKind::Relation &&
         std::all_of(e.ops.begin(), e.ops.end(), [](RelOp op) { return op == RelOp::Eq; });
}

bool Comparer::chain_matches(const Expr& chain, const Expr& value, bool chain_is_gold) {
  size_t compared = 0;
  for (const auto& side : chain.kids) {
    if (side.kind == ExprKind::Symbol) continue;
    ++compared;
    if (!(chain_is_gold ? eq(side, value) : eq(value, side))) return false;
  }
  return compared > 0 ? true : decide(false, "shape_mismatch");
}

Expr Comparer::expanded(const Expr& e) {
  std::vector<Expr> values;
  expand_plus_minus(e, values, 16);
  return Expr::node(ExprKind::List, std::move(values));
}

bool Comparer::unordered(const std::vector<Expr>& a, const std::vector<Expr>& b) {
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

bool Comparer::ordered(const std::vector<Expr>& a, const std::vector<Expr>& b) {
  if (a.size() != b.size()) return decide(false, "shape_mismatch");
  for (size_t i = 0; i < a.size(); ++i)
    if (!eq(a[i], b[i])) return decide(false, "not_equal");
  return decide(true, "structural");
}

bool Comparer::collection(const Expr& g, const Expr& p) {
  auto set_like = [](const Expr& e) { return e.kind == ExprKind::Set || e.kind == ExprKind::List; };
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

}  // namespace comparing

Comparison compare(const Expr& gold, const Expr& pred, const VerifyOptions& options,
                   Budget& budget) {
  return comparing::Comparer(options, budget).run(gold, pred);
}

}  // namespace crucible::rewards::math
