#include "ingest/annotated/ingest.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "ingest/annotated/annotated_parser.h"
#include "ingest/annotated/loader.h"
#include "kg/bulk_load.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;

struct InputFile {
  std::string path;
  bool vocabulary;
};

// Expands directories; keeps explicit files; reports unusable paths.
std::vector<InputFile> CollectInputs(const std::vector<std::string>& paths, std::ostream& err,
                                     int* failures, std::vector<std::string>* failed) {
  std::vector<InputFile> files;
  auto add = [&](const fs::path& p, bool explicit_file) {
    const std::string ext = p.extension().string();
    if (ext == ".kga" || ext == ".kgv") {
      files.push_back({p.string(), ext == ".kgv"});
    } else if (explicit_file) {
      err << p.string() << ": error: not an annotated document (.kga) or vocabulary (.kgv)\n";
      ++*failures;
      failed->push_back(p.string());
    }
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path());
      }
      if (ec) {
        err << path << ": error: cannot list directory: " << ec.message() << "\n";
        ++*failures;
        failed->push_back(path);
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& p : found) add(p, false);
    } else if (fs::exists(path, ec)) {
      add(path, true);
    } else {
      err << path << ": error: no such file or directory\n";
      ++*failures;
      failed->push_back(path);
    }
  }
  std::stable_partition(files.begin(), files.end(), [](const InputFile& f) { return f.vocabulary; });
  return files;
}

class ProgressBar {
 public:
  ProgressBar(bool enabled, std::ostream& out, size_t total)
      : enabled_(enabled), out_(out), total_(total), start_(std::chrono::steady_clock::now()) {}
  void Update(size_t done, uint64_t claims) {
    if (!enabled_) return;
    const double secs = Elapsed();
    const double rate = secs > 0 ? claims / secs : 0;
    const double eta = done > 0 ? secs * (total_ - done) / done : 0;
    constexpr int kWidth = 30;
    const int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
    out_ << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done
         << "/" << total_ << " files, " << claims << " claims, " << static_cast<uint64_t>(rate)
         << " claims/s, ETA " << static_cast<int>(eta + 0.5) << "s   " << std::flush;
  }
  void Finish() {
    if (enabled_) out_ << "\r" << std::string(90, ' ') << "\r" << std::flush;
  }
  double Elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool enabled_;
  std::ostream& out_;
  size_t total_;
  std::chrono::steady_clock::time_point start_;
};

// One annotated document read, parsed and resolved; never moved once made,
// since `diag` points into `content`.
struct ResolvedFile {
  const InputFile* file = nullptr;
  bool read_ok = false;
  std::string read_error;
  std::string content;
  std::unique_ptr<Diagnostics> diag;
  std::optional<DocumentWrite> write;
  uint64_t bytes = 0;  // content and canonical text, for ReadAhead's bound
};

// Reads, parses and resolves document files on its own thread, ahead of the
// caller, who takes them in file order (so errors and commits are reported
// as without it). Parsing and resolving need only the vocabulary, which does
// not change once the documents start (vocabulary files come first), so it
// overlaps the caller's encoding and writing of the previous documents.
// Besides the one the caller is writing, one file of any size, or up to
// kMaxAhead files of kMaxAheadBytes together (input and canonical text),
// wait for the caller.
class ReadAhead {
 public:
  ReadAhead(std::vector<const InputFile*> files, const Vocabulary& vocab,
            const ResolveOptions& options)
      : files_(std::move(files)), vocab_(vocab), options_(options), worker_([this] { Run(); }) {}
  ~ReadAhead() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next file in order; null after the last.
  std::unique_ptr<ResolvedFile> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    if (taken_ == files_.size()) return nullptr;
    cv_.wait(lock, [&] { return !ready_.empty(); });
    std::unique_ptr<ResolvedFile> next = std::move(ready_.front());
    ready_.pop_front();
    ++taken_;
    ready_bytes_ -= next->bytes;
    cv_.notify_all();
    return next;
  }

 private:
  static constexpr size_t kMaxAhead = 3;
  static constexpr uint64_t kMaxAheadBytes = 256ull << 20;

  void Run() {
    for (const InputFile* f : files_) {
      std::error_code ec;
      const uint64_t size = fs::file_size(f->path, ec);  // 0 if unknown: the read reports it
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] {
          return stop_ || ready_.empty() ||
                 (ready_.size() < kMaxAhead && ready_bytes_ + 2 * size <= kMaxAheadBytes);
        });
        if (stop_) return;
      }
      auto r = std::make_unique<ResolvedFile>();
      r->file = f;
      r->read_ok = ReadDocumentFile(f->path, &r->content, &r->read_error);
      if (r->read_ok) {
        r->diag = std::make_unique<Diagnostics>(f->path, r->content);
        ParsedFile parsed = ParseAnnotated(r->content, r->diag.get());
        r->write = ResolveDocument(parsed, vocab_, r->diag.get(), options_);
      }
      r->bytes = r->content.size() + (r->write ? r->write->document.text.size() : 0);
      std::lock_guard<std::mutex> lock(mu_);
      ready_bytes_ += r->bytes;
      ready_.push_back(std::move(r));
      cv_.notify_all();
    }
  }

  const std::vector<const InputFile*> files_;
  const Vocabulary& vocab_;
  const ResolveOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<ResolvedFile>> ready_;
  uint64_t ready_bytes_ = 0;
  size_t taken_ = 0;
  bool stop_ = false;
  std::thread worker_;  // last: starts once the rest is built
};

}  // namespace

bool ReadDocumentFile(const std::string& path, std::string* out, std::string* error) {
  std::error_code ec;
  const uint64_t size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
  if (!ec && size > kMaxDocumentFileBytes) {
    *error = StrCat(path, ": error: the file is ", size, " bytes; one document may be at most ",
                    kMaxDocumentFileBytes, " bytes (1 GiB): split it into several documents");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = StrCat(path, ": error: cannot open file");
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = StrCat(path, ": error: read failed");
    return false;
  }
  *out = std::move(ss).str();
  if (out->size() > kMaxDocumentFileBytes) {  // not a regular file, or it grew
    out->clear();
    *error = StrCat(path, ": error: more than ", kMaxDocumentFileBytes,
                    " bytes (1 GiB); one document may be at most that: split it");
    return false;
  }
  return true;
}

absl::StatusOr<DocumentWrite> ParseDocument(const std::string& file_name, std::string_view content,
                                            const Vocabulary& vocab) {
  Diagnostics diag(file_name, content);
  ParsedFile parsed = ParseAnnotated(content, &diag);
  std::optional<DocumentWrite> write = ResolveDocument(parsed, vocab, &diag);
  if (!diag.ok() || !write) return absl::InvalidArgumentError(diag.Format());
  return *std::move(write);
}

namespace {

// A dry run's write: Store::WriteDocument's checks, and whether it would
// replace a stored document (and change its text).
absl::Status CheckDocument(const Store& store, const DocumentWrite& w,
                           Store::WriteOutcome* outcome) {
  KG_RETURN_IF_ERROR(Store::ValidateDocument(w));
  auto snap = store.NewSnapshot();
  KG_ASSIGN_OR_RETURN(std::optional<Document> stored, snap->GetDocument(w.document.id));
  if (stored) {
    outcome->replaced = true;
    outcome->text_changed = stored->text != w.document.text;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IngestSummary> IngestPaths(Store& store, const std::vector<std::string>& paths,
                                          const IngestOptions& options, std::ostream& err,
                                          std::ostream& progress) {
  IngestSummary summary;
  int input_failures = 0;
  std::vector<InputFile> files = CollectInputs(paths, err, &input_failures, &summary.failed_files);
  summary.documents_failed += input_failures;

  Vocabulary vocab = Vocabulary::Core();
  {
    auto snap = store.NewSnapshot();
    if (auto s = vocab.AddFromStore(*snap); !s.ok()) return s;
  }
  std::unique_ptr<BulkLoad> load;
  if (options.bulk && !options.dry_run) {
    BulkLoadOptions bo;
    bo.memory_budget = options.bulk_memory;
    auto started = BulkLoad::Start(store, bo);
    if (!started.ok()) return started.status();
    load = *std::move(started);
  }
  auto put_entities = [&](const std::vector<Entity>& e) {
    if (options.dry_run) return absl::OkStatus();
    return load ? load->PutEntities(e) : store.PutEntities(e);
  };
  // A bulk load writes into an empty store: it replaces nothing.
  auto write_document = [&](const DocumentWrite& w, Store::WriteOutcome* outcome) {
    if (options.dry_run) return CheckDocument(store, w, outcome);
    return load ? load->Write(w) : store.WriteDocument(w, outcome);
  };
  ProgressBar bar(options.show_progress, progress, files.size());
  std::set<std::string> seen_docs;
  std::vector<std::string> bulk_loaded;  // reported once the load commits
  size_t done = 0;
  // Vocabularies, in order: each extends the vocabulary the next files see.
  std::vector<const InputFile*> documents;
  for (const InputFile& f : files) {
    if (!f.vocabulary) {
      documents.push_back(&f);
      continue;
    }
    std::string content, read_error;
    bar.Update(done++, summary.claims);
    if (!ReadDocumentFile(f.path, &content, &read_error)) {
      bar.Finish();
      err << read_error << "\n";
      ++summary.vocabularies_failed;
      summary.failed_files.push_back(f.path);
      continue;
    }
    summary.bytes += content.size();
    Diagnostics diag(f.path, content);
    ParsedFile parsed = ParseAnnotated(content, &diag);
    Vocabulary candidate = vocab;
    if (diag.ok()) candidate.AddDirectives(parsed.directives, &diag);
    if (diag.ok() && !parsed.spans.empty()) {
      diag.Error(parsed.spans.front().pos, "a vocabulary file has no annotated text");
    }
    if (!diag.ok()) {
      bar.Finish();
      err << diag.Format();
      ++summary.vocabularies_failed;
      summary.failed_files.push_back(f.path);
      continue;
    }
    if (auto s = put_entities(candidate.ToEntities()); !s.ok()) return s;
    // Its rules (domains, ranges, ...), kept for the documents of later runs
    // and `kg check --schema`.
    if (!options.dry_run) {
      if (auto s = store.PutSchema(candidate.SchemaRecordsOf(parsed.directives)); !s.ok()) return s;
    }
    vocab = std::move(candidate);
    ++summary.vocabularies_loaded;
  }
  // Documents: parsed and resolved ahead on a second thread, written here
  // in file order.
  ResolveOptions resolve;
  resolve.lenient = options.lenient;
  ReadAhead ahead(std::move(documents), vocab, resolve);
  while (std::unique_ptr<ResolvedFile> r = ahead.Next()) {
    const InputFile& f = *r->file;
    bar.Update(done++, summary.claims);
    if (!r->read_ok) {
      bar.Finish();
      err << r->read_error << "\n";
      ++summary.documents_failed;
      summary.failed_files.push_back(f.path);
      continue;
    }
    summary.bytes += r->content.size();
    Diagnostics& diag = *r->diag;
    std::optional<DocumentWrite>& write = r->write;
    if (write && !seen_docs.insert(write->document.id).second) {
      diag.Error({1, 1}, StrCat("document id '", write->document.id,
                                "' is also used by another file in this run"));
    }
    if (!diag.ok() || !write) {
      bar.Finish();
      err << diag.Format();
      ++summary.documents_failed;
      summary.failed_files.push_back(f.path);
      continue;
    }
    Store::WriteOutcome outcome;
    absl::Status s = write_document(*write, &outcome);
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      bar.Finish();
      err << f.path << ": error: " << s.message() << "\n";
      ++summary.documents_failed;
      summary.failed_files.push_back(f.path);
      continue;
    }
    if (!s.ok()) return s;
    // Rules broken by a lenient ingest: said, and loaded (kg check --schema
    // lists them again).
    if (!diag.warnings().empty()) {
      bar.Finish();
      err << diag.FormatWarnings();
      summary.rule_warnings += diag.warnings().size();
    }
    if (outcome.replaced) {
      summary.replaced.push_back({write->document.id, f.path, outcome.text_changed});
    }
    if (load) {
      bulk_loaded.push_back(write->document.id);
    } else if (options.on_commit) {
      options.on_commit(write->document.id);
    }
    ++summary.documents_loaded;
    summary.claims += write->claims.size() + write->document.links.size();
  }
  if (load) {
    auto committed = load->Commit();
    if (!committed.ok()) return committed.status();
    if (options.on_commit) {
      for (const std::string& id : bulk_loaded) options.on_commit(id);
    }
  }
  bar.Update(done, summary.claims);
  bar.Finish();
  summary.seconds = bar.Elapsed();
  return summary;
}

}  // namespace kg::ingest
