// Math verifier throughput and latency on 10,000 realistic (gold, prediction) pairs from
// the project's own corpus: generated tasks (arithmetic, linear, word problems) answered
// in the ways models answer (boxed, "the answer is", GSM8K marks, decimals for fractions,
// assignments, wrong values), mixed with LaTeX-heavy pairs (radicals, pi, intervals,
// sets, matrices, expressions in x). Baseline in the same run: extracting the answer and
// comparing strings, which is what a verifier without parsing does.
//
//   build/bin/verify_bench [--pairs 10000] [--threads 2]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "base/rng.hpp"
#include "bench/bench_flags.hpp"
#include "rewards/math/extract.hpp"
#include "rewards/math/verifier.hpp"
#include "tasks/generators.hpp"

namespace {

using namespace crucible;
using Clock = std::chrono::steady_clock;
namespace math = rewards::math;

struct Pair {
  std::string gold, pred;
  bool expected = true;  // how the pair was built: a right or a wrong answer
};

// "33/2" -> "16.5" when the fraction has a short decimal form.
std::string decimal_form(const std::string& answer) {
  size_t slash = answer.find('/');
  if (slash == std::string::npos) return answer;
  double v = std::stod(answer.substr(0, slash)) / std::stod(answer.substr(slash + 1));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string latex_form(const std::string& answer) {
  size_t slash = answer.find('/');
  if (slash == std::string::npos) return answer;
  std::string num = answer.substr(0, slash), den = answer.substr(slash + 1);
  bool negative = num[0] == '-';
  std::string out = negative ? "-\\frac{" : "\\frac{";
  out.append(num.substr(negative)).append("}{").append(den).append("}");
  return out;
}

std::string off_by_one(const std::string& answer) {
  size_t slash = answer.find('/');
  if (slash == std::string::npos) return std::to_string(std::stoll(answer) + 1);
  return std::to_string(std::stoll(answer.substr(0, slash)) + 1) + answer.substr(slash);
}

const std::vector<Pair>& latex_pairs() {
  static const std::vector<Pair> pairs = {
      {"\\frac{\\sqrt{3}}{2}", "The height is $\\boxed{\\dfrac{\\sqrt3}{2}}$."},
      {"2\\sqrt{5}", "so $d = \\sqrt{20}$, i.e. \\boxed{\\sqrt{20}}"},
      {"\\frac{\\pi}{4}", "The angle is \\boxed{45^\\circ}", false},
      {"\\frac{\\pi}{4}", "The angle is \\boxed{\\frac{\\pi}{4}}"},
      {"(-\\infty, -2) \\cup (3, \\infty)", "\\boxed{(3,\\infty)\\cup(-\\infty,-2)}"},
      {"[1, 4)", "Therefore $x \\in \\boxed{[1,4]}$.", false},
      {"\\{1, 2, 3\\}", "The solutions are \\boxed{\\{3, 1, 2\\}}."},
      {"(2, -1)", "The intersection is at $(2,-1)$."},
      {"\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
       "\\boxed{\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}}"},
      {"x^2 + 2x + 1", "Expanding, we get \\boxed{(x+1)^2}."},
      {"\\frac{x+1}{x-1}", "\\boxed{\\frac{x-1}{x+1}}", false},
      {"3x - 2", "The answer is $3x-2$."},
      {"y = 2x + 3", "So the line is \\boxed{2x - y + 3 = 0}"},
      {"x > 5", "\\boxed{(5, \\infty)}"},
      {"50\\%", "The probability is \\boxed{0.5}."},
      {"1.5 \\times 10^{3}", "\\boxed{1500}"},
      {"e^{2}", "\\boxed{e^2}"},
      {"\\log_2 32", "\\boxed{5}"},
      {"1 \\pm \\sqrt{2}", "\\boxed{1+\\sqrt2, 1-\\sqrt2}"},
      {"C", "After checking each option, the answer is (C)."},
      {"Tuesday", "So the meeting is on \\boxed{\\text{Tuesday}}."},
  };
  return pairs;
}

std::vector<Pair> corpus(size_t n) {
  std::vector<Pair> out;
  Rng rng(2026, "verify-bench");
  std::vector<tasks::Task> pool;
  for (const char* family : {"arithmetic", "linear", "word"})
    for (int d = 1; d <= 5; ++d) {
      auto t = tasks::generate({family, n / 10 + 1, d, 7, false});
      pool.insert(pool.end(), t.begin(), t.end());
    }
  while (out.size() < n) {
    if (rng.chance(0.2)) {
      const auto& lp = latex_pairs();
      out.push_back(lp[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(lp.size()) - 1))]);
      continue;
    }
    const tasks::Task& t =
        pool[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(pool.size()) - 1))];
    std::string a = t.answer;
    std::string think = "<think>" + t.solution + "</think>\n";
    switch (rng.uniform(0, 6)) {
      case 0:
        out.push_back({a, think + "The answer is \\boxed{" + a + "}."});
        break;
      case 1:
        out.push_back({a, think + "The answer is \\boxed{" + off_by_one(a) + "}.", false});
        break;
      case 2:
        out.push_back({a, think + "\\boxed{" + decimal_form(a) + "}"});
        break;
      case 3:
        out.push_back({a, "So the final answer is $" + latex_form(a) + "$."});
        break;
      case 4:
        out.push_back({a, t.solution + "\n#### " + a});
        break;
      case 5:
        out.push_back({a, think + "Hence $x = " + latex_form(a) + "$."});
        break;
      default:
        out.push_back({a, t.solution});
        break;  // the rationale itself: its last number
    }
  }
  return out;
}

double us(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

constexpr cli::FlagSpec kFlags[] = {{"pairs", "N", "(gold, prediction) pairs (default 10000)"},
                                    {"threads", "N", "threads of the throughput row (default 2)"}};
constexpr cli::CommandSpec kSpec{
    "",     {}, "Math verifier throughput and latency against extraction plus string equality.",
    kFlags, "", "build/bin/verify_bench"};

int run_bench(const cli::Flags& flags) {
  size_t n = flags.whole("pairs", 1, 10'000'000).value_or(10000);
  size_t threads = flags.whole("threads", 1, 256).value_or(2);
  auto pairs = corpus(n);
  math::VerifyOptions options;

  // Baseline: extraction plus string equality.
  auto b0 = Clock::now();
  size_t same = 0;
  for (const auto& p : pairs)
    same += math::extract_gold(p.gold).answer == math::extract_answer(p.pred, {}).answer;
  double baseline_s = std::chrono::duration<double>(Clock::now() - b0).count();

  // One thread, per-call latency.
  std::vector<double> latency;
  latency.reserve(pairs.size());
  size_t correct = 0, undecided = 0, disagree = 0;
  auto t0 = Clock::now();
  for (const auto& p : pairs) {
    auto s = Clock::now();
    auto v = math::verify(p.gold, p.pred, options);
    latency.push_back(us(Clock::now() - s));
    correct += v.correct;
    if (v.correct != p.expected && ++disagree <= 3)
      std::printf("disagrees with its label: gold %s | pred ...%s\n", p.gold.c_str(),
                  p.pred.substr(p.pred.size() > 80 ? p.pred.size() - 80 : 0).c_str());
    undecided +=
        v.status == math::VerifyStatus::Timeout || v.status == math::VerifyStatus::UnparseableGold;
  }
  double single_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(latency.begin(), latency.end());
  auto pct = [&](double q) {
    return latency[std::min(latency.size() - 1, static_cast<size_t>(q * latency.size()))];
  };

  // Several threads, throughput.
  std::atomic<size_t> next{0};
  auto m0 = Clock::now();
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < pairs.size();)
        (void)math::verify(pairs[i].gold, pairs[i].pred, options);
    });
  for (auto& t : pool) t.join();
  double multi_s = std::chrono::duration<double>(Clock::now() - m0).count();

  std::printf(
      "pairs: %zu (%zu judged correct, %zu disagree with their labels, %zu undecided; string "
      "equality "
      "agreed on %zu)\n",
      pairs.size(), correct, disagree, undecided, same);
  std::printf("baseline (extract + string compare): %.0f pairs/s\n", pairs.size() / baseline_s);
  std::printf("verifier, 1 thread:  %.0f verifications/s  (%.2fx the baseline's time per pair)\n",
              pairs.size() / single_s, single_s / baseline_s);
  std::printf("latency: p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n", pct(0.5), pct(0.9),
              pct(0.99), latency.back());
  std::printf("verifier, %zu threads: %.0f verifications/s  (%.2fx one thread)\n", threads,
              pairs.size() / multi_s, single_s / multi_s);
  std::printf("targets: p99 < 1000 us: %s; >= 20000/s on one core: %s\n",
              pct(0.99) < 1000 ? "met" : "MISSED",
              pairs.size() / single_s >= 20000 ? "met" : "MISSED");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return crucible::bench::bench_main(argc, argv, kSpec, run_bench);
}
