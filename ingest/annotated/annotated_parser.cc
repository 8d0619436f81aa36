#include "ingest/annotated/annotated_parser.h"

#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdChar(char c) {
  return IsAsciiAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' || c == ':';
}
bool IsNameChar(char c) {
  return IsAsciiAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' || c == '\'';
}
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// The 1-based column of byte `byte` in `line`.
int ColumnOf(std::string_view line, size_t byte) {
  return static_cast<int>(CountCodePoints(line.substr(0, byte))) + 1;
}

// ColumnOf for positions that mostly move forward along one line: counts
// only the bytes since the last position asked for. Recounting from the
// line's start made a 400 KB line of 100,000 nested spans take minutes.
class Columns {
 public:
  explicit Columns(std::string_view line) : line_(line) {}
  int At(size_t byte) {
    if (byte < byte_) {
      byte_ = 0;
      col_ = 1;
    }
    col_ += static_cast<int>(CountCodePoints(line_.substr(byte_, byte - byte_)));
    byte_ = byte;
    return col_;
  }

 private:
  std::string_view line_;
  size_t byte_ = 0;
  int col_ = 1;
};

}  // namespace

bool IsId(std::string_view s) {
  if (s.empty() || !(IsAsciiAlpha(s[0]) || IsDigit(s[0]))) return false;
  for (char c : s) {
    if (!IsIdChar(c)) return false;
  }
  return s.back() != ':' && s.back() != '.';
}

bool IsName(std::string_view s) {
  if (s.empty() || !(IsAsciiAlpha(s[0]) || s[0] == '_')) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

ParsedFile ParseAnnotated(std::string_view content, Diagnostics* diag) {
  ParsedFile out;
  if (constexpr std::string_view kBom = "\xEF\xBB\xBF"; content.starts_with(kBom)) {
    // Not text: it would start the canonical text. Parse the rest so its
    // errors are reported too; columns then count as editors show them.
    diag->Error({1, 1}, "file starts with a UTF-8 byte order mark; save it without one");
    content.remove_prefix(kBom.size());
  }
  if (auto bad = FindInvalidUtf8(content)) {
    // Locate the bad byte; nothing after it can be trusted.
    const std::string_view before = content.substr(0, *bad);
    const int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    diag->Error({line, ColumnOf(content.substr(line_start), *bad - line_start)},
                StrCat("invalid UTF-8 (byte 0x",
                       "0123456789abcdef"[static_cast<unsigned char>(content[*bad]) >> 4],
                       "0123456789abcdef"[static_cast<unsigned char>(content[*bad]) & 15],
                       "); the file must be UTF-8 text"));
    return out;
  }
  if (content.find('\0') != std::string_view::npos) {
    const size_t at = content.find('\0');
    const std::string_view before = content.substr(0, at);
    const int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    diag->Error({line, ColumnOf(content.substr(line_start), at - line_start)},
                "NUL byte in text; the file must be UTF-8 text");
    return out;
  }

  struct Open {
    uint64_t start;
    Pos pos;
  };
  std::vector<Open> open;
  uint64_t cp = 0;  // code points of canonical text so far
  bool crlf_reported = false;
  size_t line_start = 0;
  for (int line_no = 1; line_start < content.size() || line_no == 1; ++line_no) {
    size_t nl = content.find('\n', line_start);
    const bool has_newline = nl != std::string_view::npos;
    if (!has_newline) nl = content.size();
    std::string_view line = content.substr(line_start, nl - line_start);
    line_start = nl + 1;
    if (!line.empty() && line.back() == '\r' && !crlf_reported) {
      diag->Error({line_no, ColumnOf(line, line.size() - 1)},
                  "CRLF line ending; convert the file to LF line endings");
      crlf_reported = true;
    }
    if (line.starts_with("%%")) continue;
    if (line.starts_with("@")) {
      Directive d;
      size_t k = 1;
      while (k < line.size() && !IsSpace(line[k])) ++k;
      d.keyword = std::string(line.substr(1, k - 1));
      d.pos = {line_no, 2};
      while (k < line.size() && IsSpace(line[k])) ++k;
      std::string_view rest = line.substr(k);
      while (!rest.empty() && (IsSpace(rest.back()) || rest.back() == '\r')) rest.remove_suffix(1);
      d.rest = std::string(rest);
      d.rest_pos = {line_no, ColumnOf(line, k)};
      if (d.keyword.empty()) diag->Error({line_no, 1}, "expected a directive name after '@'");
      out.directives.push_back(std::move(d));
      continue;
    }
    bool joined = false;
    Columns columns(line);
    size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (c == '\\') {
        if (i + 1 == line.size()) {
          joined = true;
          ++i;
          continue;
        }
        const char n = line[i + 1];
        if (n == '[' || n == ']' || n == '{' || n == '}' || n == '\\' || n == '@' || n == '%') {
          out.text.push_back(n);
          ++cp;
          i += 2;
          continue;
        }
        out.text.push_back(c);
        ++cp;
        ++i;
        continue;
      }
      if (c == '[' && i + 1 < line.size() && line[i + 1] == '[') {
        open.push_back({cp, {line_no, columns.At(i)}});
        i += 2;
        continue;
      }
      if (c == ']' && i + 1 < line.size() && line[i + 1] == ']') {
        const Pos close_pos{line_no, columns.At(i)};
        i += 2;
        if (i >= line.size() || line[i] != '{') {
          diag->Error({line_no, columns.At(i)},
                      "expected '{' and labels after ']]' (write \\] for a literal bracket)");
          if (!open.empty()) open.pop_back();
          continue;
        }
        const size_t close = line.find('}', i);
        if (close == std::string_view::npos) {
          diag->Error({line_no, columns.At(i)}, "'{' of span labels is never closed on this line");
          if (!open.empty()) open.pop_back();
          i = line.size();
          continue;
        }
        SpanAst span;
        span.end = cp;
        size_t j = i + 1;
        bool label_error = false;
        while (j < close) {
          while (j < close && IsSpace(line[j])) ++j;
          if (j >= close) break;
          size_t e = j;
          while (e < close && !IsSpace(line[e])) ++e;
          const std::string_view word = line.substr(j, e - j);
          const Pos pos{line_no, columns.At(j)};
          if ((word[0] == '#' && IsId(word.substr(1))) ||
              (word[0] == '=' && IsName(word.substr(1)))) {
            span.labels.push_back({word[0], std::string(word.substr(1)), pos});
          } else {
            label_error = true;
            diag->Error(pos, StrCat("bad span label '", word,
                                    "': expected #claim-id or =EntityName"));
          }
          j = e;
        }
        if (span.labels.empty() && !label_error) {
          diag->Error({line_no, columns.At(i)}, "span has no labels: expected #claim-id or =EntityName");
        }
        i = close + 1;
        if (open.empty()) {
          diag->Error(close_pos, "']]' closes no open '[['");
          continue;
        }
        span.start = open.back().start;
        span.pos = open.back().pos;
        open.pop_back();
        out.spans.push_back(std::move(span));
        continue;
      }
      out.text.push_back(c);
      if (!IsUtf8Continuation(c)) ++cp;
      ++i;
    }
    if (has_newline && !joined) {
      out.text.push_back('\n');
      ++cp;
    }
    if (!has_newline) break;
  }
  for (const Open& o : open) diag->Error(o.pos, "'[[' is never closed by ']]{...}'");
  return out;
}

// ---- directive fields -------------------------------------------------

namespace {

// Whether field `index` (first word `key`) of a `@keyword` directive holds
// terms, where a "string" or an <IRI> may contain ';'. The other fields are
// free text (alias, title, type, label, ...), where quotes and angle brackets
// are ordinary characters.
bool HoldsTerms(std::string_view keyword, size_t index, std::string_view key) {
  if (keyword == "claim") {
    return index == 0 || key == "agent" || key == "via" || key == "time" || key == "quantity" ||
           key == "place" || key == "reviewer" || key == "review_author" || key == "appearance" ||
           key == "first_appearance" || key == "rating_value" || key == "best_rating" ||
           key == "worst_rating";
  }
  return keyword == "source" && index == 0;
}

// The first word of `s` from byte `from`.
std::string_view FirstWord(std::string_view s, size_t from) {
  while (from < s.size() && IsSpace(s[from])) ++from;
  size_t end = from;
  while (end < s.size() && !IsSpace(s[end]) && s[end] != ';') ++end;
  return s.substr(from, end - from);
}

}  // namespace

std::vector<Field> SplitFields(const Directive& d) {
  std::vector<Field> fields;
  const std::string& s = d.rest;
  size_t start = 0;
  bool in_string = false, in_iri = false;
  bool terms = HoldsTerms(d.keyword, 0, FirstWord(s, 0));
  auto flush = [&](size_t end) {
    std::string_view raw = std::string_view(s).substr(start, end - start);
    size_t lead = 0;
    while (lead < raw.size() && IsSpace(raw[lead])) ++lead;
    raw.remove_prefix(lead);
    while (!raw.empty() && IsSpace(raw.back())) raw.remove_suffix(1);
    Field f;
    const int col0 = d.rest_pos.col + static_cast<int>(CountCodePoints(std::string_view(s).substr(0, start + lead)));
    f.key_pos = {d.rest_pos.line, col0};
    size_t k = 0;
    while (k < raw.size() && !IsSpace(raw[k])) ++k;
    f.key = std::string(raw.substr(0, k));
    size_t v = k;
    while (v < raw.size() && IsSpace(raw[v])) ++v;
    f.value_pos = {d.rest_pos.line, col0 + static_cast<int>(CountCodePoints(raw.substr(0, v)))};
    for (size_t i = v; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == ';') continue;
      f.value.push_back(raw[i]);
    }
    fields.push_back(std::move(f));
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (in_iri) {
      if (c == '>') in_iri = false;
      continue;
    }
    if (terms && c == '"') in_string = true;
    else if (terms && c == '<' && !(i + 1 < s.size() && s[i + 1] == '<') &&
             !(i > 0 && s[i - 1] == '<')) in_iri = true;
    else if (c == '\\' && i + 1 < s.size() && s[i + 1] == ';') ++i;
    else if (c == ';') {
      flush(i);
      start = i + 1;
      terms = HoldsTerms(d.keyword, fields.size(), FirstWord(s, start));
    }
  }
  flush(s.size());
  return fields;
}

namespace {

// A cursor over one directive field, tracking the column.
class Cursor {
 public:
  Cursor(std::string_view text, Pos pos) : text_(text), pos_(pos) {}
  void SkipSpaces() {
    while (i_ < text_.size() && IsSpace(text_[i_])) Advance();
  }
  bool AtEnd() const { return i_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  bool StartsWith(std::string_view lit) const { return text_.substr(i_).starts_with(lit); }
  void Advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k) {
      if (!IsUtf8Continuation(text_[i_])) ++pos_.col;
      ++i_;
    }
    while (i_ < text_.size() && IsUtf8Continuation(text_[i_])) ++i_;
  }
  Pos pos() const { return pos_; }
  template <typename Pred>
  std::string TakeWhile(Pred pred) {
    const size_t start = i_;
    while (i_ < text_.size() && pred(text_[i_])) Advance();
    return std::string(text_.substr(start, i_ - start));
  }
  std::string_view Rest() const { return text_.substr(i_); }

 private:
  std::string_view text_;
  size_t i_ = 0;
  Pos pos_;
};

std::optional<TermAst> ParseOneTerm(Cursor& c, Diagnostics* diag, int depth = 0) {
  c.SkipSpaces();
  TermAst t;
  t.pos = c.pos();
  const char ch = c.Peek();
  if (c.StartsWith("<<")) {
    if (depth > 16) {
      diag->Error(t.pos, "claims nested too deep");
      return std::nullopt;
    }
    c.Advance(2);
    t.kind = TermAst::Kind::kTriple;
    for (int k = 0; k < 3; ++k) {
      auto part = ParseOneTerm(c, diag, depth + 1);
      if (!part) return std::nullopt;
      t.parts.push_back(std::move(*part));
    }
    c.SkipSpaces();
    if (!c.StartsWith(">>")) {
      diag->Error(c.pos(), "expected '>>' to close the claim '<< s p o >>'");
      return std::nullopt;
    }
    c.Advance(2);
    return t;
  }
  if (ch == '<') {
    c.Advance();
    t.kind = TermAst::Kind::kIri;
    t.text = c.TakeWhile([](char x) { return x != '>' && x != ' ' && x != '<' && x != '"'; });
    if (c.Peek() != '>' || t.text.empty()) {
      diag->Error(c.pos(), "expected '>' to close the IRI (IRIs contain no spaces)");
      return std::nullopt;
    }
    c.Advance();
    return t;
  }
  if (ch == '"') {
    c.Advance();
    t.kind = TermAst::Kind::kString;
    while (!c.AtEnd() && c.Peek() != '"') {
      if (c.Peek() == '\\' && (c.Peek(1) == '"' || c.Peek(1) == '\\')) c.Advance();
      // Copy the whole code point.
      std::string_view rest = c.Rest();
      size_t len = 1;
      while (len < rest.size() && IsUtf8Continuation(rest[len])) ++len;
      t.text.append(rest.substr(0, len));
      c.Advance();
    }
    if (c.AtEnd()) {
      diag->Error(t.pos, "string is never closed: expected '\"'");
      return std::nullopt;
    }
    c.Advance();
    if (c.Peek() == '@') {
      c.Advance();
      t.extra = c.TakeWhile([](char x) { return IsAsciiAlpha(x) || IsDigit(x) || x == '-'; });
      if (t.extra.empty()) {
        diag->Error(c.pos(), "expected a language tag after '@'");
        return std::nullopt;
      }
    }
    return t;
  }
  if (c.StartsWith("doc:")) {
    c.Advance(4);
    t.kind = TermAst::Kind::kDocument;
    t.text = c.TakeWhile(IsIdChar);
    if (!IsId(t.text)) {
      diag->Error(t.pos, "expected a document id after 'doc:'");
      return std::nullopt;
    }
    return t;
  }
  if (c.StartsWith("date:")) {
    c.Advance(5);
    t.kind = TermAst::Kind::kDate;
    t.text = c.TakeWhile([](char x) { return IsDigit(x) || x == '-'; });
    return t;
  }
  if (ch == '#') {
    c.Advance();
    t.kind = TermAst::Kind::kClaimRef;
    t.text = c.TakeWhile(IsIdChar);
    if (!IsId(t.text)) {
      diag->Error(t.pos, "expected a claim id after '#'");
      return std::nullopt;
    }
    return t;
  }
  if (IsDigit(ch) || (ch == '-' && IsDigit(c.Peek(1)))) {
    t.kind = TermAst::Kind::kNumber;
    t.text = c.TakeWhile([](char x) { return IsDigit(x) || x == '.' || x == '-'; });
    Cursor look = c;
    look.SkipSpaces();
    if (look.Peek() == '"') {
      auto unit = ParseOneTerm(look, diag, depth + 1);
      if (!unit) return std::nullopt;
      c = look;
      t.kind = TermAst::Kind::kQuantity;
      t.extra = unit->text;
    }
    return t;
  }
  if (IsAsciiAlpha(ch) || ch == '_') {
    t.kind = TermAst::Kind::kName;
    t.text = c.TakeWhile(IsNameChar);
    return t;
  }
  diag->Error(t.pos, ch == '\0' ? "expected a term, found the end of the field"
                                : "expected a term: Name, doc:ID, <IRI>, \"string\", number, "
                                  "date:YYYY-MM-DD, #claim or << s p o >>");
  return std::nullopt;
}

}  // namespace

std::optional<TermAst> ParseTerm(std::string_view text, Pos pos, Diagnostics* diag) {
  Cursor c(text, pos);
  auto t = ParseOneTerm(c, diag);
  if (!t) return std::nullopt;
  c.SkipSpaces();
  if (!c.AtEnd()) {
    diag->Error(c.pos(), "unexpected text after the term (separate attributes with ';')");
    return std::nullopt;
  }
  return t;
}

std::optional<std::vector<TermAst>> ParseTermList(std::string_view text, Pos pos,
                                                  Diagnostics* diag) {
  Cursor c(text, pos);
  std::vector<TermAst> out;
  while (true) {
    auto t = ParseOneTerm(c, diag);
    if (!t) return std::nullopt;
    out.push_back(std::move(*t));
    c.SkipSpaces();
    if (c.AtEnd()) return out;
    if (c.Peek() != ',') {
      diag->Error(c.pos(), "expected ',' between terms or the end of the field");
      return std::nullopt;
    }
    c.Advance();
  }
}

std::optional<ClaimAst> ParseClaimDirective(const Directive& d, Diagnostics* diag) {
  std::vector<Field> fields = SplitFields(d);
  const Field& head = fields[0];
  ClaimAst claim;
  // The head is "ID: S P O"; SplitFields took "ID:" as the key.
  if (head.key.size() < 2 || head.key.back() != ':' ||
      !IsId(std::string_view(head.key).substr(0, head.key.size() - 1))) {
    diag->Error(head.key_pos, "expected a claim id and ':' (e.g. '@claim c1: Iran supplied ShahedDrone')");
    return std::nullopt;
  }
  claim.id = head.key.substr(0, head.key.size() - 1);
  claim.id_pos = head.key_pos;
  Cursor c(head.value, head.value_pos);
  for (TermAst* slot : {&claim.s, &claim.p, &claim.o}) {
    auto t = ParseOneTerm(c, diag);
    if (!t) return std::nullopt;
    *slot = std::move(*t);
  }
  c.SkipSpaces();
  if (!c.AtEnd()) {
    diag->Error(c.pos(), "expected ';' or the end of the line after 'subject predicate object'");
    return std::nullopt;
  }
  if (claim.p.kind != TermAst::Kind::kName) {
    diag->Error(claim.p.pos, "the predicate must be a vocabulary name");
    return std::nullopt;
  }
  for (size_t i = 1; i < fields.size(); ++i) {
    const Field& f = fields[i];
    if (f.key.empty()) {
      diag->Error(f.key_pos, "empty attribute between ';'");
      continue;
    }
    claim.attributes.push_back({f.key, f.key_pos, f.value, f.value_pos});
  }
  return claim;
}

std::optional<LinkAst> ParseLinkDirective(const Directive& d, Diagnostics* diag) {
  LinkAst link;
  link.relation = d.keyword;
  link.pos = d.pos;
  std::string_view rest = d.rest;
  Pos pos = d.rest_pos;
  // Optional "ID:" anchor, told apart from "doc:x" and "<...>" targets.
  const size_t colon = rest.find(": ");
  if (colon != std::string_view::npos && IsId(rest.substr(0, colon)) &&
      rest.substr(0, colon) != "doc" && rest.substr(0, colon) != "date") {
    link.anchor = std::string(rest.substr(0, colon));
    link.anchor_pos = pos;
    size_t skip = colon + 1;
    while (skip < rest.size() && IsSpace(rest[skip])) ++skip;
    pos.col += static_cast<int>(CountCodePoints(rest.substr(0, skip)));
    rest.remove_prefix(skip);
  }
  auto target = ParseTerm(rest, pos, diag);
  if (!target) return std::nullopt;
  link.target = std::move(*target);
  return link;
}

}  // namespace kg::ingest
