#include "rewards/math/lexer_words.hpp"

#include <array>

namespace crucible::rewards::math::lexing {
namespace {

// Unicode and LaTeX spellings that become plain ones before lexing.
constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kRewrites{{
    {"^{\\circ}", ""},
    {"^\\circ", ""},
    {"\xC2\xB0", ""},
    {"\\degree", ""},
    {"\xCF\x80", "\\pi "},
    {"\xE2\x88\x9E", "\\infty "},
    {"\xE2\x88\x9A", "\\sqrt "},
    {"\xC3\x97", "*"},
    {"\xC2\xB7", "*"},
    {"\xE2\x8B\x85", "*"},
    {"\xC3\xB7", "/"},
    {"\xE2\x88\x92", "-"},
    {"\xE2\x80\x93", "-"},
    {"\xE2\x89\xA4", "<="},
    {"\xE2\x89\xA5", ">="},
    {"\xE2\x89\xA0", "!="},
    {"\xE2\x88\xAA", "\\cup "},
    {"\xE2\x88\x85", "\\emptyset "},
    {"\xC2\xB1", "\\pm "},
    {"\xE2\x84\x9D", "\\mathbb{R}"},
    {"\xE2\x82\xAC", ""},
    {"\xC2\xA3", ""},
    {"\xC2\xA5", ""},
    {"\xC2\xA0", " "},
    {"+/-", "\\pm "},
    {"**", "^"},
    {"\\left.", ""},
}};

}  // namespace

std::string rewritten(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    bool hit = false;
    for (const auto& [from, to] : kRewrites) {
      if (in.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        hit = true;
        break;
      }
    }
    if (!hit) out += in[i++];
  }
  // "\right." closes an invisible delimiter; drop it as well.
  for (size_t p; (p = out.find("\\right.")) != std::string::npos;) out.erase(p, 7);
  return out;
}

const std::unordered_map<std::string_view, CmdInfo>& commands() {
  static const std::unordered_map<std::string_view, CmdInfo> table = [] {
    std::unordered_map<std::string_view, CmdInfo> t;
    for (const char* n : {"left",
                          "right",
                          "big",
                          "Big",
                          "bigg",
                          "Bigg",
                          "bigl",
                          "bigr",
                          "Bigl",
                          "Bigr",
                          "biggl",
                          "biggr",
                          "displaystyle",
                          "textstyle",
                          "scriptstyle",
                          "limits",
                          "nolimits",
                          ",",
                          ";",
                          ":",
                          "!",
                          " ",
                          "quad",
                          "qquad",
                          "$",
                          "mathrm",
                          "mathbf",
                          "mathit",
                          "mathsf",
                          "boldsymbol",
                          "bm",
                          "operatorname",
                          "&",
                          "circ",
                          "phantom"})
      t[n] = {Cmd::Ignore, ""};
    for (auto [n, c] : std::initializer_list<std::pair<const char*, const char*>>{
             {"cdot", "*"},  {"times", "*"},     {"ast", "*"},  {"div", "/"},         {"pm", "pm"},
             {"mp", "pm"},   {"le", "<="},       {"leq", "<="}, {"leqslant", "<="},   {"ge", ">="},
             {"geq", ">="},  {"geqslant", ">="}, {"ne", "!="},  {"neq", "!="},        {"lt", "<"},
             {"gt", ">"},    {"cup", "U"},       {"in", "in"},  {"approx", "approx"}, {"%", "%"},
             {"colon", ":"}, {"mid", "|"},       {"vert", "|"}})
      t[n] = {Cmd::Op, c};
    for (const char* n : {"alpha",  "beta",  "gamma",    "delta", "epsilon", "varepsilon", "zeta",
                          "eta",    "theta", "vartheta", "iota",  "kappa",   "lambda",     "mu",
                          "nu",     "xi",    "rho",      "sigma", "tau",     "upsilon",    "phi",
                          "varphi", "chi",   "psi",      "omega", "Gamma",   "Delta",      "Theta",
                          "Lambda", "Xi",    "Sigma",    "Phi",   "Psi",     "Omega"})
      t[n] = {Cmd::Ident, n};
    t["pi"] = {Cmd::Ident, "pi"};
    t["infty"] = {Cmd::Ident, "inf"};
    t["infinity"] = {Cmd::Ident, "inf"};
    t["emptyset"] = {Cmd::Ident, "emptyset"};
    t["varnothing"] = {Cmd::Ident, "emptyset"};
    for (auto [n, c] : std::initializer_list<std::pair<const char*, const char*>>{
             {"frac", "frac"},     {"dfrac", "frac"},  {"tfrac", "frac"},    {"cfrac", "frac"},
             {"sqrt", "sqrt"},     {"binom", "binom"}, {"dbinom", "binom"},  {"tbinom", "binom"},
             {"sin", "sin"},       {"cos", "cos"},     {"tan", "tan"},       {"sec", "sec"},
             {"csc", "csc"},       {"cot", "cot"},     {"arcsin", "arcsin"}, {"arccos", "arccos"},
             {"arctan", "arctan"}, {"sinh", "sinh"},   {"cosh", "cosh"},     {"tanh", "tanh"},
             {"log", "log"},       {"ln", "ln"},       {"exp", "exp"},       {"gcd", "gcd"},
             {"max", "max"},       {"min", "min"}})
      t[n] = {Cmd::Func, c};
    for (const char* n : {"text", "textbf", "textit", "textrm", "textsf", "texttt", "mbox", "hbox",
                          "textnormal", "emph"})
      t[n] = {Cmd::TextArg, ""};
    t["{"] = {Cmd::SetOpen, ""};
    t["}"] = {Cmd::SetClose, ""};
    t["lbrace"] = {Cmd::SetOpen, ""};
    t["rbrace"] = {Cmd::SetClose, ""};
    t["\\"] = {Cmd::RowSep, ""};
    t["begin"] = {Cmd::Begin, ""};
    t["end"] = {Cmd::End, ""};
    t["mathbb"] = {Cmd::Blackboard, ""};
    t["lfloor"] = {Cmd::Open, "lfloor"};
    t["lceil"] = {Cmd::Open, "lceil"};
    t["langle"] = {Cmd::Open, "("};
    t["lvert"] = {Cmd::Op, "|"};
    t["rfloor"] = {Cmd::Close, "rfloor"};
    t["rceil"] = {Cmd::Close, "rceil"};
    t["rangle"] = {Cmd::Close, ")"};
    t["rvert"] = {Cmd::Op, "|"};
    t["dots"] = {Cmd::Word, "dots"};
    t["ldots"] = {Cmd::Word, "dots"};
    t["cdots"] = {Cmd::Word, "dots"};
    t["and"] = {Cmd::Word, "and"};
    t["text"] = {Cmd::TextArg, ""};
    return t;
  }();
  return table;
}

// Letter runs that are math, not words.
const std::unordered_map<std::string_view, std::pair<TokKind, const char*>>& named_words() {
  static const std::unordered_map<std::string_view, std::pair<TokKind, const char*>> table = {
      {"pi", {TokKind::Ident, "pi"}},        {"inf", {TokKind::Ident, "inf"}},
      {"infty", {TokKind::Ident, "inf"}},    {"infinity", {TokKind::Ident, "inf"}},
      {"sqrt", {TokKind::Func, "sqrt"}},     {"sin", {TokKind::Func, "sin"}},
      {"cos", {TokKind::Func, "cos"}},       {"tan", {TokKind::Func, "tan"}},
      {"log", {TokKind::Func, "log"}},       {"ln", {TokKind::Func, "ln"}},
      {"exp", {TokKind::Func, "exp"}},       {"arcsin", {TokKind::Func, "arcsin"}},
      {"arccos", {TokKind::Func, "arccos"}}, {"arctan", {TokKind::Func, "arctan"}},
      {"theta", {TokKind::Ident, "theta"}},  {"alpha", {TokKind::Ident, "alpha"}},
      {"beta", {TokKind::Ident, "beta"}},    {"abs", {TokKind::Func, "abs"}},
  };
  return table;
}

// Two-letter runs read as a word (a unit), not as a product of two variables.
bool two_letter_word(std::string_view w) {
  static constexpr std::array<std::string_view, 19> kUnits{"cm", "mm", "km", "kg", "mg", "ml", "mL",
                                                           "ft", "yd", "mi", "lb", "oz", "hr", "in",
                                                           "am", "pm", "or", "is", "to"};
  for (auto u : kUnits)
    if (u == w) return true;
  return false;
}

}  // namespace crucible::rewards::math::lexing
