// One input file handed over whole, as the workbench's ingest page receives
// it: checked (a dry run) or loaded into the store by the same code as
// `kg ingest` (annotated documents and vocabularies) and `kg import` (RDF),
// with its errors returned as positions in the file rather than text.
#ifndef KG_INGEST_UPLOAD_H_
#define KG_INGEST_UPLOAD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"

namespace kg::ingest {

struct UploadProblem {
  int line = 0;  // 1-based; 0 when the problem is about the whole file
  int col = 0;   // 1-based, in code points; 0 with line 0
  std::string message;
  bool error = true;  // false: a note (e.g. how many more bad lines)
};

struct UploadReport {
  // What the file was read as: "annotated document", "vocabulary",
  // "N-Triples", "N-Quads", "Turtle" or "TriG".
  std::string kind;
  // In the order reported; the file's own name stands for it in messages.
  std::vector<UploadProblem> problems;
  // The documents written (or, in a dry run, that would be), in order, and
  // those among them that replace a stored document of the same id.
  std::vector<std::string> documents;
  std::vector<std::string> replaced;
  // Pieces of evidence (annotated) or statements (RDF) read.
  uint64_t items = 0;
  bool written = false;  // something was written to the store
  bool ok() const;       // no problem is an error
};

// What a file named `name` is read as (by its extension: .kga, .kgv, .nt,
// .nq, .ttl, .trig, optionally .gz or .bz2 after it), or InvalidArgument
// naming the extensions taken.
absl::StatusOr<std::string> UploadKind(std::string_view name);

// Checks `content` as the file `name` (`dry_run`: nothing is written; the
// store may be a follower), or loads it. The file is checked whole before
// anything is written, so a file with any error writes nothing; the errors
// are in the report, and the status is an error only when the store itself
// fails or `name` is not a kind taken. An annotated document or vocabulary
// is written as one atomic batch; an RDF file of several graphs as one
// batch per document (a crash between them keeps the documents before).
absl::StatusOr<UploadReport> LoadUpload(Store& store, std::string_view name,
                                        std::string_view content, bool dry_run);

}  // namespace kg::ingest

#endif  // KG_INGEST_UPLOAD_H_
