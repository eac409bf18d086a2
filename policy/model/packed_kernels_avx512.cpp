// The packed kernels for avx512 (compile flags: -mavx512f -ffp-contract=off, set in
// policy/CMakeLists.txt); called only when the CPU has avx512.
#include "policy/model/packed_kernels.hpp"

#define CRUCIBLE_LANES 16
#define CRUCIBLE_ROWS 4
#define CRUCIBLE_VECS 4
namespace crucible::policy::packed_avx512 {
#include "policy/model/packed_kernels.inc"
}  // namespace crucible::policy::packed_avx512
