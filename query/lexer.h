// Tokens of the query language. Keywords are case-insensitive; names,
// variables and strings are case-sensitive.
#ifndef KG_QUERY_LEXER_H_
#define KG_QUERY_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kg/term.h"
#include "query/ast.h"

namespace kg::query {

struct Token {
  enum class Kind {
    kName,      // identifier (a keyword when upper(text) is one)
    kVar,       // ?name (text without '?')
    kDocument,  // doc:id (text = id)
    kIri,       // <...> (text without brackets)
    kString,    // "..." (text unescaped)
    kQuoted,    // `...` (text unescaped): a name with spaces or punctuation
    kInteger,
    kDecimal,
    kDate,      // YYYY-MM or YYYY-MM-DD
    kLangTag,   // @en after a string (text without '@')
    kPunct,     // ( ) { } , ; . = != < <= > >= + * ? | / ^ ^^ -
    kEnd,
  };
  Kind kind = Kind::kEnd;
  std::string text;
  Pos pos;
  size_t offset = 0;  // byte offset of the token in the text
  size_t end = 0;     // byte offset just past the token
};

// Splits `text` into tokens, ending with one kEnd token. Comments run from
// "--" to the end of the line. InvalidArgument "line:col: ..." on an
// unterminated string or a character the language does not use.
absl::StatusOr<std::vector<Token>> Lex(std::string_view text);

// How a token is named in an error message: "';'", "end of input",
// "keyword RETURN", "name 'Iran'".
std::string Describe(const Token& token);

bool IsKeyword(const Token& token, std::string_view upper);

// `term` as a statement spells it: a name as it is when it lexes as one
// plain name, else in `backquotes` (with \` \\ \n escapes); strings quoted;
// a claim as (s p o); other terms as Term::ToString writes them.
std::string TermInQuery(const Term& term);

// One statement of a script as SplitStatements() finds it.
struct StatementSpan {
  size_t begin = 0;  // byte offset of its first token
  // Byte offset just past its ';'; for an open statement, just past its last
  // token; for one ended by an unclosed string, past the end of that line.
  size_t end = 0;
  Pos pos;  // position of its first token
  // Ended by ';' or by `status`; false only for the last span, when tokens
  // follow the last ';' (a statement still being typed, or missing its ';').
  bool ended = false;
  // OK, or the error Lex() reports for a string or quoted name that is not
  // closed on its line ("L:C: unterminated string: ...", the position in
  // the whole text): such a statement ends with that line, since no later
  // ';' can complete it.
  absl::Status status;
};

// Divides `text` into statements by the rules of Lex(), for readers of
// partial input such as the shell: a statement ends at a ';' token, never
// at one inside a string, quoted name, IRI or comment. Never fails: other
// lexical errors do not move a boundary and are left to Lex(). No token
// spans a line break, so splitting line by line finds the same boundaries
// as splitting the whole text.
std::vector<StatementSpan> SplitStatements(std::string_view text);

}  // namespace kg::query

#endif  // KG_QUERY_LEXER_H_
