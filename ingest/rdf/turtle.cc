#include "ingest/rdf/turtle.h"

#include <deque>
#include <utility>

#include "ingest/rdf/iri.h"
#include "ingest/rdf/ntriples_internal.h"
#include "ingest/rdf/turtle_input.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
constexpr std::string_view kFreshPrefix = "genid-";

// Blank-node property lists, collections and triple terms nest by
// recursion; this bounds the stack a hostile file uses.
constexpr int kMaxNesting = 256;

bool IsAsciiAlpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(int c) { return c >= '0' && c <= '9'; }
bool IsHex(int c) { return HexValue(c) >= 0; }
bool IsLocalEscapable(int c) {
  return c >= 0 &&
         std::string_view("_~.-!$&'()*+,;=/?#@%").find(static_cast<char>(c)) !=
             std::string_view::npos;
}
bool IsIriPlain(unsigned char c) { return c >= 0x80 || !IsIriForbidden(c); }

}  // namespace

// The grammar, one method per production of the Turtle / TriG 1.2 grammar
// (names follow the specification's). Each returns false after recording
// the first error; the statement then yields nothing.
class TurtleParser {
 public:
  TurtleParser(std::string file, std::istream& in, bool trig, std::string base)
      : file_(std::move(file)), in_(in), trig_(trig), base_(std::move(base)) {}

  bool Next(RdfQuad* out) {
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

  const std::optional<Diagnostic>& error() const { return error_; }

  void SkipStatement() {
    if (!error_ || fatal_) return;
    error_.reset();
    line_text_.clear();
    pending_.clear();
    next_ = 0;
    depth_ = 0;
    Recover();
  }

  std::string FormatError() const {
    if (!error_) return "";
    std::string out = StrCat(file_, ":", error_->pos.line, ":", error_->pos.col,
                             ": error: ", error_->message, "\n");
    if (line_text_.empty() || FindInvalidUtf8(line_text_)) return out;
    StrAppend(&out, line_text_, "\n");
    int col = 1;
    for (size_t i = 0; i < line_text_.size() && col < error_->pos.col; ++i) {
      if (IsUtf8Continuation(line_text_[i])) continue;
      out.push_back(line_text_[i] == '\t' ? '\t' : ' ');
      ++col;
    }
    for (; col < error_->pos.col; ++col) out.push_back(' ');
    out.append("^\n");
    return out;
  }

  absl::Status status() const {
    if (!error_) return absl::OkStatus();
    return absl::InvalidArgumentError(StrCat(file_, ":", error_->pos.line, ":",
                                             error_->pos.col, ": ",
                                             error_->message));
  }

  int64_t statements() const { return statements_; }
  const std::map<std::string, std::string>& prefixes() const {
    return prefixes_;
  }
  const std::optional<std::string>& version() const { return version_; }

 private:
  // ---- errors ----------------------------------------------------------

  bool Fail(Pos pos, std::string message) {
    if (!error_) {
      error_ = Diagnostic{pos, std::move(message)};
      line_text_ = pos.line == in_.line() ? in_.CurrentLine() : "";
    }
    return false;
  }
  bool FailHere(std::string_view expected) {
    const Pos at = in_.Here();
    return Fail(at, StrCat("expected ", expected, ", found ", Describe()));
  }
  void ReadError() {
    fatal_ = true;
    error_ =
        Diagnostic{in_.Here(),
                   "expected readable input, found a read error (corrupt or "
                   "truncated compressed data?)"};
  }
  // The token at the cursor, for messages.
  std::string Describe() {
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
    if (!(IsPnChars(cp) || cp == ':')) {
      for (size_t i = 0; i < len; ++i)
        word.push_back(static_cast<char>(in_.Peek(i)));
    }
    // A name reads better whole: up to 20 bytes of it.
    for (size_t k = 0; word.empty() || k > 0;) {
      size_t n = 1;
      const int64_t w = in_.PeekChar(k, &n);
      if (w < 0 || !(IsPnChars(w) || w == ':') || k + n > 20) break;
      for (size_t i = 0; i < n; ++i)
        word.push_back(static_cast<char>(in_.Peek(k + i)));
      k += n;
    }
    return word == "'" ? "\"'\"" : StrCat("'", word, "'");
  }

  // After an error: skips to the end of the bad statement -- a '.' followed
  // by white space or the end, or in TriG a '}' that closes the graph --
  // passing over strings, IRIs and comments.
  void Recover() {
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
          if (!lng && d == '\n')
            break;  // the line ends an unclosed short string
          if (d == c && (!lng || (in_.Peek(1) == c && in_.Peek(2) == c))) {
            in_.Advance(lng ? 3 : 1);
            break;
          }
          in_.AdvanceOne();
        }
        continue;
      }
      if (c == '#') {
        while (in_.Peek() >= 0 && in_.Peek() != '\n') in_.Advance();
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

  // ---- white space and small tokens ------------------------------------

  void SkipWs() {
    while (true) {
      const int c = in_.Peek();
      if (c == ' ' || c == '\t' || c == '\r') {
        in_.Advance();
      } else if (c == '\n') {
        in_.AdvanceOne();
      } else if (c == '#') {
        while (in_.Peek() >= 0 && in_.Peek() != '\n') in_.Advance();
      } else {
        return;
      }
    }
  }

  bool Expect(char c, std::string_view what) {
    SkipWs();
    if (in_.Peek() != static_cast<unsigned char>(c)) return FailHere(what);
    in_.Advance();
    return true;
  }

  // Whether the cursor is at `word` (case-insensitively when `any_case`)
  // followed by something that cannot continue a name.
  bool AtKeyword(std::string_view word, bool any_case) {
    for (size_t i = 0; i < word.size(); ++i) {
      int c = in_.Peek(i);
      if (any_case && c >= 'A' && c <= 'Z') c += 'a' - 'A';
      if (c != word[i]) return false;
    }
    size_t n = 1;
    const int64_t next = in_.PeekChar(word.size(), &n);
    return !(IsPnChars(next) || next == ':' || next == '.');
  }

  bool CheckDepth() {
    if (depth_ < kMaxNesting) return true;
    const Pos at = in_.Here();
    return Fail(at,
                StrCat("expected at most ", kMaxNesting,
                       " nested blank nodes, collections and triple terms"));
  }

  // ---- statements ------------------------------------------------------

  bool ParseStatement() {
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

  bool ParseAtDirective() {
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

  // After PREFIX / @prefix: PNAME_NS IRIREF.
  bool ParsePrefixRest() {
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

  bool ParseBaseRest() {
    SkipWs();
    if (in_.Peek() != '<') return FailHere("an IRI in <> for the base");
    return ParseIriRef(&base_);
  }

  bool ParseVersionRest() {
    SkipWs();
    const int c = in_.Peek();
    if ((c != '"' && c != '\'') || (in_.Peek(1) == c && in_.Peek(2) == c)) {
      return FailHere("a version string in single or double quotes");
    }
    std::string v;
    if (!ParseString(&v)) return false;
    version_ = std::move(v);
    return true;
  }

  // TriG: a graph block, or triples in the default graph.
  bool ParseTrigBlock() {
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

  bool ParseGraphLabel(RdfTerm* label) {
    if (in_.Peek() == '[') {
      if (!AtAnon()) return FailHere("a graph name (IRI or blank node)");
      SkipAnon();
      *label = Fresh();
      return true;
    }
    return ParseIriOrBlank(label, "a graph name (IRI or blank node)");
  }

  bool OpenGraph(std::optional<RdfTerm> label, int64_t line) {
    graph_ = std::move(label);
    graph_open_ = true;
    graph_line_ = line;
    return true;
  }

  // triples ::= subject predicateObjectList | blankNodePropertyList
  //             predicateObjectList? | reifiedTriple predicateObjectList?
  bool ParseTriples() {
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

  // ---- predicates and objects -------------------------------------------

  bool AtVerb() {
    const int c = in_.Peek();
    if (c == '<') return in_.Peek(1) != '<';
    if (c == ':') return true;
    size_t n = 1;
    return IsPnCharsBase(in_.PeekChar(0, &n));
  }

  bool ParsePredicateObjectList(const RdfTerm& subject) {
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

  bool ParseVerb(RdfTerm* verb) {
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

  bool ParseObjectList(const RdfTerm& subject, const RdfTerm& verb) {
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

  // annotation ::= (reifier | annotationBlock)*
  bool ParseAnnotation(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o) {
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

  // reifier ::= '~' (iri | BlankNode)?
  bool ParseReifier(RdfTerm* r) {
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

  bool ParseObject(RdfTerm* o) {
    const int c = in_.Peek();
    switch (c) {
      case '<':
        if (in_.Peek(1) == '<') {
          return in_.Peek(2) == '(' ? ParseTripleTerm(o)
                                    : ParseReifiedTriple(o);
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

  // The subject or object of a triple term or reified triple, or a graph
  // name: an IRI or a blank node (not a property list or collection).
  bool ParseIriOrBlank(RdfTerm* t, std::string_view what) {
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

  bool AtAnon() {
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
  void SkipAnon() {
    in_.Advance();
    SkipWs();
    in_.Advance();  // ']'
  }

  bool ParseBlankNodePropertyList(RdfTerm* node) {
    in_.Advance();  // '['
    ++depth_;
    if (!CheckDepth()) return false;
    *node = Fresh();
    if (!ParsePredicateObjectList(*node)) return false;
    --depth_;
    return Expect(']', "']' to close the blank node property list");
  }

  bool ParseCollection(RdfTerm* head) {
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

  // tripleTerm ::= '<<(' ttSubject verb ttObject ')>>'
  bool ParseTripleTerm(RdfTerm* t) {
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

  // reifiedTriple ::= '<<' rtSubject verb rtObject reifier? '>>'
  bool ParseReifiedTriple(RdfTerm* r) {
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

  // ---- terms -------------------------------------------------------------

  bool ParseIri(RdfTerm* t) {
    std::string iri;
    if (!ParseIriRef(&iri)) return false;
    *t = RdfTerm::Iri(std::move(iri));
    return true;
  }

  // IRIREF, resolved against the base.
  bool ParseIriRef(std::string* out) {
    const Pos start = in_.Here();
    in_.Advance();  // '<'
    std::string iri;
    while (true) {
      in_.TakeUntil([](unsigned char c) { return !IsIriPlain(c); }, &iri);
      const int c = in_.Peek();
      if (c == '>') break;
      if (c == '\\') {
        const Pos at = in_.Here();
        if (in_.Peek(1) != 'u' && in_.Peek(1) != 'U') {
          return Fail(
              at,
              "expected \\u or \\U escape in IRI, found another '\\' escape");
        }
        char32_t cp = 0;
        if (!ParseUchar(&cp)) return false;
        if (IsIriForbidden(cp)) {
          return Fail(at, StrCat("expected IRI character, found escaped U+",
                                 Hex(cp, 4), " (not allowed in IRIs)"));
        }
        AppendUtf8(&iri, cp);
        continue;
      }
      if (c < 0 || c == '\n') {
        return Fail(start, "expected '>' to close the IRI opened here");
      }
      return FailHere("an IRI character or '>'");
    }
    in_.Advance();
    if (const auto bad = FindInvalidUtf8(iri)) {
      return Fail(
          start, StrCat("expected UTF-8 text in the IRI, found invalid byte 0x",
                        Hex(static_cast<unsigned char>(iri[*bad]), 2)));
    }
    if (IsAbsoluteIri(iri)) {
      *out = std::move(iri);
      return true;
    }
    if (base_.empty()) {
      return Fail(
          start, StrCat("expected an absolute IRI, found <", iri,
                        "> and no base IRI to resolve it against (add @base)"));
    }
    *out = ResolveIri(base_, iri);
    return true;
  }

  bool ParseUchar(char32_t* cp) {
    const Pos start = in_.Here();
    const int n = in_.Peek(1) == 'u' ? 4 : 8;
    char32_t v = 0;
    for (int i = 0; i < n; ++i) {
      const int h = in_.Peek(2 + static_cast<size_t>(i));
      if (!IsHex(h)) {
        return Fail(start, StrCat("expected ", n, " hex digits after '\\",
                                  n == 4 ? "u" : "U", "'"));
      }
      v = (v << 4) | static_cast<char32_t>(HexValue(h));
    }
    in_.Advance(2 + static_cast<size_t>(n));
    if (v >= 0xD800 && v <= 0xDFFF) {
      return Fail(
          start,
          StrCat("expected a Unicode scalar value, found the surrogate U+",
                 Hex(v, 4), " (escape pairs are not decoded)"));
    }
    if (v > 0x10FFFF)
      return Fail(start, StrCat("expected a code point up to U+10FFFF"));
    *cp = v;
    return true;
  }

  // PN_PREFIX: PN_CHARS_BASE ((PN_CHARS | '.')* PN_CHARS)?
  bool ScanPrefixName(std::string* out) {
    size_t n = 1;
    in_.PeekChar(0, &n);
    for (size_t i = 0; i < n; ++i)
      out->push_back(static_cast<char>(in_.Peek(i)));
    in_.Advance(n);
    while (true) {
      size_t k = 0;
      while (in_.Peek(k) == '.') ++k;
      const int64_t c = in_.PeekChar(k, &n);
      if (!IsPnChars(c)) return true;
      for (size_t i = 0; i < k + n; ++i)
        out->push_back(static_cast<char>(in_.Peek(i)));
      in_.Advance(k + n);
    }
  }

  // PrefixedName ::= PNAME_LN | PNAME_NS, expanded.
  bool ParsePrefixedIri(RdfTerm* t, std::string_view what) {
    const Pos start = in_.Here();
    std::string prefix;
    if (in_.Peek() != ':') {
      if (!ScanPrefixName(&prefix)) return false;
      if (in_.Peek() != ':') {
        if (prefix == "a" || prefix == "true" || prefix == "false") {
          return Fail(start,
                      StrCat("expected ", what, ", found '", prefix, "'"));
        }
        return Fail(start,
                    StrCat("expected ", what, ", found '", prefix,
                           "' (a prefixed name needs ':'; an IRI needs <>)"));
      }
    }
    in_.Advance();  // ':'
    auto ns = prefixes_.find(prefix);
    if (ns == prefixes_.end()) {
      return Fail(start,
                  StrCat("expected a declared prefix, found '", prefix,
                         ":' (declare it with @prefix ", prefix, ": <...> .)"));
    }
    std::string iri = ns->second;
    if (!ScanLocalName(&iri)) return false;
    *t = RdfTerm::Iri(std::move(iri));
    return true;
  }

  // PN_LOCAL, unescaped, appended to *out (possibly empty).
  bool ScanLocalName(std::string* out) {
    bool first = true;
    while (true) {
      size_t k = 0;
      if (!first) {
        while (in_.Peek(k) == '.') ++k;
      }
      size_t n = 1;
      const int64_t c = in_.PeekChar(k, &n);
      const bool ok = first ? (IsPnCharsU(c) || c == ':' ||
                               IsAsciiDigit(static_cast<int>(c)))
                            : (IsPnChars(c) || c == ':');
      if (c == '%') {
        if (!IsHex(in_.Peek(k + 1)) || !IsHex(in_.Peek(k + 2))) {
          in_.Advance(k);
          const Pos at = in_.Here();
          return Fail(at, "expected two hex digits after '%' in a local name");
        }
        n = 3;
      } else if (c == '\\') {
        if (!IsLocalEscapable(in_.Peek(k + 1))) {
          in_.Advance(k);
          const Pos at = in_.Here();
          return Fail(at,
                      "expected one of _~.-!$&'()*+,;=/?#@% after '\\' in a "
                      "local name");
        }
        for (size_t i = 0; i < k; ++i) out->push_back('.');
        out->push_back(static_cast<char>(in_.Peek(k + 1)));
        in_.Advance(k + 2);
        first = false;
        continue;
      } else if (!ok) {
        return true;
      }
      for (size_t i = 0; i < k + n; ++i)
        out->push_back(static_cast<char>(in_.Peek(i)));
      in_.Advance(k + n);
      first = false;
    }
  }

  bool ParseBlankLabel(RdfTerm* t) {
    if (in_.Peek(1) != ':')
      return FailHere("':' after '_' to start a blank node label");
    in_.Advance(2);
    size_t n = 1;
    const int64_t c = in_.PeekChar(0, &n);
    if (!(IsPnCharsU(c) || IsAsciiDigit(static_cast<int>(c)))) {
      return FailHere("a blank node label after '_:'");
    }
    std::string label;
    for (size_t i = 0; i < n; ++i)
      label.push_back(static_cast<char>(in_.Peek(i)));
    in_.Advance(n);
    while (true) {
      size_t k = 0;
      while (in_.Peek(k) == '.') ++k;
      const int64_t d = in_.PeekChar(k, &n);
      if (!IsPnChars(d)) break;
      for (size_t i = 0; i < k + n; ++i)
        label.push_back(static_cast<char>(in_.Peek(i)));
      in_.Advance(k + n);
    }
    if (std::string_view(label).starts_with(kFreshPrefix)) {
      label = StrCat(kFreshPrefix, "-",
                     std::string_view(label).substr(kFreshPrefix.size()));
    }
    *t = RdfTerm::BlankNode(std::move(label));
    return true;
  }

  RdfTerm Fresh() { return RdfTerm::BlankNode(StrCat(kFreshPrefix, ++fresh_)); }

  bool ParseNumber(RdfTerm* t) {
    std::string lex;
    if (in_.Peek() == '+' || in_.Peek() == '-') {
      lex.push_back(static_cast<char>(in_.Peek()));
      in_.Advance();
    }
    auto digits = [&] {
      size_t n = 0;
      while (IsAsciiDigit(in_.Peek())) {
        lex.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
        ++n;
      }
      return n;
    };
    const size_t whole = digits();
    std::string_view type = "integer";
    size_t fraction = 0;
    if (in_.Peek() == '.' && IsAsciiDigit(in_.Peek(1))) {
      lex.push_back('.');
      in_.Advance();
      fraction = digits();
      type = "decimal";
    } else if (in_.Peek() == '.' && whole > 0 &&
               (in_.Peek(1) == 'e' || in_.Peek(1) == 'E')) {
      const int after = in_.Peek(2);
      if (IsAsciiDigit(after) ||
          ((after == '+' || after == '-') && IsAsciiDigit(in_.Peek(3)))) {
        lex.push_back('.');
        in_.Advance();
      }
    }
    if (whole + fraction == 0) return FailHere("a number");
    if (in_.Peek() == 'e' || in_.Peek() == 'E') {
      lex.push_back(static_cast<char>(in_.Peek()));
      in_.Advance();
      if (in_.Peek() == '+' || in_.Peek() == '-') {
        lex.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
      }
      if (digits() == 0) return FailHere("the digits of the exponent");
      type = "double";
    }
    *t = RdfTerm::Literal(std::move(lex), StrCat(kXsd, type));
    return true;
  }

  // RDFLiteral ::= String (LANG_DIR | '^^' iri)?
  bool ParseRdfLiteral(RdfTerm* t) {
    std::string lexical;
    if (!ParseString(&lexical)) return false;
    SkipWs();
    if (in_.Peek() == '^' && in_.Peek(1) == '^') {
      in_.Advance(2);
      SkipWs();
      const Pos at = in_.Here();
      RdfTerm datatype;
      if (in_.Peek() == '<') {
        if (!ParseIri(&datatype)) return false;
      } else {
        if (!ParsePrefixedIri(&datatype, "a datatype IRI after '^^'"))
          return false;
      }
      if (datatype.value == kRdfLangString ||
          datatype.value == kRdfDirLangString) {
        return Fail(at,
                    StrCat("expected a datatype other than <", datatype.value,
                           "> (write a language tag instead: \"...\"@en)"));
      }
      *t = RdfTerm::Literal(std::move(lexical), std::move(datatype.value));
      return true;
    }
    if (in_.Peek() == '@') {
      std::string language;
      BaseDirection direction = BaseDirection::kNone;
      if (!ParseLangDir(&language, &direction)) return false;
      *t = RdfTerm::LangLiteral(std::move(lexical), std::move(language),
                                direction);
      return true;
    }
    *t = RdfTerm::Literal(std::move(lexical));
    return true;
  }

  bool ParseLangDir(std::string* language, BaseDirection* direction) {
    in_.Advance();  // '@'
    auto run = [&](bool digits) {
      std::string s;
      while (IsAsciiAlpha(in_.Peek()) || (digits && IsAsciiDigit(in_.Peek()))) {
        s.push_back(static_cast<char>(in_.Peek()));
        in_.Advance();
      }
      return s;
    };
    std::string tag = run(false);
    if (tag.empty()) return FailHere("a language tag after '@'");
    while (in_.Peek() == '-' &&
           (IsAsciiAlpha(in_.Peek(1)) || IsAsciiDigit(in_.Peek(1)))) {
      in_.Advance();
      tag.push_back('-');
      tag.append(run(true));
    }
    *language = std::move(tag);
    *direction = BaseDirection::kNone;
    if (in_.Peek() == '-' && in_.Peek(1) == '-') {
      in_.Advance(2);
      const Pos at = in_.Here();
      const std::string word = run(false);
      if (word == "ltr") {
        *direction = BaseDirection::kLtr;
      } else if (word == "rtl") {
        *direction = BaseDirection::kRtl;
      } else {
        return Fail(
            at, StrCat("expected base direction 'ltr' or 'rtl', found '", word,
                       "'"));
      }
    }
    return true;
  }

  // Any of the four string forms, escapes decoded.
  bool ParseString(std::string* out) {
    const Pos start = in_.Here();
    const int q = in_.Peek();
    const bool lng = in_.Peek(1) == q && in_.Peek(2) == q;
    in_.Advance(lng ? 3 : 1);
    out->clear();
    const unsigned char quote = static_cast<unsigned char>(q);
    while (true) {
      in_.TakeUntil(
          [quote, lng](unsigned char c) {
            return c == quote || c == '\\' || c == '\n' || (!lng && c == '\r');
          },
          out);
      const int c = in_.Peek();
      if (c < 0) {
        return Fail(start,
                    in_.read_error()
                        ? "expected the end of the string, found a read error"
                        : "expected the end of the string opened here");
      }
      if (c == '\n' || c == '\r') {
        if (!lng) {
          return Fail(start,
                      "expected the end of the string opened here before the "
                      "end of the "
                      "line (use \"\"\" for strings over several lines)");
        }
        out->push_back(static_cast<char>(c));
        in_.AdvanceOne();
        continue;
      }
      if (c == q) {
        if (!lng) {
          in_.Advance();
          break;
        }
        if (in_.Peek(1) == q && in_.Peek(2) == q) {
          in_.Advance(3);
          break;
        }
        out->push_back(static_cast<char>(c));
        in_.Advance();
        continue;
      }
      // '\\'
      const int e = in_.Peek(1);
      if (e == 'u' || e == 'U') {
        char32_t cp = 0;
        if (!ParseUchar(&cp)) return false;
        AppendUtf8(out, cp);
        continue;
      }
      const int decoded = EcharValue(e);
      if (decoded < 0) {
        const Pos at = in_.Here();
        return Fail(
            at,
            "expected an escape sequence (\\t \\b \\n \\r \\f \\\" \\' \\\\ "
            "\\uXXXX \\UXXXXXXXX) after '\\'");
      }
      out->push_back(static_cast<char>(decoded));
      in_.Advance(2);
    }
    if (const auto bad = FindInvalidUtf8(*out)) {
      return Fail(
          start,
          StrCat("expected UTF-8 text in the string, found invalid byte 0x",
                 Hex(static_cast<unsigned char>((*out)[*bad]), 2)));
    }
    return true;
  }

  void Emit(const RdfTerm& s, const RdfTerm& p, const RdfTerm& o) {
    pending_.push_back(RdfQuad{s, p, o, graph_});
  }

  std::string file_;
  TurtleInput in_;
  const bool trig_;
  std::string base_;
  std::map<std::string, std::string> prefixes_;
  std::optional<std::string> version_;
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
const std::map<std::string, std::string>& TurtleReader::prefixes() const {
  return parser_->prefixes();
}
const std::optional<std::string>& TurtleReader::version() const {
  return parser_->version();
}

}  // namespace kg::ingest
