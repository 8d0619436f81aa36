// `kg import --format brat`: brat standoff annotations (.ann next to its
// .txt). Each .txt becomes a document; text-bound annotations become entity
// mentions, relations and events become claims with evidence anchored in the
// .txt (offsets in Unicode code points, as the format defines); attributes,
// normalizations, notes and equivalences become claims or evidence details,
// per the mapping in schemas/brat-mapping.txt.
#ifndef KG_INGEST_BRAT_IMPORT_H_
#define KG_INGEST_BRAT_IMPORT_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/diagnostics.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg::ingest {

class BratMapping {
 public:
  // The built-in mapping (schemas/brat-mapping.txt).
  static BratMapping Builtin();
  // Parses a mapping file; errors go to `diag`.
  static BratMapping Parse(std::string_view text, Diagnostics* diag);

  // The kg name for a brat name of `kind` (entity, relation, event, role,
  // equiv, attribute); the brat name itself when unmapped.
  std::string Map(std::string_view kind, std::string_view brat_name) const;
  // For attributes: the rule for NAME=VALUE, else NAME; "" if none.
  std::string AttributeRule(std::string_view name, std::string_view value) const;

 private:
  std::map<std::string, std::string> rules_;  // "kind brat-name" -> kg name
};

// Parses one document: `doc_id`, the .txt content and the .ann content.
// nullopt with errors in `ann_diag` (positions in the .ann file) or
// `txt_diag` (invalid text).
std::optional<DocumentWrite> ParseBrat(const std::string& doc_id, std::string_view txt,
                                       std::string_view ann, const BratMapping& mapping,
                                       Diagnostics* txt_diag, Diagnostics* ann_diag);

struct BratImportSummary {
  int documents_loaded = 0;
  int documents_failed = 0;
  uint64_t claims = 0;
  double seconds = 0;
  bool ok() const { return documents_failed == 0; }
};

// Imports every .ann in `paths` (files or directories) with its .txt.
absl::StatusOr<BratImportSummary> ImportBrat(Store& store, const std::vector<std::string>& paths,
                                             const BratMapping& mapping, std::ostream& err);

}  // namespace kg::ingest

#endif  // KG_INGEST_BRAT_IMPORT_H_
