#include "critique/arithmetic_critic.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <regex>
#include <set>
#include <tuple>

#include "rewards/math/budget.hpp"
#include "rewards/math/evaluate.hpp"
#include "rewards/math/parser.hpp"
#include "rewards/math/verifier.hpp"

namespace crucible::critique {

namespace {

namespace m = rewards::math;

// ASCII for the operators people write in Unicode.
std::string ascii_operators(std::string s) {
  const std::pair<const char*, const char*> table[] = {
      {"\xC3\x97", "*"}, {"\xC3\xB7", "/"}, {"\xC2\xB7", "*"}, {"\xE2\x88\x92", "-"}};
  for (const auto& [from, to] : table)
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p))
      s.replace(p, std::strlen(from), to);
  return s;
}

std::optional<m::Rational> value_of(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ' || text.back() == ','))
    text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  if (text.empty()) return std::nullopt;
  try {
    m::Expr e = m::parse_answer(text, m::ParseLimits{});
    m::Budget budget(std::chrono::milliseconds(50), 100000);
    m::Exact v = m::exact_value(e, m::EvalLimits{}, budget);
    if (v.status != m::ExactStatus::Ok) return std::nullopt;
    return v.value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string show(const m::Rational& v) {
  return v.str();
}

bool has_operator(const std::string& side) {
  for (size_t i = 1; i < side.size(); ++i)  // a leading '-' is a sign
    if (std::strchr("+-*/^", side[i])) return true;
  return side.find("\\frac") != std::string::npos || side.find("\\cdot") != std::string::npos ||
         side.find("\\times") != std::string::npos || side.find("\\div") != std::string::npos;
}

// Maximal runs of arithmetic text: digits, operators, brackets, spaces and LaTeX commands;
// a word outside a command ends a run (words are not arithmetic). A single letter is a
// variable: the run it stands in is algebra ("8x - 4 = 3"), which is not checked.
std::vector<std::string> math_runs(const std::string& s) {
  std::vector<std::string> runs;
  std::string cur;
  bool algebra = false;
  auto flush = [&] {
    if (!algebra && cur.find('=') != std::string::npos) runs.push_back(cur);
    cur.clear();
    algebra = false;
  };
  auto is_alpha = [&](size_t i) {
    return i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (is_alpha(i) && (i == 0 || !is_alpha(i - 1)) && !is_alpha(i + 1) &&
        (i > 0 && (std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
                   std::strchr(" +-*/^(=", s[i - 1])))) {
      algebra = true;  // a lone letter among the arithmetic
      cur += ' ';
    } else if (c == '\\') {
      size_t j = i + 1;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      cur += s.substr(i, j - i);
      i = j - 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || std::strchr(" +-*/^(){}.=", c)) {
      cur += c;
    } else if (c == ',' && i + 3 < s.size() && i > 0 &&
               std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      // a thousands separator: 1,000
    } else if (c == '$') {
      cur += ' ';
    } else {
      flush();
    }
  }
  flush();
  return runs;
}

std::vector<std::string> split_on(const std::string& s, char sep) {
  std::vector<std::string> parts(1);
  for (char c : s)
    if (c == sep)
      parts.emplace_back();
    else
      parts.back() += c;
  return parts;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == ',')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && s[b] == ' ') ++b;
  return s.substr(b);
}

// "4.20" and "4.2" are one number.
std::string normalised(std::string n) {
  if (n.find('.') == std::string::npos) return n;
  while (!n.empty() && n.back() == '0') n.pop_back();
  if (!n.empty() && n.back() == '.') n.pop_back();
  return n;
}

// Numbers written in a text (digits with an optional decimal part).
std::vector<std::string> numbers_in(const std::string& s) {
  static const std::regex number(R"((\d+(?:,\d{3})*(?:\.\d+)?))");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), number); it != std::sregex_iterator();
       ++it) {
    std::string n = (*it)[1];
    n.erase(std::remove(n.begin(), n.end(), ','), n.end());
    out.push_back(normalised(n));
  }
  return out;
}

// Numbers a solution may use without having written them: unit constants (12 a dozen, 60
// minutes, 7 days, 100 percent, 1000 grams, ...) and the numbers a problem spells in words.
void add_implicit_numbers(const std::string& problem, std::set<std::string>& seen) {
  for (const char* n :
       {"2",   "3",    "4",    "10",   "12", "24", "30",   "31",  "52",  "60", "100",
        "365", "1000", "3600", "1440", "16", "36", "5280", "360", "180", "90"})
    seen.insert(n);
  static const std::pair<const char*, const char*> kWords[] = {
      {"dozen", "12"},      {"score", "20"},    {"gross", "144"},  {"hundred", "100"},
      {"thousand", "1000"}, {"eleven", "11"},   {"twelve", "12"},  {"thirteen", "13"},
      {"fourteen", "14"},   {"fifteen", "15"},  {"sixteen", "16"}, {"seventeen", "17"},
      {"eighteen", "18"},   {"nineteen", "19"}, {"twenty", "20"},  {"thirty", "30"},
      {"forty", "40"},      {"fifty", "50"},    {"sixty", "60"},   {"seventy", "70"},
      {"eighty", "80"},     {"ninety", "90"},   {"quarter", "25"}, {"half", "50"}};
  std::string lower = problem;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [word, value] : kWords)
    if (lower.find(word) != std::string::npos) seen.insert(value);
}

// A miscopy of `known`: same length, one digit changed or two neighbours swapped. Only
// multi-digit numbers: a single digit differs from almost every other by one edit.
bool miscopy_of(const std::string& n, const std::string& known) {
  if (n.size() != known.size() || n.size() < 2 || n == known) return false;
  std::vector<size_t> diff;
  for (size_t i = 0; i < n.size(); ++i)
    if (n[i] != known[i]) diff.push_back(i);
  if (diff.size() == 1) return true;
  return diff.size() == 2 && diff[1] == diff[0] + 1 && n[diff[0]] == known[diff[1]] &&
         n[diff[1]] == known[diff[0]];
}

// Numbers stated as results: those right of an '=' (in prose, LaTeX or annotations).
std::vector<std::string> results_in(const std::string& text) {
  std::vector<std::string> out;
  for (size_t eq = text.find('='); eq != std::string::npos; eq = text.find('=', eq + 1)) {
    size_t end = eq + 1;
    while (end < text.size() && std::strchr(" $<>", text[end])) ++end;
    while (end < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == ','))
      ++end;
    for (const auto& n : numbers_in(text.substr(eq + 1, end - eq - 1))) out.push_back(n);
  }
  return out;
}

// Decimal places written in a stated value ("14.99" -> 2), or -1 when it is not a decimal.
int decimals_written(const std::string& side) {
  size_t dot = side.find('.');
  if (dot == std::string::npos || side.find_first_not_of("0123456789.,- ") != std::string::npos)
    return -1;
  size_t n = 0;
  while (dot + 1 + n < side.size() && std::isdigit(static_cast<unsigned char>(side[dot + 1 + n])))
    ++n;
  return static_cast<int>(n);
}

bool whole_number(const std::string& side) {
  return !side.empty() && side.find_first_not_of("0123456789, ") == std::string::npos;
}

// A stated value that equals the computed one as people write numbers: within
// floating-point noise (a calculator's 14.999999999999998 for 15), rounded to the decimals
// the text shows (10/3 = 3.33), or a quotient rounded to a whole count ("11 / 5 = 2"
// trays: reasoning about the answer, not arithmetic).
bool agrees_as_written(const std::string& computed_text, const m::Rational& computed,
                       const std::string& stated_text, const m::Rational& stated) {
  double a = computed.convert_to<double>(), b = stated.convert_to<double>();
  if (std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)})) return true;
  for (const auto& [text, value, other] :
       {std::tuple{stated_text, b, a}, std::tuple{computed_text, a, b}}) {
    int places = decimals_written(text);
    if (places >= 0) {
      double scale = std::pow(10.0, places);
      if (std::abs(std::round(other * scale) / scale - value) <= 0.5e-9 * std::max(1.0, value))
        return true;
    }
  }
  bool quotient = computed_text.find('/') != std::string::npos ||
                  computed_text.find("\\div") != std::string::npos ||
                  computed_text.find("\\frac") != std::string::npos;
  if (quotient && whole_number(stated_text) && std::floor(a) != a)
    return b == std::floor(a) || b == std::ceil(a);
  return false;
}

// Checks one equation chain; empty when it holds or cannot be checked.
std::string check_chain(const std::string& chain) {
  std::vector<std::string> sides = split_on(chain, '=');
  std::vector<std::pair<std::string, m::Rational>> known;
  for (auto& side : sides) {
    side = trim(side);
    if (side.empty()) continue;
    if (auto v = value_of(side)) known.push_back({side, *v});
  }
  if (known.size() < 2) return "";
  for (size_t i = 1; i < known.size(); ++i)
    if (known[i].second != known[0].second) {
      const auto& computed = has_operator(known[i - 1].first) ? known[i - 1] : known[0];
      const auto& stated = known[i].first == computed.first ? known[0] : known[i];
      if (agrees_as_written(computed.first, computed.second, stated.first, stated.second)) continue;
      return "`" + computed.first + "` is " + show(computed.second) + ", not " +
             show(stated.second);
    }
  return "";
}

// The solution as the answer extractor should read it: GSM8K's calculator annotations
// removed, and with them '$' as a currency sign (GSM8K writes "=$<<18*7=126>>126"), which
// would otherwise pair up as LaTeX delimiters across lines.
std::string without_annotations(const std::string& solution) {
  static const std::regex annotation(R"(<<[^<>]*>>)");
  std::string plain = std::regex_replace(solution, annotation, "");
  if (plain.size() == solution.size()) return solution;
  plain.erase(std::remove(plain.begin(), plain.end(), '$'), plain.end());
  return plain;
}

}  // namespace

Critique critique_arithmetic(const std::string& solution, const ArithmeticContext& ctx) {
  Critique c;
  c.critic = "arithmetic";
  static const std::regex annotation(R"(<<([^<>=]*)=([^<>]*)>>)");
  std::set<std::string> seen;        // numbers of the problem and of the solution so far
  std::vector<std::string> results;  // numbers stated as results (right of '=') so far
  for (const auto& n : numbers_in(ctx.problem)) seen.insert(n);
  if (!ctx.problem.empty()) add_implicit_numbers(ctx.problem, seen);
  for (const Span& span : split_steps(solution)) {
    StepVerdict v;
    v.index = c.steps.size();
    v.begin = span.begin;
    v.end = span.end;
    v.text = solution.substr(span.begin, span.end - span.begin);
    std::string text = ascii_operators(v.text);
    std::vector<std::string> problems;
    // GSM8K annotations first, then removed so the prose is read on its own.
    std::string prose;
    size_t last = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), annotation);
         it != std::sregex_iterator(); ++it) {
      std::string issue = check_chain((*it)[1].str() + "=" + (*it)[2].str());
      if (!issue.empty()) problems.push_back(issue);
      prose += text.substr(last, static_cast<size_t>(it->position()) - last) + " ";
      last = static_cast<size_t>(it->position() + it->length());
    }
    prose += text.substr(last);
    // Remarks in brackets ("1 (carry)", "= 4 (borrowed 1 from the next column)") are
    // words, not arithmetic: without them the claim around them can be read.
    static const std::regex remark(R"(\([^()]*[A-Za-z]{2}[^()]*\))");
    prose = std::regex_replace(prose, remark, " ");
    std::vector<std::string> chains = math_runs(prose);
    for (const auto& chain : chains) {
      std::string issue = check_chain(chain);
      if (!issue.empty()) problems.push_back(issue);
      auto sides = split_on(chain, '=');
      // A copied-wrong number: an operand written nowhere before that is one digit away from
      // an earlier result. Unexplained operands in general are not flagged: worked
      // solutions derive numbers silently (a borrow column's "13 - 9" uses 3 + 10).
      std::string lhs = sides.front();
      if (!has_operator(trim(lhs))) continue;
      // Also flagged though written before: a miscopy of the latest result when that
      // result goes unused in the step (the chain carried the wrong number on).
      std::vector<std::string> operands = numbers_in(lhs);
      bool latest_used = !results.empty() && std::find(operands.begin(), operands.end(),
                                                       results.back()) != operands.end();
      for (const auto& n : operands) {
        std::string why;
        if (!seen.count(n)) {
          // Strong evidence only: a miscopy of one of the two latest results, which the step
          // does not use itself.
          auto recent_end = results.size() > 2 ? results.rbegin() + 2 : results.rend();
          auto source = std::find_if(results.rbegin(), recent_end,
                                     [&](const std::string& r) { return miscopy_of(n, r); });
          bool source_used = source != recent_end &&
                             std::find(operands.begin(), operands.end(), *source) != operands.end();
          if (source != recent_end && !source_used)
            why = "uses " + n + " where the earlier result was " + *source + " (" + n +
                  " appears nowhere before)";
        } else if (!results.empty() && !latest_used && miscopy_of(n, results.back())) {
          why = "uses " + n + " where the previous result was " + results.back();
        }
        if (why.empty()) continue;
        problems.push_back(why);
        break;
      }
    }
    for (const auto& n : numbers_in(v.text)) seen.insert(n);
    for (const auto& n : results_in(text)) results.push_back(n);
    if (!problems.empty()) {
      v.ok = false;
      v.feedback = problems.front();
      for (size_t i = 1; i < problems.size(); ++i) v.feedback += "; " + problems[i];
      if (!c.first_wrong) c.first_wrong = v.index;
    }
    c.steps.push_back(std::move(v));
  }
  if (ctx.reference) {
    m::Verification verdict =
        m::verify(*ctx.reference, without_annotations(solution), m::VerifyOptions{});
    c.final_correct = verdict.correct;
    if (!verdict.correct) {
      c.final_feedback = verdict.pred_answer.empty() ? "no final answer found"
                                                     : "the final answer " + verdict.pred_answer +
                                                           " does not equal the reference";
      // With every step right, the wrong step is the one that states the answer.
      if (!c.first_wrong && !c.steps.empty()) {
        size_t k = c.steps.size() - 1;
        for (size_t i = c.steps.size(); i-- > 0;)
          if (!verdict.pred_answer.empty() &&
              c.steps[i].text.find(verdict.pred_answer) != std::string::npos) {
            k = i;
            break;
          }
        c.steps[k].ok = false;
        c.steps[k].feedback = c.final_feedback;
        c.first_wrong = k;
      }
    }
  }
  return c;
}

Critique ArithmeticCritic::critique(const tasks::Task& task, const std::string& completion) {
  ArithmeticContext context{task.prompt, std::nullopt};
  if (use_reference_ && !task.answer.empty()) context.reference = task.answer;
  std::string answer = answer_part(completion);
  Critique c = critique_arithmetic(answer, context);
  size_t offset = completion.size() - answer.size();  // spans in the whole completion
  for (auto& s : c.steps) s.begin += offset, s.end += offset;
  return c;
}

}  // namespace crucible::critique
