#include "rewards/math/parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace crucible::rewards::math {
namespace {

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

// Drops unit words after a value ("5 apples", "12 \text{cm}") and turns "and"/"or" into
// commas, so what is left is math or nothing but words.
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

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits)
      : t_(std::move(tokens)), limits_(limits) {}

  Expr answer() {
    if (t_.size() == 1) throw ParseError("empty answer");
    // Words that are not units or separators make the whole answer text.
    std::vector<Token> math = without_units(t_);
    if (std::any_of(math.begin(), math.end(), is_wordish)) return Expr::text(lower_words(t_));
    t_ = std::move(math);
    Expr e = list();
    if (peek().kind != TokKind::End) fail("unexpected '" + describe(peek()) + "'");
    return e;
  }

 private:
  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > p.limits_.max_depth * 2) p.fail("expression nested too deeply");
    }
    ~DepthGuard() { --p.depth_; }
  };

  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  Token take() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }

  static std::string describe(const Token& t) {
    if (t.kind == TokKind::End) return "end of answer";
    if (t.kind == TokKind::Number) return t.value.str();
    return t.text;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw ParseError(what + " at byte " + std::to_string(peek().pos));
  }

  void expect_close(std::string_view close) {
    if (peek().kind == TokKind::Close && peek().text == close) {
      take();
      return;
    }
    fail("expected '" + std::string(close) + "' but found '" + describe(peek()) + "'");
  }

  bool at_separator() const { return is_op(peek(), ",") || is_op(peek(), ";"); }

  Expr list() {
    std::vector<Expr> items{union_expr()};
    while (at_separator()) {
      take();
      items.push_back(union_expr());
    }
    return items.size() == 1 ? std::move(items[0]) : Expr::node(ExprKind::List, std::move(items));
  }

  Expr union_expr() {
    std::vector<Expr> parts{relation()};
    while (is_op(peek(), "U")) {
      take();
      parts.push_back(relation());
    }
    return parts.size() == 1 ? std::move(parts[0]) : Expr::node(ExprKind::Union, std::move(parts));
  }

  static bool relop(const Token& t, RelOp& op) {
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

  Expr relation() {
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

  Expr sum() {
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

  bool starts_implicit_factor() const {
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

  static bool is_integer_literal(const Expr& e) {
    return e.kind == ExprKind::Number && !e.decimal &&
           boost::multiprecision::denominator(e.value) == 1;
  }

  static bool is_proper_fraction_literal(const Expr& e) {
    return e.kind == ExprKind::Div && is_integer_literal(e.kids[0]) &&
           is_integer_literal(e.kids[1]) && e.kids[0].value >= 0 &&
           e.kids[0].value < e.kids[1].value;
  }

  Expr product() {
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

  Expr unary() {
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

  Expr power() {
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

  Expr postfix(Expr e) {
    while (true) {
      if (is_op(peek(), "!")) {
        take();
        e = Expr::node(ExprKind::Factorial, {std::move(e)});
      } else if (is_op(peek(), "%")) {
        take();
        e = Expr::node(ExprKind::Percent, {std::move(e)});
      } else if (is_op(peek(), "_") && e.kind == ExprKind::Symbol) {
        take();
        e.name += "_" + subscript_text();
      } else {
        return e;
      }
    }
  }

  std::string subscript_text() {
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

  // A LaTeX argument: {group}, or one token ("\frac12" takes the digits one at a time).
  Expr argument() {
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

  Expr function(const std::string& name) {
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

  static bool arg_list_is_tuple(const Expr& e) { return e.kind == ExprKind::Tuple; }

  Expr matrix(const std::string& env) {
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

  Expr bracketed(const Token& open) {
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

  Expr primary() {
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
          Expr iv = Expr::node(
              ExprKind::Interval,
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

  std::vector<Token> t_;
  const ParseLimits& limits_;
  size_t i_ = 0, depth_ = 0;
};

}  // namespace

Expr parse_answer(std::string_view answer, const ParseLimits& limits) {
  return Parser(lex(answer, limits), limits).answer();
}

}  // namespace crucible::rewards::math
