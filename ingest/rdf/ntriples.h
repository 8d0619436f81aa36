// Streaming reader for RDF 1.2 N-Triples and N-Quads, and the canonical
// (C14N) writer for both. The reader works one line at a time: memory use is
// bounded by the longest line, never by the file. Errors carry a 1-based
// line and column (columns count Unicode code points, like Diagnostics).
//
//   auto in = OpenRdfInput("data.nq.gz");           // gunzips transparently
//   NQuadsReader reader("data.nq.gz", **in, NQuadsReader::Syntax::kNQuads);
//   RdfQuad q;
//   while (reader.Next(&q)) Use(q);
//   if (reader.error()) Report(reader.FormatError());
#ifndef KG_INGEST_RDF_NTRIPLES_H_
#define KG_INGEST_RDF_NTRIPLES_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/diagnostics.h"
#include "kg/rdf.h"
#include "ingest/rdf/rdf_reader.h"

namespace kg::ingest {

// Reads N-Triples or N-Quads statements from a stream. Not thread-safe. The
// stream must outlive the reader.
class NQuadsReader : public RdfReader {
 public:
  enum class Syntax { kNTriples, kNQuads };

  // `file` names the input in messages only.
  NQuadsReader(std::string file, std::istream& in, Syntax syntax);

  NQuadsReader(const NQuadsReader&) = delete;
  NQuadsReader& operator=(const NQuadsReader&) = delete;

  // Reads the next triple or quad into `*out` (N-Triples always leaves
  // `out->graph` empty) and returns true. Returns false at the end of the
  // input, or on a syntax or read error, which error() then holds. Blank
  // lines, comments and the `VERSION "..."` directive are consumed silently.
  bool Next(RdfQuad* out) override;

  // The error that stopped Next(), if any.
  const std::optional<Diagnostic>& error() const override { return error_; }

  // After a syntax error, drops the offending line and clears error() so
  // the next Next() continues with the following line (a --keep-going mode
  // reports every bad line this way). Read errors cannot be skipped: they
  // stay set. No-op when there is no error.
  void SkipLine() override;

  // "file:line:col: error: message", then the line and a caret under the
  // column. "" when there is no error.
  std::string FormatError() const override;

  // error() as an InvalidArgument status (OK when there is no error).
  absl::Status status() const override;

  // Number of the line last read (1-based; 0 before the first).
  int64_t line() const { return line_no_; }
  // Numbers the next line read `n` (for a stream that is a later part of
  // `file`, so that errors give the file's line numbers).
  void set_next_line(int64_t n) { line_no_ = n - 1; }
  // Statements returned by Next() so far.
  int64_t statements() const override { return statements_; }
  // The value of the last `VERSION "..."` directive seen, if any.
  const std::optional<std::string>& version() const { return version_; }

 private:
  bool ReadLine();

  std::string file_;
  std::istream& in_;
  Syntax syntax_;
  std::string raw_;      // the current physical line (up to '\n')
  size_t raw_pos_ = 0;   // start of the next logical line in raw_
  bool raw_valid_ = false;
  std::string line_;     // the current logical line, without its EOL
  int64_t line_no_ = 0;
  int64_t statements_ = 0;
  std::optional<Diagnostic> error_;
  bool fatal_ = false;   // the error is a read error: SkipLine() keeps it
  std::optional<std::string> version_;
};

// One statement in canonical N-Triples / N-Quads form (RDF 1.2, section
// "Canonical N-Triples"): single spaces between terms, " .\n" at the end,
// IRIs unescaped, literals escaped with the shortest ECHAR / UCHAR form only
// where required, xsd:string omitted, language tags in lowercase.
std::string CanonicalNQuad(const RdfQuad& quad);
// One term in canonical form.
std::string CanonicalTerm(const RdfTerm& term);

// Opens `path` for reading. Gzip- and bzip2-compressed files (e.g.
// `.nt.gz`, `.ttl.bz2`; told by their first bytes, not their names) are
// decompressed on the fly; other files are read as they are. A stream whose
// compressed data turns out to be corrupt sets badbit, which NQuadsReader
// reports as a read error.
absl::StatusOr<std::unique_ptr<std::istream>> OpenRdfInput(const std::string& path);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_NTRIPLES_H_
