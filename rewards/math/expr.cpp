#include "rewards/math/expr.hpp"

#include <algorithm>

namespace crucible::rewards::math {

Expr Expr::number(Rational v, bool decimal) {
  Expr e;
  e.kind = ExprKind::Number;
  e.value = std::move(v);
  e.decimal = decimal;
  return e;
}

Expr Expr::symbol(std::string name) {
  Expr e;
  e.kind = ExprKind::Symbol;
  e.name = std::move(name);
  return e;
}

Expr Expr::constant(std::string name) {
  Expr e;
  e.kind = ExprKind::Constant;
  e.name = std::move(name);
  return e;
}

Expr Expr::text(std::string words) {
  Expr e;
  e.kind = ExprKind::Text;
  e.name = std::move(words);
  return e;
}

Expr Expr::node(ExprKind kind, std::vector<Expr> kids) {
  Expr e;
  e.kind = kind;
  e.kids = std::move(kids);
  return e;
}

Expr Expr::func(std::string name, std::vector<Expr> kids) {
  Expr e = node(ExprKind::Func, std::move(kids));
  e.name = std::move(name);
  return e;
}

const char* relop_text(RelOp op) {
  switch (op) {
    case RelOp::Eq:
      return "=";
    case RelOp::Ne:
      return "!=";
    case RelOp::Lt:
      return "<";
    case RelOp::Le:
      return "<=";
    case RelOp::Gt:
      return ">";
    case RelOp::Ge:
      return ">=";
  }
  return "?";
}

RelOp flipped(RelOp op) {
  switch (op) {
    case RelOp::Lt:
      return RelOp::Gt;
    case RelOp::Le:
      return RelOp::Ge;
    case RelOp::Gt:
      return RelOp::Lt;
    case RelOp::Ge:
      return RelOp::Le;
    default:
      return op;
  }
}

namespace {

void joined(std::string& out, const std::vector<Expr>& kids, const char* sep) {
  for (size_t i = 0; i < kids.size(); ++i) {
    if (i) out += sep;
    out += to_text(kids[i]);
  }
}

std::string wrapped(const Expr& e) {
  std::string s = to_text(e);
  bool atomic = e.kind == ExprKind::Symbol || e.kind == ExprKind::Constant ||
                e.kind == ExprKind::Func ||
                (e.kind == ExprKind::Number && e.value >= 0 &&
                 boost::multiprecision::denominator(e.value) == 1);
  return atomic ? s : "(" + s + ")";
}

}  // namespace

std::string to_text(const Expr& e) {
  std::string out;
  switch (e.kind) {
    case ExprKind::Number: {
      out = e.value.str();
      break;
    }
    case ExprKind::Symbol:
    case ExprKind::Constant:
      out = e.name;
      break;
    case ExprKind::Add:
      for (size_t i = 0; i < e.kids.size(); ++i) {
        if (i) out += "+";
        out += wrapped(e.kids[i]);
      }
      break;
    case ExprKind::Neg:
      out = "-" + wrapped(e.kids[0]);
      break;
    case ExprKind::Mul:
      for (size_t i = 0; i < e.kids.size(); ++i) {
        if (i) out += "*";
        out += wrapped(e.kids[i]);
      }
      break;
    case ExprKind::Div:
      out = wrapped(e.kids[0]) + "/" + wrapped(e.kids[1]);
      break;
    case ExprKind::Pow:
      out = wrapped(e.kids[0]) + "^" + wrapped(e.kids[1]);
      break;
    case ExprKind::Func:
      out = e.name + "(";
      joined(out, e.kids, ",");
      out += ")";
      break;
    case ExprKind::Factorial:
      out = wrapped(e.kids[0]) + "!";
      break;
    case ExprKind::Percent:
      out = wrapped(e.kids[0]) + "%";
      break;
    case ExprKind::PlusMinus:
      out = wrapped(e.kids[0]) + "+-" + wrapped(e.kids[1]);
      break;
    case ExprKind::Relation:
      for (size_t i = 0; i < e.kids.size(); ++i) {
        if (i) out.append(" ").append(relop_text(e.ops[i - 1])).append(" ");
        out += to_text(e.kids[i]);
      }
      break;
    case ExprKind::List:
      joined(out, e.kids, ", ");
      break;
    case ExprKind::Tuple:
      out.push_back(e.open);
      joined(out, e.kids, ", ");
      out.push_back(e.close);
      break;
    case ExprKind::Set:
      out = "{";
      joined(out, e.kids, ", ");
      out += "}";
      break;
    case ExprKind::Interval:
      out = e.left_closed ? "[" : "(";
      joined(out, e.kids, ", ");
      out += e.right_closed ? "]" : ")";
      break;
    case ExprKind::Union:
      joined(out, e.kids, " U ");
      break;
    case ExprKind::Matrix:
      out = "matrix[";
      for (int r = 0; r < e.rows; ++r) {
        if (r) out += "; ";
        for (int c = 0; c < e.cols; ++c) {
          if (c) out += ", ";
          out += to_text(e.kids[static_cast<size_t>(r * e.cols + c)]);
        }
      }
      out += "]";
      break;
    case ExprKind::Text:
      out = "text(" + e.name + ")";
      break;
    case ExprKind::Choice:
      out = "choice(" + e.name + ")";
      break;
  }
  return out;
}

bool has_decimal(const Expr& e) {
  if (e.kind == ExprKind::Number) return e.decimal;
  return std::any_of(e.kids.begin(), e.kids.end(), [](const Expr& k) { return has_decimal(k); });
}

namespace {
void collect_symbols(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == ExprKind::Symbol) out.push_back(e.name);
  for (const auto& k : e.kids) collect_symbols(k, out);
}
}  // namespace

std::vector<std::string> free_symbols(const Expr& e) {
  std::vector<std::string> out;
  collect_symbols(e, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t node_count(const Expr& e) {
  size_t n = 1;
  for (const auto& k : e.kids) n += node_count(k);
  return n;
}

}  // namespace crucible::rewards::math
