// Generators: the same seed gives the same tasks, and every generated task is solvable,
// checked by means independent of the generator (1,000+ tasks per family).
#include "tasks/generators.hpp"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <regex>
#include <sstream>

#include "base/error.hpp"
#include "rewards/math/verifier.hpp"
#include "sandbox/judge/judge.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::tasks {
namespace {

using nlohmann::json;

// Exact rationals for checking answers (num/den in lowest terms, den > 0).
struct Q {
  __int128 n = 0, d = 1;
  static __int128 gcd(__int128 a, __int128 b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b) std::tie(a, b) = std::make_pair(b, a % b);
    return a ? a : 1;
  }
  Q norm() const {
    __int128 g = gcd(n, d), s = d < 0 ? -1 : 1;
    return {s * n / g, s * d / g};
  }
  Q operator+(Q o) const { return Q{n * o.d + o.n * d, d * o.d}.norm(); }
  Q operator-(Q o) const { return Q{n * o.d - o.n * d, d * o.d}.norm(); }
  Q operator*(Q o) const { return Q{n * o.n, d * o.d}.norm(); }
  Q operator/(Q o) const { return Q{n * o.d, d * o.n}.norm(); }
  bool operator==(Q o) const { return n == o.n && d == o.d; }
};

Q parse_fraction(const std::string& s) {
  auto slash = s.find('/');
  if (slash == std::string::npos) return Q{std::stoll(s), 1}.norm();
  return Q{std::stoll(s.substr(0, slash)), std::stoll(s.substr(slash + 1))}.norm();
}

std::string latex(Q q) {
  auto str = [](__int128 v) { return std::to_string(static_cast<long long>(v)); };
  if (q.d == 1) return str(q.n);
  return (q.n < 0 ? "-\\frac{" + str(-q.n) : "\\frac{" + str(q.n)) + "}{" + str(q.d) + "}";
}

// The project's own verifier agrees with the independent check: the task's answer equals
// the independently computed value (written as a policy would, in LaTeX), differs from a
// wrong one, and the reference rationale ends in the answer.
void expect_verifier_agrees(const Task& t, Q independent, bool rationale_ends_in_answer = true) {
  rewards::math::VerifyOptions o;
  auto right = rewards::math::verify(t.answer, "so \\boxed{" + latex(independent) + "}", o);
  EXPECT_TRUE(right.correct) << t.answer << " vs " << latex(independent) << ": " << right.reason;
  auto wrong = rewards::math::verify(t.answer, "\\boxed{" + latex(independent + Q{1, 1}) + "}", o);
  EXPECT_FALSE(wrong.correct) << t.answer;
  if (rationale_ends_in_answer) {
    auto rationale = rewards::math::verify(t.answer, t.solution, o);
    EXPECT_TRUE(rationale.correct) << t.solution << " -> " << rationale.pred_answer;
  }
}

// A small recursive-descent evaluator for countdown expressions; records numbers used.
struct Eval {
  const std::string& s;
  size_t i = 0;
  std::vector<int64_t> used;
  void skip() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  Q primary() {
    skip();
    if (s[i] == '(') {
      ++i;
      Q v = sum();
      skip();
      EXPECT_EQ(s[i], ')');
      ++i;
      return v;
    }
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    int64_t n = std::stoll(s.substr(start, i - start));
    used.push_back(n);
    return Q{n, 1};
  }
  Q product() {
    Q v = primary();
    for (skip(); i < s.size() && (s[i] == '*' || s[i] == '/'); skip()) {
      char op = s[i++];
      Q r = primary();
      v = op == '*' ? v * r : v / r;
    }
    return v;
  }
  Q sum() {
    Q v = product();
    for (skip(); i < s.size() && (s[i] == '+' || s[i] == '-'); skip()) {
      char op = s[i++];
      Q r = product();
      v = op == '+' ? v + r : v - r;
    }
    return v;
  }
};

TEST(Generators, SameSeedSameTasksOtherSeedOtherTasks) {
  for (const auto& family : generator_families()) {
    GeneratorOptions o{family, 50, 3, 11};
    json a = generate(o), b = generate(o);
    EXPECT_EQ(a, b) << family;
    o.seed = 12;
    EXPECT_NE(a, json(generate(o))) << family;
  }
}

TEST(Generators, BadOptionsAreNamed) {
  EXPECT_THROW(generate({"poetry", 1, 1, 0}), InvalidRequest);
  EXPECT_THROW(generate({"linear", 1, 0, 0}), InvalidRequest);
  EXPECT_THROW(generate({"linear", 1, 6, 0}), InvalidRequest);
}

TEST(Generators, ArithmeticAnswersMatchThePromptAcrossDifficulties) {
  static const std::regex question(R"re(What is (\d+) ([-+*]) (\d+)\?)re");
  size_t checked = 0;
  for (int d = 1; d <= 5; ++d)
    for (bool reversed : {false, true}) {
      for (const auto& t : generate({"arithmetic", 120, d, 5, reversed})) {
        std::smatch m;
        ASSERT_TRUE(std::regex_search(t.prompt, m, question)) << t.prompt;
        __int128 a = std::stoll(m[1]), b = std::stoll(m[3]);
        __int128 r = m[2] == "+" ? a + b : m[2] == "-" ? a - b : a * b;
        std::string want = std::to_string(static_cast<long long>(r));
        if (reversed) std::reverse(want.begin(), want.end());
        EXPECT_EQ(t.answer, want) << t.prompt;
        EXPECT_EQ(std::to_string(m[1].str().size()), std::to_string(d + 1))
            << "digits follow difficulty";
        EXPECT_NE(t.solution.find("= " + std::to_string(static_cast<long long>(r))),
                  std::string::npos);
        if (!reversed) expect_verifier_agrees(t, Q{r, 1});
        ++checked;
      }
    }
  EXPECT_GE(checked, 1000u);
}

TEST(Generators, ProductAnswersAndProgramsMatchThePrompt) {
  static const std::regex question(R"re(^What is (\d+) \* (\d+)\?$)re");
  size_t checked = 0;
  for (int d = 1; d <= 5; ++d)
    for (const auto& t : generate({"product", 250, d, 9})) {
      std::smatch m;
      ASSERT_TRUE(std::regex_search(t.prompt, m, question)) << t.prompt;
      EXPECT_EQ(m[1].str().size(), static_cast<size_t>(d + 2)) << "digits follow difficulty";
      EXPECT_EQ(m[2].str().size(), static_cast<size_t>(d + 2));
      __int128 r = static_cast<__int128>(std::stoll(m[1])) * std::stoll(m[2]);
      EXPECT_EQ(t.answer, std::to_string(static_cast<long long>(r))) << t.prompt;
      EXPECT_EQ(t.metadata["program"], "print(" + m[1].str() + " * " + m[2].str() + ")");
      expect_verifier_agrees(t, Q{r, 1});
      ++checked;
    }
  EXPECT_GE(checked, 1000u);
}

TEST(Generators, CountdownReferenceSolutionsReachTheTarget) {
  size_t checked = 0;
  for (int d = 1; d <= 5; ++d)
    for (const auto& t : generate({"countdown", 220, d, 9})) {
      std::string expr = t.metadata["expression"];
      Eval e{expr, 0, {}};
      Q v = e.sum();
      EXPECT_TRUE(v == (Q{std::stoll(t.answer), 1})) << expr << " vs " << t.answer;
      expect_verifier_agrees(t, v);
      std::multiset<int64_t> allowed;
      for (const auto& n : t.metadata["numbers"]) allowed.insert(n.get<int64_t>());
      for (int64_t n : e.used) {
        auto it = allowed.find(n);
        ASSERT_NE(it, allowed.end()) << n << " used too often in " << expr;
        allowed.erase(it);
      }
      ++checked;
    }
  EXPECT_GE(checked, 1000u);
}

TEST(Generators, LinearAnswersSatisfyTheEquation) {
  size_t checked = 0, fractional = 0;
  for (int d = 1; d <= 5; ++d)
    for (const auto& t : generate({"linear", 220, d, 3})) {
      auto c = t.metadata["coefficients"];
      Q x = parse_fraction(t.answer);
      Q lhs = Q{c[0].get<int64_t>(), 1} * x + Q{c[1].get<int64_t>(), 1};
      Q rhs = Q{c[2].get<int64_t>(), 1} * x + Q{c[3].get<int64_t>(), 1};
      EXPECT_TRUE(lhs == rhs) << t.prompt << " x=" << t.answer;
      // The answer solves the equation, checked again by substitution through the verifier.
      expect_verifier_agrees(t, (Q{c[3].get<int64_t>(), 1} - Q{c[1].get<int64_t>(), 1}) /
                                    (Q{c[0].get<int64_t>(), 1} - Q{c[2].get<int64_t>(), 1}));
      if (d <= 2) {
        EXPECT_EQ(t.answer.find('/'), std::string::npos) << "easy levels have integer answers";
      }
      fractional += t.answer.find('/') != std::string::npos;
      ++checked;
    }
  EXPECT_GE(checked, 1000u);
  EXPECT_GT(fractional, 0u) << "harder levels include fractional answers";
}

TEST(Generators, WordProblemAnswersFollowFromTheirParameters) {
  std::map<std::string, int> seen;
  size_t checked = 0;
  for (int d = 1; d <= 5; ++d)
    for (const auto& t : generate({"word", 220, d, 4})) {
      auto p = t.metadata["params"];
      std::string kind = t.metadata["template"];
      auto n = [&](size_t i) { return p[i].get<int64_t>(); };
      Q want = kind == "bakery"  ? Q{n(0) * n(1) - n(2), 1}
               : kind == "pizza" ? Q{n(0), n(1)}.norm()
               : kind == "speed" ? Q{n(0), n(1)}.norm()
                                 : Q{n(0) * (100 + n(1)), 100}.norm();
      EXPECT_TRUE(parse_fraction(t.answer) == want) << t.prompt << " -> " << t.answer;
      expect_verifier_agrees(t, want);
      for (size_t i = 0; i < p.size(); ++i)
        EXPECT_NE(t.prompt.find(std::to_string(n(i))), std::string::npos)
            << "the prompt states every parameter";
      ++seen[kind];
      ++checked;
    }
  EXPECT_GE(checked, 1000u);
  EXPECT_EQ(seen.size(), 4u);
}

std::vector<Task> completed_code_tasks(size_t n, int difficulty, uint64_t seed) {
  auto& sb = testing::shared_sandbox();
  auto ts = generate({"code", n, difficulty, seed});
  // Every reference run must be Accepted: reference_outputs throws otherwise.
  EXPECT_NO_THROW(complete_code_tests(ts, [&](const std::string& lang, const std::string& src,
                                              const std::vector<std::string>& inputs) {
    return sb.reference_outputs(lang, src, inputs);
  }));
  return ts;
}

// Generated code tasks are solvable by construction: the judge accepts each reference.
void expect_reference_solutions_accepted(const std::vector<Task>& ts) {
  sandbox::judge::Judge judge(testing::shared_sandbox());
  std::map<std::string, int> templates;
  for (const auto& t : ts) {
    json submission = t.tests;
    submission["language"] = t.language;
    submission["source"] = t.solution;
    auto r = judge.run(sandbox::judge::Submission::from_json(submission));
    EXPECT_EQ(r.verdict, sandbox::Verdict::Accepted) << t.id << ": " << r.message;
    ++templates[t.metadata["template"]];
  }
  EXPECT_GE(templates.size(), 5u) << "every template appears";
}

TEST(Generators, ExpressionTasksExpectWhatTheSandboxPrintsForTheExpression) {
  auto& sb = testing::shared_sandbox();
  for (int d = 1; d <= 3; ++d) {
    auto ts = generate({"expression", 8, d, 4});
    complete_code_tests(ts, [&](const std::string& lang, const std::string& src,
                                const std::vector<std::string>& inputs) {
      return sb.reference_outputs(lang, src, inputs);
    });
    for (const auto& t : ts) {
      // The value computed here, independently: operands and signs from the expression.
      std::istringstream in(t.metadata["expression"].get<std::string>());
      long value = 0, operand = 0, operands = 0;
      std::string sign = "+";
      while (in >> operand) {
        value += sign == "+" ? operand : -operand;
        ++operands;
        in >> sign;
      }
      EXPECT_EQ(operands, d + 1) << t.prompt;
      EXPECT_NE(t.prompt.find(t.metadata["expression"].get<std::string>()), std::string::npos);
      std::string out = t.tests["tests"][0]["output"];
      EXPECT_EQ(std::stol(out), value) << t.prompt;
    }
  }
}

TEST(Generators, CodeTasksAreSolvableByConstruction) {
  expect_reference_solutions_accepted(completed_code_tasks(60, 3, 21));
}

}  // namespace
}  // namespace crucible::tasks
