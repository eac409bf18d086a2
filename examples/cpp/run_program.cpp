// The C++ API from the README, as a program: run a program in the jail, judge it against
// tests, verify a math answer. Built as build/bin/example_cpp; CI runs it.
#include <iostream>

#include "rewards/math/verifier.hpp"
#include "sandbox/judge/judge.hpp"
#include "sandbox/sandbox.hpp"

int main() {
  crucible::sandbox::Sandbox sb;
  crucible::sandbox::RunRequest req;
  req.language = "python3";
  req.source = "print(input()[::-1])";
  req.stdin_data = "abc\n";
  auto outcome = sb.run(req);
  std::cout << crucible::sandbox::verdict_name(outcome.verdict) << " " << outcome.stdout_data;

  crucible::sandbox::judge::Judge judge(sb);
  crucible::sandbox::judge::Submission s;
  s.language = "cpp";
  s.source = "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}";
  s.tests = {{"1 2\n", "3\n"}, {"40 2\n", "42\n"}};
  auto result = judge.run(s);
  std::cout << crucible::sandbox::verdict_name(result.verdict) << " " << result.passed << "/"
            << result.total << "\n";

  auto v = crucible::rewards::math::verify("\\frac{1}{2}", "so the answer is $0.5$.", {});
  std::cout << (v.correct ? "correct" : "wrong") << " (" << v.reason << ")\n";
  return 0;
}
