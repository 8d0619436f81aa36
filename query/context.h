// The state one statement runs with: the snapshot, decode caches, the
// deadline/cancel/row-cap limits, and the value operations that need the
// store (decoding ids, comparing values, display text).
#ifndef KG_QUERY_CONTEXT_H_
#define KG_QUERY_CONTEXT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "kg/store.h"
#include "query/query.h"
#include "query/value.h"

namespace kg::query {

class Context {
 public:
  Context(const Snapshot& snap, const QueryOptions& options);

  const Snapshot& snap() const { return snap_; }
  const QueryOptions& options() const { return options_; }

  // Called in every loop of the executor: DeadlineExceeded or Cancelled once
  // the statement has run out of time or was cancelled.
  absl::Status Tick() {
    if (++ticks_ % 256 != 0) return absl::OkStatus();
    return CheckLimits();
  }
  absl::Status CheckLimits();
  // Counts one more row held in memory or produced; ResourceExhausted past
  // the row cap.
  absl::Status CountRow(uint64_t n = 1);

  absl::StatusOr<Term> Decode(const TermId& id);
  // The decoded term, owned by this context; valid until the next decode.
  absl::StatusOr<const Term*> DecodeRef(const TermId& id);
  // The term a value stands for, if it is one (ids, terms, numbers, text).
  absl::StatusOr<std::optional<Term>> AsTerm(const Value& v);
  // The id of the term a value stands for, if it is one.
  absl::StatusOr<std::optional<TermId>> AsId(const Value& v);
  // nullptr if the document is not stored.
  absl::StatusOr<const Document*> GetDocument(const std::string& id);
  // The stored document, or for a document known only from citations, its
  // title/publisher/date/url claims (@source facts); `stored` tells which.
  struct DocumentFacts {
    Document document;
    bool stored = false;
  };
  absl::StatusOr<DocumentFacts> DescribeDocument(const std::string& id);
  absl::StatusOr<std::shared_ptr<const std::vector<EvidenceEntry>>> EvidenceFor(
      const TermId& claim);

  // Display text: Iran, doc:x, "quoted text", 2024-06, << s p o >>; text
  // values unquoted; lists joined by "; ".
  absl::StatusOr<std::string> Display(const Value& v);
  // Plain text: like Display but a string literal without quotes/tag.
  absl::StatusOr<std::string> PlainText(const Value& v);
  absl::StatusOr<Cell> ToCell(const Value& v);

  // Equality as `=` sees it (numbers by value, symbols by name or alias,
  // terms by identity). Nulls are equal to nothing.
  absl::StatusOr<bool> Equal(const Value& a, const Value& b);
  // Total order for ORDER BY and min/max: null < numbers < dates < text <
  // other terms (by display text); returns <0, 0, >0.
  absl::StatusOr<int> Compare(const Value& a, const Value& b);
  // The ordering class of a value: 0 null, 1 number, 2 date, 3 text, 4 other.
  absl::StatusOr<int> Rank(const Value& v) {
    auto k = SortKeyOf(v);
    if (!k.ok()) return k.status();
    return k->rank;
  }
  // A string that is equal for equal values (DISTINCT, GROUP BY keys).
  absl::StatusOr<std::string> Key(const Value& v);

 private:
  struct SortKey {
    int rank = 0;  // 0 null, 1 number, 2 date, 3 text, 4 other
    double number = 0;
    std::string text;
  };
  absl::StatusOr<SortKey> SortKeyOf(const Value& v);

  const Snapshot& snap_;
  QueryOptions options_;
  absl::Time deadline_;
  uint64_t ticks_ = 0;
  uint64_t rows_ = 0;
  absl::flat_hash_map<TermId, Term> terms_;
  absl::flat_hash_map<std::string, std::unique_ptr<Document>> documents_;
  absl::flat_hash_map<TermId, std::shared_ptr<const std::vector<EvidenceEntry>>> evidence_;
};

}  // namespace kg::query

#endif  // KG_QUERY_CONTEXT_H_
