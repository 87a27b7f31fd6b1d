// Errors are values at the library boundary: a failed audit (unreadable file,
// not a zip, bad option) is an Error, never an exception. Findings are data.
#pragma once

#include "pkgaudit/export.hpp"

#include <string>
#include <utility>
#include <variant>

namespace pkgaudit {

enum class ErrorCode {
  usage = 1,     // a caller mistake: bad option value, unknown rule id
  io,            // the package or an output could not be read or written
  bad_package,   // not a zip, a truncated zip, an unreadable central directory
  config,        // configuration file or value rejected
  internal,      // a bug in pkgaudit; reported, never thrown across the API
};

// A short, stable name for the code ("io", "bad-package", ...).
PKGAUDIT_API const char* error_code_name(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // one line, names the file and the reason
};

template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}        // NOLINT
  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace pkgaudit
