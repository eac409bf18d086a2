#include "rewards/math/parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "rewards/math/parser_rules.hpp"

namespace crucible::rewards::math {
namespace parsing {

bool is_op(const Token& t, std::string_view op) {
  return t.kind == TokKind::Op && t.text == op;
}

bool is_separator_word(const Token& t) {
  if (t.kind != TokKind::Word && t.kind != TokKind::Text) return false;
  std::string w;
  for (char c : t.text)
    if (c != ' ') w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w == "and" || w == "or" || w == "," || w == "";
}

bool is_wordish(const Token& t) {
  return t.kind == TokKind::Word || t.kind == TokKind::Text;
}

std::string lower_words(const std::vector<Token>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (t.kind == TokKind::End) break;
    std::string piece = t.kind == TokKind::Number ? t.value.str() : t.text;
    if (!out.empty()) out += ' ';
    out += piece;
  }
  std::string norm;
  bool space = false;
  for (char c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      if (space && !norm.empty()) norm += ' ';
      norm += static_cast<char>(std::tolower(u));
      space = false;
    } else {
      space = true;
    }
  }
  return norm;
}

std::vector<Token> without_units(std::vector<Token> t) {
  std::vector<Token> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (is_separator_word(t[i]) && !out.empty() && i + 1 < t.size() &&
        t[i + 1].kind != TokKind::End) {
      Token comma = t[i];
      comma.kind = TokKind::Op;
      comma.text = ",";
      out.push_back(comma);
      continue;
    }
    if (is_wordish(t[i]) && !is_separator_word(t[i]) && !out.empty()) {
      size_t j = i;
      while (is_wordish(t[j]) && !is_separator_word(t[j])) ++j;
      const Token& before = out.back();
      bool after_value = before.kind == TokKind::Number || before.kind == TokKind::Close ||
                         before.kind == TokKind::Ident || is_op(before, "%");
      // A unit's power: "\text{m}^2".
      size_t k = j;
      if (is_op(t[k], "^") && t[k + 1].kind == TokKind::Number) k += 2;
      const Token& after_power = t[k];
      bool ends_item = after_power.kind == TokKind::End || is_op(after_power, ",") ||
                       is_op(after_power, ";") || is_separator_word(after_power);
      if (ends_item && after_value) {
        i = k - 1;
        continue;
      }
    }
    out.push_back(t[i]);
  }
  return out;
}

Expr Parser::answer() {
  if (t_.size() == 1) throw ParseError("empty answer");
  // Words that are not units or separators make the whole answer text.
  std::vector<Token> math = without_units(t_);
  if (std::any_of(math.begin(), math.end(), is_wordish)) return Expr::text(lower_words(t_));
  t_ = std::move(math);
  Expr e = list();
  if (peek().kind != TokKind::End) fail("unexpected '" + describe(peek()) + "'");
  return e;
}

std::string Parser::describe(const Token& t) {
  if (t.kind == TokKind::End) return "end of answer";
  if (t.kind == TokKind::Number) return t.value.str();
  return t.text;
}

void Parser::fail(const std::string& what) const {
  throw ParseError(what + " at byte " + std::to_string(peek().pos));
}

void Parser::expect_close(std::string_view close) {
  if (peek().kind == TokKind::Close && peek().text == close) {
    take();
    return;
  }
  fail("expected '" + std::string(close) + "' but found '" + describe(peek()) + "'");
}

Expr Parser::list() {
  std::vector<Expr> items{union_expr()};
  while (at_separator()) {
    take();
    items.push_back(union_expr());
  }
  return items.size() == 1 ? std::move(items[0]) : Expr::node(ExprKind::List, std::move(items));
}

Expr Parser::union_expr() {
  std::vector<Expr> parts{relation()};
  while (is_op(peek(), "U")) {
    take();
    parts.push_back(relation());
  }
  return parts.size() == 1 ? std::move(parts[0]) : Expr::node(ExprKind::Union, std::move(parts));
}

bool Parser::relop(const Token& t, RelOp& op) {
  if (t.kind != TokKind::Op) return false;
  static const std::pair<std::string_view, RelOp> kOps[] = {{"=", RelOp::Eq}, {"!=", RelOp::Ne},
                                                            {"<", RelOp::Lt}, {"<=", RelOp::Le},
                                                            {">", RelOp::Gt}, {">=", RelOp::Ge}};
  for (auto [text, o] : kOps)
    if (t.text == text) {
      op = o;
      return true;
    }
  return false;
}

Expr Parser::relation() {
  DepthGuard guard(*this);
  Expr first = sum();
  if (is_op(peek(), "in")) {  // "x \in [1, 2]" names the set
    take();
    return union_expr();
  }
  RelOp op = RelOp::Eq;
  if (!relop(peek(), op) && !is_op(peek(), "approx")) return first;
  Expr rel = Expr::node(ExprKind::Relation, {std::move(first)});
  while (relop(peek(), op) || is_op(peek(), "approx")) {
    // "x = 1/3 \approx 0.33": the exact statement ends where an approximation starts;
    // alone ("x \approx 3.14") an approximation states the value.
    bool approx = is_op(take(), "approx");
    if (approx && rel.kids.size() > 1) {
      sum();
      continue;
    }
    rel.ops.push_back(approx ? RelOp::Eq : op);
    rel.kids.push_back(sum());
  }
  return rel;
}

Expr Parser::sum() {
  DepthGuard guard(*this);
  std::vector<Expr> terms;
  if (is_op(peek(), "pm")) {  // "\pm 3"
    take();
    return Expr::node(ExprKind::PlusMinus, {Expr::number(0), product()});
  }
  terms.push_back(product());
  while (true) {
    if (is_op(peek(), "+")) {
      take();
      terms.push_back(product());
    } else if (is_op(peek(), "-")) {
      take();
      terms.push_back(Expr::node(ExprKind::Neg, {product()}));
    } else if (is_op(peek(), "pm")) {
      take();
      Expr left =
          terms.size() == 1 ? std::move(terms[0]) : Expr::node(ExprKind::Add, std::move(terms));
      terms.clear();
      terms.push_back(Expr::node(ExprKind::PlusMinus, {std::move(left), product()}));
    } else {
      break;
    }
  }
  return terms.size() == 1 ? std::move(terms[0]) : Expr::node(ExprKind::Add, std::move(terms));
}

bool Parser::starts_implicit_factor() const {
  const Token& t = peek();
  switch (t.kind) {
    case TokKind::Number:
    case TokKind::Ident:
    case TokKind::Func:
      return t.text.rfind("end:", 0) != 0;
    case TokKind::Open:
      return t.text == "(" || t.text == "{" || t.text == "lfloor" || t.text == "lceil";
    default:
      return false;
  }
}

bool Parser::is_integer_literal(const Expr& e) {
  return e.kind == ExprKind::Number && !e.decimal &&
         boost::multiprecision::denominator(e.value) == 1;
}

bool Parser::is_proper_fraction_literal(const Expr& e) {
  return e.kind == ExprKind::Div && is_integer_literal(e.kids[0]) &&
         is_integer_literal(e.kids[1]) && e.kids[0].value >= 0 && e.kids[0].value < e.kids[1].value;
}

Expr Parser::product() {
  DepthGuard guard(*this);
  std::vector<Expr> factors{unary()};
  while (true) {
    if (is_op(peek(), "*")) {
      take();
      factors.push_back(unary());
    } else if (is_op(peek(), "/") || is_op(peek(), ":")) {
      take();
      Expr left = factors.size() == 1 ? std::move(factors[0])
                                      : Expr::node(ExprKind::Mul, std::move(factors));
      factors.clear();
      factors.push_back(Expr::node(ExprKind::Div, {std::move(left), unary()}));
    } else if (starts_implicit_factor()) {
      bool frac_next = peek().kind == TokKind::Func && peek().text == "frac";
      Expr next = power();
      // "2\frac{1}{2}" is the mixed number 2 1/2, not 2 * 1/2.
      if (frac_next && factors.size() == 1 && is_integer_literal(factors[0]) &&
          factors[0].value >= 0 && is_proper_fraction_literal(next)) {
        Expr whole = std::move(factors[0]);
        factors[0] = Expr::node(ExprKind::Add, {std::move(whole), std::move(next)});
      } else {
        factors.push_back(std::move(next));
      }
    } else {
      break;
    }
  }
  return factors.size() == 1 ? std::move(factors[0])
                             : Expr::node(ExprKind::Mul, std::move(factors));
}

Expr Parser::unary() {
  DepthGuard guard(*this);
  if (is_op(peek(), "-")) {
    take();
    return Expr::node(ExprKind::Neg, {unary()});
  }
  if (is_op(peek(), "+")) {
    take();
    return unary();
  }
  return power();
}

Expr Parser::power() {
  DepthGuard guard(*this);
  Expr base = postfix(primary());
  if (is_op(peek(), "^")) {
    take();
    Expr exponent = is_op(peek(), "-") || is_op(peek(), "+") ? unary() : postfix(primary());
    if (is_op(peek(), "^")) fail("ambiguous repeated '^'; use braces");
    return postfix(Expr::node(ExprKind::Pow, {std::move(base), std::move(exponent)}));
  }
  return base;
}

Expr Parser::postfix(Expr e) {
  while (true) {
    if (is_op(peek(), "!")) {
      take();
      e = Expr::node(ExprKind::Factorial, {std::move(e)});
    } else if (is_op(peek(), "%")) {
      take();
      e = Expr::node(ExprKind::Percent, {std::move(e)});
    } else if (is_op(peek(), "_") && e.kind == ExprKind::Symbol) {
      take();
      e.name += '_';  // two appends: "_" + string trips a GCC 12 -Wrestrict false positive
      e.name += subscript_text();
    } else {
      return e;
    }
  }
}

std::string Parser::subscript_text() {
  if (peek().kind == TokKind::Open && peek().text == "{") {
    take();
    std::string s;
    while (!(peek().kind == TokKind::Close && peek().text == "}")) {
      if (peek().kind == TokKind::End) fail("unclosed subscript");
      s += describe(take());
    }
    take();
    return s;
  }
  if (peek().kind == TokKind::End) fail("missing subscript");
  return describe(take());
}

}  // namespace parsing

Expr parse_answer(std::string_view answer, const ParseLimits& limits) {
  return parsing::Parser(lex(answer, limits), limits).answer();
}

}  // namespace crucible::rewards::math
