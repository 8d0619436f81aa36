#include "ingest/upload.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "ingest/annotated/ingest.h"
#include "ingest/rdf/rdf_import.h"
#include "ingest/rdf/rdf_reader.h"
#include "kg/scratch_dir.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {

bool UploadReport::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const UploadProblem& p) { return p.error; });
}

namespace {

// `name` without directories, every byte outside [A-Za-z0-9._-] made '_',
// so that it is one safe file name in a directory of our own (an RDF
// file's default graph is named after it, as with kg import).
std::string SafeFileName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    out.push_back(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                          c == '_'
                      ? c
                      : '_');
  }
  if (out.empty() || out[0] == '.') out.insert(0, "upload");
  return out;
}

// The readers' reports (diagnostics.h: "PATH:L:C: error: message", then the
// source line and a caret; "PATH: error: message"; "PATH: N more bad lines
// not shown") as problems, with `path` written as `shown`. Source lines and
// carets are left out: the caller has the file.
void CollectProblems(const std::string& text, const std::string& path, const std::string& shown,
                     std::vector<UploadProblem>* problems) {
  const std::string prefix = path + ":";
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, prefix)) continue;
    UploadProblem p;
    // "L:C: " when the report has a position.
    const std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(':', 2));
    int l = 0, c = 0;
    if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &l) && absl::SimpleAtoi(parts[1], &c)) {
      p.line = l;
      p.col = c;
      line = parts[2];
    }
    line = absl::StripLeadingAsciiWhitespace(line);
    p.error = absl::ConsumePrefix(&line, "error: ");
    // What pass 1 of kg import adds after the bad lines it listed: the CLI's
    // advice, not news to someone looking at the list.
    if (!p.error && absl::StrContains(line, "--keep-going")) continue;
    p.message = absl::StrReplaceAll(line, {{path, shown}});
    problems->push_back(std::move(p));
  }
}

}  // namespace

absl::StatusOr<std::string> UploadKind(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(name.data(), name.size()));
  if (absl::EndsWith(lower, ".kga")) return std::string("annotated document");
  if (absl::EndsWith(lower, ".kgv")) return std::string("vocabulary");
  if (std::optional<RdfSyntax> syntax = RdfSyntaxFromName(lower)) {
    return std::string(RdfSyntaxName(*syntax));
  }
  return absl::InvalidArgumentError(
      StrCat("'", name, "' is not a kind of file kg loads from here: give an annotated "
                        "document (.kga), a vocabulary (.kgv), or RDF (.nt, .nq, .ttl, .trig, "
                        "optionally .gz or .bz2)"));
}

namespace {

// One run of kg ingest's or kg import's code over the file at `path`.
absl::StatusOr<UploadReport> RunOnce(Store& store, const std::string& kind,
                                     const std::string& path, std::string_view name,
                                     bool dry_run) {
  UploadReport report;
  report.kind = kind;
  auto note_document = [&report](const std::string& id) {
    // An RDF document written in several batches is reported once.
    if (std::find(report.documents.begin(), report.documents.end(), id) ==
        report.documents.end()) {
      report.documents.push_back(id);
    }
  };
  std::ostringstream err;
  if (kind == "annotated document" || kind == "vocabulary") {
    IngestOptions options;
    options.dry_run = dry_run;
    options.on_commit = note_document;
    std::ostringstream progress;
    KG_ASSIGN_OR_RETURN(IngestSummary summary, IngestPaths(store, {path}, options, err, progress));
    report.items = summary.claims;
    for (const auto& r : summary.replaced) report.replaced.push_back(r.id);
    report.written = !dry_run && (summary.documents_loaded > 0 || summary.vocabularies_loaded > 0);
  } else {
    RdfImportOptions options;
    options.dry_run = dry_run;
    options.bulk = RdfImportOptions::Bulk::kOff;
    options.on_commit = note_document;
    KG_ASSIGN_OR_RETURN(RdfImportSummary summary, ImportRdf(store, {path}, options, err));
    report.items = summary.statements;
    report.written = !dry_run && summary.documents > 0;
    if (dry_run) {
      auto snap = store.NewSnapshot();
      for (const std::string& id : report.documents) {
        KG_ASSIGN_OR_RETURN(std::optional<Document> stored, snap->GetDocument(id));
        if (stored) report.replaced.push_back(id);
      }
    }
  }
  CollectProblems(err.str(), path, std::string(name), &report.problems);
  return report;
}

}  // namespace

absl::StatusOr<UploadReport> LoadUpload(Store& store, std::string_view name,
                                        std::string_view content, bool dry_run) {
  KG_ASSIGN_OR_RETURN(const std::string kind, UploadKind(name));
  ScratchDir dir("kg-upload-");
  if (dir.path().empty()) return absl::InternalError("cannot create a temporary directory");
  const std::string path = (std::filesystem::path(dir.path()) / SafeFileName(name)).string();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) return absl::InternalError(StrCat("cannot write ", path));
  }
  // Always checked whole first, so that a bad file writes nothing even when
  // it holds several documents.
  KG_ASSIGN_OR_RETURN(UploadReport checked, RunOnce(store, kind, path, name, /*dry_run=*/true));
  if (dry_run || !checked.ok()) return checked;
  KG_ASSIGN_OR_RETURN(UploadReport loaded, RunOnce(store, kind, path, name, /*dry_run=*/false));
  loaded.replaced = std::move(checked.replaced);
  return loaded;
}

}  // namespace kg::ingest
