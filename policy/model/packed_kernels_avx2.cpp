// The packed kernels for avx2 (compile flags: -mavx2 -ffp-contract=off, set in
// policy/CMakeLists.txt); called only when the CPU has avx2.
#include "policy/model/packed_kernels.hpp"

#define CRUCIBLE_LANES 8
#define CRUCIBLE_ROWS 4
#define CRUCIBLE_VECS 2
namespace crucible::policy::packed_avx2 {
#include "policy/model/packed_kernels.inc"
}  // namespace crucible::policy::packed_avx2
