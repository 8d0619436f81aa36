// Syntax of the annotated-text format (schemas/annotation-format.md): splits
// a file into canonical text, labelled spans and directives, and parses the
// fields of directives into small syntax trees. No vocabulary knowledge here;
// resolving names is the loader's job.
#ifndef KG_INGEST_ANNOTATED_PARSER_H_
#define KG_INGEST_ANNOTATED_PARSER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/diagnostics.h"

namespace kg::ingest {

struct Label {
  char kind = '#';  // '#': claim or link anchor; '=': entity mention
  std::string value;
  Pos pos;
};

// A bracketed span, in code points of the canonical text.
struct SpanAst {
  uint64_t start = 0;
  uint64_t end = 0;
  Pos pos;  // of its "[["
  std::vector<Label> labels;
};

// One `@keyword rest` line.
struct Directive {
  std::string keyword;
  Pos pos;            // of the keyword
  std::string rest;   // after the keyword and its separating spaces
  Pos rest_pos;       // of rest's first character
};

struct ParsedFile {
  std::string text;  // canonical text
  std::vector<SpanAst> spans;
  std::vector<Directive> directives;
};

// Splits `content` into canonical text, spans and directives. Syntax errors
// go to `diag`; parsing continues past them so every error is reported.
ParsedFile ParseAnnotated(std::string_view content, Diagnostics* diag);

// ---- directive fields -------------------------------------------------

struct TermAst {
  enum class Kind { kName, kDocument, kIri, kString, kNumber, kQuantity, kDate,
                    kClaimRef, kTriple };
  Kind kind = Kind::kName;
  std::string text;   // name, id, IRI, string, number, date, claim id
  std::string extra;  // language tag of a string, unit of a quantity
  std::vector<TermAst> parts;  // the three terms of a triple
  Pos pos;
};

// A `;`-separated field of a directive: its first word and the rest.
struct Field {
  std::string key;
  Pos key_pos;
  std::string value;  // trimmed; `\;` unescaped
  Pos value_pos;
};

// Splits `rest` at each `;` not written `\;`. In fields that hold terms (the
// head of @claim and @source; the claim attributes agent, via, time, quantity
// and place) a `;` inside a "string" or an <IRI> does not split either; in
// free-text fields (alias, title, ...) quotes and '<' are plain characters.
std::vector<Field> SplitFields(const Directive& d);

// Parses `text` (starting at `pos`) as exactly one term, or as a
// comma-separated list when `list` is set. Errors go to `diag`.
std::optional<TermAst> ParseTerm(std::string_view text, Pos pos, Diagnostics* diag);
std::optional<std::vector<TermAst>> ParseTermList(std::string_view text, Pos pos,
                                                  Diagnostics* diag);

// `@claim ID: S P O ; attr ; attr`
struct AttributeAst {
  std::string key;
  Pos pos;
  std::string value;  // raw value text
  Pos value_pos;
};
struct ClaimAst {
  std::string id;
  Pos id_pos;
  TermAst s, p, o;
  std::vector<AttributeAst> attributes;
};
std::optional<ClaimAst> ParseClaimDirective(const Directive& d, Diagnostics* diag);

// `@cites [ID:] TARGET` (and reports, quotes, derived_from).
struct LinkAst {
  std::string relation;
  std::string anchor;  // empty if none
  Pos anchor_pos;
  TermAst target;
  Pos pos;
};
std::optional<LinkAst> ParseLinkDirective(const Directive& d, Diagnostics* diag);

// True if `s` is a valid id / name per the grammar.
bool IsId(std::string_view s);
bool IsName(std::string_view s);

}  // namespace kg::ingest

#endif  // KG_INGEST_ANNOTATED_PARSER_H_
