// The packed kernels for sse2 (compile flags: (none) -ffp-contract=off, set in
// policy/CMakeLists.txt); called only when the CPU has sse2.
#include "policy/model/packed_kernels.hpp"

#define CRUCIBLE_LANES 4
#define CRUCIBLE_ROWS 4
#define CRUCIBLE_VECS 2
namespace crucible::policy::packed_sse2 {
#include "policy/model/packed_kernels.inc"
}  // namespace crucible::policy::packed_sse2
