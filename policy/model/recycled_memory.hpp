// Memory the decoder allocates on every sampling call, recycled between calls: a KV cache
// per sample (a megabyte or more each) and the packed weights. Fresh memory costs a page fault
// and a zeroing per page (a sixth of a batch-32 decode; most of building a decoder). Freed
// blocks wait in a process-wide pool, up to a limit (256 MiB unless set), for the next
// request of the same size. Blocks are not zeroed: their users write before they read.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace crucible::policy {

// A block of `bytes`, from the pool when one of that size is free (64-byte aligned).
void* take_recycled_block(size_t bytes);
// Returns a block to the pool, or frees it when the pool would pass its limit.
void give_recycled_block(void* block, size_t bytes) noexcept;
// Bytes the pool holds now.
size_t recycled_pool_bytes();
// The most the pool keeps; a lower limit frees what is above it now.
void set_recycled_pool_limit(size_t bytes);
size_t recycled_pool_limit();

// An allocator over the pool that leaves elements uninitialised on resize.
template <class T>
struct RecycledAllocator {
  using value_type = T;
  RecycledAllocator() = default;
  template <class U>
  RecycledAllocator(const RecycledAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(take_recycled_block(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { give_recycled_block(p, n * sizeof(T)); }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(static_cast<Args&&>(args)...);
  }
  template <class U>
  bool operator==(const RecycledAllocator<U>&) const noexcept {
    return true;
  }
};

using RecycledBuffer = std::vector<float, RecycledAllocator<float>>;

}  // namespace crucible::policy
