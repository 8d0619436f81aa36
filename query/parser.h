// The hand-written parser of the query language. Grammar:
// docs/query-language.md.
#ifndef KG_QUERY_PARSER_H_
#define KG_QUERY_PARSER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "query/ast.h"

namespace kg::query {

// Parses a script of statements, each ended by ';'. InvalidArgument with
// "line:col: expected ..., found ..." on the first syntax error.
absl::StatusOr<std::vector<StatementAst>> Parse(std::string_view text);

// Formats a position-prefixed message: "3:14: message".
std::string At(const Pos& pos, std::string_view message);

}  // namespace kg::query

#endif  // KG_QUERY_PARSER_H_
