#include "policy/policy.hpp"

#include "base/error.hpp"

namespace crucible::policy {

Sample Policy::prefix(const Sample&, size_t) const {
  throw InvalidRequest("this policy cannot cut samples at a token (its token text is unknown)");
}

void Policy::force(Sample&, const std::string&) const {
  throw InvalidRequest("this policy cannot force text into a sample");
}

}  // namespace crucible::policy
