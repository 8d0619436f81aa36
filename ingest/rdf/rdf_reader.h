// What every RDF syntax reader offers the importer: statements one at a time,
// positioned errors, and skipping past a bad statement (--keep-going). The
// readers: NQuadsReader (N-Triples, N-Quads; ntriples.h) and TurtleReader
// (Turtle, TriG; turtle.h). OpenRdfReader picks one for a file.
#ifndef KG_INGEST_RDF_READER_H_
#define KG_INGEST_RDF_READER_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/diagnostics.h"
#include "kg/rdf.h"

namespace kg::ingest {

enum class RdfSyntax { kNTriples, kNQuads, kTurtle, kTriG };

// "N-Triples", "N-Quads", "Turtle", "TriG".
const char* RdfSyntaxName(RdfSyntax syntax);

// The syntax a file name says (.nt .nq .ttl .trig, before any .gz or .bz2),
// or nullopt.
std::optional<RdfSyntax> RdfSyntaxFromName(std::string_view path);

// The first `bytes` bytes of `path`, decompressed (OpenRdfInput); fewer
// when the file is shorter. NotFound if it cannot be opened.
absl::StatusOr<std::string> ReadRdfHead(const std::string& path, size_t bytes);

// The syntax of a file told by its first few kilobytes (decompressed):
// Turtle when a line starts with a directive (@prefix, PREFIX, @base, BASE)
// or a prefixed name, TriG when it also has a '{' block; N-Quads (which
// reads N-Triples too) when its statements start with '<' or '_:'.
// NotFound if it cannot be read, InvalidArgument if it cannot be told.
absl::StatusOr<RdfSyntax> SniffRdfSyntax(const std::string& path);

// Reads statements from a stream. Not thread-safe.
class RdfReader {
 public:
  virtual ~RdfReader() = default;

  // Reads the next statement into `*out` and returns true. Returns false at
  // the end of the input, or on a syntax or read error, which error() then
  // holds.
  virtual bool Next(RdfQuad* out) = 0;

  // The error that stopped Next(), if any.
  virtual const std::optional<Diagnostic>& error() const = 0;

  // After a syntax error, drops the bad statement (N-Triples: its line;
  // Turtle: up to the '.' that ends it) and clears error() so Next() goes
  // on after it. Read errors cannot be skipped: they stay set.
  virtual void SkipLine() = 0;

  // "file:line:col: error: message", then the line and a caret under the
  // column when the line is at hand. "" when there is no error.
  virtual std::string FormatError() const = 0;

  // error() as an InvalidArgument status (OK when there is no error).
  virtual absl::Status status() const = 0;

  // Statements returned by Next() so far.
  virtual int64_t statements() const = 0;
};

// A reader and the stream it reads.
struct RdfSource {
  std::unique_ptr<std::istream> stream;
  std::unique_ptr<RdfReader> reader;
};

// Opens `path` (gzip or bzip2 compressed, or not: see OpenRdfInput) and a
// reader of `syntax` on it. `base`: the base IRI of Turtle and TriG
// (default: the file's file:// IRI).
absl::StatusOr<RdfSource> OpenRdfReader(const std::string& path,
                                        RdfSyntax syntax,
                                        const std::string& base = "");

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_READER_H_
