// Memory for KV caches, recycled between sampling calls. A rollout builds one cache per
// sample per call, a megabyte or more each, and fresh memory costs a page fault and a zeroing
// per page (a sixth of a batch-32 decode). Freed blocks wait in a process-wide pool, up to a
// limit (256 MiB unless set), for the next cache of the same size. Blocks are not zeroed: a
// cache writes a position before anything reads it.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace crucible::policy {

// A block of `bytes`, from the pool when one of that size is free (64-byte aligned).
void* take_kv_block(size_t bytes);
// Returns a block to the pool, or frees it when the pool would pass its limit.
void give_kv_block(void* block, size_t bytes) noexcept;
// Bytes the pool holds now.
size_t kv_pool_bytes();
// The most the pool keeps; a lower limit frees what is above it now.
void set_kv_pool_limit(size_t bytes);

// An allocator over the pool that leaves elements uninitialised on resize.
template <class T>
struct KvAllocator {
  using value_type = T;
  KvAllocator() = default;
  template <class U>
  KvAllocator(const KvAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(take_kv_block(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { give_kv_block(p, n * sizeof(T)); }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(static_cast<Args&&>(args)...);
  }
  template <class U>
  bool operator==(const KvAllocator<U>&) const noexcept {
    return true;
  }
};

using KvBuffer = std::vector<float, KvAllocator<float>>;

}  // namespace crucible::policy
