// Streaming reader for Turtle and TriG, RDF 1.2 included: prefixes and base
// IRIs (relative IRIs resolved per RFC 3986), `a`, collections, blank-node
// property lists, every literal form, triple terms `<<( s p o )>>`, reified
// triples `<< s p o ~ r >>` and annotations `s p o ~ r {| ... |}` (each a
// reifier with `rdf:reifies` and a triple term, as RDF 1.2 maps them), and
// in TriG named graphs `g { ... }` / `GRAPH g { ... }`.
//
// Statements come one at a time; memory is bounded by the largest statement
// (a graph block is read statement by statement), not by the file. Errors
// carry the line and column (code points) of the offending token.
//
// Blank nodes written `[]`, `[ ... ]` or by collections get fresh labels
// "genid-N"; a label written in the file that starts with "genid-" is given
// one more '-' ("genid--x"), so the two never meet.
#ifndef KG_INGEST_RDF_TURTLE_H_
#define KG_INGEST_RDF_TURTLE_H_

#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "ingest/rdf/rdf_reader.h"

namespace kg::ingest {

class TurtleParser;

class TurtleReader : public RdfReader {
 public:
  // `trig`: TriG (graph blocks allowed) rather than Turtle. `base`: the
  // base IRI relative IRIs resolve against until an @base / BASE; "" makes a
  // relative IRI an error until then. The stream must outlive the reader.
  TurtleReader(std::string file, std::istream& in, bool trig,
               std::string base = "");
  ~TurtleReader() override;

  bool Next(RdfQuad* out) override;
  const std::optional<Diagnostic>& error() const override;
  void SkipLine() override;
  std::string FormatError() const override;
  absl::Status status() const override;
  int64_t statements() const override;

 private:
  std::unique_ptr<TurtleParser> parser_;
};

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_TURTLE_H_
