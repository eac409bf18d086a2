// Taking sole ownership of a forked process's memory ahead of time.
#pragma once

namespace crucible::sandbox::jail {

// Populates this process's heap, stack and data writable (MADV_POPULATE_WRITE, up to 4 MiB),
// so pages it still shares copy-on-write with its parent or child are copied now, one call
// per mapping. A parked supervisor and its init call it while they wait: on the request path each
// first write to a shared page would fault instead, and in a VM such a fault measured tens
// of microseconds (a request took ~30 of them, over 1 ms). Best effort: a kernel without
// MADV_POPULATE_WRITE (before 5.14) or an unreadable /proc/self/maps changes nothing.
void own_private_pages();

// own_private_pages() unless `request_fd` is readable already: when the request is waiting,
// copying pages it may never touch would only delay it.
void own_private_pages_unless_waited_for(int request_fd);

}  // namespace crucible::sandbox::jail
