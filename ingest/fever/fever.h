// `kg import --format fever`: FEVER claim-verification records (JSON lines:
// {"id", "verifiable", "label", "claim", "evidence"}). A file becomes one
// document (`fever-<file stem>`, no text); each record's claim sentence the
// text claim << "sentence" is TextClaim >> with the label as a verdict by
// FEVERAnnotators, and each evidence set of a SUPPORTS or REFUTES record one
// piece of evidence (supports or disputes) naming its Wikipedia pages and
// sentences. docs/fever.md has the mapping and the figures on FEVER's dev set.
#ifndef KG_INGEST_FEVER_FEVER_H_
#define KG_INGEST_FEVER_FEVER_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/diagnostics.h"
#include "ingest/factcheck.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg::ingest {

// Qualifier keys of FEVER evidence (the verdict's keys are kg/verdict.h's).
inline constexpr std::string_view kFeverIdKey = "fever_id";    // the record's id, an integer
inline constexpr std::string_view kFeverPageKey = "page";      // doc:<Wikipedia URL>, per page
inline constexpr std::string_view kFeverSentenceKey = "sentence";  // "Page_title 3", per sentence
// The reviewer of every FEVER verdict (type Group, alias "FEVER annotators").
inline constexpr std::string_view kFeverReviewer = "FEVER annotators";

// "fever-" + the file name without directory and extension
// ("data/paper_dev.jsonl" -> "fever-paper_dev").
std::string FeverDocumentId(std::string_view path);
// A FEVER page name with its escapes decoded: -LRB- ( -RRB- ) -LSB- [
// -RSB- ] -LCB- { -RCB- } -COLON- : ("Soul_Food_-LRB-film-RRB-" ->
// "Soul_Food_(film)").
std::string FeverPageTitle(std::string_view page);
// The English Wikipedia URL of a FEVER page name: the decoded title with
// every byte but A-Za-z0-9 _ - . ~ : / ( ) , ' ! percent-encoded.
std::string FeverPageUrl(std::string_view page);

// What a file held; `pages` and `evidence_sets` count distinct ones.
struct FeverSummary {
  std::string document_id;
  uint64_t records = 0;
  uint64_t claims = 0;  // distinct claim sentences
  uint64_t supports = 0, refutes = 0, not_enough_info = 0;
  uint64_t evidence_sets = 0;  // pieces of evidence written
  uint64_t repeated_sets = 0;  // a record's set given again (another annotator): merged
  uint64_t pages = 0;
  double seconds = 0;
};

// Parses the content of FEVER file `path` into its document write. nullopt
// with every bad record in `diag` (line and column; an empty line is
// skipped). `notes` gets one line per unknown field (how many records had
// it; it is not imported). `summary` gets the counts.
std::optional<DocumentWrite> ParseFever(std::string_view path, std::string_view content,
                                        const FactCheckVocabulary& vocab, Diagnostics* diag,
                                        std::vector<std::string>* notes, FeverSummary* summary);

// Imports one FEVER file as one atomic document write (a second import of
// the same file replaces the first). Errors and notes are printed to `err`
// as `path:line:col: error: ...`; a file with errors writes nothing and
// gives InvalidArgument. NotFound if the file cannot be read.
absl::StatusOr<FeverSummary> ImportFever(Store& store, const std::string& path, std::ostream& err);

}  // namespace kg::ingest

#endif  // KG_INGEST_FEVER_FEVER_H_
