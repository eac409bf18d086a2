// Descriptors between processes over a Unix stream socket (SCM_RIGHTS): the library hands the
// helper a request socket, the helper hands it to a prepared supervisor, and the supervisor
// hands init the detached mount trees of the run's box and data directories.
#pragma once

#include <initializer_list>
#include <optional>
#include <vector>

#include "base/unique_fd.hpp"

namespace crucible::sandbox::jail {

// Sends one byte, `tag`, carrying `fds` (at most kMaxPassedFds); false if the peer is gone.
bool send_fds(int socket, const std::vector<int>& fds, char tag = 'f');

// Receives one message from send_fds (its tag into *tag when given); nullopt on EOF or error.
// The descriptors arrive close-on-exec.
std::optional<std::vector<unique_fd>> receive_fds(int socket, char* tag = nullptr);

inline constexpr size_t kMaxPassedFds = 8;

// Closes every descriptor of this process but those in `keep` (negative entries are none): a
// new supervisor or init keeps only its own channels.
void close_all_except(std::initializer_list<int> keep);

}  // namespace crucible::sandbox::jail
