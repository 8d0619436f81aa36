// The kg query language: parse and run statements against a store.
// Language reference: docs/query-language.md.
//
//   kg::query::Session session(store.get());
//   auto results = session.Run("MATCH Iran supplied ?what RETURN ?what;", {});
//
// Every statement reads one consistent snapshot of the store. Errors are
// absl::Status values whose message starts with the position in the query
// text ("1:14: expected a term after 'MATCH', found ';'"). Codes:
// InvalidArgument (syntax or unknown name), ResourceExhausted (row cap),
// DeadlineExceeded (timeout), Cancelled (cancel hook), others from the store.
#ifndef KG_QUERY_QUERY_H_
#define KG_QUERY_QUERY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kg/store.h"

namespace kg::query {

struct QueryOptions {
  // Wall-clock limit per statement.
  // Default: 30 s
  absl::Duration timeout = absl::Seconds(30);
  // A statement that would produce (or materialise) more rows than this
  // stops with ResourceExhausted.
  // Default: 1,000,000
  uint64_t max_rows = 1'000'000;
  // When set and it becomes true, the running statement stops with
  // Cancelled (the REPL's Ctrl-C). Not owned.
  const std::atomic<bool>* cancel = nullptr;
};

// One value of a result table, already in display form.
struct Cell {
  enum class Type { kNull, kText, kNumber, kBool, kTerm, kList };
  Type type = Type::kNull;
  std::string text;                // display text; for kList the items joined by "; "
  std::vector<std::string> items;  // kList only
  // The value as JSON text where the display text flattens a structure
  // (a list of chains, each an array; a span [start, end]); empty: the JSON
  // follows from type, text and items.
  std::string json;
  bool operator==(const Cell&) const = default;
};

// Cells of each type. TextCell("") is null.
Cell TextCell(std::string text);
Cell TermCell(std::string text);
Cell NumberCell(int64_t n);
Cell ListCell(std::vector<std::string> items);
// A list of lists (e.g. chains of sources): displayed as the inner lists
// joined by `inner` and the lists by "; ", JSON as an array of arrays.
Cell NestedListCell(const std::vector<std::vector<std::string>>& lists, std::string_view inner);
// The cell's value as JSON.
std::string CellJson(const Cell& cell);

// A node of a TRACE tree: a claim, a piece of evidence, a document, an
// agent, a primary source, or a cycle marker.
struct TraceNode {
  std::string kind;   // "claim", "evidence", "document", "agent", "source", "cycle"
  std::string label;  // what the node is (term text, document id, ...)
  std::vector<std::pair<std::string, Cell>> fields;  // quote, hedge, span, ...
  std::vector<TraceNode> children;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  // TRACE only: the provenance tree the rows flatten.
  std::optional<TraceNode> trace;
  // A one-line summary, e.g. "2 independent sources" (may be empty).
  std::string summary;
  // The summary's figures for programs, e.g. {"supporting", 2}
  // (SOURCES OF, CONFLICTS, TRACE); rendered in JSON output as "counts".
  std::vector<std::pair<std::string, int64_t>> counts;
};

class Session {
 public:
  // `store` must outlive the session.
  explicit Session(Store* store);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Parses all of `text` first (a syntax error anywhere runs nothing), then
  // runs each statement in order and returns one Result per statement; stops
  // at the first statement that fails.
  absl::StatusOr<std::vector<Result>> Run(std::string_view text,
                                          const QueryOptions& options);
  // Like Run, but hands each statement's result to `on_result` as soon as
  // it is complete, so the results of statements before a failing one are
  // not lost.
  absl::Status RunEach(std::string_view text, const QueryOptions& options,
                       const std::function<void(Result)>& on_result);

 private:
  Store* store_;
};

// Checks the syntax of `text` without running it; the error names the
// position. Used by the REPL to decide whether input is complete.
absl::Status CheckSyntax(std::string_view text);

// The stored claims that `claim` names, read as TRACE reads its argument: a
// claim pattern "(Iran supplied ShahedDrone)" / "Iran supplied ?x", or a
// quoted phrase "\"half of Russia's munitions\"" (the claims of the evidence
// whose quote has it); at most `limit`. InvalidArgument if `claim` is
// neither.
absl::StatusOr<std::vector<Term>> FindClaims(Store* store, std::string_view claim,
                                             uint64_t limit);

// The position an error message starts with ("L:C: rest", see above), and
// the rest of the message; nullopt if it starts with none.
struct ErrorPosition {
  int line = 0, column = 0;  // from 1
  std::string_view rest;
};
std::optional<ErrorPosition> PositionOf(std::string_view message);

}  // namespace kg::query

#endif  // KG_QUERY_QUERY_H_
