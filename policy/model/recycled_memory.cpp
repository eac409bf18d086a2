#include "policy/model/recycled_memory.hpp"

#include <map>
#include <mutex>

namespace crucible::policy {

namespace {

constexpr std::align_val_t kAlign{64};

struct Pool {
  std::mutex mutex;
  std::map<size_t, std::vector<void*>> free_by_size;
  size_t bytes = 0;
  size_t limit = size_t{256} << 20;
};

// Never destroyed, so caches that outlive static destruction can still give blocks back.
Pool& pool() {
  static Pool* p = new Pool;
  return *p;
}

}  // namespace

void* take_recycled_block(size_t bytes) {
  Pool& p = pool();
  {
    std::lock_guard lock(p.mutex);
    auto it = p.free_by_size.find(bytes);
    if (it != p.free_by_size.end() && !it->second.empty()) {
      void* block = it->second.back();
      it->second.pop_back();
      p.bytes -= bytes;
      return block;
    }
  }
  return ::operator new(bytes, kAlign);
}

void give_recycled_block(void* block, size_t bytes) noexcept {
  if (!block) return;
  Pool& p = pool();
  {
    std::lock_guard lock(p.mutex);
    if (p.bytes + bytes <= p.limit) {
      try {
        p.free_by_size[bytes].push_back(block);
        p.bytes += bytes;
        return;
      } catch (...) {  // no room to remember it: free it below
      }
    }
  }
  ::operator delete(block, bytes, kAlign);
}

void set_recycled_pool_limit(size_t bytes) {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  p.limit = bytes;
  for (auto& [size, blocks] : p.free_by_size)
    while (p.bytes > p.limit && !blocks.empty()) {
      ::operator delete(blocks.back(), size, kAlign);
      blocks.pop_back();
      p.bytes -= size;
    }
}

size_t recycled_pool_limit() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  return p.limit;
}

size_t recycled_pool_bytes() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  return p.bytes;
}

}  // namespace crucible::policy
