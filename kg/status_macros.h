// Small equivalents of Abseil's RETURN_IF_ERROR / ASSIGN_OR_RETURN, which the
// Abseil in Debian 12 (20220623) does not ship.
#ifndef KG_STATUS_MACROS_H_
#define KG_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// if it is not OK.
#define KG_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::absl::Status kg_status_ = (expr);          \
    if (!kg_status_.ok()) return kg_status_;     \
  } while (0)

#define KG_CONCAT_INNER_(a, b) a##b
#define KG_CONCAT_(a, b) KG_CONCAT_INNER_(a, b)

// `lhs` = value of `expr` (an absl::StatusOr<T>), or returns its status.
// `lhs` may be a declaration: KG_ASSIGN_OR_RETURN(auto x, F());
#define KG_ASSIGN_OR_RETURN(lhs, expr) \
  KG_ASSIGN_OR_RETURN_IMPL_(KG_CONCAT_(kg_statusor_, __LINE__), lhs, expr)

#define KG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()

#endif  // KG_STATUS_MACROS_H_
