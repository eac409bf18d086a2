// The arithmetic-step critic on worked solutions generated here, correct and with one
// injected error each (a wrong result, a wrongly copied number, a wrong final answer), in
// prose, in LaTeX and in GSM8K's <<a*b=c>> annotations: the first wrong step must be found
// in at least 95% of the wrong ones, and no correct one may be flagged.
#include "critique/arithmetic_critic.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "base/rng.hpp"
#include "tasks/generators.hpp"
#include "tasks/loaders.hpp"

namespace crucible::critique {
namespace {

enum class Error { None, WrongResult, CopiedWrong, WrongFinal };
enum class Style { Prose, Latex, Gsm8k };

struct Worked {
  std::string problem, solution, answer;
  std::optional<size_t> wrong_step;  // the injected error's step (0-based)
};

// A chain of 3-5 operations on a running value, one step per line, then the answer line.
Worked make_solution(Rng& rng, Error error, Style style) {
  Worked w;
  int64_t value = rng.uniform(5, 60);
  w.problem = "A shop starts the day with " + std::to_string(value) + " boxes.";
  size_t steps = static_cast<size_t>(rng.uniform(3, 5));
  size_t bad = static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(steps) - 1));
  if (error == Error::CopiedWrong && bad == 0) bad = 1;  // needs an earlier result to copy
  std::vector<std::string> lines;
  for (size_t k = 0; k < steps; ++k) {
    int op = static_cast<int>(rng.uniform(0, 2));
    if (op == 1 && value <= 14) op = 0;  // never sell more boxes than there are
    int64_t x = op == 2 ? rng.uniform(2, 4) : rng.uniform(13, op == 1 ? value - 1 : 40);
    const char* verb = op == 0   ? " more arrive"
                       : op == 1 ? " are sold"
                                 : " times as many are packed";
    w.problem += " Then " + std::to_string(x) + verb + ".";
    int64_t operand = value;
    if (error == Error::CopiedWrong && k == bad)  // a typo in the units digit
      operand = value % 10 < 7 ? value + 2 : value - 2;
    int64_t result = op == 0 ? operand + x : op == 1 ? operand - x : operand * x;
    if (error == Error::WrongResult && k == bad) result += 1;
    std::string a = std::to_string(operand), b = std::to_string(x), r = std::to_string(result);
    std::string sym = op == 0 ? "+" : op == 1 ? "-" : "*";
    if (style == Style::Prose)
      lines.push_back("Now there are " + a + " " + sym + " " + b + " = " + r + " boxes.");
    else if (style == Style::Latex)
      lines.push_back("Now there are $" + a + (op == 2 ? " \\times " : " " + sym + " ") + b +
                      " = " + r + "$ boxes.");
    else
      lines.push_back("Now there are " + a + sym + b + " = <<" + a + sym + b + "=" + r + ">>" + r +
                      " boxes.");
    value = result;
  }
  w.answer = std::to_string(value);
  if (error == Error::WrongResult || error == Error::CopiedWrong) {
    // The reference follows the problem, not the mistaken chain.
    w.wrong_step = bad;
    w.answer = "";
  }
  std::string stated = std::to_string(value);
  if (error == Error::WrongFinal) {
    stated = std::to_string(value + 7);
    w.wrong_step = steps;
  }
  lines.push_back("The answer is " + stated + ".");
  for (const auto& l : lines) w.solution += l + "\n";
  return w;
}

struct Score {
  size_t wrong = 0, located = 0, correct = 0, false_alarms = 0;
  size_t located_by_error[4] = {0, 0, 0, 0};
};

TEST(ArithmeticCritic, FindsTheFirstWrongStepAndNeverFlagsCorrectSolutions) {
  Rng rng(11, "critic-corpus");
  Score total;
  std::string misses;
  for (Style style : {Style::Prose, Style::Latex, Style::Gsm8k})
    for (Error error : {Error::None, Error::WrongResult, Error::CopiedWrong, Error::WrongFinal})
      for (int i = 0; i < 100; ++i) {
        Worked w = make_solution(rng, error, style);
        ArithmeticContext ctx{w.problem, std::nullopt};
        if (!w.answer.empty()) ctx.reference = w.answer;
        Critique c = critique_arithmetic(w.solution, ctx);
        if (error == Error::None) {
          ++total.correct;
          if (c.first_wrong) {
            ++total.false_alarms;
            ADD_FAILURE() << "false alarm at step " << *c.first_wrong << ":\n"
                          << w.solution << c.steps[*c.first_wrong].feedback;
          }
          EXPECT_EQ(c.final_correct, std::optional<bool>(true));
        } else {
          ++total.wrong;
          if (c.first_wrong == w.wrong_step) {
            ++total.located;
            ++total.located_by_error[static_cast<int>(error)];
          } else if (total.wrong - total.located <= 3)  // shown if the rate falls short
            misses += "expected step " + std::to_string(*w.wrong_step) + ", got " +
                      (c.first_wrong ? std::to_string(*c.first_wrong) : "none") + ":\n" +
                      w.solution;
        }
      }
  EXPECT_EQ(total.false_alarms, 0u);
  EXPECT_GE(static_cast<double>(total.located), 0.95 * static_cast<double>(total.wrong))
      << total.located << " of " << total.wrong << " located; some misses:\n"
      << misses;
  std::printf(
      "first wrong step located in %zu of %zu (wrong result %zu/300, copied wrong number "
      "%zu/300, wrong final answer %zu/300); false alarms %zu of %zu\n",
      total.located, total.wrong, total.located_by_error[1], total.located_by_error[2],
      total.located_by_error[3], total.false_alarms, total.correct);
}

TEST(ArithmeticCritic, TheGeneratorsReferenceRationalesAreNotFlagged) {
  size_t checked = 0;
  for (const char* family : {"arithmetic", "word", "linear", "countdown"})
    for (int d = 1; d <= 3; ++d)
      for (const auto& t : tasks::generate({family, 40, d, 5})) {
        Critique c = critique_arithmetic(t.solution, {t.prompt, t.answer});
        EXPECT_FALSE(c.first_wrong.has_value()) << t.prompt << "\n"
                                                << t.solution << "\n"
                                                << c.steps[c.first_wrong.value_or(0)].feedback;
        ++checked;
      }
  EXPECT_EQ(checked, 480u);
}

std::vector<tasks::Task> gsm8k_style_fixture() {
  std::ifstream in(std::string(CRUCIBLE_SOURCE_DIR) + "/tests/fixtures/critique/gsm8k_style.jsonl");
  std::vector<tasks::Task> out;
  std::string line;
  while (std::getline(in, line))
    out.push_back(tasks::load_record("gsm8k", nlohmann::json::parse(line), out.size() + 1));
  return out;
}

// Hand-written GSM8K-style solutions: each is right as written; each annotation's result
// made one too large (in the annotation and in the number shown after it) must be found as
// that line's error, with no earlier line flagged.
TEST(ArithmeticCritic, LocatesEveryCorruptedAnnotationInGsm8kStyleSolutions) {
  auto tasks = gsm8k_style_fixture();
  ASSERT_EQ(tasks.size(), 12u);
  static const std::regex annotation(R"(<<([^<>=]*)=([^<>]*)>>([0-9.]+))");
  size_t corrupted = 0;
  for (const auto& t : tasks) {
    Critique clean = critique_arithmetic(t.solution, {t.prompt, t.answer});
    EXPECT_FALSE(clean.first_wrong.has_value()) << t.solution;
    EXPECT_EQ(clean.final_correct, std::optional<bool>(true)) << t.solution;
    for (auto it = std::sregex_iterator(t.solution.begin(), t.solution.end(), annotation);
         it != std::sregex_iterator(); ++it) {
      std::string wrong = std::to_string(std::stoll((*it)[2].str()) + 1);
      std::string bad = t.solution.substr(0, static_cast<size_t>(it->position())) + "<<" +
                        (*it)[1].str() + "=" + wrong + ">>" + wrong +
                        t.solution.substr(static_cast<size_t>(it->position() + it->length()));
      size_t line = static_cast<size_t>(
          std::count(t.solution.begin(), t.solution.begin() + it->position(), '\n'));
      Critique c = critique_arithmetic(bad, {t.prompt, t.answer});
      EXPECT_EQ(c.first_wrong, std::optional<size_t>(line)) << bad;
      ++corrupted;
    }
  }
  EXPECT_EQ(corrupted, 26u);
}

TEST(ArithmeticCritic, ChecksLatexFractionsAndNamesTheMistake) {
  Critique c = critique_arithmetic(
      "First, \\frac{3}{4} \\cdot 8 = 6.\nThen 16 - 3 - 4 = 8.\nSo she earns 9 * 2 = 18.",
      {"", std::nullopt});
  ASSERT_EQ(c.steps.size(), 3u);
  EXPECT_TRUE(c.steps[0].ok);
  EXPECT_FALSE(c.steps[1].ok);
  EXPECT_NE(c.steps[1].feedback.find("is 9, not 8"), std::string::npos) << c.steps[1].feedback;
  EXPECT_TRUE(c.steps[2].ok);
  EXPECT_EQ(c.first_wrong, std::optional<size_t>(1));
  EXPECT_FALSE(c.final_correct.has_value()) << "no reference: the final answer is not judged";
  std::string text = c.render();
  EXPECT_NE(text.find("Correctness of the step: Wrong"), std::string::npos);
  EXPECT_NE(text.find("Final answer: not judged"), std::string::npos);
}

TEST(ArithmeticCritic, ProseWithoutArithmeticAndUncheckableClaimsAreNotFlagged) {
  Critique c = critique_arithmetic(
      "Let x be the number of apples.\nThen x = 5 and y = x + 2.\nThe answer is 7.",
      {"", std::string("7")});
  EXPECT_FALSE(c.first_wrong.has_value());
  EXPECT_EQ(c.final_correct, std::optional<bool>(true));
  Critique empty = critique_arithmetic("", {"", std::string("3")});
  EXPECT_TRUE(empty.steps.empty());
  EXPECT_EQ(empty.final_correct, std::optional<bool>(false));
}

}  // namespace
}  // namespace crucible::critique

namespace crucible::critique {
namespace {

// Real-style GSM8K solutions (tests/fixtures/critique/real_style.jsonl, built by
// make_real_style.py): calculator float noise, numbers from the question and from units,
// quotients rounded to counts. Clean ones must not be flagged (at most 1%); each injected
// error must be located at its line (at least 95%).
TEST(ArithmeticCritic, RealStyleGsm8kSolutions) {
  std::ifstream in(std::string(CRUCIBLE_SOURCE_DIR) + "/tests/fixtures/critique/real_style.jsonl");
  ASSERT_TRUE(in);
  size_t clean = 0, flagged = 0, wrong = 0, located = 0;
  for (std::string line; std::getline(in, line);) {
    auto row = nlohmann::json::parse(line);
    std::string solution = row["solution"];
    Critique c = critique_arithmetic(solution, {row["question"], std::nullopt});
    if (row["error_line"].is_null()) {
      ++clean;
      if (c.first_wrong) {
        ++flagged;
        ADD_FAILURE() << row["id"] << " clean but step " << *c.first_wrong
                      << " flagged: " << c.steps[*c.first_wrong].feedback << "\n"
                      << solution;
      }
    } else {
      ++wrong;
      if (c.first_wrong == std::optional<size_t>(row["error_line"].get<size_t>()))
        ++located;
      else
        ADD_FAILURE() << row["id"] << " error at line " << row["error_line"] << " located at "
                      << (c.first_wrong ? std::to_string(*c.first_wrong) : "none") << "\n"
                      << solution;
    }
  }
  std::printf("real-style: %zu of %zu errors located, %zu of %zu clean flagged\n", located, wrong,
              flagged, clean);
  ASSERT_GE(clean + wrong, 300u);
  EXPECT_LE(flagged * 100, clean);
  EXPECT_GE(located * 100, wrong * 95);
}

}  // namespace
}  // namespace crucible::critique
