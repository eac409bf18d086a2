// The Python and JavaScript function-call harnesses, as program templates: @SOURCE@ and
// @ENTRY@ are replaced by the candidate's source and entry point (as string literals).
// How each keeps the tests and the nonce out of the candidate's reach is told beside it.
#pragma once

namespace crucible::sandbox::judge {

const char* python_harness_template();
const char* javascript_harness_template();
// The C++ harness's Value type and wire format, the start of both of its programs (the
// candidate's and the tests'); see harness_cpp.hpp.
const char* cpp_harness_values();

}  // namespace crucible::sandbox::judge
