// Parsing LaTeX and plain text: each row is an answer and the canonical form of the tree
// it must become; error rows name what must be reported.
#include <gtest/gtest.h>

#include "rewards/math/parser.hpp"

namespace crucible::rewards::math {
namespace {

struct ParseRow {
  const char* input;
  const char* tree;
};

const ParseRow kParseRows[] = {
    {"42", "42"},
    {"-7", "-7"},
    {"3.25", "13/4"},
    {".5", "1/2"},
    {"007", "7"},
    {"1.2e3", "1200"},
    {"1.5E-2", "3/200"},
    {"1.2\\times10^{3}", "(6/5)*(10^3)"},
    {"7,425,000", "7425000"},
    {"7{,}425", "7425"},
    {"1 000 000", "1000000"},
    {"1\\,000", "1000"},
    {"3,5", "7/2"},
    {"\\$1,250.50", "2501/2"},
    {"\\frac{1}{2}", "1/2"},
    {"\\dfrac{3}{4}", "3/4"},
    {"\\tfrac{a}{b}", "a/b"},
    {"\\frac12", "1/2"},
    {"\\frac123", "(1/2)*3"},
    {"a/b", "a/b"},
    {"\\sqrt{2}", "sqrt(2)"},
    {"\\sqrt3", "sqrt(3)"},
    {"\\sqrt[3]{8}", "root(8,3)"},
    {"x^2", "x^2"},
    {"x^{10}", "x^10"},
    {"2^{-1}", "2^(-1)"},
    {"e^{i\\pi}", "e^(i*pi)"},
    {"2\\cdot 3", "2*3"},
    {"2 \\times 3", "2*3"},
    {"6 \\div 3", "6/3"},
    {"2x", "2*x"},
    {"2\\pi r", "2*pi*r"},
    {"3\\sqrt{2}", "3*sqrt(2)"},
    {"xy", "x*y"},
    {"(x+1)(x-1)", "(x+1)*(x+(-1))"},
    {"2\\frac{1}{2}", "2+(1/2)"},
    {"\\left(\\frac{1}{2}\\right)", "1/2"},
    {"\\displaystyle\\frac{1}{3}", "1/3"},
    {"\\infty", "inf"},
    {"-\\infty", "-inf"},
    {"\\pi", "pi"},
    {"5!", "5!"},
    {"50\\%", "50%"},
    {"30^\\circ", "30"},
    {"30^{\\circ}", "30"},
    {"\\sin x", "sin(x)"},
    {"\\sin^2 x", "sin(x)^2"},
    {"\\log_2 8", "log(8,2)"},
    {"\\ln(e)", "ln(e)"},
    {"|x-1|", "abs(x+(-1))"},
    {"\\lfloor 2.5 \\rfloor", "floor(5/2)"},
    {"\\binom{5}{2}", "binom(5,2)"},
    {"x_1", "x_1"},
    {"a_{10}", "a_10"},
    {"x = 3", "x = 3"},
    {"1 < x \\le 3", "1 < x <= 3"},
    {"x \\geq -2", "x >= -2"},
    {"x \\neq 0", "x != 0"},
    {"x \\in [1, 2]", "[1, 2]"},
    {"(1, 2)", "(1, 2)"},
    {"[1, 2)", "[1, 2)"},
    {"(-\\infty, 0] \\cup (1, \\infty)", "(-inf, 0] U (1, inf)"},
    {"\\mathbb{R}", "(-inf, inf)"},
    {"\\emptyset", "{}"},
    {"\\{1, 2, 3\\}", "{1, 2, 3}"},
    {"\\{\\}", "{}"},
    {"(1, 2, 3)", "(1, 2, 3)"},
    {"1, 2, 3", "1, 2, 3"},
    {"1 and 2", "1, 2"},
    {"\\begin{pmatrix}1 & 2\\\\ 3 & 4\\end{pmatrix}", "matrix[1, 2; 3, 4]"},
    {"\\begin{array}{cc}1 & 0\\\\0 & 1\\end{array}", "matrix[1, 0; 0, 1]"},
    {"1 \\pm \\sqrt{2}", "1+-sqrt(2)"},
    {"\\text{Monday}", "text(monday)"},
    {"Blue Whale", "text(blue whale)"},
    {"12\\text{ cm}", "12"},
    {"5 apples", "5"},
    {"\\mathrm{e}", "e"},
    {"3 \\, \\text{m}^2", "3"},
    {"\\theta", "theta"},
    {"\\frac{\\sqrt{3}}{2}", "sqrt(3)/2"},
    {"\\sqrt{x^2+1}", "sqrt((x^2)+1)"},
    {"\\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}", "((-b)+-sqrt((b^2)+(-(4*a*c))))/(2*a)"},
    {"\\max(3, 5)", "max(3,5)"},
    {"3:4", "3/4"},
    {"x**2", "x^2"},
    {"\xCF\x80/2", "pi/2"},
    {"x \xE2\x89\xA4 5", "x <= 5"},
};

class Parsing : public ::testing::TestWithParam<ParseRow> {};

TEST_P(Parsing, BuildsTheTree) {
  try {
    EXPECT_EQ(to_text(parse_answer(GetParam().input, ParseLimits{})), GetParam().tree)
        << GetParam().input;
  } catch (const ParseError& e) {
    ADD_FAILURE() << GetParam().input << ": " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, Parsing, ::testing::ValuesIn(kParseRows));

struct ErrorRow {
  const char* input;
  const char* message;  // a substring the error must contain
};

const ErrorRow kErrors[] = {
    {"", "empty"},
    {"\\frac{1}{2", "expected '}' but found 'end of answer'"},
    {"(1, 2", "expected"},
    {"1 + ", "unexpected 'end of answer'"},
    {"\\foo{1}", "unknown command \\foo"},
    {"x^y^z", "repeated '^'"},
    {"[1, 2, 3)", "two ends"},
    {"\\begin{vmatrix}1\\end{vmatrix}", "not supported"},
    {"\\begin{pmatrix}1 & 2\\\\ 3\\end{pmatrix}", "rows differ"},
    {"\\mathbb{Z}", "not supported"},
    {"2 ? 3", "unexpected character '?'"},
    {"1e99999", "exponent"},
    {"()", "empty brackets"},
    {"|x", "unclosed '|'"},
};

class ParseErrors : public ::testing::TestWithParam<ErrorRow> {};

TEST_P(ParseErrors, NamesTheProblem) {
  try {
    Expr e = parse_answer(GetParam().input, ParseLimits{});
    ADD_FAILURE() << GetParam().input << " parsed as " << to_text(e);
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos)
        << GetParam().input << ": " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ParseErrors, ::testing::ValuesIn(kErrors));

}  // namespace
}  // namespace crucible::rewards::math
