#include "ingest/rdf/turtle.h"

#include <utility>

#include "ingest/rdf/ntriples_internal.h"
#include "ingest/rdf/turtle_parser.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {

bool TurtleParser::Next(RdfQuad* out) {
  while (next_ == pending_.size()) {
    pending_.clear();
    next_ = 0;
    if (error_ || done_) return false;
    if (!ParseStatement()) {
      pending_.clear();
      // Whatever the grammar made of cut-off input, the cause is the read.
      if (in_.read_error()) ReadError();
      return false;
    }
  }
  *out = std::move(pending_[next_++]);
  ++statements_;
  return true;
}

void TurtleParser::SkipStatement() {
  if (!error_ || fatal_) return;
  error_.reset();
  line_text_.clear();
  pending_.clear();
  next_ = 0;
  depth_ = 0;
  Recover();
}

std::string TurtleParser::FormatError() const {
  if (!error_) return "";
  return FormatDiagnostic(file_, *error_,
                          line_text_.empty()
                              ? std::nullopt
                              : std::optional<std::string_view>(line_text_));
}

absl::Status TurtleParser::status() const {
  if (!error_) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(file_, ":", error_->pos.line, ":",
                                           error_->pos.col, ": ",
                                           error_->message));
}

bool TurtleParser::Fail(Pos pos, std::string message) {
  if (!error_) {
    error_ = Diagnostic{pos, std::move(message)};
    line_text_ = pos.line == in_.line() ? in_.CurrentLine() : "";
  }
  return false;
}

bool TurtleParser::FailHere(std::string_view expected) {
  const Pos at = in_.Here();
  return Fail(at, StrCat("expected ", expected, ", found ", Describe()));
}

void TurtleParser::ReadError() {
  fatal_ = true;
  error_ = Diagnostic{in_.Here(),
                      "expected readable input, found a read error (corrupt or "
                      "truncated compressed data?)"};
}

std::string TurtleParser::Describe() {
  const int c = in_.Peek();
  if (c < 0) return in_.read_error() ? "a read error" : "end of input";
  size_t len = 1;
  const int64_t cp = in_.PeekChar(0, &len);
  if (cp == kInvalidUtf8)
    return StrCat("invalid UTF-8 byte 0x", Hex(static_cast<uint32_t>(c), 2));
  if (cp == '\n' || cp == '\r') return "end of line";
  if (cp < 0x20 || cp == 0x7F || cp == 0xFEFF) {
    return StrCat("character U+", Hex(static_cast<uint32_t>(cp), 4));
  }
  std::string word;
  size_t k = 0;  // bytes of `word` taken
  if (IsPnChars(cp) || cp == ':') {
    // A name reads better whole: up to 20 bytes of it.
    for (size_t n = 1;; k += n) {
      const int64_t w = in_.PeekChar(k, &n);
      if (w < 0 || !(IsPnChars(w) || w == ':') || k + n > 20) break;
    }
  } else {
    k = len;
  }
  for (size_t i = 0; i < k; ++i) word.push_back(static_cast<char>(in_.Peek(i)));
  return word == "'" ? "\"'\"" : StrCat("'", word, "'");
}

void TurtleParser::Recover() {
  while (true) {
    const int c = in_.Peek();
    if (c < 0) {
      done_ = true;
      return;
    }
    if (c == '"' || c == '\'') {
      const bool lng = in_.Peek(1) == c && in_.Peek(2) == c;
      in_.Advance(lng ? 3 : 1);
      while (true) {
        const int d = in_.Peek();
        if (d < 0) return;
        if (d == '\\') {
          in_.Advance();
          if (in_.Peek() >= 0) in_.AdvanceOne();
          continue;
        }
        if (!lng && d == '\n') break;  // the line ends an unclosed short string
        if (d == c && (!lng || (in_.Peek(1) == c && in_.Peek(2) == c))) {
          in_.Advance(lng ? 3 : 1);
          break;
        }
        in_.AdvanceOne();
      }
      continue;
    }
    if (c == '#') {
      SkipComment();
      continue;
    }
    if (c == '.') {
      const int d = in_.Peek(1);
      in_.Advance();
      if (d < 0 || d == ' ' || d == '\t' || d == '\n' || d == '\r') return;
      continue;
    }
    if (c == '}' && graph_open_) {
      in_.Advance();
      graph_open_ = false;
      graph_.reset();
      return;
    }
    in_.AdvanceOne();
  }
}

void TurtleParser::SkipComment() {
  std::string comment;
  in_.TakeUntil([](unsigned char c) { return c == '\n'; }, &comment);
}

void TurtleParser::SkipWs() {
  while (true) {
    const int c = in_.Peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      in_.Advance();
    } else if (c == '\n') {
      in_.AdvanceOne();
    } else if (c == '#') {
      SkipComment();
    } else {
      return;
    }
  }
}

bool TurtleParser::Expect(char c, std::string_view what) {
  SkipWs();
  if (in_.Peek() != static_cast<unsigned char>(c)) return FailHere(what);
  in_.Advance();
  return true;
}

bool TurtleParser::AtKeyword(std::string_view word, bool any_case) {
  for (size_t i = 0; i < word.size(); ++i) {
    int c = in_.Peek(i);
    if (any_case && c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c != word[i]) return false;
  }
  size_t n = 1;
  const int64_t next = in_.PeekChar(word.size(), &n);
  return !(IsPnChars(next) || next == ':' || next == '.');
}

bool TurtleParser::CheckDepth() {
  if (depth_ < kMaxNesting) return true;
  const Pos at = in_.Here();
  return Fail(at, StrCat("expected at most ", kMaxNesting,
                         " nested blank nodes, collections and triple terms"));
}

bool TurtleParser::ParseStatement() {
  SkipWs();
  const int c = in_.Peek();
  if (c < 0) {
    if (in_.read_error()) return false;
    if (graph_open_) {
      return FailHere(
          StrCat("'}' to close the graph opened at line ", graph_line_));
    }
    done_ = true;
    return false;
  }
  if (graph_open_) {
    if (c == '}') {
      in_.Advance();
      graph_open_ = false;
      graph_.reset();
      return true;
    }
    if (!ParseTriples()) return false;
    SkipWs();
    if (in_.Peek() == '.') {
      in_.Advance();
    } else if (in_.Peek() != '}') {
      return FailHere("'.' or '}' after the triples");
    }
    return true;
  }
  if (c == '@') return ParseAtDirective();
  if (AtKeyword("prefix", true)) {
    in_.Advance(6);
    return ParsePrefixRest();
  }
  if (AtKeyword("base", true)) {
    in_.Advance(4);
    return ParseBaseRest();
  }
  if (AtKeyword("version", true)) {
    in_.Advance(7);
    return ParseVersionRest();
  }
  if (!trig_) {
    if (c == '{' || AtKeyword("graph", true)) {
      return FailHere(
          "a triple (graph blocks are TriG: name the file .trig or use "
          "--format "
          "trig)");
    }
    if (!ParseTriples()) return false;
    return Expect('.', "'.' to end the triples");
  }
  return ParseTrigBlock();
}

bool TurtleParser::ParseAtDirective() {
  if (AtKeyword("@prefix", false)) {
    in_.Advance(7);
    if (!ParsePrefixRest()) return false;
  } else if (AtKeyword("@base", false)) {
    in_.Advance(5);
    if (!ParseBaseRest()) return false;
  } else if (AtKeyword("@version", false)) {
    in_.Advance(8);
    if (!ParseVersionRest()) return false;
  } else {
    return FailHere("@prefix, @base or @version");
  }
  return Expect('.', "'.' after the directive");
}

bool TurtleParser::ParsePrefixRest() {
  SkipWs();
  std::string prefix;
  const int c = in_.Peek();
  if (c != ':') {
    size_t n = 1;
    if (!IsPnCharsBase(in_.PeekChar(0, &n)))
      return FailHere("a prefix name ending in ':'");
    if (!ScanPrefixName(&prefix)) return false;
    if (in_.Peek() != ':') return FailHere("':' after the prefix name");
  }
  in_.Advance();
  SkipWs();
  if (in_.Peek() != '<') return FailHere("an IRI in <> for the prefix");
  std::string iri;
  if (!ParseIriRef(&iri)) return false;
  prefixes_[prefix] = std::move(iri);
  return true;
}

bool TurtleParser::ParseBaseRest() {
  SkipWs();
  if (in_.Peek() != '<') return FailHere("an IRI in <> for the base");
  return ParseIriRef(&base_);
}

bool TurtleParser::ParseVersionRest() {
  SkipWs();
  const int c = in_.Peek();
  if ((c != '"' && c != '\'') || (in_.Peek(1) == c && in_.Peek(2) == c)) {
    return FailHere("a version string in single or double quotes");
  }
  std::string version;  // any version string is accepted
  return ParseString(&version);
}

bool TurtleParser::ParseTrigBlock() {
  const int c = in_.Peek();
  const int64_t line = in_.line();
  if (c == '{') {
    in_.Advance();
    return OpenGraph(std::nullopt, line);
  }
  if (AtKeyword("graph", true)) {
    in_.Advance(5);
    SkipWs();
    RdfTerm label;
    if (!ParseGraphLabel(&label)) return false;
    if (!Expect('{', "'{' to open the graph")) return false;
    return OpenGraph(std::move(label), line);
  }
  // labelOrSubject followed by '{' names a graph; anything else is triples.
  RdfTerm subject;
  if (c == '[') {
    if (!AtAnon()) {
      if (!ParseTriples()) return false;
      return Expect('.', "'.' to end the triples");
    }
    SkipAnon();
    subject = Fresh();
  } else if (c == '(' || (c == '<' && in_.Peek(1) == '<')) {
    if (!ParseTriples()) return false;
    return Expect('.', "'.' to end the triples");
  } else {
    if (!ParseIriOrBlank(&subject, "a subject or a graph name")) return false;
  }
  SkipWs();
  if (in_.Peek() == '{') {
    in_.Advance();
    return OpenGraph(std::move(subject), line);
  }
  if (!ParsePredicateObjectList(subject)) return false;
  return Expect('.', "'.' to end the triples");
}

bool TurtleParser::ParseGraphLabel(RdfTerm* label) {
  if (in_.Peek() == '[') {
    if (!AtAnon()) return FailHere("a graph name (IRI or blank node)");
    SkipAnon();
    *label = Fresh();
    return true;
  }
  return ParseIriOrBlank(label, "a graph name (IRI or blank node)");
}

bool TurtleParser::OpenGraph(std::optional<RdfTerm> label, int64_t line) {
  graph_ = std::move(label);
  graph_open_ = true;
  graph_line_ = line;
  return true;
}

bool TurtleParser::ParseTriples() {
  const int c = in_.Peek();
  RdfTerm subject;
  bool optional_list = false;
  if (c == '[') {
    if (AtAnon()) {
      SkipAnon();
      subject = Fresh();
    } else {
      if (!ParseBlankNodePropertyList(&subject)) return false;
      optional_list = true;
    }
  } else if (c == '<' && in_.Peek(1) == '<') {
    if (in_.Peek(2) == '(')
      return FailHere("a subject (a triple term cannot be one)");
    if (!ParseReifiedTriple(&subject)) return false;
    optional_list = true;
  } else if (c == '(') {
    if (!ParseCollection(&subject)) return false;
  } else {
    if (!ParseIriOrBlank(&subject, "a subject")) return false;
  }
  SkipWs();
  if (optional_list && !AtVerb()) return true;
  return ParsePredicateObjectList(subject);
}

bool TurtleParser::AtVerb() {
  const int c = in_.Peek();
  if (c == '<') return in_.Peek(1) != '<';
  if (c == ':') return true;
  size_t n = 1;
  return IsPnCharsBase(in_.PeekChar(0, &n));
}

bool TurtleParser::ParsePredicateObjectList(const RdfTerm& subject) {
  while (true) {
    RdfTerm verb;
    if (!ParseVerb(&verb)) return false;
    if (!ParseObjectList(subject, verb)) return false;
    SkipWs();
    if (in_.Peek() != ';') return true;
    while (in_.Peek() == ';') {
      in_.Advance();
      SkipWs();
    }
    if (!AtVerb()) return true;
  }
}

bool TurtleParser::ParseVerb(RdfTerm* verb) {
  SkipWs();
  if (in_.Peek() == 'a' && AtKeyword("a", false)) {
    in_.Advance();
    *verb = RdfTerm::Iri(StrCat(kRdf, "type"));
    return true;
  }
  if (in_.Peek() == '<' && in_.Peek(1) != '<') return ParseIri(verb);
  if (in_.Peek() == ':' || AtVerb())
    return ParsePrefixedIri(verb, "a predicate");
  if (in_.Peek() == '{' && !trig_) {
    return FailHere(
        "a predicate (graph blocks are TriG: name the file .trig or use "
        "--format "
        "trig)");
  }
  return FailHere("a predicate (an IRI or 'a')");
}

bool TurtleParser::ParseObjectList(const RdfTerm& subject,
                                   const RdfTerm& verb) {
  while (true) {
    SkipWs();
    RdfTerm object;
    if (!ParseObject(&object)) return false;
    Emit(subject, verb, object);
    if (!ParseAnnotation(subject, verb, object)) return false;
    SkipWs();
    if (in_.Peek() != ',') return true;
    in_.Advance();
  }
}

bool TurtleParser::ParseAnnotation(const RdfTerm& s, const RdfTerm& p,
                                   const RdfTerm& o) {
  std::optional<RdfTerm> reifier;
  while (true) {
    SkipWs();
    const int c = in_.Peek();
    if (c == '~') {
      RdfTerm r;
      if (!ParseReifier(&r)) return false;
      Emit(r, RdfTerm::Iri(StrCat(kRdf, "reifies")),
           RdfTerm::TripleTerm(s, p, o));
      reifier = std::move(r);
    } else if (c == '{' && in_.Peek(1) == '|') {
      in_.Advance(2);
      if (!reifier) {
        reifier = Fresh();
        Emit(*reifier, RdfTerm::Iri(StrCat(kRdf, "reifies")),
             RdfTerm::TripleTerm(s, p, o));
      }
      ++depth_;
      if (!CheckDepth() || !ParsePredicateObjectList(*reifier)) return false;
      --depth_;
      SkipWs();
      if (in_.Peek() != '|' || in_.Peek(1) != '}') {
        return FailHere("'|}' to close the annotation");
      }
      in_.Advance(2);
      reifier.reset();
    } else {
      return true;
    }
  }
}

bool TurtleParser::ParseReifier(RdfTerm* r) {
  in_.Advance();  // '~'
  SkipWs();
  const int c = in_.Peek();
  if (c == '[' && AtAnon()) {
    SkipAnon();
    *r = Fresh();
    return true;
  }
  if (c == '<' && in_.Peek(1) != '<') return ParseIri(r);
  if (c == '_' && in_.Peek(1) == ':') return ParseBlankLabel(r);
  size_t n = 1;
  if (c == ':' || IsPnCharsBase(in_.PeekChar(0, &n))) {
    return ParsePrefixedIri(r, "a reifier");
  }
  *r = Fresh();
  return true;
}

bool TurtleParser::ParseObject(RdfTerm* o) {
  const int c = in_.Peek();
  switch (c) {
    case '<':
      if (in_.Peek(1) == '<') {
        return in_.Peek(2) == '(' ? ParseTripleTerm(o) : ParseReifiedTriple(o);
      }
      return ParseIri(o);
    case '[':
      if (AtAnon()) {
        SkipAnon();
        *o = Fresh();
        return true;
      }
      return ParseBlankNodePropertyList(o);
    case '(':
      return ParseCollection(o);
    case '"':
    case '\'':
      return ParseRdfLiteral(o);
    case '_':
      return ParseBlankLabel(o);
    default:
      break;
  }
  if (IsAsciiDigit(c) || c == '+' || c == '-' ||
      (c == '.' && IsAsciiDigit(in_.Peek(1)))) {
    return ParseNumber(o);
  }
  if (AtKeyword("true", false) || AtKeyword("false", false)) {
    const bool t = in_.Peek() == 't';
    in_.Advance(t ? 4 : 5);
    *o = RdfTerm::Literal(t ? "true" : "false", StrCat(kXsd, "boolean"));
    return true;
  }
  size_t n = 1;
  if (c == ':' || IsPnCharsBase(in_.PeekChar(0, &n)))
    return ParsePrefixedIri(o, "an object");
  return FailHere(
      "an object (IRI, blank node, literal, collection or triple term)");
}

bool TurtleParser::ParseIriOrBlank(RdfTerm* t, std::string_view what) {
  const int c = in_.Peek();
  if (c == '<' && in_.Peek(1) != '<') return ParseIri(t);
  if (c == '_' && in_.Peek(1) == ':') return ParseBlankLabel(t);
  if (c == '[' && AtAnon()) {
    SkipAnon();
    *t = Fresh();
    return true;
  }
  size_t n = 1;
  if (c == ':' || IsPnCharsBase(in_.PeekChar(0, &n))) {
    if (AtKeyword("true", false) || AtKeyword("false", false)) {
      return FailHere(StrCat(what, " (a literal cannot be one)"));
    }
    return ParsePrefixedIri(t, what);
  }
  if (c == '"' || c == '\'' || IsAsciiDigit(c) || c == '+' || c == '-') {
    return FailHere(StrCat(what, " (a literal cannot be one)"));
  }
  return FailHere(what);
}

bool TurtleParser::AtAnon() {
  size_t k = 1;
  while (true) {
    const int c = in_.Peek(k);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++k;
    } else {
      return c == ']';
    }
  }
}

void TurtleParser::SkipAnon() {
  in_.Advance();
  SkipWs();
  in_.Advance();  // ']'
}

bool TurtleParser::ParseBlankNodePropertyList(RdfTerm* node) {
  in_.Advance();  // '['
  ++depth_;
  if (!CheckDepth()) return false;
  *node = Fresh();
  if (!ParsePredicateObjectList(*node)) return false;
  --depth_;
  return Expect(']', "']' to close the blank node property list");
}

bool TurtleParser::ParseCollection(RdfTerm* head) {
  in_.Advance();  // '('
  ++depth_;
  if (!CheckDepth()) return false;
  const RdfTerm first = RdfTerm::Iri(StrCat(kRdf, "first"));
  const RdfTerm rest = RdfTerm::Iri(StrCat(kRdf, "rest"));
  std::optional<RdfTerm> node;
  while (true) {
    SkipWs();
    if (in_.Peek() == ')') {
      in_.Advance();
      break;
    }
    if (in_.Peek() < 0) return FailHere("')' to close the collection");
    RdfTerm item;
    if (!ParseObject(&item)) return false;
    RdfTerm next = Fresh();
    if (node) {
      Emit(*node, rest, next);
    } else {
      *head = next;
    }
    Emit(next, first, item);
    node = std::move(next);
  }
  --depth_;
  const RdfTerm nil = RdfTerm::Iri(StrCat(kRdf, "nil"));
  if (node) {
    Emit(*node, rest, nil);
  } else {
    *head = nil;
  }
  return true;
}

bool TurtleParser::ParseTripleTerm(RdfTerm* t) {
  in_.Advance(3);
  ++depth_;
  if (!CheckDepth()) return false;
  SkipWs();
  RdfTerm s, p, o;
  if (!ParseIriOrBlank(
          &s, "the subject of the triple term (an IRI or a blank node)")) {
    return false;
  }
  if (!ParseVerb(&p)) return false;
  SkipWs();
  if (in_.Peek() == '<' && in_.Peek(1) == '<' && in_.Peek(2) != '(') {
    return FailHere(
        "the object of the triple term (a reified triple << >> cannot be "
        "one)");
  }
  if (in_.Peek() == '[' && !AtAnon()) {
    return FailHere(
        "the object of the triple term (a blank node property list cannot be "
        "one)");
  }
  if (in_.Peek() == '(') {
    return FailHere(
        "the object of the triple term (a collection cannot be one)");
  }
  if (!ParseObject(&o)) return false;
  SkipWs();
  if (in_.Peek() != ')' || in_.Peek(1) != '>' || in_.Peek(2) != '>') {
    return FailHere("')>>' to close the triple term");
  }
  in_.Advance(3);
  --depth_;
  *t = RdfTerm::TripleTerm(std::move(s), std::move(p), std::move(o));
  return true;
}

bool TurtleParser::ParseReifiedTriple(RdfTerm* r) {
  in_.Advance(2);
  ++depth_;
  if (!CheckDepth()) return false;
  SkipWs();
  RdfTerm s, p, o;
  if (in_.Peek() == '<' && in_.Peek(1) == '<') {
    if (in_.Peek(2) == '(') {
      return FailHere(
          "the subject of the reified triple (a triple term cannot be one)");
    }
    if (!ParseReifiedTriple(&s)) return false;
  } else if (!ParseIriOrBlank(&s, "the subject of the reified triple")) {
    return false;
  }
  if (!ParseVerb(&p)) return false;
  SkipWs();
  if ((in_.Peek() == '[' && !AtAnon()) || in_.Peek() == '(') {
    return FailHere(
        "the object of the reified triple (an IRI, blank node, literal or "
        "triple "
        "term)");
  }
  if (!ParseObject(&o)) return false;
  SkipWs();
  if (in_.Peek() == '~') {
    if (!ParseReifier(r)) return false;
  } else {
    *r = Fresh();
  }
  SkipWs();
  if (in_.Peek() != '>' || in_.Peek(1) != '>')
    return FailHere("'>>' to close the reified triple");
  in_.Advance(2);
  --depth_;
  Emit(*r, RdfTerm::Iri(StrCat(kRdf, "reifies")),
       RdfTerm::TripleTerm(std::move(s), std::move(p), std::move(o)));
  return true;
}

void TurtleParser::Emit(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o) {
  pending_.push_back(RdfQuad{s, p, o, graph_});
}

TurtleReader::TurtleReader(std::string file, std::istream& in, bool trig,
                           std::string base)
    : parser_(std::make_unique<TurtleParser>(std::move(file), in, trig,
                                             std::move(base))) {}
TurtleReader::~TurtleReader() = default;

bool TurtleReader::Next(RdfQuad* out) { return parser_->Next(out); }
const std::optional<Diagnostic>& TurtleReader::error() const {
  return parser_->error();
}
void TurtleReader::SkipLine() { parser_->SkipStatement(); }
std::string TurtleReader::FormatError() const { return parser_->FormatError(); }
absl::Status TurtleReader::status() const { return parser_->status(); }
int64_t TurtleReader::statements() const { return parser_->statements(); }

}  // namespace kg::ingest
