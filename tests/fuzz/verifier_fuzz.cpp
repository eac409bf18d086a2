// libFuzzer target for the math verifier. The input is "gold\npred" (no newline: the
// input is both); the parser also sees the raw input. Any crash, sanitizer report, hang
// past libFuzzer's timeout, or an unlabelled result is a bug.
//
//   clang build: scripts/fuzz.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rewards/math/parser.hpp"
#include "rewards/math/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crucible::rewards::math;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view gold = newline == std::string_view::npos ? input : input.substr(0, newline);
  std::string_view pred = newline == std::string_view::npos ? input : input.substr(newline + 1);
  try {
    (void)to_text(parse_answer(input, ParseLimits{}));
  } catch (const ParseError&) {
  }
  Verification v = verify(gold, pred, VerifyOptions{});
  // Every result carries a status and a reason; unparseable ones say why.
  if (v.reason.empty()) std::abort();
  if ((v.status == VerifyStatus::UnparseablePred || v.status == VerifyStatus::UnparseableGold) &&
      v.message.empty())
    std::abort();
  return 0;
}
