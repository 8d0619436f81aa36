#include "ingest/rdf/rdf_plain_lane.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "ingest/rdf/ntriples.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

// kg's namespaces (entities, documents, vocabulary) share this prefix.
constexpr std::string_view kKgPrefix = "https://w3id.org/kg/";

// The logical lines of `block` (whole physical lines) as NQuadsReader
// counts them: a line ends at LF, at CR LF, or at a lone CR.
int64_t CountLines(std::string_view block) {
  if (block.empty()) return 0;
  int64_t n = 0;
  if (block.find('\r') == std::string_view::npos) {
    for (char c : block) n += c == '\n';
    return n + (block.back() != '\n');
  }
  size_t start = 0;
  while (start < block.size()) {
    const size_t nl = block.find('\n', start);
    const size_t end = nl == std::string_view::npos ? block.size() : nl;
    const std::string_view line = block.substr(start, end - start);
    int64_t crs = 0;
    for (char c : line) crs += c == '\r';
    n += 1 + crs - (!line.empty() && line.back() == '\r' ? 1 : 0);
    start = end + 1;
  }
  return n;
}

// A block of whole lines and what parsing it gave: its statements encoded
// for WritePlain, each with its graph and whether a chunk may start there,
// and its bad lines, in order.
struct Block {
  int64_t first_line = 1;
  std::string text;
  // Or statements a reader already parsed (Turtle, TriG), with the reports
  // of its bad statements, each before the statement of that index.
  bool parsed = false;
  std::vector<RdfQuad> quads;
  std::vector<std::pair<size_t, std::string>> read_problems;
  bool stop_at_end = false;  // the reader stopped at its last problem
  bool read_error = false;   // ... which is a read error, not a bad statement
  // Results.
  PlainBatch terms;                  // three encoded terms per statement
  std::vector<uint32_t> graph;       // per statement: index into graph_keys
  std::vector<uint8_t> may_start;    // per statement
  std::vector<std::string> graph_keys, doc_ids;
  // Bad lines and refused statements, each after `before` statements of
  // this block.
  struct Problem {
    size_t before;
    std::string message;
    bool refused;  // a term the store refuses (else a bad line)
    bool read_error = false;  // the input cannot be read on: not a bad line
  };
  std::vector<Problem> problems;
  bool stopped = false;    // at a bad line, without keep_going
  bool not_plain = false;
};

void Parse(Block& b, const std::string& path, bool nquads, bool keep_going,
           const std::string& default_doc) {
  std::istringstream in(std::move(b.text));
  NQuadsReader reader(path, in, nquads ? NQuadsReader::Syntax::kNQuads : NQuadsReader::Syntax::kNTriples);
  reader.set_next_line(b.first_line);
  RdfQuad q;
  std::string scope;
  size_t statements = 0;
  size_t next_quad = 0, next_problem = 0;
  while (true) {
    if (b.parsed) {
      for (; next_problem < b.read_problems.size() &&
             b.read_problems[next_problem].first == next_quad;
           ++next_problem) {
        const bool last = next_problem + 1 == b.read_problems.size();
        b.problems.push_back({statements, std::move(b.read_problems[next_problem].second), false,
                              last && b.read_error});
      }
      if (next_quad == b.quads.size()) {
        b.stopped = b.stop_at_end;
        break;
      }
      q = std::move(b.quads[next_quad++]);
    } else if (!reader.Next(&q)) {
      if (!reader.error()) break;
      b.problems.push_back({statements, reader.FormatError(), false});
      if (!keep_going) {
        b.stopped = true;
        break;
      }
      reader.SkipLine();
      continue;
    }
    if (!IsPlainStatement(q)) {
      b.not_plain = true;
      break;
    }
    const std::string key = q.graph ? CanonicalTerm(*q.graph) : "";
    if (b.graph_keys.empty() || b.graph_keys.back() != key) {
      b.graph_keys.push_back(key);
      b.doc_ids.push_back(DocIdOf(q.graph, default_doc));
      scope = StrCat(BlankScope(b.doc_ids.back()), ".");
    }
    const size_t mark = b.terms.ends.size();
    const size_t mark_bytes = b.terms.terms.size();
    absl::Status s;
    for (const RdfTerm* t : {&q.s, &q.p, &q.o}) {
      s = AppendPlainRdfTerm(*t, scope, &b.terms);
      if (!s.ok()) break;
    }
    if (!s.ok()) {
      b.terms.ends.resize(mark);
      b.terms.terms.resize(mark_bytes);
      std::string statement = CanonicalNQuad(q);
      if (!statement.empty() && statement.back() == '\n') statement.pop_back();
      b.problems.push_back({statements,
                            StrCat(path, ": error: document ", b.doc_ids.back(), ": statement ",
                                   statement, " refused: ", s.message(), "\n"),
                            true});
      continue;
    }
    b.graph.push_back(static_cast<uint32_t>(b.graph_keys.size() - 1));
    b.may_start.push_back(MayStartChunk(q));
    ++statements;
  }
  std::string().swap(b.text);
  std::vector<RdfQuad>().swap(b.quads);
}

// Parses blocks on two threads; results are taken in the order the blocks
// were added.
class ParserPool {
 public:
  ParserPool(const std::string& path, bool nquads, bool keep_going, const std::string& default_doc)
      : path_(path), nquads_(nquads), keep_going_(keep_going), default_doc_(default_doc) {
    for (auto& t : threads_) t = std::thread([this] { Work(); });
  }
  ~ParserPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
      todo_.clear();  // not needed any more
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // Blocks added and not yet taken.
  size_t in_flight() const { return added_ - taken_; }

  void Add(std::unique_ptr<Block> b) {
    std::lock_guard<std::mutex> lock(mu_);
    todo_.emplace_back(added_++, std::move(b));
    cv_.notify_all();
  }

  // The next block in order, parsed (waits for it).
  std::unique_ptr<Block> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_.contains(taken_); });
    auto node = done_.extract(taken_++);
    return std::move(node.mapped());
  }

 private:
  void Work() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return !todo_.empty() || closing_; });
      if (todo_.empty()) return;
      auto [seq, block] = std::move(todo_.front());
      todo_.pop_front();
      lock.unlock();
      Parse(*block, path_, nquads_, keep_going_, default_doc_);
      lock.lock();
      done_.emplace(seq, std::move(block));
      cv_.notify_all();
    }
  }

  const std::string path_;
  const bool nquads_, keep_going_;
  const std::string default_doc_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<size_t, std::unique_ptr<Block>>> todo_;
  std::map<size_t, std::unique_ptr<Block>> done_;
  size_t added_ = 0, taken_ = 0;  // added_: this thread's only
  bool closing_ = false;
  std::thread threads_[2];  // last: they start after everything they use
};

// Cuts statements into WritePlain batches where Streamer (rdf_import.cc)
// cuts its chunks: at a change of graph, and after kChunkStatements at the
// next statement that may start a chunk.
class Assembler {
 public:
  Assembler(BulkLoad& load, std::set<std::string>& written, PlainFileResult& result,
            std::ostream& err, const std::string& path)
      : load_(load), written_(written), result_(result), err_(err), path_(path) {}

  absl::Status Add(const Block& b, size_t i) {
    const std::string& key = b.graph_keys[b.graph[i]];
    if (statements_ > 0 && (key != key_ || (statements_ >= kChunkStatements && b.may_start[i]))) {
      KG_RETURN_IF_ERROR(Flush());
    }
    if (statements_ == 0) {
      key_ = key;
      batch_.document_id = b.doc_ids[b.graph[i]];
    }
    ++statements_;
    for (size_t k = 3 * i; k < 3 * i + 3; ++k) {
      batch_.terms.append(b.terms.term(k));
      batch_.ends.push_back(static_cast<uint32_t>(batch_.terms.size()));
    }
    return absl::OkStatus();
  }

  absl::Status Flush() {
    if (statements_ == 0) return absl::OkStatus();
    statements_ = 0;
    const std::string doc_id = batch_.document_id;
    absl::Status s = load_.WritePlain(std::move(batch_));
    batch_ = PlainBatch();
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      err_ << path_ << ": error: " << s.message() << "\n";
      result_.refused = true;
      return absl::OkStatus();
    }
    KG_RETURN_IF_ERROR(s);
    if (written_.insert(doc_id).second) ++result_.documents;
    return absl::OkStatus();
  }

 private:
  BulkLoad& load_;
  std::set<std::string>& written_;
  PlainFileResult& result_;
  std::ostream& err_;
  const std::string& path_;
  PlainBatch batch_;
  size_t statements_ = 0;  // in batch_
  std::string key_;        // the graph of batch_ (CanonicalTerm; "" for the default one)
};

absl::Status LoadPlainBlocks(std::istream& input, BulkLoad& load, const std::string& path,
                             const std::string& default_doc, bool nquads, bool keep_going,
                             size_t block_bytes, std::set<std::string>& written, std::ostream& err,
                             PlainFileResult& result);
absl::Status LoadPlainStatements(RdfReader& reader, BulkLoad& load, const std::string& path,
                                 const std::string& default_doc, bool keep_going,
                                 std::set<std::string>& written, std::ostream& err,
                                 PlainFileResult& result);

}  // namespace

bool IsPlainStatement(const RdfQuad& q) {
  auto plain = [](const RdfTerm& t) {
    switch (t.kind) {
      case RdfTerm::Kind::kIri: return !std::string_view(t.value).starts_with(kKgPrefix);
      case RdfTerm::Kind::kBlankNode: return true;
      case RdfTerm::Kind::kLiteral: return !std::string_view(t.datatype).starts_with(kKgPrefix);
      case RdfTerm::Kind::kTripleTerm: return false;
    }
    return false;
  };
  static const std::string reifies = StrCat(kRdfNs, "reifies");
  // OWL axiom annotations may carry evidence (GO-CAM): rdf_graph.cc maps them.
  static const std::string annotated_source = "http://www.w3.org/2002/07/owl#annotatedSource";
  return plain(q.s) && plain(q.p) && plain(q.o) && (!q.graph || plain(*q.graph)) &&
         q.p.value != reifies && q.p.value != annotated_source;
}

absl::Status AppendPlainRdfTerm(const RdfTerm& t, const std::string& scope, PlainBatch* batch) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      return AppendPlainIri(t.value, batch);
    case RdfTerm::Kind::kBlankNode:
      return AppendPlainTerm(Term::BlankNode(std::string_view(t.value).starts_with(scope)
                                                 ? t.value
                                                 : StrCat(scope, t.value)),
                             batch);
    case RdfTerm::Kind::kLiteral:
      if (t.language.empty() && (t.datatype.empty() || t.datatype == kXsdString)) {
        return AppendPlainString(t.value, "", batch);
      }
      if (!t.language.empty() && t.direction == BaseDirection::kNone) {
        return AppendPlainString(t.value, t.language, batch);
      }
      break;
    case RdfTerm::Kind::kTripleTerm:
      break;
  }
  KG_ASSIGN_OR_RETURN(Term term, FromRdf(t, std::string_view(scope).substr(0, scope.size() - 1)));
  return AppendPlainTerm(term, batch);
}

std::string DocIdOf(const std::optional<RdfTerm>& graph, const std::string& default_doc) {
  if (!graph) return default_doc;
  auto term = FromRdf(*graph, BlankScope(default_doc));
  if (term.ok() && term->kind() == TermKind::kDocument) return term->text();
  return graph->is_iri() ? graph->value : StrCat(default_doc, ".", graph->value);
}

absl::StatusOr<PlainFileResult> LoadPlainFile(BulkLoad& load, const std::string& path,
                                              const std::string& default_doc, RdfSyntax syntax,
                                              const std::string& base, bool keep_going,
                                              std::set<std::string>* written, std::ostream& err,
                                              size_t block_bytes) {
  PlainFileResult result;
  auto source = OpenRdfReader(path, syntax, base);
  if (!source.ok()) {
    err << path << ": error: " << source.status().message() << "\n";
    result.read_failed = true;
    return result;
  }
  // What goes to `err` waits for the end of the file: if the lane cannot
  // take the file, the document lane reads it again and reports it.
  std::ostringstream report;
  absl::Status status;
  if (syntax == RdfSyntax::kNTriples || syntax == RdfSyntax::kNQuads) {
    status = LoadPlainBlocks(*source->stream, load, path, default_doc,
                             syntax == RdfSyntax::kNQuads, keep_going, block_bytes, *written,
                             report, result);
  } else {
    status = LoadPlainStatements(*source->reader, load, path, default_doc, keep_going, *written,
                                 report, result);
  }
  if (!result.not_plain) err << report.str();
  if (!status.ok()) return status;
  return result;
}

namespace {

// Takes the next parsed block in order: reports its problems and writes
// its statements. Sets `stop` at a block that ends the file's load.
absl::Status TakeBlock(ParserPool& pool, Assembler& assembler, PlainFileResult& result,
                       std::ostream& err, bool& stop) {
  std::unique_ptr<Block> b = pool.Take();
  if (stop) return absl::OkStatus();
  if (b->not_plain) {
    result.not_plain = true;
    stop = true;
    return absl::OkStatus();
  }
  size_t p = 0;
  const size_t n = b->graph.size();
  for (size_t i = 0; i <= n; ++i) {
    for (; p < b->problems.size() && b->problems[p].before == i; ++p) {
      const Block::Problem& problem = b->problems[p];
      if (problem.refused) {
        if (!result.refused) err << problem.message;
        result.refused = true;
      } else if (problem.read_error) {
        err << problem.message;
      } else if (++result.bad_lines <= kMaxReportedErrors) {
        err << problem.message;
      }
    }
    if (i < n) KG_RETURN_IF_ERROR(assembler.Add(*b, i));
  }
  result.statements += n;
  if (b->stopped) {
    result.read_failed = true;
    stop = true;
  }
  return absl::OkStatus();
}

absl::Status LoadPlainBlocks(std::istream& input, BulkLoad& load, const std::string& path,
                             const std::string& default_doc, bool nquads, bool keep_going,
                             size_t block_bytes, std::set<std::string>& written, std::ostream& err,
                             PlainFileResult& result) {
  std::istream* in = &input;
  ParserPool pool(path, nquads, keep_going, default_doc);
  Assembler assembler(load, written, result, err, path);
  constexpr size_t kInFlight = 6;  // blocks read ahead of the assembler
  std::string pending;             // read, not yet cut into blocks
  std::vector<char> buf(block_bytes);
  int64_t next_line = 1;
  bool eof = false, stop = false;
  // Takes the next parsed block in order: reports its problems and writes
  // its statements.
  auto take = [&]() -> absl::Status {
    return TakeBlock(pool, assembler, result, err, stop);
  };
  while (!stop && !(eof && pending.empty())) {
    if (!eof) {
      in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const std::streamsize got = in->gcount();
      if (got > 0) pending.append(buf.data(), static_cast<size_t>(got));
      if (got <= 0 || in->eof()) eof = true;
      if (in->bad()) {
        // A corrupt compressed file: the lines before it are parsed, then
        // the read error is reported after them.
        eof = true;
        pending.clear();
        while (!stop && pool.in_flight() > 0) KG_RETURN_IF_ERROR(take());
        if (!stop) {
          err << path << ":" << next_line << ":1: error: expected readable input, found a read "
                 "error (corrupt or truncated compressed data?)\n";
          result.read_failed = true;
          stop = true;
        }
        break;
      }
    }
    // Whole lines only; the rest waits for more input (or is the last line).
    const size_t cut = eof ? pending.size() : pending.rfind('\n') + 1;
    if (cut == 0 || (cut < block_bytes / 2 && !eof)) continue;
    auto block = std::make_unique<Block>();
    block->first_line = next_line;
    block->text.assign(pending, 0, cut);
    pending.erase(0, cut);
    next_line += CountLines(block->text);
    pool.Add(std::move(block));
    while (!stop && pool.in_flight() >= kInFlight) KG_RETURN_IF_ERROR(take());
  }
  while (!stop && pool.in_flight() > 0) KG_RETURN_IF_ERROR(take());
  if (result.not_plain) return absl::OkStatus();
  return assembler.Flush();
}


// Statements a reader parses on this thread, encoded in blocks on the
// pool's threads (Turtle and TriG cannot be cut into blocks of lines).
absl::Status LoadPlainStatements(RdfReader& reader, BulkLoad& load, const std::string& path,
                                 const std::string& default_doc, bool keep_going,
                                 std::set<std::string>& written, std::ostream& err,
                                 PlainFileResult& result) {
  ParserPool pool(path, false, keep_going, default_doc);
  Assembler assembler(load, written, result, err, path);
  constexpr size_t kInFlight = 6;
  constexpr size_t kQuadsPerBlock = 8192;
  bool more = true, stop = false;
  while (more && !stop) {
    auto block = std::make_unique<Block>();
    block->parsed = true;
    block->quads.reserve(kQuadsPerBlock);
    while (block->quads.size() < kQuadsPerBlock) {
      RdfQuad q;
      if (reader.Next(&q)) {
        block->quads.push_back(std::move(q));
        continue;
      }
      if (!reader.error()) {
        more = false;
        break;
      }
      std::string report = reader.FormatError();
      reader.SkipLine();
      const bool fatal = reader.error().has_value();  // a read error: no going on
      block->read_problems.emplace_back(block->quads.size(), std::move(report));
      if (fatal || !keep_going) {
        block->stop_at_end = true;
        block->read_error = fatal;
        more = false;
        break;
      }
    }
    pool.Add(std::move(block));
    while (!stop && pool.in_flight() >= kInFlight) {
      KG_RETURN_IF_ERROR(TakeBlock(pool, assembler, result, err, stop));
    }
  }
  while (!stop && pool.in_flight() > 0) {
    KG_RETURN_IF_ERROR(TakeBlock(pool, assembler, result, err, stop));
  }
  if (result.not_plain) return absl::OkStatus();
  return assembler.Flush();
}

}  // namespace

}  // namespace kg::ingest
