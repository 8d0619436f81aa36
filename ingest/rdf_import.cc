#include "ingest/rdf_import.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "ingest/ntriples.h"
#include "ingest/rdf_mapping.h"
#include "kg/bulk_load.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

constexpr int kMaxReportedErrors = 100;

std::string DefaultDocId(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* ext : {".gz", ".nq", ".nt"}) {
    if (name.size() > strlen(ext) && name.ends_with(ext)) name.resize(name.size() - strlen(ext));
  }
  return name.empty() ? "import" : name;
}

// Key of a term for grouping and lookups.
std::string Key(const RdfTerm& t) { return CanonicalTerm(t); }

// Builds the DocumentWrite of one graph (or of one chunk of it), recognising
// kg's own export vocabulary; everything else becomes claims asserted by the
// document. `claim_nodes` maps the blank nodes kg wrote for claims in subject
// position to their triple terms; it outlives one chunk because such a node
// is defined once per document, at its first use.
class GraphLoader {
 public:
  GraphLoader(std::string doc_id, std::vector<RdfQuad> quads,
              std::map<std::string, RdfTerm>* claim_nodes)
      : doc_id_(std::move(doc_id)),
        quads_(std::move(quads)),
        scope_(BlankScope(doc_id_)),
        claim_nodes_(claim_nodes) {}

  absl::StatusOr<DocumentWrite> Build() {
    write_.document.id = doc_id_;
    const std::string doc_key = Key(ToRdf(Term::Document(doc_id_)));
    // Index subjects for reifiers and sequences.
    for (size_t i = 0; i < quads_.size(); ++i) by_subject_[Key(quads_[i].s)].push_back(i);

    std::vector<bool> used(quads_.size(), false);
    // Blank nodes kg wrote for claims in subject position.
    const std::string claim_prefix = StrCat(scope_, "..c");
    for (size_t i = 0; i < quads_.size(); ++i) {
      const RdfQuad& q = quads_[i];
      if (q.s.is_blank_node() && q.s.value.starts_with(claim_prefix) && q.o.is_triple_term() &&
          q.p.value == StrCat(kRdfNs, "reifies")) {
        claim_nodes_->emplace(q.s.value, q.o);
        used[i] = true;
      }
    }
    // Document metadata.
    for (size_t i : by_subject_[doc_key]) {
      const RdfQuad& q = quads_[i];
      const std::string& p = q.p.value;
      if (q.p.is_iri() && q.o.is_literal() && ApplyMetadata(p, q.o)) {
        used[i] = true;
      } else if (p == StrCat(kRdfNs, "type") && q.o.is_iri() && q.o.value == StrCat(kProvNs, "Entity")) {
        used[i] = true;
      } else if (p == KgIri("authors") && q.o.is_blank_node()) {
        used[i] = true;
        for (const RdfTerm& a : Sequence(q.o, &used)) write_.document.authors.push_back(a.value);
      }
    }
    // Evidence reifiers: blank nodes with rdf:reifies and kg:ordinal.
    std::map<uint32_t, std::pair<Term, Evidence>> evidence;  // by ordinal
    std::set<std::string> reified;                           // triples with evidence
    for (auto& [subject, indexes] : by_subject_) {
      std::optional<size_t> reifies, ordinal;
      for (size_t i : indexes) {
        if (!quads_[i].s.is_blank_node()) break;
        if (quads_[i].p.value == StrCat(kRdfNs, "reifies") && quads_[i].o.is_triple_term()) reifies = i;
        if (quads_[i].p.value == KgIri("ordinal")) ordinal = i;
      }
      if (!reifies || !ordinal) continue;
      KG_ASSIGN_OR_RETURN(Term claim, FromRdf(quads_[*reifies].o, scope_, claim_nodes_));
      Evidence ev;
      auto n = UnsignedOf(quads_[*ordinal].o);
      if (!n) return absl::InvalidArgumentError(StrCat("malformed kg:ordinal of _:", quads_[*ordinal].s.value));
      for (size_t i : indexes) {
        used[i] = true;
        KG_RETURN_IF_ERROR(ApplyEvidenceProperty(quads_[i], &ev, &used));
      }
      if (span_start_ && span_end_) ev.span = Span{*span_start_, *span_end_};
      span_start_.reset();
      span_end_.reset();
      evidence.emplace(static_cast<uint32_t>(*n), std::pair{claim, std::move(ev)});
      reified.insert(Key(quads_[*reifies].o));
    }
    // Asserted triples: those with reifiers are covered by their evidence.
    uint32_t next_ordinal = evidence.empty() ? 0 : evidence.rbegin()->first + 1;
    for (size_t i = 0; i < quads_.size(); ++i) {
      if (used[i]) continue;
      const RdfQuad& q = quads_[i];
      const RdfTerm triple = RdfTerm::TripleTerm(q.s, q.p, q.o);
      if (reified.contains(Key(triple))) continue;
      KG_ASSIGN_OR_RETURN(Term claim, FromRdf(triple, scope_, claim_nodes_));
      evidence.emplace(next_ordinal++, std::pair{claim, Evidence{}});
    }
    // Links of the document come back as links, so the store rebuilds them.
    const Term doc = Term::Document(doc_id_);
    for (auto& [ordinal, entry] : evidence) {
      const Term& claim = entry.first;
      auto relation = claim.predicate().kind() == TermKind::kEntity
                          ? ParseRelation(claim.predicate().text())
                          : std::nullopt;
      if (relation && claim.subject() == doc && entry.second.agent == std::nullopt &&
          entry.second.via.empty() && entry.second.qualifiers.empty()) {
        write_.document.links.push_back(
            {*relation, claim.object(), entry.second.quote, entry.second.span});
        continue;
      }
      write_.claims.push_back({claim, std::move(entry.second)});
    }
    return std::move(write_);
  }

 private:
  static std::optional<uint64_t> UnsignedOf(const RdfTerm& t) {
    if (!t.is_literal() || t.value.empty() || t.value.size() > 19) return std::nullopt;
    uint64_t v = 0;
    for (char c : t.value) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // The items of an rdf:_1, rdf:_2, ... node, in order; marks them used.
  std::vector<RdfTerm> Sequence(const RdfTerm& node, std::vector<bool>* used) {
    std::map<uint64_t, RdfTerm> items;
    for (size_t i : by_subject_[Key(node)]) {
      const std::string& p = quads_[i].p.value;
      const std::string prefix = StrCat(kRdfNs, "_");
      if (!p.starts_with(prefix)) continue;
      uint64_t n = 0;
      bool ok = p.size() > prefix.size();
      for (char c : std::string_view(p).substr(prefix.size())) {
        ok = ok && c >= '0' && c <= '9';
        n = n * 10 + (c - '0');
      }
      if (!ok) continue;
      (*used)[i] = true;
      items.emplace(n, quads_[i].o);
    }
    std::vector<RdfTerm> out;
    for (auto& [n, t] : items) out.push_back(t);
    return out;
  }

  bool ApplyMetadata(const std::string& p, const RdfTerm& o) {
    Document& d = write_.document;
    if (p == StrCat(kDctNs, "title")) d.title = o.value;
    else if (p == StrCat(kDctNs, "publisher")) d.publisher = o.value;
    else if (p == KgIri("url")) d.url = o.value;
    else if (p == KgIri("documentType")) d.type = o.value;
    else if (p == KgIri("text")) d.text = o.value;
    else if (p == KgIri("sha256")) { /* recomputed by the store */ }
    else if (p == StrCat(kDctNs, "date")) {
      auto t = FromRdf(o, scope_);
      if (!t.ok() || t->kind() != TermKind::kDate) return false;
      d.date = t->date();
    } else {
      return false;
    }
    return true;
  }

  absl::Status ApplyEvidenceProperty(const RdfQuad& q, Evidence* ev, std::vector<bool>* used) {
    const std::string& p = q.p.value;
    if (p == StrCat(kRdfNs, "reifies") || p == KgIri("ordinal")) return absl::OkStatus();
    if (p == KgIri("quote")) {
      ev->quote = q.o.value;
    } else if (p == KgIri("start") || p == KgIri("end")) {
      auto n = UnsignedOf(q.o);
      if (!n) return absl::InvalidArgumentError(StrCat("malformed ", p));
      (p == KgIri("start") ? span_start_ : span_end_) = *n;
    } else if (p == KgIri("hedge") || p == KgIri("stance")) {
      const std::string local = q.o.value.substr(std::min(q.o.value.size(), kKgVocabNs.size()));
      if (p == KgIri("hedge")) {
        auto h = ParseHedge(local);
        if (!h) return absl::InvalidArgumentError(StrCat("unknown hedge <", q.o.value, ">"));
        ev->hedge = *h;
      } else {
        auto s = ParseStance(local);
        if (!s) return absl::InvalidArgumentError(StrCat("unknown stance <", q.o.value, ">"));
        ev->stance = *s;
      }
    } else if (p == KgIri("negated")) {
      ev->negated = q.o.value == "true";
    } else if (p == StrCat(kProvNs, "wasAttributedTo")) {
      KG_ASSIGN_OR_RETURN(Term agent, FromRdf(q.o, scope_, claim_nodes_));
      ev->agent = agent;
    } else if (p == KgIri("via") && q.o.is_blank_node()) {
      for (const RdfTerm& v : Sequence(q.o, used)) {
        KG_ASSIGN_OR_RETURN(Term t, FromRdf(v, scope_, claim_nodes_));
        ev->via.push_back(t);
      }
    } else if (p.starts_with(kKgVocabNs)) {
      KG_ASSIGN_OR_RETURN(Term value, FromRdf(q.o, scope_, claim_nodes_));
      ev->qualifiers.push_back({p.substr(kKgVocabNs.size()), value});
    } else {
      return absl::InvalidArgumentError(StrCat("unexpected property <", p, "> on an evidence node"));
    }
    return absl::OkStatus();
  }

  std::string doc_id_;
  std::vector<RdfQuad> quads_;
  std::string scope_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_subject_;
  std::map<std::string, RdfTerm>* claim_nodes_;  // not owned
  DocumentWrite write_;
  std::optional<uint64_t> span_start_, span_end_;
};

// Default-graph entity declarations (kg:alias, kg:entityType).
bool TakeEntity(const RdfQuad& q, std::map<std::string, Entity>* entities) {
  if (!q.s.is_iri() || !q.s.value.starts_with(kKgEntityNs) || !q.o.is_literal()) return false;
  const bool alias = q.p.value == KgIri("alias");
  if (!alias && q.p.value != KgIri("entityType")) return false;
  auto name = PercentDecode(std::string_view(q.s.value).substr(kKgEntityNs.size()));
  if (!name || name->empty()) return false;
  Entity& e = (*entities)[*name];
  e.name = *name;
  if (alias) e.aliases.push_back(q.o.value);
  else e.type = q.o.value;
  return true;
}

}  // namespace

namespace {

// Statements per document write when streaming: bounds the memory of an
// import whatever the file size.
constexpr size_t kChunkStatements = 20000;

// Whether a chunk of a graph may start at `q` without cutting what the
// GraphLoader must see whole. kg writes a piece of evidence as its asserted
// triple (for a claim's first evidence only) followed by the reifier's
// statements, interleaved with its `via` sequence and with the definitions
// of claim nodes first used there; all but the asserted triple have a blank
// node kg generated (`scope..name`) as subject. So a chunk may start at a
// statement whose subject is an IRI, a blank node kg did not generate (no
// ".." in its label), or a claim node (`scope..c...`) as the subject of an
// asserted triple (any predicate but rdf:reifies).
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

// Pass 1: reads the whole file, reporting bad lines. Returns the number of
// bad lines, or -1 on a read error (which cannot be skipped).
int64_t Validate(const std::string& path, const RdfImportOptions& options, std::ostream& err) {
  auto in = OpenRdfInput(path);
  if (!in.ok()) {
    err << path << ": error: " << in.status().message() << "\n";
    return -1;
  }
  NQuadsReader reader(path, **in, options.nquads ? NQuadsReader::Syntax::kNQuads
                                                 : NQuadsReader::Syntax::kNTriples);
  int64_t errors = 0;
  RdfQuad q;
  while (true) {
    if (reader.Next(&q)) continue;
    if (!reader.error()) break;
    if (++errors <= kMaxReportedErrors) err << reader.FormatError();
    reader.SkipLine();
    if (reader.error()) {
      err << reader.FormatError();
      return -1;
    }
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
    const std::string key = q.graph ? Key(*q.graph) : "";
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
  std::string DocIdOf(const std::optional<RdfTerm>& graph) const {
    if (!graph) return default_doc_;
    auto term = FromRdf(*graph, BlankScope(default_doc_));
    if (term.ok() && term->kind() == TermKind::kDocument) return term->text();
    return graph->is_iri() ? graph->value : StrCat(default_doc_, ".", graph->value);
  }

  absl::Status Flush() {
    if (quads_.empty()) return absl::OkStatus();
    const std::string doc_id = DocIdOf(graph_);
    GraphLoader loader(doc_id, std::move(quads_), &claim_nodes_);
    quads_.clear();
    auto w = loader.Build();
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

absl::StatusOr<RdfImportSummary> ImportRdf(Store& store, const std::vector<std::string>& paths,
                                           const RdfImportOptions& options, std::ostream& err) {
  RdfImportSummary summary;
  const auto start = std::chrono::steady_clock::now();
  bool bulk = options.bulk == RdfImportOptions::Bulk::kOn;
  if (options.bulk == RdfImportOptions::Bulk::kAuto) {
    uint64_t bytes = 0;
    for (const std::string& path : paths) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(path, ec);
      if (!ec) bytes += size;
    }
    KG_ASSIGN_OR_RETURN(StoreTotals totals, store.NewSnapshot()->Totals());
    bulk = bytes >= options.bulk_threshold_bytes && totals.documents == 0;
  }
  std::unique_ptr<BulkLoad> load;
  std::unique_ptr<Sink> sink;
  if (bulk) {
    BulkLoadOptions bo;
    bo.memory_budget = options.bulk_memory;
    KG_ASSIGN_OR_RETURN(load, BulkLoad::Start(store, bo));
    sink = std::make_unique<BulkSink>(*load);
    summary.bulk = true;
  } else {
    sink = std::make_unique<StoreSink>(store, options.on_commit);
  }
  std::set<std::string> written;
  bool bulk_failed = false;
  for (const std::string& path : paths) {
    if (!bulk) {
      // Pass 1 (document by document only): report every bad line first.
      const int64_t errors = Validate(path, options, err);
      if (errors < 0 || (errors > 0 && !options.keep_going)) {
        if (errors > 0) {
          err << path << ": " << errors
              << " bad line(s); nothing from this file was loaded (use --keep-going to load the good lines)\n";
        }
        ++summary.files_failed;
        continue;
      }
      summary.skipped_lines += errors;
    }
    auto in = OpenRdfInput(path);
    if (!in.ok()) {
      err << path << ": error: " << in.status().message() << "\n";
      ++summary.files_failed;
      bulk_failed = true;
      continue;
    }
    NQuadsReader reader(path, **in, options.nquads ? NQuadsReader::Syntax::kNQuads
                                                   : NQuadsReader::Syntax::kNTriples);
    // Document by document, a file's first write of a document replaces it
    // (as re-importing a file should); one bulk load sees every file.
    std::set<std::string> per_file;
    Streamer streamer(*sink, options.default_doc.empty() ? DefaultDocId(path) : options.default_doc,
                      &summary, err, path, bulk ? &written : &per_file);
    RdfQuad q;
    bool read_failed = false;
    int64_t bad = 0;
    while (true) {
      if (reader.Next(&q)) {
        ++summary.statements;
        KG_RETURN_IF_ERROR(streamer.Add(std::move(q)));
        continue;
      }
      if (!reader.error()) break;
      if (bulk) {
        // One pass: bad lines are reported here.
        if (++bad <= kMaxReportedErrors) err << reader.FormatError();
        if (!options.keep_going) {
          read_failed = true;
          break;
        }
        ++summary.skipped_lines;
      }
      reader.SkipLine();  // reported in pass 1
      if (reader.error()) {
        err << reader.FormatError();
        read_failed = true;
        break;
      }
    }
    if (bulk && bad > kMaxReportedErrors) {
      err << path << ": " << bad - kMaxReportedErrors << " more bad lines not shown\n";
    }
    bool finish_failed = false;
    if (absl::Status fin = streamer.Finish(); !fin.ok()) {
      // In the bulk path a refused document surfaces late (it is encoded on
      // the worker thread): report it like any refused document.
      if (!bulk || !(absl::IsInvalidArgument(fin) || absl::IsAborted(fin))) return fin;
      err << path << ": error: " << fin.message() << "\n";
      finish_failed = true;
    }
    const bool failed = streamer.failed() || read_failed || finish_failed;
    bulk_failed |= failed;
    ++(failed ? summary.files_failed : summary.files_loaded);
  }
  if (bulk) {
    if (bulk_failed) {
      err << "bulk import: nothing was loaded (the whole import is all or nothing; fix the "
             "errors above";
      err << (options.keep_going ? ")\n" : ", or use --keep-going to skip bad lines)\n");
      summary.files_failed += summary.files_loaded;
      summary.files_loaded = 0;
      summary.documents = 0;
    } else {
      absl::Status pending = sink->Finish();
      if (absl::IsInvalidArgument(pending)) {
        err << "bulk import: nothing was loaded: " << pending.message() << "\n";
        summary.files_failed += summary.files_loaded;
        summary.files_loaded = 0;
        summary.documents = 0;
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

}  // namespace kg::ingest
