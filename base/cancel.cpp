#include "base/cancel.hpp"

namespace crucible {
namespace {

thread_local const std::atomic<bool>* current = nullptr;

}  // namespace

CancelScope::CancelScope(const std::atomic<bool>* flag) : previous_(current) {
  current = flag;
}

CancelScope::~CancelScope() {
  current = previous_;
}

const std::atomic<bool>* cancel_flag() {
  return current;
}

}  // namespace crucible
