// Tokens of the query language. Keywords are case-insensitive; names,
// variables and strings are case-sensitive.
#ifndef KG_QUERY_LEXER_H_
#define KG_QUERY_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
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

}  // namespace kg::query

#endif  // KG_QUERY_LEXER_H_
