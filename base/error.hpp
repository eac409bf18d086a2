// Typed exceptions thrown at boundaries where a caller can act on them.
//
// InvalidRequest: the caller's input is wrong (bad flag, unknown language, limit above
// its ceiling); the message names the field. SandboxFailure: the sandbox itself failed
// (cannot create a namespace, toolchain missing); never a fault of the program inside.
//
//   try { sandbox.run(req); } catch (const crucible::InvalidRequest& e) { ... }
#pragma once

#include <stdexcept>
#include <string>

namespace crucible {

// Base of every exception Crucible throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The request is malformed or asks for something not allowed (maps to a 4xx).
class InvalidRequest : public Error {
 public:
  using Error::Error;
};

// The request names something that does not exist, or no longer does (maps to a 404).
class NotFound : public InvalidRequest {
 public:
  using InvalidRequest::InvalidRequest;
};

// The service is at a bound it keeps (open episodes, a queue); the caller may retry
// later (maps to a 429).
class Busy : public Error {
 public:
  using Error::Error;
};

// The sandbox could not do its job (maps to a 5xx; a sample is dropped, never scored 0).
class SandboxFailure : public Error {
 public:
  using Error::Error;
};

// The caller went away and its work was called off (base/cancel.hpp; maps to a 499).
class Cancelled : public Error {
 public:
  using Error::Error;
};

// Formats "what: strerror(errno)" for system-call failures.
std::string errno_message(const std::string& what, int err);

}  // namespace crucible
