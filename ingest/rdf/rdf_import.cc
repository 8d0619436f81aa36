#include "ingest/rdf/rdf_import.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "ingest/rdf/nanopub.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/rdf_reader.h"
#include "ingest/rdf/rdf_graph.h"
#include "kg/rdf_mapping.h"
#include "ingest/rdf/rdf_plain_lane.h"
#include "kg/bulk_load.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

std::string DefaultDocId(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* ext : {".gz", ".bz2"}) {
    if (name.size() > strlen(ext) && name.ends_with(ext)) name.resize(name.size() - strlen(ext));
  }
  for (const char* ext : {".nq", ".nt", ".ttl", ".trig"}) {
    if (name.size() > strlen(ext) && name.ends_with(ext)) {
      name.resize(name.size() - strlen(ext));
      break;
    }
  }
  return name.empty() ? "import" : name;
}

// Pass 1: reads the whole file, reporting bad lines. Returns the number of
// bad lines, or -1 on a read error (which cannot be skipped).
int64_t Validate(const std::string& path, RdfSyntax syntax, const RdfImportOptions& options,
                 std::ostream& err) {
  auto source = OpenRdfReader(path, syntax, options.base);
  if (!source.ok()) {
    err << path << ": error: " << source.status().message() << "\n";
    return -1;
  }
  RdfReader& reader = *source->reader;
  int64_t errors = 0;
  RdfQuad q;
  while (true) {
    if (reader.Next(&q)) continue;
    if (!reader.error()) break;
    const std::string report = reader.FormatError();
    reader.SkipLine();
    if (reader.error()) {  // a read error: it cannot be skipped
      err << report;
      return -1;
    }
    if (++errors <= kMaxReportedErrors) err << report;
  }
  if (errors > kMaxReportedErrors) {
    err << path << ": " << errors - kMaxReportedErrors << " more bad lines not shown\n";
  }
  return errors;
}

// Pass 2: streams the statements into the store, one document write per run
// of statements of one graph, cut after kChunkStatements at the next
// statement that MayStartChunk. The first write of a document replaces it;
// later ones append to it. A graph's statements are expected to be
// contiguous, as kg writes them: claim nodes are forgotten when the graph
// changes.
// Where document writes go: the store, one atomic write each, or a bulk
// load that commits them all at once.
class Sink {
 public:
  virtual ~Sink() = default;
  // `first`: the document's first write (replaces it); else appends.
  virtual absl::Status Write(DocumentWrite w, bool first) = 0;
  virtual absl::Status PutEntities(const std::vector<Entity>& entities) = 0;
  // Completes every write handed over so far.
  virtual absl::Status Finish() { return absl::OkStatus(); }
};

class StoreSink : public Sink {
 public:
  StoreSink(Store& store, std::function<void(const std::string&)> on_commit)
      : store_(store), on_commit_(std::move(on_commit)) {}
  absl::Status Write(DocumentWrite w, bool first) override {
    KG_RETURN_IF_ERROR(first ? store_.WriteDocument(w) : store_.AppendToDocument(w));
    if (on_commit_) on_commit_(w.document.id);
    return absl::OkStatus();
  }
  absl::Status PutEntities(const std::vector<Entity>& entities) override {
    return store_.PutEntities(entities);
  }

 private:
  Store& store_;
  std::function<void(const std::string&)> on_commit_;
};

// A dry run's sink: each write is checked as the store would check it, and
// nothing is written.
class CheckSink : public Sink {
 public:
  explicit CheckSink(std::function<void(const std::string&)> on_check)
      : on_check_(std::move(on_check)) {}
  absl::Status Write(DocumentWrite w, bool first) override {
    // A later chunk of a document has no text: its spans are checked
    // against the first chunk's, as AppendToDocument checks them against
    // the stored text. A graph's chunks come together (Streamer), so only
    // the last document's text is kept.
    if (first) {
      last_id_ = w.document.id;
      last_text_ = w.document.text;
    } else if (w.document.id == last_id_) {
      w.document.text = last_text_;
    }
    KG_RETURN_IF_ERROR(Store::ValidateDocument(w));
    if (first && on_check_) on_check_(w.document.id);
    return absl::OkStatus();
  }
  absl::Status PutEntities(const std::vector<Entity>&) override { return absl::OkStatus(); }

 private:
  std::function<void(const std::string&)> on_check_;
  std::string last_id_, last_text_;
};

// Hands document writes to a worker thread that validates, encodes and
// buffers them in the bulk load, so parsing (this thread) and encoding use
// both cores. At most two writes wait in between. The first error of the
// worker is returned by the next call (once); after it the worker drops
// further writes (the whole bulk import fails anyway).
class BulkSink : public Sink {
 public:
  explicit BulkSink(BulkLoad& load) : load_(load), worker_([this] { Run(); }) {}
  ~BulkSink() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  absl::Status Write(DocumentWrite w, bool first) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < 2; });
    queue_.push_back({std::move(w), first});
    cv_.notify_all();
    return TakeError();
  }
  absl::Status PutEntities(const std::vector<Entity>& entities) override {
    KG_RETURN_IF_ERROR(Finish());
    return load_.PutEntities(entities);  // the worker is idle now
  }
  absl::Status Finish() override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
    absl::Status s = TakeError();
    if (s.ok() && failed_) s = absl::AbortedError("an earlier document of this import failed");
    return s;
  }

 private:
  struct Item {
    DocumentWrite write;
    bool first;
  };
  // REQUIRES: mu_ held.
  absl::Status TakeError() {
    absl::Status s = std::move(error_);
    error_ = absl::OkStatus();
    return s;
  }
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      Item item = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      cv_.notify_all();
      const bool skip = failed_;
      lock.unlock();
      absl::Status s;
      if (!skip) s = item.first ? load_.Write(item.write) : load_.Append(item.write);
      lock.lock();
      busy_ = false;
      if (!s.ok() && !failed_) {
        failed_ = true;
        error_ = s;
      }
      cv_.notify_all();
    }
  }

  BulkLoad& load_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool busy_ = false;
  bool closing_ = false;
  bool failed_ = false;
  absl::Status error_;
  std::thread worker_;  // last: starts after the members it uses
};

class Streamer {
 public:
  Streamer(Sink& store, const std::string& default_doc, RdfImportSummary* summary, std::ostream& err,
           const std::string& path, std::set<std::string>* written)
      : store_(store), default_doc_(default_doc), summary_(summary), err_(err), path_(path),
        written_(*written) {}

  absl::Status Add(RdfQuad q) {
    if (!q.graph && TakeEntity(q, &entities_)) return absl::OkStatus();
    const std::string key = q.graph ? CanonicalTerm(*q.graph) : "";
    if (!quads_.empty() && key != key_) {
      KG_RETURN_IF_ERROR(Flush());
      claim_nodes_.clear();
    } else if (quads_.size() >= kChunkStatements && MayStartChunk(q)) {
      KG_RETURN_IF_ERROR(Flush());
    }
    if (quads_.empty()) {
      key_ = key;
      graph_ = q.graph;
    }
    quads_.push_back(std::move(q));
    return absl::OkStatus();
  }

  absl::Status Finish() {
    KG_RETURN_IF_ERROR(Flush());
    std::vector<Entity> list;
    for (auto& [name, e] : entities_) list.push_back(std::move(e));
    if (!list.empty()) KG_RETURN_IF_ERROR(store_.PutEntities(list));
    return absl::OkStatus();
  }

  bool failed() const { return failed_; }

 private:
  absl::Status Flush() {
    if (quads_.empty()) return absl::OkStatus();
    const std::string doc_id = DocIdOf(graph_, default_doc_);
    auto w = GraphToDocument(doc_id, std::move(quads_), &claim_nodes_);
    quads_.clear();
    if (!w.ok()) {
      err_ << path_ << ": error: document " << doc_id << ": " << w.status().message() << "\n";
      failed_ = true;
      return absl::OkStatus();
    }
    const bool first = written_.insert(doc_id).second;
    absl::Status s = store_.Write(*std::move(w), first);
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      err_ << path_ << ": error: " << s.message() << "\n";
      failed_ = true;
      return absl::OkStatus();
    }
    KG_RETURN_IF_ERROR(s);
    if (first) ++summary_->documents;
    return absl::OkStatus();
  }

  Sink& store_;
  std::string default_doc_;
  RdfImportSummary* summary_;
  std::ostream& err_;
  std::string path_;
  std::vector<RdfQuad> quads_;
  std::string key_;
  std::optional<RdfTerm> graph_;
  std::map<std::string, RdfTerm> claim_nodes_;  // of the current graph
  std::set<std::string>& written_;  // documents written by this import
  std::map<std::string, Entity> entities_;
  bool failed_ = false;
};

}  // namespace

// Whether a chunk of a graph may start at `q` without cutting what
// GraphToDocument (rdf_graph.h) must see whole. kg writes a piece of
// evidence as its asserted triple (for a claim's first evidence only)
// followed by the reifier's statements, interleaved with its `via` sequence
// and with the definitions of claim nodes first used there; all but the
// asserted triple have a blank node kg generated (`scope..name`) as subject.
// So a chunk may start at a statement whose subject is an IRI, a blank node
// kg did not generate (no ".." in its label), or a claim node
// (`scope..c...`) as the subject of an asserted triple (any predicate but
// rdf:reifies).
//
// Trade-off: never splitting a named graph would also be correct for exports
// but holds a whole document in memory, and would not help an N-Triples copy
// of an export (all in the default graph). Cutting only here keeps memory
// bounded by a chunk plus the longest run of statements none of which may
// start one (in an export, the evidence between two claims' first
// evidence) plus the claim nodes of the current graph, for any graph and
// any scope. Only a long run of statements about blank nodes
// with ".." in their labels (which other tools hardly write) grows a chunk
// past kChunkStatements.
bool MayStartChunk(const RdfQuad& q) {
  if (!q.s.is_blank_node()) return true;
  const size_t dots = q.s.value.find("..");
  if (dots == std::string::npos) return true;
  return q.s.value.compare(dots + 2, 1, "c") == 0 && q.p.value != StrCat(kRdfNs, "reifies");
}

namespace {

// What ImportRdf learns of each input before anything is written.
struct InputFile {
  RdfSyntax syntax;
  bool may_hold_nanopubs;  // MayHoldNanopubs, for TriG and N-Quads
};

// Statements a file of nanopublications may hold: it is read whole.
constexpr size_t kMaxNanopubStatements = 1000000;

// Whether the first 64 KiB of `path` mention the nanopublication schema.
bool MayHoldNanopubs(const std::string& path) {
  auto head = ReadRdfHead(path, 64 << 10);
  return head.ok() && head->find(kNpNs) != std::string::npos;
}

// A nanopublication spans four graphs, so a file of them is read whole and
// checked (NanopubsToDocuments) before anything of it is written; each
// nanopublication is then one document. Returns whether the file failed
// (reported), or nullopt if it holds no nanopublication after all.
absl::StatusOr<std::optional<bool>> LoadNanopubFile(RdfReader& reader, const std::string& path,
                                                    const RdfImportOptions& options, Sink& sink,
                                                    RdfImportSummary* summary, std::ostream& err,
                                                    std::set<std::string>* bulk_written) {
  std::vector<RdfQuad> quads;
  RdfQuad q;
  int64_t bad = 0;
  while (true) {
    if (reader.Next(&q)) {
      if (quads.size() == kMaxNanopubStatements) {
        err << path << ": error: more than " << kMaxNanopubStatements
            << " statements: too many for a file of nanopublications (they are read whole)\n";
        return std::optional<bool>(true);
      }
      quads.push_back(std::move(q));
      continue;
    }
    if (!reader.error()) break;
    // Document by document, pass 1 reported the bad statements already.
    if (bulk_written != nullptr && ++bad <= kMaxReportedErrors) err << reader.FormatError();
    if (!options.keep_going && bulk_written != nullptr) return std::optional<bool>(true);
    reader.SkipLine();
    if (reader.error()) {
      err << reader.FormatError();
      return std::optional<bool>(true);
    }
  }
  if (!HasNanopub(quads)) return std::optional<bool>();
  auto docs = NanopubsToDocuments(quads);
  if (!docs.ok()) {
    err << path << ": error: " << docs.status().message() << "\n";
    return std::optional<bool>(true);
  }
  for (DocumentWrite& w : *docs) {
    const bool first = bulk_written == nullptr || bulk_written->insert(w.document.id).second;
    absl::Status s = sink.Write(std::move(w), first);
    if (absl::IsInvalidArgument(s)) {
      err << path << ": error: " << s.message() << "\n";
      return std::optional<bool>(true);
    }
    KG_RETURN_IF_ERROR(s);
    ++summary->documents;
  }
  summary->statements += quads.size();
  if (bulk_written != nullptr) summary->skipped_lines += bad;
  return std::optional<bool>(false);
}

// One attempt at an import. `plain`: the bulk path's plain lane, which sets
// *not_plain (and returns Cancelled) at a statement it cannot take.
absl::StatusOr<RdfImportSummary> ImportOnce(Store& store, const std::vector<std::string>& paths,
                                            const std::vector<InputFile>& files,
                                            const RdfImportOptions& options, std::ostream& err,
                                            bool bulk, bool plain, bool* not_plain) {
  RdfImportSummary summary;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<BulkLoad> load;
  std::unique_ptr<Sink> sink;
  if (bulk) {
    BulkLoadOptions bo;
    bo.memory_budget = options.bulk_memory;
    KG_ASSIGN_OR_RETURN(load, BulkLoad::Start(store, bo));
    plain = plain && load->AcceptsPlain();
    if (!plain) sink = std::make_unique<BulkSink>(*load);
    summary.bulk = true;
    summary.plain_lane = plain;
  } else {
    if (options.dry_run) {
      sink = std::make_unique<CheckSink>(options.on_commit);
    } else {
      sink = std::make_unique<StoreSink>(store, options.on_commit);
    }
  }
  std::set<std::string> written;
  bool bulk_failed = false;
  for (size_t file = 0; file < paths.size(); ++file) {
    const std::string& path = paths[file];
    const RdfSyntax syntax = files[file].syntax;
    summary.syntaxes.push_back(syntax);
    if (!bulk && !options.dry_run && !options.keep_going) {
      // Document by document, a file is first checked whole (a dry run of
      // this very import, which reports every bad line and every document
      // the store would refuse), so that a bad file writes nothing, not
      // even the documents before its first error.
      RdfImportOptions check = options;
      check.dry_run = true;
      check.on_commit = nullptr;
      bool unused = false;
      KG_ASSIGN_OR_RETURN(RdfImportSummary checked,
                          ImportOnce(store, {path}, {files[file]}, check, err, false, false,
                                     &unused));
      if (!checked.ok()) {
        ++summary.files_failed;
        summary.failed_files.push_back(path);
        continue;
      }
    } else if (!bulk) {
      // Pass 1 (document by document only): report every bad line first.
      const int64_t errors = Validate(path, syntax, options, err);
      if (errors < 0 || (errors > 0 && !options.keep_going)) {
        if (errors > 0) {
          err << path << ": " << errors
              << " bad line(s); nothing from this file was loaded (use --keep-going to load the good lines)\n";
        }
        ++summary.files_failed;
        summary.failed_files.push_back(path);
        continue;
      }
      summary.skipped_lines += errors;
      if (errors > 0) summary.files_with_skipped_lines.push_back(path);
    }
    const std::string default_doc =
        options.default_doc.empty() ? DefaultDocId(path) : options.default_doc;
    if (plain) {
      KG_ASSIGN_OR_RETURN(PlainFileResult r,
                          LoadPlainFile(*load, path, default_doc, syntax, options.base,
                                        options.keep_going, &written, err));
      if (r.not_plain) {
        *not_plain = true;
        return absl::CancelledError("not plain RDF: the import starts over in the document lane");
      }
      summary.statements += r.statements;
      summary.documents += r.documents;
      if (r.bad_lines > kMaxReportedErrors) {
        err << path << ": " << r.bad_lines - kMaxReportedErrors << " more bad lines not shown\n";
      }
      const bool failed = r.read_failed || r.refused;
      if (options.keep_going) summary.skipped_lines += r.bad_lines;
      bulk_failed |= failed;
      ++(failed ? summary.files_failed : summary.files_loaded);
      if (failed) {
        summary.failed_files.push_back(path);
      } else if (r.bad_lines > 0) {
        summary.files_with_skipped_lines.push_back(path);
      }
      continue;
    }
    auto source = OpenRdfReader(path, syntax, options.base);
    if (!source.ok()) {
      err << path << ": error: " << source.status().message() << "\n";
      ++summary.files_failed;
      summary.failed_files.push_back(path);
      bulk_failed = true;
      continue;
    }
    if (files[file].may_hold_nanopubs) {
      KG_ASSIGN_OR_RETURN(std::optional<bool> failed,
                          LoadNanopubFile(*source->reader, path, options, *sink, &summary, err,
                                          bulk ? &written : nullptr));
      if (failed) {
        bulk_failed |= *failed;
        ++(*failed ? summary.files_failed : summary.files_loaded);
        if (*failed) summary.failed_files.push_back(path);
        continue;
      }
      // No nanopublication after all: read it again as any TriG file.
      source = OpenRdfReader(path, syntax, options.base);
      if (!source.ok()) return source.status();
    }
    RdfReader& file_reader = *source->reader;
    // Document by document, a file's first write of a document replaces it
    // (as re-importing a file should); one bulk load sees every file.
    std::set<std::string> per_file;
    auto streamer = std::make_unique<Streamer>(*sink, default_doc, &summary, err, path,
                                               bulk ? &written : &per_file);
    RdfQuad q;
    bool read_failed = false;
    int64_t bad = 0;
    while (true) {
      if (file_reader.Next(&q)) {
        ++summary.statements;
        KG_RETURN_IF_ERROR(streamer->Add(std::move(q)));
        continue;
      }
      if (!file_reader.error()) break;
      const std::string report = file_reader.FormatError();
      file_reader.SkipLine();
      const bool fatal = file_reader.error().has_value();  // a read error
      if (bulk) {
        // One pass: bad lines are reported here (else in pass 1).
        if (fatal || ++bad <= kMaxReportedErrors) err << report;
        if (fatal || !options.keep_going) {
          read_failed = true;
          break;
        }
        ++summary.skipped_lines;
      } else if (fatal) {
        err << report;
        read_failed = true;
        break;
      }
    }
    if (bulk && bad > kMaxReportedErrors) {
      err << path << ": " << bad - kMaxReportedErrors << " more bad lines not shown\n";
    }
    bool finish_failed = false;
    if (absl::Status fin = streamer->Finish(); !fin.ok()) {
      // In the bulk path a refused document surfaces late (it is encoded on
      // the worker thread): report it like any refused document.
      if (!bulk || !(absl::IsInvalidArgument(fin) || absl::IsAborted(fin))) return fin;
      err << path << ": error: " << fin.message() << "\n";
      finish_failed = true;
    }
    const bool failed = streamer->failed() || read_failed || finish_failed;
    bulk_failed |= failed;
    ++(failed ? summary.files_failed : summary.files_loaded);
    if (failed) {
      summary.failed_files.push_back(path);
    } else if (bulk && bad > 0) {
      summary.files_with_skipped_lines.push_back(path);
    }
  }
  // A failed bulk import loads none of its files.
  auto all_failed = [&] {
    summary.failed_files.clear();
    summary.files_with_skipped_lines.clear();
    summary.failed_files = paths;
  };
  if (bulk) {
    if (bulk_failed) {
      err << "bulk import: nothing was loaded (the whole import is all or nothing; fix the "
             "errors above";
      err << (options.keep_going ? ")\n" : ", or use --keep-going to skip bad lines)\n");
      summary.files_failed += summary.files_loaded;
      summary.files_loaded = 0;
      summary.documents = 0;
      all_failed();
    } else {
      absl::Status pending = sink ? sink->Finish() : absl::OkStatus();
      if (absl::IsInvalidArgument(pending)) {
        err << "bulk import: nothing was loaded: " << pending.message() << "\n";
        summary.files_failed += summary.files_loaded;
        summary.files_loaded = 0;
        summary.documents = 0;
        all_failed();
        summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return summary;
      }
      KG_RETURN_IF_ERROR(pending);
      auto committed = load->Commit();
      if (!committed.ok()) return committed.status();
      if (options.on_commit) {
        for (const std::string& id : written) options.on_commit(id);
      }
      summary.bulk_runs = committed->runs;
      summary.bulk_commit_seconds = committed->commit_seconds;
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace

absl::StatusOr<RdfImportSummary> ImportRdf(Store& store, const std::vector<std::string>& paths,
                                           const RdfImportOptions& options, std::ostream& err) {
  bool bulk = options.bulk == RdfImportOptions::Bulk::kOn && !options.dry_run;
  if (options.bulk == RdfImportOptions::Bulk::kAuto && !options.dry_run) {
    uint64_t bytes = 0;
    for (const std::string& path : paths) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(path, ec);
      if (!ec) bytes += size;
    }
    KG_ASSIGN_OR_RETURN(StoreTotals totals, store.NewSnapshot()->Totals());
    bulk = bytes >= options.bulk_threshold_bytes && totals.documents == 0;
  }
  // Each file's syntax, before anything is written.
  std::vector<InputFile> files;
  for (const std::string& path : paths) {
    std::optional<RdfSyntax> syntax = options.syntax;
    if (!syntax) syntax = RdfSyntaxFromName(path);
    if (!syntax) {
      auto sniffed = SniffRdfSyntax(path);
      // An unreadable file is reported when it is opened.
      syntax = sniffed.ok() ? *sniffed : RdfSyntax::kNQuads;
      if (!sniffed.ok() && !absl::IsNotFound(sniffed.status())) {
        return absl::InvalidArgumentError(StrCat(
            path, ": ", sniffed.status().message()));
      }
    }
    // Nanopublications are mapped across graphs: the document lane's work.
    const bool nanopubs = (*syntax == RdfSyntax::kTriG || *syntax == RdfSyntax::kNQuads) &&
                          MayHoldNanopubs(path);
    files.push_back({*syntax, nanopubs});
  }
  const auto start = std::chrono::steady_clock::now();
  // Plain until a statement says otherwise (the lane then gives up and the
  // import starts over in the document lane: a kg export says so at once,
  // in its first document's metadata).
  const bool nanopubs = std::any_of(files.begin(), files.end(),
                                    [](const InputFile& f) { return f.may_hold_nanopubs; });
  const bool plain = bulk && options.plain_lane && !nanopubs;
  bool not_plain = false;
  // The plain lane's reports wait for its end: if a later file turns out
  // not to be plain, the document lane reads every file again and reports
  // them itself.
  std::ostringstream plain_err;
  auto summary =
      ImportOnce(store, paths, files, options, plain ? plain_err : err, bulk, plain, &not_plain);
  if (!not_plain) {
    err << plain_err.str();
    return summary;
  }
  // The abandoned load left nothing behind; start over in the document lane.
  summary = ImportOnce(store, paths, files, options, err, bulk, false, &not_plain);
  if (summary.ok()) {
    summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return summary;
}

}  // namespace kg::ingest
