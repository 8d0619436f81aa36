#include "query/lexer.h"

#include <cctype>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "query/parser.h"

namespace kg::query {
namespace {

constexpr std::string_view kKeywords[] = {
    "MATCH",    "OPTIONAL", "WHERE",  "RETURN", "DISTINCT", "GROUP",  "BY",
    "ORDER",    "ASC",      "DESC",   "LIMIT",  "OFFSET",   "AS",     "AND",
    "OR",       "NOT",      "IN",     "BETWEEN", "TRACE",   "SOURCES", "OF",
    "CONFLICTS", "ABOUT",   "SEARCH", "WORDS",  "EXPLAIN",  "EVIDENCE", "DEPTH",
    "TRUE",     "FALSE",    "NULL",   "VERDICTS"};

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsDocChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == '/' || c == ':';
}

bool IsValueToken(const std::vector<Token>& tokens) {
  if (tokens.empty()) return false;
  const Token& t = tokens.back();
  if (t.kind == Token::Kind::kPunct) return t.text == ")" || t.text == "}";
  return t.kind != Token::Kind::kName || !IsKeyword(t, absl::AsciiStrToUpper(t.text));
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<Token>> Run() {
    if (auto bad = FindInvalidUtf8(text_)) {
      Advance(*bad);
      return absl::InvalidArgumentError(At(pos_, "invalid UTF-8 in the query"));
    }
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token t;
      t.pos = pos_;
      t.offset = i_;
      if (i_ >= text_.size()) {
        t.kind = Token::Kind::kEnd;
        t.end = i_;
        tokens.push_back(std::move(t));
        return tokens;
      }
      absl::Status s = Next(tokens, t);
      if (!s.ok()) return s;
      t.end = i_;
      tokens.push_back(std::move(t));
    }
  }

  // See SplitStatements() in lexer.h.
  std::vector<StatementSpan> Split() {
    std::vector<StatementSpan> out;
    std::optional<StatementSpan> cur;
    std::vector<Token> before;  // the previous token, which Next() looks at
    while (true) {
      SkipSpaceAndComments();
      if (i_ >= text_.size()) break;
      if (!cur) {
        cur.emplace();
        cur->begin = i_;
        cur->pos = pos_;
        before.clear();
      }
      const size_t start = i_;
      const char c = Peek();
      const size_t close = c == '"' || c == '`' ? QuotedEnd(c) : 0;
      Token t;
      t.pos = pos_;
      t.offset = i_;
      absl::Status s = Next(before, t);
      if (close == std::string_view::npos) {  // the string runs to the end of its line
        while (i_ < text_.size() && Peek() != '\n') Advance();
        Advance();
        cur->end = i_;
        cur->ended = true;
        cur->status = std::move(s);
        out.push_back(*std::move(cur));
        cur.reset();
        continue;
      }
      if (close > 0 && i_ < close) Advance(close - i_);  // after a bad escape
      if (i_ == start) {
        // A character the language does not use: skip its code point.
        Advance();
        while (i_ < text_.size() && IsUtf8Continuation(Peek())) Advance();
      }
      t.end = i_;
      cur->end = i_;
      if (s.ok() && t.kind == Token::Kind::kPunct && t.text == ";") {
        cur->ended = true;
        out.push_back(*std::move(cur));
        cur.reset();
        continue;
      }
      before.assign(1, std::move(t));
    }
    if (cur) out.push_back(*std::move(cur));
    return out;
  }

 private:
  // Offset just past the quote that closes the string or quoted name
  // opening at the current character, by the rules of Quoted(); npos if
  // its line or the text ends first.
  size_t QuotedEnd(char close) const {
    for (size_t j = i_ + 1; j < text_.size() && text_[j] != '\n'; ++j) {
      if (text_[j] == close) return j + 1;
      if (text_[j] == '\\') {
        if (j + 1 >= text_.size() || text_[j + 1] == '\n') break;
        ++j;
      }
    }
    return std::string_view::npos;
  }

  char Peek(size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  void Advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
      const char c = text_[i_];
      if (c == '\n') {
        ++pos_.line;
        pos_.col = 1;
      } else if (!IsUtf8Continuation(c)) {
        ++pos_.col;
      }
    }
  }
  void SkipSpaceAndComments() {
    while (i_ < text_.size()) {
      const char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (i_ < text_.size() && Peek() != '\n') Advance();
      } else {
        return;
      }
    }
  }

  // Reads a quoted string or name closed by `close`, with \-escapes.
  absl::StatusOr<std::string> Quoted(char close, std::string_view what) {
    const Pos start = pos_;
    Advance();  // opening quote
    std::string out;
    while (true) {
      if (i_ >= text_.size() || Peek() == '\n') {
        return absl::InvalidArgumentError(
            At(start, StrCat("unterminated ", what, ": expected a closing ",
                             std::string(1, close))));
      }
      const char c = Peek();
      if (c == close) {
        Advance();
        return out;
      }
      if (c == '\\') {
        const char e = Peek(1);
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case '\\': case '"': case '`': case '\'': out += e; break;
          default:
            Advance();
            return absl::InvalidArgumentError(At(
                pos_, StrCat("unknown escape \\", std::string(1, e),
                             " in ", what, " (use \\\\, \\\", \\`, \\n or \\t)")));
        }
        Advance(2);
        continue;
      }
      out += c;
      Advance();
    }
  }

  absl::Status Next(const std::vector<Token>& before, Token& t) {
    const char c = Peek();
    if (c == '"' || c == '`') {
      auto s = Quoted(c, c == '"' ? "string" : "quoted name");
      if (!s.ok()) return s.status();
      t.kind = c == '"' ? Token::Kind::kString : Token::Kind::kQuoted;
      t.text = std::move(*s);
      return absl::OkStatus();
    }
    if (c == '@' && !before.empty() && before.back().kind == Token::Kind::kString &&
        before.back().end == i_ && IsNameStart(Peek(1))) {
      Advance();
      const size_t start = i_;
      while (IsNameChar(Peek()) || Peek() == '-') Advance();
      t.kind = Token::Kind::kLangTag;
      t.text = std::string(text_.substr(start, i_ - start));
      return absl::OkStatus();
    }
    if (c == '?' && IsNameStart(Peek(1))) {
      Advance();
      const size_t start = i_;
      while (IsNameChar(Peek())) Advance();
      t.kind = Token::Kind::kVar;
      t.text = std::string(text_.substr(start, i_ - start));
      return absl::OkStatus();
    }
    if (IsNameStart(c)) {
      const size_t start = i_;
      while (IsNameChar(Peek())) Advance();
      t.text = std::string(text_.substr(start, i_ - start));
      if (t.text == "doc" && Peek() == ':' && IsDocChar(Peek(1))) {
        Advance();
        const size_t id_start = i_;
        while (IsDocChar(Peek())) Advance();
        // A trailing '.' or ':' ends a sentence, not the id.
        while (i_ > id_start + 1 && (text_[i_ - 1] == '.' || text_[i_ - 1] == ':')) {
          --i_;
          --pos_.col;
        }
        t.kind = Token::Kind::kDocument;
        t.text = std::string(text_.substr(id_start, i_ - id_start));
        return absl::OkStatus();
      }
      t.kind = Token::Kind::kName;
      return absl::OkStatus();
    }
    const bool negative_number =
        c == '-' && IsDigit(Peek(1)) && !IsValueToken(before);
    if (IsDigit(c) || negative_number) {
      const size_t start = i_;
      if (negative_number) Advance();
      while (IsDigit(Peek())) Advance();
      const size_t digits = i_ - start;
      if (!negative_number && digits == 4 && Peek() == '-' && IsDigit(Peek(1)) &&
          IsDigit(Peek(2)) && !IsDigit(Peek(3))) {
        Advance(3);
        if (Peek() == '-' && IsDigit(Peek(1)) && IsDigit(Peek(2)) && !IsDigit(Peek(3))) {
          Advance(3);
        }
        t.kind = Token::Kind::kDate;
      } else if (Peek() == '.' && IsDigit(Peek(1))) {
        Advance();
        while (IsDigit(Peek())) Advance();
        t.kind = Token::Kind::kDecimal;
      } else {
        t.kind = Token::Kind::kInteger;
      }
      t.text = std::string(text_.substr(start, i_ - start));
      if (IsNameStart(Peek())) {
        return absl::InvalidArgumentError(
            At(pos_, StrCat("expected a space or punctuation after the number ",
                            t.text, ", found '", std::string(1, Peek()), "'")));
      }
      return absl::OkStatus();
    }
    if (c == '<') {
      // An IRI if a '>' closes it before any space and it has a ':'.
      size_t j = i_ + 1;
      bool colon = false;
      while (j < text_.size() && text_[j] != '>' && !std::isspace(static_cast<unsigned char>(text_[j])) &&
             text_[j] != '<' && text_[j] != '"') {
        colon |= text_[j] == ':';
        ++j;
      }
      if (j < text_.size() && text_[j] == '>' && colon) {
        t.kind = Token::Kind::kIri;
        t.text = std::string(text_.substr(i_ + 1, j - i_ - 1));
        Advance(j + 1 - i_);
        return absl::OkStatus();
      }
    }
    static constexpr std::string_view kTwo[] = {"!=", "<=", ">=", "^^"};
    for (std::string_view two : kTwo) {
      if (text_.substr(i_, 2) == two) {
        t.kind = Token::Kind::kPunct;
        t.text = std::string(two);
        Advance(2);
        return absl::OkStatus();
      }
    }
    static constexpr std::string_view kOne = "(){},;.=<>+*?|/^-";
    if (kOne.find(c) != std::string_view::npos) {
      t.kind = Token::Kind::kPunct;
      t.text = std::string(1, c);
      Advance();
      return absl::OkStatus();
    }
    std::string shown(text_.substr(i_, 1));
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t n = 1;
      while (i_ + n < text_.size() && IsUtf8Continuation(text_[i_ + n])) ++n;
      shown = std::string(text_.substr(i_, n));
    }
    return absl::InvalidArgumentError(
        At(pos_, StrCat("unexpected character '", shown,
                        "' (names with spaces or other characters go in `backquotes`)")));
  }

  std::string_view text_;
  size_t i_ = 0;
  Pos pos_;
};

}  // namespace

bool IsKeyword(const Token& token, std::string_view upper) {
  if (token.kind != Token::Kind::kName) return false;
  if (token.text.size() != upper.size()) return false;
  if (!absl::EqualsIgnoreCase(token.text, absl::string_view(upper.data(), upper.size()))) return false;
  for (std::string_view k : kKeywords) {
    if (k == upper) return true;
  }
  return false;
}

std::string Describe(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kEnd: return "end of input";
    case Token::Kind::kVar: return StrCat("variable ?", token.text);
    case Token::Kind::kDocument: return StrCat("document doc:", token.text);
    case Token::Kind::kIri: return StrCat("IRI <", token.text, ">");
    case Token::Kind::kString: return StrCat("string \"", token.text, "\"");
    case Token::Kind::kQuoted: return StrCat("name `", token.text, "`");
    case Token::Kind::kInteger:
    case Token::Kind::kDecimal: return StrCat("number ", token.text);
    case Token::Kind::kDate: return StrCat("date ", token.text);
    case Token::Kind::kLangTag: return StrCat("language tag @", token.text);
    case Token::Kind::kPunct: return StrCat("'", token.text, "'");
    case Token::Kind::kName: {
      const std::string upper = absl::AsciiStrToUpper(token.text);
      if (IsKeyword(token, upper)) return StrCat("keyword ", upper);
      return StrCat("name '", token.text, "'");
    }
  }
  return "token";
}

absl::StatusOr<std::vector<Token>> Lex(std::string_view text) {
  return Lexer(text).Run();
}

std::vector<StatementSpan> SplitStatements(std::string_view text) {
  return Lexer(text).Split();
}

namespace {

// `text` between `quote`s, with the quote, '\\' and newlines escaped.
std::string Quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == quote || c == '\\') out += '\\';
    out += c;
  }
  return out + quote;
}

}  // namespace

std::string TermInQuery(const Term& t) {
  switch (t.kind()) {
    case TermKind::kEntity: {
      auto tokens = Lex(t.text());
      if (tokens.ok() && tokens->size() == 2 && (*tokens)[0].kind == Token::Kind::kName &&
          (*tokens)[0].text == t.text() &&
          !IsKeyword((*tokens)[0], absl::AsciiStrToUpper(t.text()))) {
        return t.text();
      }
      return Quoted(t.text(), '`');
    }
    case TermKind::kString: {
      return Quoted(t.text(), '"') + (t.extra().empty() ? "" : "@" + t.extra());
    }
    case TermKind::kClaim:
      return StrCat("(", TermInQuery(t.subject()), " ", TermInQuery(t.predicate()), " ",
                    TermInQuery(t.object()), ")");
    default:
      return t.ToString();
  }
}

}  // namespace kg::query
