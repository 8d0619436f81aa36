// `kg import --format fever FILE.jsonl...`: each file one document
// (ingest/fever/fever.h), written whole or not at all, with a summary line.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "ingest/fever/fever.h"

namespace kg::cli {

namespace {

// The options of other formats, refused rather than ignored.
bool CheckOptions(const ImportCommandOptions& o, std::ostream& err) {
  for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--claim", &o.claim},
                                    {"--mapping", &o.brat_mapping},
                                    {"--doc", &o.doc},
                                    {"--base", &o.base}}) {
    if (!value->empty()) {
      err << "kg: " << flag << " does not apply to fever input (each file is the document "
          << "fever-<file name>)\n";
      return false;
    }
  }
  return true;
}

void PrintSummary(const std::string& path, const ingest::FeverSummary& s, std::ostream& out) {
  out << absl::StrFormat(
      "imported FEVER %s into doc:%s: %d claim(s) from %d record(s), %d SUPPORTS, %d REFUTES, %d "
      "NOT ENOUGH INFO, %d evidence set(s)%s over %d page(s) in %.2f s (%.0f records/s)\n",
      std::filesystem::path(path).filename().string(), s.document_id, s.claims, s.records,
      s.supports, s.refutes, s.not_enough_info, s.evidence_sets,
      s.repeated_sets > 0 ? absl::StrFormat(" (%d repeated set(s) merged)", s.repeated_sets) : "",
      s.pages, s.seconds, s.records / std::max(s.seconds, 1e-9));
}

}  // namespace

int RunImportFever(const ImportCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (!CheckOptions(o, err)) return 2;
  if (o.paths.empty()) {
    err << "kg: no input files\n";
    return 2;
  }
  // Nothing readable: fail before a store is created.
  for (const std::string& p : o.paths) {
    if (::access(p.c_str(), R_OK) != 0) {
      err << p << ": error: cannot read: " << std::strerror(errno)
          << "\nkg: nothing was imported\n";
      return 1;
    }
  }
  auto store = OpenStore(o.db, /*create=*/true, err);
  if (!store) return 1;
  int failed = 0;
  for (const std::string& path : o.paths) {
    absl::StatusOr<ingest::FeverSummary> summary = ingest::ImportFever(*store, path, err);
    // The errors are printed already; NotFound's message is the read error.
    if (absl::IsInvalidArgument(summary.status())) {
      err << "kg: " << summary.status().message() << "\n";
      ++failed;
      continue;
    }
    if (absl::IsNotFound(summary.status())) {
      ++failed;
      continue;
    }
    if (!summary.ok()) {
      err << "kg: import stopped: " << summary.status().message() << "\n";
      return 1;
    }
    PrintSummary(path, *summary, out);
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace kg::cli
