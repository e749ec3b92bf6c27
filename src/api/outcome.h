// Internal to src/api: refusals as values. A handler or a helper that
// cannot answer as asked returns a Refusal (the status and the
// {"error":{code,message}} body); a helper that can returns its value in
// an Outcome. Nothing in src/api throws to say no: the only exception a
// handler meets is store::StoreError, turned into a response in one place
// (app.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "http/handling.h"
#include "http/message.h"

namespace cxm::api {

struct [[nodiscard]] Refusal {
  int status = 500;
  std::string code;
  std::string message;
  std::int64_t retry_after_seconds = 0;  // sent as Retry-After when > 0 (429, 503)

  http::Response response() const;
  // A handler returns a refusal as its response.
  operator http::Response() const { return response(); }  // NOLINT(google-explicit-constructor)
  // A stream handler answers it instead of opening the stream.
  operator http::StreamReply() const {  // NOLINT(google-explicit-constructor)
    http::StreamReply reply;
    reply.answer = response();
    return reply;
  }
};

inline Refusal refuse(int status, std::string code, std::string message) {
  return Refusal{status, std::move(code), std::move(message)};
}

// 429 with Retry-After: "too many <what>; try again in N seconds", for a
// wait of `wait_ms` (> 0) that the log-in limits decided.
inline Refusal too_many(const std::string& what, std::int64_t wait_ms) {
  const std::int64_t seconds = (wait_ms + 999) / 1000;
  Refusal refusal = refuse(429, "too_many_attempts",
                           "too many " + what + "; try again in " + std::to_string(seconds) +
                               (seconds == 1 ? " second" : " seconds"));
  refusal.retry_after_seconds = seconds;
  return refusal;
}

// A value of T, or why there is none. The refusal, rare, is kept apart on
// the heap: an Outcome is barely larger than its T, and a coroutine frame
// holding several (a deferred handler's) stays small. The value is made in
// place: T may itself be an optional, which a nullopt must not empty from
// outside.
template <class T>
class [[nodiscard]] Outcome {
 public:
  // From anything a T is made of (a string for an optional<string>, a
  // nullopt, a derived pointer), as a function returning T would take it.
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Refusal>)
      Outcome(U&& value)
      : value_(std::in_place, std::forward<U>(value)) {}                                 // NOLINT
  Outcome(Refusal refusal) : refusal_(std::make_unique<Refusal>(std::move(refusal))) {}  // NOLINT

  explicit operator bool() const { return !refusal_; }
  T& operator*() & { return *value_; }
  T&& operator*() && { return *std::move(value_); }
  T* operator->() { return &*value_; }
  const Refusal& refusal() const { return *refusal_; }

 private:
  std::optional<T> value_;
  std::unique_ptr<Refusal> refusal_;
};

// A check that passes (empty) or refuses; a refusal left unread is a bug
// the compiler reports.
class [[nodiscard]] Check : public std::optional<Refusal> {
 public:
  using std::optional<Refusal>::optional;
};

}  // namespace cxm::api

// Binds `name` to the value of the Outcome `expr`, or returns its refusal
// from the enclosing function (a handler, or a helper returning an Outcome).
#define CXM_TRY(name, expr)                               \
  auto name##_outcome_ = (expr);                          \
  if (!name##_outcome_) return name##_outcome_.refusal(); \
  [[maybe_unused]] auto&& name = *std::move(name##_outcome_)
// The same in a coroutine (a deferred handler).
#define CXM_CO_TRY(name, expr)                               \
  auto name##_outcome_ = (expr);                             \
  if (!name##_outcome_) co_return name##_outcome_.refusal(); \
  [[maybe_unused]] auto&& name = *std::move(name##_outcome_)
// Returns the refusal of the Check `expr`, if any.
#define CXM_CHECK(expr)       \
  if (auto refused_ = (expr)) \
    return *refused_;         \
  else                        \
    static_cast<void>(0)
