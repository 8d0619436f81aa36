#include "ingest/rdf/ntriples.h"

#include <string_view>
#include <utility>

#include "ingest/rdf/ntriples_internal.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {

std::string Hex(uint32_t v, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 0xF];
  return out;
}

bool IsIriForbidden(char32_t c) {
  return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
         c == '^' || c == '`' || c == '\\';
}

int HexValue(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsPnCharsBase(int64_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
bool IsPnCharsU(int64_t c) { return IsPnCharsBase(c) || c == '_'; }
bool IsPnChars(int64_t c) {
  return IsPnCharsU(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

int EcharValue(int c) {
  switch (c) {
    case 't': return '\t';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case '"': return '"';
    case '\'': return '\'';
    case '\\': return '\\';
    default: return -1;
  }
}

namespace {

// Triple terms nest by recursion; this bounds the stack a hostile line uses.
constexpr int kMaxNesting = 64;

// ---- characters --------------------------------------------------------

std::string CodePointName(char32_t cp) { return StrCat("U+", Hex(cp, cp > 0xFFFF ? 6 : 4)); }

bool IsAsciiAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(int c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(int c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

// ---- one line ----------------------------------------------------------

// Parses one line (without its EOL) of N-Triples or N-Quads.
class LineParser {
 public:
  enum class Result { kEmpty, kStatement, kVersion, kError };

  LineParser(std::string_view line, bool quads) : line_(line), quads_(quads) {}

  Result Parse(RdfQuad* out, std::string* version);

  size_t error_pos() const { return error_pos_; }
  std::string& error_message() { return error_; }

 private:
  enum class Role { kSubject, kPredicate, kObject, kGraph };

  bool AtEnd() const { return pos_ >= line_.size(); }
  // The byte `k` past the cursor, or -1 past the end.
  int Peek(size_t k = 0) const {
    return pos_ + k < line_.size() ? static_cast<unsigned char>(line_[pos_ + k]) : -1;
  }
  bool Fail(size_t pos, std::string message) {
    error_pos_ = pos;
    error_ = std::move(message);
    return false;
  }
  int64_t Col(size_t pos) const {
    return static_cast<int64_t>(CountCodePoints(line_.substr(0, pos))) + 1;
  }
  std::string Describe(size_t pos) const;
  // Skips spaces, tabs and a trailing comment.
  void SkipWs();

  bool ParseStatement(RdfQuad* out);
  bool ParseTerm(Role role, int depth, RdfTerm* t);
  bool ParseIri(RdfTerm* t);
  bool ParseBlankNode(RdfTerm* t);
  bool ParseLiteral(RdfTerm* t);
  bool ParseString(std::string* out);
  bool ParseLangDir(std::string* language, BaseDirection* direction);
  bool ParseTripleTerm(int depth, RdfTerm* t);
  bool ParseUchar(char32_t* cp);

  std::string_view line_;  // ends where a comment starts, once one is seen
  bool quads_;
  bool comment_ = false;
  size_t pos_ = 0;
  size_t error_pos_ = 0;
  std::string error_;
};

std::string LineParser::Describe(size_t pos) const {
  if (pos >= line_.size()) return comment_ ? "a comment" : "end of line";
  size_t end = pos;
  const char32_t c = DecodeUtf8(line_, &end);
  if (c == 0) return "NUL character";
  if (c < 0x20 || c == 0x7F || c == 0xFEFF) return StrCat("character ", CodePointName(c));
  if (c == '\'') return "\"'\"";
  return StrCat("'", line_.substr(pos, end - pos), "'");
}

void LineParser::SkipWs() {
  while (!AtEnd() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  if (!AtEnd() && line_[pos_] == '#') {
    line_ = line_.substr(0, pos_);  // a comment runs to the end of the line
    comment_ = true;
  }
}

LineParser::Result LineParser::Parse(RdfQuad* out, std::string* version) {
  SkipWs();
  if (AtEnd()) return Result::kEmpty;
  if (line_.substr(pos_).starts_with("VERSION")) {
    pos_ += 7;
    SkipWs();
    if (Peek() != '"') {
      Fail(pos_, StrCat("expected a version string after VERSION (e.g. VERSION \"1.2\"), found ",
                        Describe(pos_)));
      return Result::kError;
    }
    if (!ParseString(version)) return Result::kError;
    SkipWs();
    if (!AtEnd()) {
      Fail(pos_, StrCat("expected end of line after the VERSION directive, found ", Describe(pos_)));
      return Result::kError;
    }
    return Result::kVersion;
  }
  return ParseStatement(out) ? Result::kStatement : Result::kError;
}

bool LineParser::ParseStatement(RdfQuad* out) {
  if (!ParseTerm(Role::kSubject, 0, &out->s)) return false;
  SkipWs();
  if (!ParseTerm(Role::kPredicate, 0, &out->p)) return false;
  SkipWs();
  if (!ParseTerm(Role::kObject, 0, &out->o)) return false;
  SkipWs();
  out->graph.reset();
  if (quads_ && (Peek() == '<' || Peek() == '_' || Peek() == '"')) {
    RdfTerm g;
    if (!ParseTerm(Role::kGraph, 0, &g)) return false;
    out->graph = std::move(g);
    SkipWs();
  }
  if (Peek() != '.') {
    return Fail(pos_, StrCat("expected '.' to end the ", quads_ ? "quad" : "triple", ", found ",
                             Describe(pos_)));
  }
  ++pos_;
  SkipWs();
  if (!AtEnd()) {
    return Fail(pos_, StrCat("expected end of line after '.', found ", Describe(pos_),
                             " (one statement per line)"));
  }
  return true;
}

bool LineParser::ParseTerm(Role role, int depth, RdfTerm* t) {
  static constexpr const char* kRoleName[] = {"subject", "predicate", "object", "graph label"};
  static constexpr const char* kExpected[] = {
      "IRI or blank node", "IRI", "IRI, blank node, literal or triple term", "IRI or blank node"};
  const auto r = static_cast<size_t>(role);
  const std::string expected = StrCat("expected ", kExpected[r], " as ", kRoleName[r]);
  const int c = Peek();
  if (c == '<' && Peek(1) == '<') {
    if (Peek(2) == '(') {
      if (role == Role::kObject) return ParseTripleTerm(depth, t);
      return Fail(pos_, StrCat(expected, ", found a triple term (RDF 1.2 allows triple terms "
                                         "only in object position)"));
    }
    return Fail(pos_, StrCat(expected, ", found '<<' (N-Triples has no reified triples; a "
                                       "triple term is written '<<( s p o )>>')"));
  }
  if (c == '<') return ParseIri(t);
  if (c == '_') {
    if (role == Role::kPredicate) return Fail(pos_, StrCat(expected, ", found a blank node"));
    return ParseBlankNode(t);
  }
  if (c == '"') {
    if (role != Role::kObject) return Fail(pos_, StrCat(expected, ", found a literal"));
    return ParseLiteral(t);
  }
  return Fail(pos_, StrCat(expected, ", found ", Describe(pos_)));
}

bool LineParser::ParseUchar(char32_t* cp) {
  const size_t start = pos_;
  const int n = Peek(1) == 'u' ? 4 : 8;
  char32_t v = 0;
  for (int i = 0; i < n; ++i) {
    const size_t at = pos_ + 2 + static_cast<size_t>(i);
    const int h = HexValue(Peek(2 + static_cast<size_t>(i)));
    if (h < 0) {
      return Fail(at, StrCat("expected ", n, " hex digits after '\\", n == 4 ? "u" : "U",
                             "', found ", Describe(at)));
    }
    v = (v << 4) | static_cast<char32_t>(h);
  }
  pos_ += 2 + static_cast<size_t>(n);
  if (v >= 0xD800 && v <= 0xDFFF) {
    return Fail(start, StrCat("expected a Unicode scalar value, found the surrogate ",
                              CodePointName(v), " (escape pairs are not decoded)"));
  }
  if (v > 0x10FFFF) {
    return Fail(start, StrCat("expected a code point up to U+10FFFF, found \\U", Hex(v, 8)));
  }
  *cp = v;
  return true;
}

bool LineParser::ParseIri(RdfTerm* t) {
  const size_t start = pos_++;
  std::string iri;
  while (true) {
    if (AtEnd()) {
      return Fail(pos_, StrCat("expected '>' to close the IRI opened at column ", Col(start)));
    }
    const unsigned char c = static_cast<unsigned char>(line_[pos_]);
    if (c == '>') break;
    if (c == '\\') {
      const size_t at = pos_;
      if (Peek(1) != 'u' && Peek(1) != 'U') {
        return Fail(at, StrCat("expected \\u or \\U escape in IRI, found '\\' followed by ",
                               Describe(at + 1)));
      }
      char32_t cp = 0;
      if (!ParseUchar(&cp)) return false;
      if (IsIriForbidden(cp)) {
        return Fail(at, StrCat("expected IRI character, found escaped ", CodePointName(cp),
                               " (not allowed in IRIs)"));
      }
      AppendUtf8(&iri, cp);
      continue;
    }
    if (c < 0x80 && IsIriForbidden(c)) {
      return Fail(pos_, StrCat("expected IRI character or '>', found ", Describe(pos_)));
    }
    iri.push_back(static_cast<char>(c));
    ++pos_;
  }
  ++pos_;
  if (!IsAbsoluteIri(iri)) {
    return Fail(start, StrCat("expected absolute IRI (scheme ':' ...), found relative IRI <", iri,
                              ">"));
  }
  *t = RdfTerm::Iri(std::move(iri));
  return true;
}

bool LineParser::ParseBlankNode(RdfTerm* t) {
  const size_t start = pos_;
  if (Peek(1) != ':') {
    return Fail(pos_ + 1, StrCat("expected ':' after '_' to start a blank node label, found ",
                                 Describe(pos_ + 1)));
  }
  pos_ += 2;
  size_t next = pos_;
  if (AtEnd() || !(IsPnCharsU(DecodeUtf8(line_, &next)) || IsAsciiDigit(Peek()))) {
    return Fail(pos_, StrCat("expected blank node label after '_:', found ", Describe(pos_)));
  }
  pos_ = next;
  size_t end = pos_;  // a label may contain '.' but not end with one
  while (!AtEnd()) {
    next = pos_;
    const char32_t c = DecodeUtf8(line_, &next);
    if (c == '.') {
      pos_ = next;
    } else if (IsPnChars(c)) {
      pos_ = next;
      end = pos_;
    } else {
      break;
    }
  }
  pos_ = end;
  *t = RdfTerm::BlankNode(std::string(line_.substr(start + 2, end - start - 2)));
  return true;
}

bool LineParser::ParseString(std::string* out) {
  const size_t start = pos_++;
  out->clear();
  while (true) {
    const size_t run = line_.find_first_of("\"\\", pos_);
    if (run == std::string_view::npos) {
      pos_ = line_.size();
      return Fail(pos_, StrCat("expected '\"' to close the string opened at column ", Col(start)));
    }
    out->append(line_.substr(pos_, run - pos_));
    pos_ = run;
    if (line_[pos_] == '"') {
      ++pos_;
      return true;
    }
    const int e = Peek(1);
    if (e == 'u' || e == 'U') {
      char32_t cp = 0;
      if (!ParseUchar(&cp)) return false;
      AppendUtf8(out, cp);
      continue;
    }
    const int decoded = EcharValue(e);
    if (decoded < 0) {
      return Fail(pos_, StrCat("expected escape sequence (\\t \\b \\n \\r \\f \\\" \\' \\\\ "
                               "\\uXXXX \\UXXXXXXXX), found '\\' followed by ",
                               Describe(pos_ + 1)));
    }
    out->push_back(static_cast<char>(decoded));
    pos_ += 2;
  }
}

bool LineParser::ParseLiteral(RdfTerm* t) {
  std::string lexical;
  if (!ParseString(&lexical)) return false;
  const size_t after = pos_;
  SkipWs();
  if (Peek() == '^' && Peek(1) == '^') {
    pos_ += 2;
    SkipWs();
    if (Peek() != '<') {
      return Fail(pos_, StrCat("expected datatype IRI after '^^', found ", Describe(pos_)));
    }
    const size_t at = pos_;
    RdfTerm datatype;
    if (!ParseIri(&datatype)) return false;
    if (datatype.value == kRdfLangString || datatype.value == kRdfDirLangString) {
      return Fail(at, StrCat("expected a datatype other than <", datatype.value,
                             "> (write a language tag instead: \"...\"@en)"));
    }
    *t = RdfTerm::Literal(std::move(lexical), std::move(datatype.value));
    return true;
  }
  if (Peek() == '@') {
    std::string language;
    BaseDirection direction = BaseDirection::kNone;
    if (!ParseLangDir(&language, &direction)) return false;
    *t = RdfTerm::LangLiteral(std::move(lexical), std::move(language), direction);
    return true;
  }
  pos_ = after;
  *t = RdfTerm::Literal(std::move(lexical));
  return true;
}

bool LineParser::ParseLangDir(std::string* language, BaseDirection* direction) {
  const size_t start = ++pos_;
  while (IsAsciiAlpha(Peek())) ++pos_;
  if (pos_ == start) {
    return Fail(pos_, StrCat("expected a language tag after '@', found ", Describe(pos_)));
  }
  if (pos_ - start > 8) {
    return Fail(start, StrCat("expected a primary language subtag of 1 to 8 letters, found '",
                              line_.substr(start, pos_ - start), "'"));
  }
  while (Peek() == '-' && IsAsciiAlnum(Peek(1))) {
    const size_t sub = ++pos_;
    while (IsAsciiAlnum(Peek())) ++pos_;
    if (pos_ - sub > 8) {
      return Fail(sub, StrCat("expected a language subtag of 1 to 8 letters or digits, found '",
                              line_.substr(sub, pos_ - sub), "'"));
    }
  }
  *language = std::string(line_.substr(start, pos_ - start));
  *direction = BaseDirection::kNone;
  if (Peek() == '-' && Peek(1) == '-') {
    pos_ += 2;
    const size_t dir = pos_;
    while (IsAsciiAlpha(Peek())) ++pos_;
    const std::string_view word = line_.substr(dir, pos_ - dir);
    if (word == "ltr") {
      *direction = BaseDirection::kLtr;
    } else if (word == "rtl") {
      *direction = BaseDirection::kRtl;
    } else {
      return Fail(dir, word.empty() ? StrCat("expected base direction 'ltr' or 'rtl', found ",
                                             Describe(dir))
                                    : StrCat("expected base direction 'ltr' or 'rtl', found '",
                                             word, "'"));
    }
  }
  return true;
}

bool LineParser::ParseTripleTerm(int depth, RdfTerm* t) {
  if (depth >= kMaxNesting) {
    return Fail(pos_, StrCat("expected at most ", kMaxNesting, " nested triple terms"));
  }
  pos_ += 3;  // "<<("
  SkipWs();
  RdfTerm s, p, o;
  if (!ParseTerm(Role::kSubject, depth + 1, &s)) return false;
  SkipWs();
  if (!ParseTerm(Role::kPredicate, depth + 1, &p)) return false;
  SkipWs();
  if (!ParseTerm(Role::kObject, depth + 1, &o)) return false;
  SkipWs();
  if (Peek() != ')' || Peek(1) != '>' || Peek(2) != '>') {
    return Fail(pos_, StrCat("expected ')>>' to close the triple term, found ", Describe(pos_)));
  }
  pos_ += 3;
  *t = RdfTerm::TripleTerm(std::move(s), std::move(p), std::move(o));
  return true;
}

}  // namespace

// ---- NQuadsReader ------------------------------------------------------

NQuadsReader::NQuadsReader(std::string file, std::istream& in, Syntax syntax)
    : file_(std::move(file)), in_(in), syntax_(syntax) {}

bool NQuadsReader::ReadLine() {
  if (!raw_valid_) {
    if (!std::getline(in_, raw_)) return false;
    raw_pos_ = 0;
    raw_valid_ = true;
  }
  // EOL is [#xD#xA]+: a lone CR also ends a line.
  const size_t cr = raw_.find('\r', raw_pos_);
  if (cr == std::string::npos) {
    line_.assign(raw_, raw_pos_);
    raw_valid_ = false;
  } else {
    line_.assign(raw_, raw_pos_, cr - raw_pos_);
    raw_pos_ = cr + 1;
    raw_valid_ = raw_pos_ < raw_.size();
  }
  ++line_no_;
  return true;
}

bool NQuadsReader::Next(RdfQuad* out) {
  if (error_) return false;
  while (ReadLine()) {
    if (const std::optional<size_t> bad = FindInvalidUtf8(line_)) {
      const int64_t col =
          static_cast<int64_t>(CountCodePoints(std::string_view(line_).substr(0, *bad))) + 1;
      error_ = Diagnostic{{static_cast<int>(line_no_), static_cast<int>(col)},
                          StrCat("expected UTF-8 text, found invalid byte 0x",
                                 Hex(static_cast<unsigned char>(line_[*bad]), 2))};
      return false;
    }
    LineParser parser(line_, syntax_ == Syntax::kNQuads);
    std::string version;
    switch (parser.Parse(out, &version)) {
      case LineParser::Result::kEmpty:
        continue;
      case LineParser::Result::kVersion:
        version_ = std::move(version);
        continue;
      case LineParser::Result::kStatement:
        ++statements_;
        return true;
      case LineParser::Result::kError: {
        const int64_t col = static_cast<int64_t>(CountCodePoints(
                                std::string_view(line_).substr(0, parser.error_pos()))) + 1;
        error_ = Diagnostic{{static_cast<int>(line_no_), static_cast<int>(col)},
                            std::move(parser.error_message())};
        return false;
      }
    }
  }
  if (in_.bad()) {
    fatal_ = true;
    line_.clear();
    error_ = Diagnostic{{static_cast<int>(line_no_ + 1), 1},
                        "expected readable input, found a read error (corrupt or truncated "
                        "compressed data?)"};
  }
  return false;
}

void NQuadsReader::SkipLine() {
  if (!fatal_) error_.reset();
}

std::string NQuadsReader::FormatError() const {
  if (!error_) return "";
  return FormatDiagnostic(file_, *error_,
                          fatal_ ? std::nullopt : std::optional<std::string_view>(line_));
}

absl::Status NQuadsReader::status() const {
  if (!error_) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(file_, ":", error_->pos.line, ":", error_->pos.col,
                                           ": ", error_->message));
}

}  // namespace kg::ingest
