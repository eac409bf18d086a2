// The answer parser's primaries: function arguments, named functions, matrices, bracketed
// groups and intervals, and atoms (parser_rules.hpp).
#include <algorithm>
#include <cctype>
#include <optional>

#include "rewards/math/parser_rules.hpp"

namespace crucible::rewards::math::parsing {

Expr Parser::argument() {
  if (peek().kind == TokKind::Open && peek().text == "{") {
    take();
    Expr inner = list();
    expect_close("}");
    return inner;
  }
  if (peek().kind == TokKind::Number && !peek().decimal) {
    Token& t = t_[i_];
    std::string digits = t.value.str();
    if (digits.size() > 1 && digits.find_first_not_of("0123456789") == std::string::npos) {
      Expr first = Expr::number(Rational(digits[0] - '0'));
      size_t nonzero = digits.find_first_not_of('0', 1);
      t.value =
          nonzero == std::string::npos ? Rational(0) : Rational(Integer(digits.substr(nonzero)));
      return first;
    }
  }
  return primary();
}

Expr Parser::function(const std::string& name) {
  if (name == "frac" || name == "binom") {
    Expr num = argument();
    Expr den = argument();
    if (name == "binom") return Expr::func("binom", {std::move(num), std::move(den)});
    return Expr::node(ExprKind::Div, {std::move(num), std::move(den)});
  }
  if (name == "sqrt") {
    if (peek().kind == TokKind::Open && peek().text == "[") {
      take();
      Expr index = sum();
      expect_close("]");
      return Expr::func("root", {argument(), std::move(index)});
    }
    return Expr::func("sqrt", {argument()});
  }
  std::optional<Expr> base, exponent;
  while (is_op(peek(), "_") || is_op(peek(), "^")) {
    bool sub = take().text == "_";
    (sub ? base : exponent) = argument();
  }
  Expr arg = (peek().kind == TokKind::Open && (peek().text == "(" || peek().text == "{"))
                 ? primary()
                 : power();
  std::vector<Expr> args{std::move(arg)};
  if (arg_list_is_tuple(args[0]) && (name == "gcd" || name == "max" || name == "min"))
    args = std::move(args[0].kids);
  if (base) {
    if (name != "log") fail("only log takes a base");
    args.push_back(std::move(*base));
  }
  Expr f = Expr::func(name, std::move(args));
  if (exponent) f = Expr::node(ExprKind::Pow, {std::move(f), std::move(*exponent)});
  return f;
}

Expr Parser::matrix(const std::string& env) {
  std::vector<std::vector<Expr>> rows(1);
  while (true) {
    const Token& t = peek();
    if (t.kind == TokKind::Func && t.text.rfind("end:", 0) == 0) {
      take();
      break;
    }
    if (t.kind == TokKind::End) fail("\\begin{" + env + "} without \\end");
    if (t.kind == TokKind::Amp) {
      take();
      continue;
    }
    if (t.kind == TokKind::RowSep) {
      take();
      rows.emplace_back();
      continue;
    }
    rows.back().push_back(sum());
    if (peek().kind != TokKind::Amp && peek().kind != TokKind::RowSep &&
        !(peek().kind == TokKind::Func && peek().text.rfind("end:", 0) == 0))
      fail("expected '&', '\\\\' or \\end in the matrix");
  }
  if (rows.size() > 1 && rows.back().empty()) rows.pop_back();  // a trailing "\\"
  Expr m;
  m.kind = ExprKind::Matrix;
  m.rows = static_cast<int>(rows.size());
  m.cols = static_cast<int>(rows[0].size());
  for (auto& r : rows) {
    if (static_cast<int>(r.size()) != m.cols || r.empty()) fail("matrix rows differ in length");
    for (auto& x : r) m.kids.push_back(std::move(x));
  }
  return m;
}

Expr Parser::bracketed(const Token& open) {
  if (peek().kind == TokKind::Close) fail("empty brackets");
  Expr inner = list();
  const Token& close = peek();
  if (close.kind != TokKind::Close || (close.text != ")" && close.text != "]"))
    fail("expected ')' or ']' but found '" + describe(close) + "'");
  char o = open.text[0], c = take().text[0];
  if (inner.kind != ExprKind::List) {
    if ((o == '(' && c == ')') || (o == '[' && c == ']')) return inner;
    fail("a half-open interval needs two ends");
  }
  if (o == '(' && c == ')') {
    Expr t = Expr::node(ExprKind::Tuple, std::move(inner.kids));
    t.open = o;
    t.close = c;
    return t;
  }
  if (inner.kids.size() != 2) {
    if (o == '[' && c == ']') {
      Expr t = Expr::node(ExprKind::Tuple, std::move(inner.kids));
      t.open = o;
      t.close = c;
      return t;
    }
    fail("an interval has two ends");
  }
  Expr iv = Expr::node(ExprKind::Interval, std::move(inner.kids));
  iv.left_closed = o == '[';
  iv.right_closed = c == ']';
  return iv;
}

Expr Parser::primary() {
  DepthGuard guard(*this);
  size_t at = i_;
  Token t = take();
  switch (t.kind) {
    case TokKind::Number:
      return Expr::number(std::move(t.value), t.decimal);
    case TokKind::Ident:
      if (t.text == "pi" || t.text == "e" || t.text == "i" || t.text == "inf")
        return Expr::constant(t.text);
      if (t.text == "emptyset") return Expr::node(ExprKind::Set, {});
      if (t.text == "reals") {
        Expr iv =
            Expr::node(ExprKind::Interval,
                       {Expr::node(ExprKind::Neg, {Expr::constant("inf")}), Expr::constant("inf")});
        return iv;
      }
      if (t.text.rfind("set:", 0) == 0)
        fail("the set \\mathbb{" + t.text.substr(4) + "} is not supported");
      return Expr::symbol(t.text);
    case TokKind::Func:
      if (t.text.rfind("begin:", 0) == 0) {
        std::string env = t.text.substr(6);
        if (env != "pmatrix" && env != "bmatrix" && env != "matrix" && env != "array" &&
            env != "Bmatrix" && env != "smallmatrix")
          fail("environment '" + env + "' is not supported");
        return matrix(env);
      }
      return function(t.text);
    case TokKind::Open:
      if (t.text == "(" || t.text == "[") return bracketed(t);
      if (t.text == "{") {
        Expr inner = list();
        expect_close("}");
        if (inner.kind == ExprKind::List) inner.kind = ExprKind::Set;  // "{1, 2}" in plain text
        return inner;
      }
      if (t.text == "lfloor" || t.text == "lceil") {
        Expr inner = sum();
        expect_close(t.text == "lfloor" ? "rfloor" : "rceil");
        return Expr::func(t.text == "lfloor" ? "floor" : "ceil", {std::move(inner)});
      }
      break;
    case TokKind::SetOpen: {
      if (peek().kind == TokKind::SetClose) {
        take();
        return Expr::node(ExprKind::Set, {});
      }
      Expr inner = list();
      if (peek().kind != TokKind::SetClose) fail("expected '\\}'");
      take();
      std::vector<Expr> items;
      if (inner.kind == ExprKind::List)
        items = std::move(inner.kids);
      else
        items.push_back(std::move(inner));
      return Expr::node(ExprKind::Set, std::move(items));
    }
    case TokKind::Op:
      if (t.text == "|") {
        Expr inner = sum();
        if (!is_op(peek(), "|")) fail("unclosed '|'");
        take();
        return Expr::func("abs", {std::move(inner)});
      }
      break;
    default:
      break;
  }
  i_ = at;
  fail("unexpected '" + describe(t) + "'");
}

}  // namespace crucible::rewards::math::parsing
