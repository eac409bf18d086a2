#include "tasks/generators.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "base/error.hpp"
#include "base/rng.hpp"
#include "tasks/generator_parts.hpp"

namespace crucible::tasks {

using nlohmann::json;

namespace generated {
namespace {

std::string task_id(const GeneratorOptions& o, size_t i) {
  return o.family + "-d" + std::to_string(o.difficulty) + "-s" + std::to_string(o.seed) + "-" +
         std::to_string(i);
}

}  // namespace

Task base_task(const GeneratorOptions& o, size_t i, Kind kind) {
  Task t;
  t.id = task_id(o, i);
  t.kind = kind;
  t.difficulty = o.difficulty;
  t.difficulty_bucket = o.difficulty <= 2 ? "easy" : o.difficulty <= 3 ? "medium" : "hard";
  t.source = "crucible/" + o.family;
  t.metadata = {{"generator", o.family}, {"seed", o.seed}};
  return t;
}

}  // namespace generated

namespace {

using generated::base_task;

int64_t with_digits(Rng& rng, int digits) {
  int64_t lo = 1;
  for (int i = 1; i < digits; ++i) lo *= 10;
  return rng.uniform(digits == 1 ? 0 : lo, lo * 10 - 1);
}

std::string reversed(const std::string& s) {
  bool negative = !s.empty() && s[0] == '-';
  std::string digits = s.substr(negative ? 1 : 0);
  std::reverse(digits.begin(), digits.end());
  return (negative ? "-" : "") + digits;
}

// Column-by-column addition with carries, least significant digit first.
std::string add_steps(int64_t a, int64_t b) {
  std::ostringstream out;
  int64_t carry = 0, place = 0;
  const char* names[] = {
      "units", "tens", "hundreds", "thousands", "ten-thousands", "hundred-thousands", "millions"};
  while (a > 0 || b > 0 || carry > 0) {
    int64_t da = a % 10, db = b % 10, sum = da + db + carry;
    out << names[std::min<int64_t>(place, 6)] << ": " << da << " + " << db;
    if (carry) out << " + " << carry << " (carry)";
    out << " = " << sum << ", write " << sum % 10;
    carry = sum / 10;
    if (carry) out << ", carry " << carry;
    out << "\n";
    a /= 10, b /= 10, ++place;
  }
  return out.str();
}

std::string subtract_steps(int64_t a, int64_t b) {  // a >= b
  std::ostringstream out;
  int64_t borrow = 0, place = 0;
  while (a > 0 || b > 0) {
    int64_t da = a % 10 - borrow, db = b % 10;
    borrow = da < db;
    if (borrow) da += 10;
    out << "column " << place + 1 << ": " << da << " - " << db << " = " << da - db;
    if (borrow) out << " (borrowed 1 from the next column)";
    out << "\n";
    a /= 10, b /= 10, ++place;
  }
  return out.str();
}

std::string multiply_steps(int64_t a, int64_t b) {
  std::ostringstream out;
  int64_t place = 1, total = 0;
  for (int64_t rest = b; rest > 0; rest /= 10, place *= 10) {
    int64_t partial = a * (rest % 10) * place;
    out << a << " * " << (rest % 10) * place << " = " << partial << "\n";
    total += partial;
  }
  out << "sum of the partial products = " << total << "\n";
  return out.str();
}

Task arithmetic(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Math);
  int digits = o.difficulty + 1;
  int op_count = o.difficulty == 1 ? 1 : o.difficulty == 2 ? 2 : 3;
  char op = "+-*"[rng.uniform(0, op_count - 1)];
  int64_t a = with_digits(rng, digits),
          b = with_digits(rng, op == '*' ? std::max(1, digits / 2) : digits);
  if (op == '-' && a < b) std::swap(a, b);
  int64_t result = op == '+' ? a + b : op == '-' ? a - b : a * b;
  const std::string sym(1, op), shown = std::to_string(a) + " " + sym + " " + std::to_string(b);
  t.prompt = "What is " + shown + "?";
  t.solution = op == '+'   ? add_steps(a, b)
               : op == '-' ? subtract_steps(a, b)
                           : multiply_steps(a, b);
  t.solution += "So " + shown + " = " + std::to_string(result) + ".";
  t.answer = o.reversed ? reversed(std::to_string(result)) : std::to_string(result);
  t.metadata["operands"] = {a, b};
  t.metadata["op"] = sym;
  if (o.reversed) {
    t.metadata["reversed"] = true;
    t.prompt += " Write the answer with its digits reversed.";
  }
  return t;
}

// Products too long to compute in the head of a small model: (difficulty + 2)-digit
// operands. The metadata's program computes the answer, for a demonstration that runs it.
Task product(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Math);
  int64_t a = with_digits(rng, o.difficulty + 2), b = with_digits(rng, o.difficulty + 2);
  const std::string shown = std::to_string(a) + " * " + std::to_string(b);
  t.prompt = "What is " + shown + "?";
  t.solution = multiply_steps(a, b) + "So " + shown + " = " + std::to_string(a * b) + ".";
  t.answer = std::to_string(a * b);
  t.metadata["operands"] = {a, b};
  t.metadata["op"] = "*";
  t.metadata["program"] = "print(" + shown + ")";
  return t;
}

Task countdown(const GeneratorOptions& o, size_t i, Rng& rng) {
  static const int64_t kLarge[] = {25, 50, 75, 100};
  size_t count = std::min<size_t>(6, 2 + o.difficulty);
  for (int attempt = 0;; ++attempt) {
    std::vector<int64_t> numbers;
    for (size_t k = 0; k < count; ++k)
      numbers.push_back(o.difficulty >= 3 && rng.chance(0.3) ? kLarge[rng.uniform(0, 3)]
                                                             : rng.uniform(1, 10));
    // Combine a random subset pairwise; every step keeps positive integers.
    struct Item {
      int64_t value;
      std::string expr;
    };
    std::vector<Item> pool;
    for (auto n : numbers) pool.push_back({n, std::to_string(n)});
    std::vector<Item> use;
    size_t take = static_cast<size_t>(rng.uniform(2, static_cast<int64_t>(count)));
    std::vector<size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    for (size_t k = count - 1; k > 0; --k)
      std::swap(order[k], order[rng.uniform(0, static_cast<int64_t>(k))]);
    for (size_t k = 0; k < take; ++k) use.push_back(pool[order[k]]);
    while (use.size() > 1) {
      size_t x = rng.uniform(0, use.size() - 1), y;
      do y = rng.uniform(0, use.size() - 1);
      while (y == x);
      Item a = use[x], b = use[y];
      char op = "+-*/"[rng.uniform(0, 3)];
      if (op == '-' && a.value <= b.value) std::swap(a, b);
      if (op == '-' && a.value == b.value) op = '+';
      if (op == '/' && (b.value <= 1 || a.value % b.value != 0)) op = '*';
      int64_t v = op == '+'   ? a.value + b.value
                  : op == '-' ? a.value - b.value
                  : op == '*' ? a.value * b.value
                              : a.value / b.value;
      std::string expr = "(";
      expr.append(a.expr).append(" ").append(1, op).append(" ").append(b.expr).append(")");
      Item c{v, expr};
      use.erase(use.begin() + std::max(x, y));
      use.erase(use.begin() + std::min(x, y));
      use.push_back(c);
    }
    int64_t target = use[0].value;
    if ((target < 10 || target > 999) && attempt < 1000) continue;
    Task t = base_task(o, i, Kind::Math);
    std::string list;
    for (size_t k = 0; k < numbers.size(); ++k)
      list += (k ? ", " : "") + std::to_string(numbers[k]);
    t.prompt = "Using the numbers " + list + " (each at most once) and + - * /, make " +
               std::to_string(target) + ". Give an expression.";
    t.answer = std::to_string(target);
    std::string expr = use[0].expr;
    if (expr.size() > 2 && expr.front() == '(' && expr.back() == ')')
      expr = expr.substr(1, expr.size() - 2);
    t.solution = expr + " = " + std::to_string(target);
    t.metadata["numbers"] = numbers;
    t.metadata["target"] = target;
    t.metadata["expression"] = expr;
    return t;
  }
}

std::string fraction(int64_t p, int64_t q) {
  if (q < 0) p = -p, q = -q;
  int64_t g = std::gcd(p < 0 ? -p : p, q);
  p /= g, q /= g;
  return q == 1 ? std::to_string(p) : std::to_string(p) + "/" + std::to_string(q);
}

std::string term(int64_t coef, bool first) {
  std::string sign = coef < 0 ? (first ? "-" : " - ") : (first ? "" : " + ");
  int64_t m = coef < 0 ? -coef : coef;
  return sign + (m == 1 ? "" : std::to_string(m)) + "x";
}

std::string constant(int64_t v) {
  return v < 0 ? " - " + std::to_string(-v) : " + " + std::to_string(v);
}

Task linear(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Math);
  int64_t range = 3 + 3 * o.difficulty;
  int64_t a, b, c, d;
  do {
    a = rng.uniform(-range, range);
    c = o.difficulty <= 1 ? 0 : rng.uniform(-range, range);
    b = rng.uniform(-5 * range, 5 * range);
    if (o.difficulty <= 2) {
      // Integer answer: pick x, then d.
      int64_t x = rng.uniform(-range, range);
      d = (a - c) * x + b;
    } else {
      d = rng.uniform(-5 * range, 5 * range);
    }
  } while (a == 0 || a == c);
  std::string lhs = term(a, true) + (b ? constant(b) : "");
  std::string rhs = c ? term(c, true) + (d ? constant(d) : "") : std::to_string(d);
  t.prompt = "Solve for x: " + lhs + " = " + rhs + ".";
  int64_t k = a - c, r = d - b;
  std::ostringstream steps;
  if (c)
    steps << "Move the x terms to the left: " << term(k, true) << (b ? constant(b) : "") << " = "
          << d << ".\n";
  if (b) steps << "Move the constant to the right: " << term(k, true) << " = " << r << ".\n";
  steps << "Divide by " << k << ": x = " << fraction(r, k) << ".";
  t.solution = steps.str();
  t.answer = fraction(r, k);
  t.metadata["coefficients"] = {a, b, c, d};
  return t;
}

// Small word problems with exact rational answers; the parameters stay in metadata.
Task word(const GeneratorOptions& o, size_t i, Rng& rng) {
  Task t = base_task(o, i, Kind::Math);
  int64_t scale = o.difficulty;
  std::ostringstream steps;
  switch (rng.uniform(0, 3)) {
    case 0: {
      int64_t a = rng.uniform(2, 5 + 5 * scale), h = rng.uniform(2, 3 + 2 * scale),
              s = rng.uniform(1, a * h);
      t.prompt = "A baker makes " + std::to_string(a) + " loaves an hour for " + std::to_string(h) +
                 " hours and sells " + std::to_string(s) + " of them. How many loaves are left?";
      steps << "Baked: " << a << " * " << h << " = " << a * h << ".\nLeft: " << a * h << " - " << s
            << " = " << a * h - s << ".";
      t.answer = std::to_string(a * h - s);
      t.metadata["template"] = "bakery";
      t.metadata["params"] = {a, h, s};
      break;
    }
    case 1: {
      int64_t m = rng.uniform(1, 3 + 3 * scale), n = rng.uniform(2, 4 + 2 * scale);
      t.prompt = std::to_string(m) + " pizzas are shared equally among " + std::to_string(n) +
                 " friends. How much pizza does each friend get?";
      t.answer = fraction(m, n);
      steps << "Each friend gets " << m << "/" << n << " = " << t.answer << " of a pizza.";
      t.metadata["template"] = "pizza";
      t.metadata["params"] = {m, n};
      break;
    }
    case 2: {
      int64_t d = rng.uniform(10, 60 * scale + 40), h = rng.uniform(2, 2 + 2 * scale);
      t.prompt = "A cyclist rides " + std::to_string(d) + " km in " + std::to_string(h) +
                 " hours at a steady pace. What is the speed in km per hour?";
      t.answer = fraction(d, h);
      steps << "Speed = distance / time = " << d << " / " << h << " = " << t.answer
            << " km per hour.";
      t.metadata["template"] = "speed";
      t.metadata["params"] = {d, h};
      break;
    }
    default: {
      int64_t p = rng.uniform(10, 100 * scale), r = rng.uniform(1, 50);
      t.prompt = "An item costs " + std::to_string(p) + " dollars. Its price rises by " +
                 std::to_string(r) + " percent. What is the new price in dollars?";
      t.answer = fraction(p * (100 + r), 100);
      steps << "New price = " << p << " * (100 + " << r << ") / 100 = " << t.answer << " dollars.";
      t.metadata["template"] = "price";
      t.metadata["params"] = {p, r};
      break;
    }
  }
  t.solution = steps.str();
  return t;
}

}  // namespace

const std::vector<std::string>& generator_families() {
  static const std::vector<std::string> families = {"arithmetic", "countdown",  "linear", "word",
                                                    "code",       "expression", "product"};
  return families;
}

std::vector<Task> generate(const GeneratorOptions& o) {
  if (o.difficulty < 1 || o.difficulty > 5)
    throw InvalidRequest("difficulty must be from 1 to 5, got " + std::to_string(o.difficulty));
  auto family = std::find(generator_families().begin(), generator_families().end(), o.family);
  if (family == generator_families().end()) {
    std::string known;
    for (const auto& f : generator_families()) known += (known.empty() ? "" : ", ") + f;
    throw InvalidRequest("unknown generator family '" + o.family + "'; known: " + known);
  }
  Rng rng(o.seed, o.family + "/" + std::to_string(o.difficulty));
  std::vector<Task> out;
  out.reserve(o.count);
  for (size_t i = 0; i < o.count; ++i) {
    if (o.family == "arithmetic")
      out.push_back(arithmetic(o, i, rng));
    else if (o.family == "countdown")
      out.push_back(countdown(o, i, rng));
    else if (o.family == "linear")
      out.push_back(linear(o, i, rng));
    else if (o.family == "word")
      out.push_back(word(o, i, rng));
    else if (o.family == "expression")
      out.push_back(generated::expression(o, i, rng));
    else if (o.family == "product")
      out.push_back(product(o, i, rng));
    else
      out.push_back(generated::code(o, i, rng));
  }
  return out;
}

void complete_code_tests(std::vector<Task>& tasks, const ReferenceRunner& run) {
  for (auto& t : tasks) {
    if (t.kind != Kind::Code || !t.tests.contains("tests")) continue;
    std::vector<std::string> inputs;
    for (const auto& test : t.tests["tests"]) inputs.push_back(test["input"]);
    auto outputs = run(t.language, t.solution, inputs);
    if (outputs.size() != inputs.size())
      throw SandboxFailure("reference run for " + t.id + " returned too few outputs");
    for (size_t k = 0; k < outputs.size(); ++k) t.tests["tests"][k]["output"] = outputs[k];
  }
}

}  // namespace crucible::tasks
