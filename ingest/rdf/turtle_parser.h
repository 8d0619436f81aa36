// The Turtle / TriG grammar behind TurtleReader (turtle.h): one method per
// production of the Turtle / TriG 1.2 grammar, names following the
// specification's. Each returns false after recording the first error; the
// statement then yields nothing. Statements and their parts are in
// turtle.cc, terms (IRIs, prefixed names, blank node labels, literals) in
// turtle_terms.cc. Private to the Turtle reader.
#ifndef KG_INGEST_RDF_TURTLE_PARSER_H_
#define KG_INGEST_RDF_TURTLE_PARSER_H_

#include <cstdint>
#include <deque>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "ingest/diagnostics.h"
#include "ingest/rdf/ntriples_internal.h"
#include "kg/rdf.h"
#include "ingest/rdf/turtle_input.h"
#include "kg/str_cat.h"

namespace kg::ingest {

class TurtleParser {
 public:
  TurtleParser(std::string file, std::istream& in, bool trig, std::string base)
      : file_(std::move(file)), in_(in), trig_(trig), base_(std::move(base)) {}

  bool Next(RdfQuad* out);

  const std::optional<Diagnostic>& error() const { return error_; }

  void SkipStatement();

  std::string FormatError() const;

  absl::Status status() const;

  int64_t statements() const { return statements_; }

 private:
  static constexpr std::string_view kRdf =
      "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  static constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
  // Labels of the blank nodes the reader makes up (turtle.h).
  static constexpr std::string_view kFreshPrefix = "genid-";
  // Blank-node property lists, collections and triple terms nest by
  // recursion; this bounds the stack a hostile file uses.
  static constexpr int kMaxNesting = 256;

  static bool IsAsciiAlpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  static bool IsAsciiDigit(int c) { return c >= '0' && c <= '9'; }
  static bool IsHex(int c) { return HexValue(c) >= 0; }
  static bool IsLocalEscapable(int c) {
    return c >= 0 &&
           std::string_view("_~.-!$&'()*+,;=/?#@%")
                   .find(static_cast<char>(c)) != std::string_view::npos;
  }
  static bool IsIriPlain(unsigned char c) {
    return c >= 0x80 || !IsIriForbidden(c);
  }

  // ---- errors ----------------------------------------------------------

  bool Fail(Pos pos, std::string message);
  bool FailHere(std::string_view expected);
  void ReadError();
  // The token at the cursor, for messages.
  std::string Describe();

  // After an error: skips to the end of the bad statement -- a '.' followed
  // by white space or the end, or in TriG a '}' that closes the graph --
  // passing over strings, IRIs and comments.
  void Recover();

  // ---- white space and small tokens ------------------------------------

  void SkipWs();
  // From '#' to the end of its line.
  void SkipComment();

  bool Expect(char c, std::string_view what);

  // Whether the cursor is at `word` (case-insensitively when `any_case`)
  // followed by something that cannot continue a name.
  bool AtKeyword(std::string_view word, bool any_case);

  bool CheckDepth();

  // ---- statements ------------------------------------------------------

  bool ParseStatement();

  bool ParseAtDirective();

  // After PREFIX / @prefix: PNAME_NS IRIREF.
  bool ParsePrefixRest();

  bool ParseBaseRest();

  bool ParseVersionRest();

  // TriG: a graph block, or triples in the default graph.
  bool ParseTrigBlock();

  bool ParseGraphLabel(RdfTerm* label);

  bool OpenGraph(std::optional<RdfTerm> label, int64_t line);

  // triples ::= subject predicateObjectList | blankNodePropertyList
  //             predicateObjectList? | reifiedTriple predicateObjectList?
  bool ParseTriples();

  // ---- predicates and objects -------------------------------------------

  bool AtVerb();

  bool ParsePredicateObjectList(const RdfTerm& subject);

  bool ParseVerb(RdfTerm* verb);

  bool ParseObjectList(const RdfTerm& subject, const RdfTerm& verb);

  // annotation ::= (reifier | annotationBlock)*
  bool ParseAnnotation(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o);

  // reifier ::= '~' (iri | BlankNode)?
  bool ParseReifier(RdfTerm* r);

  bool ParseObject(RdfTerm* o);

  // The subject or object of a triple term or reified triple, or a graph
  // name: an IRI or a blank node (not a property list or collection).
  bool ParseIriOrBlank(RdfTerm* t, std::string_view what);

  bool AtAnon();
  void SkipAnon();

  bool ParseBlankNodePropertyList(RdfTerm* node);

  bool ParseCollection(RdfTerm* head);

  // tripleTerm ::= '<<(' ttSubject verb ttObject ')>>'
  bool ParseTripleTerm(RdfTerm* t);

  // reifiedTriple ::= '<<' rtSubject verb rtObject reifier? '>>'
  bool ParseReifiedTriple(RdfTerm* r);

  // ---- terms -------------------------------------------------------------

  bool ParseIri(RdfTerm* t);

  // IRIREF, resolved against the base.
  bool ParseIriRef(std::string* out);

  bool ParseUchar(char32_t* cp);

  // PN_PREFIX: PN_CHARS_BASE ((PN_CHARS | '.')* PN_CHARS)?
  bool ScanPrefixName(std::string* out);

  // PrefixedName ::= PNAME_LN | PNAME_NS, expanded.
  bool ParsePrefixedIri(RdfTerm* t, std::string_view what);

  // PN_LOCAL, unescaped, appended to *out (possibly empty).
  bool ScanLocalName(std::string* out);

  bool ParseBlankLabel(RdfTerm* t);

  RdfTerm Fresh() { return RdfTerm::BlankNode(StrCat(kFreshPrefix, ++fresh_)); }

  bool ParseNumber(RdfTerm* t);

  // RDFLiteral ::= String (LANG_DIR | '^^' iri)?
  bool ParseRdfLiteral(RdfTerm* t);

  bool ParseLangDir(std::string* language, BaseDirection* direction);

  // Any of the four string forms, escapes decoded.
  bool ParseString(std::string* out);

  void Emit(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o);

  std::string file_;
  TurtleInput in_;
  const bool trig_;
  std::string base_;
  std::map<std::string, std::string> prefixes_;
  std::optional<RdfTerm>
      graph_;  // the graph being read (TriG); none: the default graph
  bool graph_open_ = false;  // inside { } (TriG)
  int64_t graph_line_ = 0;
  std::deque<RdfQuad> pending_;  // the current statement's triples
  size_t next_ = 0;              // next of pending_ to return
  int depth_ = 0;
  uint64_t fresh_ = 0;
  int64_t statements_ = 0;
  std::optional<Diagnostic> error_;
  std::string line_text_;  // the line of error_, if at hand
  bool fatal_ = false;     // error_ is a read error
  bool done_ = false;
};

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_TURTLE_PARSER_H_
