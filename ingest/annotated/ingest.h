// `kg ingest`: loads annotated documents (.kga) and vocabularies (.kgv) from
// files and directories into a store. Each document is validated in full and
// written as one atomic unit; a document with any error writes nothing, and
// the others still load.
#ifndef KG_INGEST_ANNOTATED_INGEST_H_
#define KG_INGEST_ANNOTATED_INGEST_H_

#include <cstdint>
#include <ostream>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/store.h"

namespace kg::ingest {

// The largest file read whole as one document (annotated text, a
// vocabulary, a brat .ann or .txt): 1 GiB.
inline constexpr uint64_t kMaxDocumentFileBytes = 1ull << 30;

// Reads `path` whole into `out`. On failure, `error` is "PATH: error: ..."
// (cannot open, read failed, or larger than kMaxDocumentFileBytes, which is
// checked before anything is read).
bool ReadDocumentFile(const std::string& path, std::string* out, std::string* error);

struct IngestOptions {
  // Draw a progress bar on `progress` (a terminal). Default: off.
  bool show_progress = false;
  // Load through the bulk path (kg/bulk_load.h): the store must be empty;
  // documents are validated one by one as usual (a bad one is reported and
  // skipped), but all the good ones become visible at once, at the end, and
  // a crash before then leaves the store empty. Default: off.
  bool bulk = false;
  // The bulk path's sort memory. Default: 512 MiB
  uint64_t bulk_memory = 512ull << 20;
  // Called with a document's id once it is committed (durable in the store):
  // after each document's write, or for every document at the end of a bulk
  // load. Default: none
  std::function<void(const std::string& document_id)> on_commit;
  // Check everything as a real ingest would (parse, resolve, the store's own
  // validation of each document, vocabularies against each other) and write
  // nothing: `on_commit` is called for each document that would be written,
  // and `replaced` lists the stored documents it would replace. Works on a
  // store opened read-only or as a follower. Default: off
  bool dry_run = false;
  // Load a document that breaks a vocabulary rule (kg/schema.h: a domain,
  // range, cardinality, qualifier, hedge or stance rule) with a warning for
  // each, instead of refusing it. Default: off
  bool lenient = false;
};

struct IngestSummary {
  int documents_loaded = 0;
  int documents_failed = 0;
  int vocabularies_loaded = 0;
  int vocabularies_failed = 0;
  uint64_t claims = 0;    // pieces of evidence written (one per quoted claim)
  uint64_t rule_warnings = 0;  // vocabulary rules broken by documents loaded (lenient)
  uint64_t bytes = 0;     // bytes of input read
  double seconds = 0;
  // The files that failed (documents and vocabularies), in the order found.
  std::vector<std::string> failed_files;
  // Documents that replaced a stored document of the same id, and whether
  // their text differs from the replaced one's.
  struct Replaced {
    std::string id;
    std::string file;
    bool text_changed = false;
  };
  std::vector<Replaced> replaced;
  bool ok() const { return documents_failed == 0 && vocabularies_failed == 0; }
};

// Ingests `paths` (files or directories, searched recursively for .kga and
// .kgv; vocabularies load first). Errors are written to `err` as they are
// found, in `file:line:col: error: message` form; progress to `progress`.
// Returns a non-OK status only when the store itself fails.
absl::StatusOr<IngestSummary> IngestPaths(Store& store, const std::vector<std::string>& paths,
                                          const IngestOptions& options, std::ostream& err,
                                          std::ostream& progress);

// Parses and resolves one annotated document without writing it (used by
// tests and by `ingest`). On error returns InvalidArgument whose message is
// the formatted diagnostics.
absl::StatusOr<DocumentWrite> ParseDocument(const std::string& file_name,
                                            std::string_view content,
                                            const class Vocabulary& vocab);

}  // namespace kg::ingest

#endif  // KG_INGEST_ANNOTATED_INGEST_H_
