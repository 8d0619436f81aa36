// A streaming Turtle / TriG writer meant for people to read: prefixes
// declared once at the top, consecutive statements about one subject
// grouped with ';' and ',', one graph block per run of statements of a
// named graph (TriG), short literals bare (integers, decimals, booleans),
// multi-line strings in """ """, and a reifier written right after its
// triple as an RDF 1.2 annotation (`s p o ~ _:r {| ... |}`). What it writes
// reads back (TurtleReader) as the same statements in the same order,
// blank node labels included.
#ifndef KG_INGEST_RDF_TURTLE_WRITER_H_
#define KG_INGEST_RDF_TURTLE_WRITER_H_

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "kg/rdf.h"

namespace kg::ingest {

class TurtleWriter {
 public:
  // `prefixes`: (prefix, namespace IRI) pairs, declared in this order.
  // `trig`: TriG; otherwise Turtle, and every statement must be in the
  // default graph.
  TurtleWriter(std::ostream& out, bool trig,
               std::vector<std::pair<std::string, std::string>> prefixes);
  TurtleWriter(const TurtleWriter&) = delete;
  TurtleWriter& operator=(const TurtleWriter&) = delete;

  // REQUIRES: Turtle: !q.graph.
  void Write(const RdfQuad& q);
  // Ends the last statement and graph block. Call once, last.
  void Finish();

  // One term in Turtle syntax, prefixed names where they fit.
  std::string Term(const RdfTerm& t) const;

 private:
  void EndStatement();
  void CloseAnnotation();
  std::string Iri(const std::string& iri) const;
  std::string Literal(const RdfTerm& t) const;

  std::ostream& out_;
  const bool trig_;
  std::vector<std::pair<std::string, std::string>> prefixes_;
  bool started_ = false;
  bool in_graph_ = false;
  std::optional<RdfTerm> graph_;
  std::optional<RdfTerm> subject_, predicate_;
  std::optional<RdfTerm> object_;  // of the last triple written, if it may be annotated
  // The reifier of the last triple, written `~ _:r`; what is said about it
  // goes in a `{| |}` block while it lasts.
  std::optional<RdfTerm> reifier_, annotation_predicate_;
  bool annotation_open_ = false;
};

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_TURTLE_WRITER_H_
