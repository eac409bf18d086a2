#include "rewards/math/lexer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include "rewards/math/chars.hpp"
#include "rewards/math/lexer_words.hpp"

namespace crucible::rewards::math {
namespace {

using namespace lexing;

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

// "12,5" alone reads as 12.5: one comma, digits either side, not a group of three.
bool decimal_comma_answer(std::string_view s) {
  size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  if (a == std::string_view::npos) return false;
  s = s.substr(a, b - a + 1);
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  size_t comma = s.find(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 >= s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != comma && !is_digit(s[i])) return false;
  return s.size() - comma - 1 != 3 || (comma == 1 && s[0] == '0');  // "0,111" has no thousands
}

class Lexer {
 public:
  Lexer(std::string text, const ParseLimits& limits)
      : s_(std::move(text)),
        limits_(limits),
        decimal_comma_(limits.decimal_comma && decimal_comma_answer(s_)) {}

  std::vector<Token> run() {
    while (true) {
      bool space = skip_space();
      if (i_ >= s_.size()) break;
      if (out_.size() >= limits_.max_tokens)
        throw ParseError("answer has more than " + std::to_string(limits_.max_tokens) + " tokens");
      size_t start = i_;
      char c = s_[i_];
      if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])))
        number();
      else if (is_letter(c))
        letters();
      else if (c == '\\')
        command();
      else
        punct();
      if (out_.size() && out_.back().pos == npos_) {
        out_.back().pos = start;
        out_.back().space_before = space;
      }
    }
    Token end;
    end.kind = TokKind::End;
    end.pos = s_.size();
    out_.push_back(end);
    return std::move(out_);
  }

 private:
  static constexpr size_t npos_ = static_cast<size_t>(-1);

  bool skip_space() {
    bool any = false;
    while (i_ < s_.size() && (std::isspace(static_cast<unsigned char>(s_[i_])) || s_[i_] == '~')) {
      ++i_;
      any = true;
    }
    return any;
  }

  void push(TokKind kind, std::string text) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    t.pos = npos_;
    out_.push_back(std::move(t));
  }

  void open(TokKind kind, std::string text) {
    if (++depth_ > limits_.max_depth)
      throw ParseError("nesting deeper than " + std::to_string(limits_.max_depth) + " at byte " +
                       std::to_string(i_));
    push(kind, std::move(text));
  }

  void close(TokKind kind, std::string text) {
    if (depth_) --depth_;
    push(kind, std::move(text));
  }

  size_t digits_at(size_t p) const {
    size_t n = 0;
    while (p + n < s_.size() && is_digit(s_[p + n])) ++n;
    return n;
  }

  // Length of a thousands separator at p followed by exactly three digits, or 0.
  size_t group_separator(size_t p) const {
    // LaTeX spells a separator many ways: "7{,}425", "900,\\!000", "1\\,000", "1\\;000".
    for (std::string_view sep :
         {"{,}\\!", "{,}", ",\\!", ",\\,", "\\,", "\\;", "\\:", "\\ ", ",", " "}) {
      if (s_.compare(p, sep.size(), sep) != 0) continue;
      bool braced = sep[0] != ',' && sep[0] != ' ';
      if (!braced && depth_ > 0) return 0;  // "(1,234)" is a pair
      if (sep == "," && decimal_comma_) return 0;
      size_t len = sep.size();
      if (sep[0] == '\\' || sep.size() > 1)  // "11,\\! 111": LaTeX spacing, then a space
        while (s_.compare(p + len, 1, " ") == 0) ++len;
      if (digits_at(p + len) == 3) return len;
    }
    return 0;
  }

  void number() {
    std::string digits;
    size_t frac = 0;
    size_t lead = digits_at(i_);
    digits.append(s_, i_, lead);
    i_ += lead;
    if (lead > 0 && lead <= 3) {
      for (size_t sep; (sep = group_separator(i_)) != 0;) {
        digits.append(s_, i_ + sep, 3);
        i_ += sep + 3;
      }
    }
    bool decimal = false;
    if (i_ + 1 < s_.size() && (s_[i_] == '.' || (s_[i_] == ',' && decimal_comma_)) &&
        is_digit(s_[i_ + 1])) {
      ++i_;
      frac = digits_at(i_);
      digits.append(s_, i_, frac);
      i_ += frac;
      decimal = true;
    }
    long exponent = 0;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      size_t p = i_ + 1;
      bool negative = false;
      if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) negative = s_[p++] == '-';
      size_t n = digits_at(p);
      if (n > 0) {
        if (n > 4)
          throw ParseError("exponent of the number at byte " + std::to_string(i_) +
                           " is too large");
        exponent = std::stol(s_.substr(p, n)) * (negative ? -1 : 1);
        i_ = p + n;
        decimal = true;
      }
    }
    if (digits.size() > limits_.max_digits)
      throw ParseError("number with more than " + std::to_string(limits_.max_digits) + " digits");
    long scale = exponent - static_cast<long>(frac);
    if (scale > 4000 || scale < -4000)
      throw ParseError("exponent of the number at byte " + std::to_string(i_) + " is too large");
    // Leading zeros would make the integer parser read octal.
    size_t nonzero = digits.find_first_not_of('0');
    Rational v{Integer(nonzero == std::string::npos ? std::string("0") : digits.substr(nonzero))};
    if (scale != 0) {
      Integer ten_pow =
          boost::multiprecision::pow(Integer(10), static_cast<unsigned>(std::labs(scale)));
      v = scale > 0 ? Rational(v * ten_pow) : Rational(v / ten_pow);
    }
    push(TokKind::Number, "");
    out_.back().value = std::move(v);
    out_.back().decimal = decimal;
  }

  void letters() {
    size_t start = i_;
    while (i_ < s_.size() && is_letter(s_[i_])) ++i_;
    std::string_view w(s_.data() + start, i_ - start);
    auto named = named_words().find(w);
    bool in_subscript =
        (out_.size() >= 1 && out_.back().kind == TokKind::Op && out_.back().text == "_") ||
        (out_.size() >= 2 && out_.back().kind == TokKind::Open && out_.back().text == "{" &&
         out_[out_.size() - 2].text == "_");
    if (in_subscript) {
      push(TokKind::Ident, std::string(w));  // "S_{MBCN}": an index, not words
    } else if (named != named_words().end()) {
      push(named->second.first, named->second.second);
    } else if (w.size() == 1) {
      push(TokKind::Ident, std::string(w));
    } else if (w.size() == 2 && !two_letter_word(w) && static_cast<unsigned char>(w[0]) < 0x80 &&
               static_cast<unsigned char>(w[1]) < 0x80) {
      push(TokKind::Ident, std::string(1, w[0]));  // "xy" is x times y
      out_.back().pos = start;
      push(TokKind::Ident, std::string(1, w[1]));
      out_.back().pos = start + 1;
    } else {
      push(TokKind::Word, std::string(w));
    }
  }

  std::string braced_raw() {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != '{') return {};
    size_t depth = 0, start = i_ + 1;
    for (; i_ < s_.size(); ++i_) {
      if (s_[i_] == '\\') {
        ++i_;
        continue;
      }
      if (s_[i_] == '{') ++depth;
      if (s_[i_] == '}' && --depth == 0) {
        std::string inner = s_.substr(start, i_ - start);
        ++i_;
        return inner;
      }
    }
    throw ParseError("unbalanced braces after byte " + std::to_string(start - 1));
  }

  void command() {
    size_t start = i_++;
    std::string name;
    // "\\\\frac" (a doubly escaped "\\frac", as JSON and Python strings often carry LaTeX) is
    // \\frac: a row break never comes right before a letter.
    if (s_.compare(i_, 1, "\\") == 0 && i_ + 1 < s_.size() &&
        std::isalpha(static_cast<unsigned char>(s_[i_ + 1])))
      ++i_;
    if (i_ < s_.size() && !std::isalpha(static_cast<unsigned char>(s_[i_]))) {
      name = s_.substr(i_++, 1);
    } else {
      while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) name += s_[i_++];
    }
    // "\\quadx": a spacing command glued to the next letter.
    if (!commands().count(name)) {
      for (std::string_view glued : {"qquad", "quad"})
        if (name.size() > glued.size() && name.compare(0, glued.size(), glued) == 0) {
          i_ -= name.size() - glued.size();
          name = glued;
          break;
        }
    }
    auto it = commands().find(name);
    if (it == commands().end())
      throw ParseError("unknown command \\" + name + " at byte " + std::to_string(start));
    const CmdInfo& info = it->second;
    switch (info.cmd) {
      case Cmd::Ignore:
        break;
      case Cmd::Op:
        push(TokKind::Op, info.canon);
        break;
      case Cmd::Ident:
        push(TokKind::Ident, info.canon);
        break;
      case Cmd::Func:
        push(TokKind::Func, info.canon);
        break;
      case Cmd::Word:
        push(TokKind::Word, info.canon);
        break;
      case Cmd::TextArg: {
        std::string inner = braced_raw();
        size_t a = inner.find_first_not_of(" \t"), b = inner.find_last_not_of(" \t");
        if (a == std::string::npos) break;
        std::string_view core = std::string_view(inner).substr(a, b - a + 1);
        // "\text{5}" is 5 and "\text{e}" is e: typeset math, not words.
        bool number = std::all_of(core.begin(), core.end(),
                                  [](char c) { return is_digit(c) || c == '.' || c == ','; }) &&
                      is_digit(core[0]);
        // A single letter other than e stays a unit ("3\\,\\text{m}^2").
        if (number || core == "e") {
          for (Token t : Lexer(std::string(core), limits_).run()) {
            if (t.kind == TokKind::End) break;
            t.pos = start;
            out_.push_back(std::move(t));
          }
          break;
        }
        push(TokKind::Text, inner);
        break;
      }
      case Cmd::Text:
        break;
      case Cmd::SetOpen:
        open(TokKind::SetOpen, "{");
        break;
      case Cmd::SetClose:
        close(TokKind::SetClose, "}");
        break;
      case Cmd::RowSep:
        push(TokKind::RowSep, "\\\\");
        break;
      case Cmd::Open:
        open(TokKind::Open, info.canon);
        break;
      case Cmd::Close:
        close(TokKind::Close, info.canon);
        break;
      case Cmd::Begin: {
        std::string env = braced_raw();
        if (env == "array") braced_raw();  // the column spec
        push(TokKind::Func, "begin:" + env);
        break;
      }
      case Cmd::End:
        push(TokKind::Func, "end:" + braced_raw());
        break;
      case Cmd::Blackboard: {
        std::string set = braced_raw();
        if (set.empty() && i_ < s_.size()) set = s_.substr(i_++, 1);
        push(TokKind::Ident, set == "R" ? "reals" : "set:" + set);
        break;
      }
    }
  }

  void punct() {
    char c = s_[i_];
    auto next_is = [&](char n) { return i_ + 1 < s_.size() && s_[i_ + 1] == n; };
    if ((c == '<' || c == '>' || c == '!') && next_is('=')) {
      push(TokKind::Op, std::string{c, '='});
      i_ += 2;
      return;
    }
    ++i_;
    switch (c) {
      case '(':
      case '[':
      case '{':
        open(TokKind::Open, std::string(1, c));
        return;
      case ')':
      case ']':
      case '}':
        close(TokKind::Close, std::string(1, c));
        return;
      case '&':
        push(TokKind::Amp, "&");
        return;
      case '$':
        return;  // a stray math delimiter or a currency sign
      case '+':
      case '-':
      case '*':
      case '/':
      case '^':
      case '_':
      case '!':
      case '=':
      case '<':
      case '>':
      case ',':
      case ';':
      case '|':
      case '%':
      case ':':
        push(TokKind::Op, std::string(1, c));
        return;
      case '.':
        return;  // a trailing full stop
      default:
        throw ParseError(std::string("unexpected character '") + c + "' at byte " +
                         std::to_string(i_ - 1));
    }
  }

  std::string s_;
  const ParseLimits& limits_;
  bool decimal_comma_;
  size_t i_ = 0, depth_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view input, const ParseLimits& limits) {
  if (input.size() > limits.max_chars)
    throw ParseError("answer is " + std::to_string(input.size()) + " bytes; the limit is " +
                     std::to_string(limits.max_chars));
  return Lexer(rewritten(input), limits).run();
}

}  // namespace crucible::rewards::math
