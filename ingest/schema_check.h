// `kg check --schema`: every stored piece of evidence checked against the
// vocabulary's rules (kg/schema.h), and every `max` cardinality checked
// across the whole store -- what the ingest checks one document at a time,
// including documents loaded with --lenient or before a rule existed.
#ifndef KG_INGEST_SCHEMA_CHECK_H_
#define KG_INGEST_SCHEMA_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"

namespace kg::ingest {

struct SchemaViolation {
  std::string document;  // the document giving the evidence; "" for cardinality
  std::string claim;     // the claim as kg writes it
  std::string message;
};

struct SchemaCheckReport {
  uint64_t claims_checked = 0;  // claims under a rule (or every claim with qualifier rules)
  uint64_t evidence_checked = 0;
  std::vector<SchemaViolation> violations;  // in claim order; at most `limit`
  uint64_t more = 0;  // violations past `limit`, counted but not listed
};

// The rules are the core vocabulary's and the store's (Vocabulary::Core and
// AddFromStore); an entity's type is its stored one.
absl::StatusOr<SchemaCheckReport> CheckStoreSchema(const Snapshot& snap, size_t limit = 1000);

}  // namespace kg::ingest

#endif  // KG_INGEST_SCHEMA_CHECK_H_
