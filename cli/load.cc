// The commands that load and write out data: kg ingest, kg import (with the
// format inferred from the inputs) and kg export.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "absl/strings/str_format.h"
#include "cli/browse.h"
#include "cli/commands.h"
#include "cli/shacl_command.h"
#include "ingest/brat/brat_import.h"
#include "kg/scratch_dir.h"
#include "ingest/annotated/ingest.h"
#include "ingest/json_export.h"
#include "ingest/rdf/nanopub.h"
#include "ingest/rdf/rdf_export.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/status_macros.h"
#include "kg/store.h"
#include "kg/str_cat.h"

namespace kg::cli {

// --commit-log FILE: one line per committed document id, appended with one
// write(2) each as the commit returns, so a line in the file means the
// document was durable even if the process is killed right after.
class CommitLog {
 public:
  bool Open(const std::string& path, std::ostream& err) {
    if (path.empty()) return true;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) err << "kg: cannot open commit log " << path << ": " << std::strerror(errno) << "\n";
    return fd_ >= 0;
  }
  ~CommitLog() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::function<void(const std::string&)> Callback() {
    if (fd_ < 0) return nullptr;
    return [fd = fd_](const std::string& doc) {
      const std::string line = doc + "\n";
      // A failed write cannot undo the commit; the log then lacks the line.
      [[maybe_unused]] const ssize_t n = ::write(fd, line.data(), line.size());
    };
  }

 private:
  int fd_ = -1;
};

namespace {

// "a, b and 3 more" for a list of file names.
std::string NameList(const std::vector<std::string>& names, size_t show = 10) {
  std::string s;
  for (size_t i = 0; i < names.size() && i < show; ++i) {
    s += (i == 0 ? "" : ", ") + names[i];
  }
  if (names.size() > show) s += StrCat(" and ", names.size() - show, " more");
  return s;
}

// Calls `visit` for each entry below directory `dir`; unreadable parts are
// skipped (the readers report them), never thrown.
void WalkDirectory(const std::string& dir,
                   const std::function<void(const std::filesystem::directory_entry&)>& visit) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(
      dir, std::filesystem::directory_options::skip_permission_denied, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    visit(*it);
  }
}

uint64_t InputBytes(const std::vector<std::string>& paths) {
  uint64_t bytes = 0;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      WalkDirectory(p, [&](const std::filesystem::directory_entry& e) {
        std::error_code size_ec;
        if (e.is_regular_file(size_ec)) {
          const uint64_t size = e.file_size(size_ec);
          if (!size_ec) bytes += size;
        }
      });
    } else {
      const uint64_t size = std::filesystem::file_size(p, ec);
      if (!ec) bytes += size;
    }
  }
  return bytes;
}

// The store a dry run checks against, opened without changing anything:
// the store at `db` read-only, or, when there is none yet, an empty store
// in `*scratch`, made here (the caller keeps it while the store is open).
std::unique_ptr<Store> OpenForDryRun(const std::string& db, std::optional<ScratchDir>* scratch,
                                     std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(db) / "CURRENT", ec)) {
    StoreOptions options;
    options.read_only = true;
    auto store = Store::Open(db, options);
    if (!store.ok()) {
      err << "kg: " << store.status().message() << "\n";
      return nullptr;
    }
    return *std::move(store);
  }
  scratch->emplace("kg-dry-run-");
  if ((*scratch)->path().empty()) {
    err << "kg: cannot create a temporary directory for the dry run\n";
    return nullptr;
  }
  return OpenStore((*scratch)->path(), /*create=*/true, err);
}

}  // namespace

int RunIngestDryRun(const std::string& db, const std::vector<std::string>& paths, bool lenient,
                    std::ostream& out, std::ostream& err) {
  std::optional<ScratchDir> scratch;
  auto store = OpenForDryRun(db, &scratch, err);
  if (!store) return 1;
  ingest::IngestOptions options;
  options.dry_run = true;
  options.lenient = lenient;
  auto summary = ingest::IngestPaths(*store, paths, options, err, err);
  if (!summary.ok()) {
    err << "kg: dry run stopped: " << summary.status().message() << "\n";
    return 1;
  }
  out << absl::StrFormat(
      "dry run: %d document(s) with %d piece(s) of evidence and %d vocabulary file(s) would be "
      "ingested; %d would replace a stored document; %d failed; nothing was written\n",
      summary->documents_loaded, summary->claims, summary->vocabularies_loaded,
      summary->replaced.size(), summary->documents_failed + summary->vocabularies_failed);
  if (!summary->failed_files.empty()) {
    out << "failed: " << NameList(summary->failed_files) << "\n";
  }
  return summary->ok() ? 0 : 1;
}

int RunIngest(const std::string& db, const std::vector<std::string>& paths,
              std::ostream& out, std::ostream& err, const std::string& bulk, uint64_t memory_mb,
              const std::string& commit_log, bool lenient) {
  CommitLog log;
  if (!log.Open(commit_log, err)) return 1;
  auto store = OpenStore(db, /*create=*/true, err);
  if (!store) return 1;
  ingest::IngestOptions options;
  options.on_commit = log.Callback();
  options.show_progress = isatty(STDERR_FILENO) != 0;
  options.bulk_memory = memory_mb << 20;
  options.lenient = lenient;
  if (bulk == "on") {
    options.bulk = true;
  } else if (bulk == "auto") {
    // The bulk path into an empty store from 16 MB of input.
    auto totals = store->NewSnapshot()->Totals();
    options.bulk = InputBytes(paths) >= (16ull << 20) && totals.ok() && totals->documents == 0;
  }
  auto summary = ingest::IngestPaths(*store, paths, options, err, err);
  if (!summary.ok()) {
    err << "kg: ingest stopped: " << summary.status().message() << "\n";
    return 1;
  }
  const double secs = std::max(summary->seconds, 1e-9);
  out << absl::StrFormat(
      "ingested %d document(s) with %d piece(s) of evidence and %d vocabulary file(s) in "
      "%.2f s (%.0f evidence/s, %.2f MB/s); %d failed\n",
      summary->documents_loaded, summary->claims, summary->vocabularies_loaded,
      summary->seconds, summary->claims / secs, summary->bytes / secs / 1e6,
      summary->documents_failed + summary->vocabularies_failed);
  for (const auto& r : summary->replaced) {
    out << "replaced doc:" << r.id << " (from " << r.file << "): its earlier version and its "
        << "evidence are gone" << (r.text_changed ? "; the text changed" : "; same text") << "\n";
  }
  if (summary->rule_warnings > 0) {
    out << "loaded with " << summary->rule_warnings
        << " vocabulary rule(s) broken (--lenient; kg check --schema lists them)\n";
  }
  if (!summary->failed_files.empty()) {
    out << "failed (nothing from them was loaded): " << NameList(summary->failed_files) << "\n";
  }
  return summary->ok() ? 0 : 1;
}

absl::StatusOr<std::string> InferImportFormat(const std::vector<std::string>& paths) {
  // "brat", or "rdf": each RDF file's syntax is told when it is read.
  std::string found;
  auto add = [&](const std::string& path, const std::string& format) -> absl::Status {
    if (found.empty() || found == format) {
      found = format;
      return absl::OkStatus();
    }
    auto shown = [](const std::string& f) { return f == "rdf" ? std::string("RDF") : f; };
    return absl::InvalidArgumentError(StrCat(path, " is ", shown(format),
                                             " but an earlier input is ", shown(found),
                                             ": import them with separate commands"));
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      bool ann = false;
      WalkDirectory(path, [&](const std::filesystem::directory_entry& e) {
        if (e.path().extension() == ".ann") ann = true;
      });
      if (!ann) {
        return absl::InvalidArgumentError(StrCat(
            path, " is a directory without brat .ann files; kg import reads RDF files "
                  "(N-Triples, N-Quads, Turtle, TriG) or brat directories (annotated text: kg "
                  "ingest)"));
      }
      KG_RETURN_IF_ERROR(add(path, "brat"));
      continue;
    }
    if (ingest::RdfSyntaxFromName(path)) {
      KG_RETURN_IF_ERROR(add(path, "rdf"));
      continue;
    }
    std::string name = std::filesystem::path(path).filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    for (const char* ext : {".gz", ".bz2"}) {
      if (name.ends_with(ext)) name.resize(name.size() - strlen(ext));
    }
    if (name.ends_with(".ann") || name.ends_with(".txt")) {
      KG_RETURN_IF_ERROR(add(path, "brat"));
      continue;
    }
    // JSON-LD and HTML pages carry ClaimReview fact-checks; JSON lines may be
    // a ClaimReview feed or FEVER, which only --format tells apart.
    if (name.ends_with(".jsonld") || name.ends_with(".html") || name.ends_with(".htm")) {
      KG_RETURN_IF_ERROR(add(path, "claimreview"));
      continue;
    }
    if (name.ends_with(".jsonl") || name.ends_with(".json")) {
      return absl::InvalidArgumentError(StrCat(
          path, ": JSON lines may be ClaimReview or FEVER: say which with --format claimreview "
                "or --format fever"));
    }
    for (const char* ext : {".rdf", ".owl", ".n3"}) {
      if (name.ends_with(ext)) {
        return absl::InvalidArgumentError(StrCat(
            path, ": ", ext, " is not a format kg imports yet (N-Triples, N-Quads, Turtle, "
                  "TriG, brat, ClaimReview, FEVER); convert it first, e.g. rapper -o turtle"));
      }
    }
    if (name.ends_with(".kga") || name.ends_with(".kgv")) {
      return absl::InvalidArgumentError(
          StrCat(path, " is annotated text: load it with kg ingest"));
    }
    // No telling extension: the first lines decide.
    auto sniffed = ingest::SniffRdfSyntax(path);
    if (absl::IsNotFound(sniffed.status())) {
      return absl::NotFoundError(StrCat(path, ": cannot open file"));
    }
    if (!sniffed.ok()) {
      return absl::InvalidArgumentError(StrCat(
          path, ": cannot tell its format from its name or its first lines; say it with "
                "--format nt, nq, ttl, trig or brat"));
    }
    KG_RETURN_IF_ERROR(add(path, "rdf"));
  }
  if (found.empty()) return absl::InvalidArgumentError("no input files");
  return found;
}

// "Turtle", or "N-Triples and Turtle" for a mixed import.
std::string SyntaxNames(const std::vector<ingest::RdfSyntax>& syntaxes) {
  std::vector<std::string> names;
  for (const ingest::RdfSyntax s : syntaxes) {
    const std::string name = ingest::RdfSyntaxName(s);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (names.empty()) return "RDF";
  std::string out = names.front();
  for (size_t i = 1; i < names.size(); ++i) {
    out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

int RunImport(const ImportCommandOptions& o, std::ostream& out, std::ostream& err) {
  std::string format = o.format;
  if (format.empty()) {
    auto inferred = InferImportFormat(o.paths);
    if (!inferred.ok()) {
      err << "kg: " << inferred.status().message() << "\n";
      return absl::IsNotFound(inferred.status()) ? 1 : 2;
    }
    format = *inferred;
  }
  if ((!o.shacl.empty() || o.dry_run) &&
      (format == "brat" || format == "claimreview" || format == "fever")) {
    err << "kg: " << (o.dry_run ? "--dry-run" : "--shacl") << " applies to RDF input only\n";
    return 2;
  }
  if (format == "brat") return RunImportBrat(o.db, o.brat_mapping, o.paths, out, err);
  if (format == "claimreview") return RunImportClaimReview(o, out, err);
  if (format == "fever") return RunImportFever(o, out, err);
  if (!o.claim.empty()) {
    err << "kg: --claim applies to claimreview input only\n";
    return 2;
  }
  if (!o.brat_mapping.empty()) {
    err << "kg: --mapping applies to brat input only\n";
    return 2;
  }
  // Shapes first: a file that does not conform imports nothing of the run.
  if (!o.shacl.empty()) {
    std::string nonconforming;
    const int rc = RunShaclCheckFiles(o.paths, o.shacl, "ttl", out, err, &nonconforming);
    if (rc == 1) {
      err << "kg: " << nonconforming << " does not conform to the shapes in " << o.shacl
          << " (the report is above): nothing was imported\n";
    } else if (rc != 0) {
      err << "kg: nothing was imported\n";
    }
    if (rc != 0) return rc;
  }
  // Nothing to read: fail before a store is created.
  std::string unreadable;
  for (const std::string& p : o.paths) {
    if (::access(p.c_str(), R_OK) == 0) {
      unreadable.clear();
      break;
    }
    unreadable += StrCat(p, ": error: cannot read: ", std::strerror(errno), "\n");
  }
  if (!unreadable.empty()) {
    err << unreadable << "kg: nothing was imported\n";
    return 1;
  }
  std::optional<ScratchDir> scratch;
  std::unique_ptr<Store> store;
  CommitLog log;
  if (o.dry_run) {
    store = OpenForDryRun(o.db, &scratch, err);
  } else {
    if (!log.Open(o.commit_log, err)) return 1;
    store = OpenStore(o.db, /*create=*/true, err);
  }
  if (!store) return 1;
  ingest::RdfImportOptions options;
  options.dry_run = o.dry_run;
  options.on_commit = log.Callback();
  options.bulk = o.bulk == "on"    ? ingest::RdfImportOptions::Bulk::kOn
                 : o.bulk == "off" ? ingest::RdfImportOptions::Bulk::kOff
                                   : ingest::RdfImportOptions::Bulk::kAuto;
  options.bulk_memory = o.memory_mb << 20;
  if (format == "nt") options.syntax = ingest::RdfSyntax::kNTriples;
  if (format == "nq") options.syntax = ingest::RdfSyntax::kNQuads;
  if (format == "ttl") options.syntax = ingest::RdfSyntax::kTurtle;
  if (format == "trig") options.syntax = ingest::RdfSyntax::kTriG;
  options.base = o.base;
  options.keep_going = o.keep_going;
  options.default_doc = StripDocPrefix(o.doc);
  auto summary = ingest::ImportRdf(*store, o.paths, options, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  if (o.dry_run) {
    out << absl::StrFormat(
        "dry run: %d file(s) as %s would be imported and %d would fail (%d statement(s) read); "
        "nothing was written\n",
        summary->files_loaded, SyntaxNames(summary->syntaxes), summary->files_failed,
        summary->statements);
    if (!summary->failed_files.empty()) {
      out << "failed: " << NameList(summary->failed_files) << "\n";
    }
    return summary->ok() ? 0 : 1;
  }
  const double secs = std::max(summary->seconds, 1e-9);
  out << absl::StrFormat(
      "imported %d file(s)%s as %s: %d statement(s) into %d document(s) in %.2f s (%.0f "
      "statements/s); %d file(s) failed, %d line(s) skipped\n",
      summary->files_loaded,
      summary->bulk ? absl::StrFormat(" (bulk%s: %d sorted run(s), merged and ingested in %.2f s)",
                                      summary->plain_lane ? ", plain RDF" : "", summary->bulk_runs,
                                      summary->bulk_commit_seconds)
                    : std::string(),
      SyntaxNames(summary->syntaxes), summary->statements, summary->documents,
      summary->seconds, summary->statements / secs, summary->files_failed,
      summary->skipped_lines);
  if (!summary->failed_files.empty()) {
    out << "failed (nothing from them was loaded): " << NameList(summary->failed_files) << "\n";
  }
  if (!summary->files_with_skipped_lines.empty()) {
    out << "loaded with bad lines skipped: " << NameList(summary->files_with_skipped_lines) << "\n";
  }
  return summary->ok() ? 0 : 1;
}

int RunImportBrat(const std::string& db, const std::string& mapping_file,
                  const std::vector<std::string>& paths, std::ostream& out, std::ostream& err) {
  ingest::BratMapping mapping = ingest::BratMapping::Builtin();
  if (!mapping_file.empty()) {
    std::ifstream in(mapping_file, std::ios::binary);
    if (!in) {
      err << "kg: cannot read " << mapping_file << "\n";
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    ingest::Diagnostics diag(mapping_file, content);
    mapping = ingest::BratMapping::Parse(content, &diag);
    if (!diag.ok()) {
      err << diag.Format();
      return 1;
    }
  }
  auto store = OpenStore(db, /*create=*/true, err);
  if (!store) return 1;
  auto summary = ingest::ImportBrat(*store, paths, mapping, err);
  if (!summary.ok()) {
    err << "kg: import stopped: " << summary.status().message() << "\n";
    return 1;
  }
  out << absl::StrFormat("imported %d brat document(s) with %d claim(s) in %.2f s; %d failed\n",
                         summary->documents_loaded, summary->claims, summary->seconds,
                         summary->documents_failed);
  return summary->ok() ? 0 : 1;
}

int RunExport(const std::string& db, const std::string& format, const std::string& doc,
              const std::string& output, std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  std::optional<std::string> only;
  if (!doc.empty()) {
    only = StripDocPrefix(doc);
    auto found = snap->GetDocument(*only);
    if (found.ok() && !found->has_value()) {
      err << "kg: no document doc:" << *only << " is stored (kg docs lists them)\n";
      return 1;
    }
  }
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "kg: cannot write " << output << ": " << std::strerror(errno) << "\n";
      return 1;
    }
  }
  std::ostream& sink = output.empty() ? out : file;
  absl::Status s = absl::InvalidArgumentError("unknown format " + format);
  if (format == "jsonl") s = ingest::ExportJsonLines(*snap, only, sink);
  if (format == "nq") s = ingest::ExportNQuads(*snap, only, sink);
  if (format == "nanopub") {
    s = absl::OkStatus();
    std::vector<std::string> ids;
    if (only) {
      ids.push_back(*only);
    } else if (auto all = snap->ListDocuments(); all.ok()) {
      ids = *all;
    } else {
      s = all.status();
    }
    for (const std::string& id : ids) {
      if (s.ok()) s = ingest::ExportNanopubs(*snap, id, sink);
    }
  }
  if (format == "ttl" || format == "trig") {
    s = ingest::ExportTurtle(*snap, only, format == "trig", sink);
  }
  sink.flush();
  if (s.ok() && !sink) s = absl::UnavailableError("write failed");
  if (!s.ok()) {
    err << "kg: export failed: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace kg::cli
