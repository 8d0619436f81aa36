// The terms of the Turtle / TriG grammar (turtle_parser.h): IRIs and
// their resolution, prefixed names, blank node labels, numbers, strings
// and literals.
#include "kg/iri.h"
#include "ingest/rdf/ntriples_internal.h"
#include "ingest/rdf/turtle_parser.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::ingest {

bool TurtleParser::ParseIri(RdfTerm* t) {
  std::string iri;
  if (!ParseIriRef(&iri)) return false;
  *t = RdfTerm::Iri(std::move(iri));
  return true;
}

bool TurtleParser::ParseIriRef(std::string* out) {
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
            at, "expected \\u or \\U escape in IRI, found another '\\' escape");
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
    return Fail(start,
                StrCat("expected UTF-8 text in the IRI, found invalid byte 0x",
                       Hex(static_cast<unsigned char>(iri[*bad]), 2)));
  }
  if (IsAbsoluteIri(iri)) {
    *out = std::move(iri);
    return true;
  }
  if (base_.empty()) {
    return Fail(start,
                StrCat("expected an absolute IRI, found <", iri,
                       "> and no base IRI to resolve it against (add @base)"));
  }
  *out = ResolveIri(base_, iri);
  return true;
}

bool TurtleParser::ParseUchar(char32_t* cp) {
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
        start, StrCat("expected a Unicode scalar value, found the surrogate U+",
                      Hex(v, 4), " (escape pairs are not decoded)"));
  }
  if (v > 0x10FFFF)
    return Fail(start, StrCat("expected a code point up to U+10FFFF"));
  *cp = v;
  return true;
}

bool TurtleParser::ScanPrefixName(std::string* out) {
  size_t n = 1;
  in_.PeekChar(0, &n);
  for (size_t i = 0; i < n; ++i) out->push_back(static_cast<char>(in_.Peek(i)));
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

bool TurtleParser::ParsePrefixedIri(RdfTerm* t, std::string_view what) {
  const Pos start = in_.Here();
  std::string prefix;
  if (in_.Peek() != ':') {
    if (!ScanPrefixName(&prefix)) return false;
    if (in_.Peek() != ':') {
      if (prefix == "a" || prefix == "true" || prefix == "false") {
        return Fail(start, StrCat("expected ", what, ", found '", prefix, "'"));
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

bool TurtleParser::ScanLocalName(std::string* out) {
  bool first = true;
  while (true) {
    size_t k = 0;
    if (!first) {
      while (in_.Peek(k) == '.') ++k;
    }
    size_t n = 1;
    const int64_t c = in_.PeekChar(k, &n);
    const bool ok =
        first ? (IsPnCharsU(c) || c == ':' || IsAsciiDigit(static_cast<int>(c)))
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

bool TurtleParser::ParseBlankLabel(RdfTerm* t) {
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

bool TurtleParser::ParseNumber(RdfTerm* t) {
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

bool TurtleParser::ParseRdfLiteral(RdfTerm* t) {
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
      return Fail(at, StrCat("expected a datatype other than <", datatype.value,
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

bool TurtleParser::ParseLangDir(std::string* language,
                                BaseDirection* direction) {
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
      return Fail(at, StrCat("expected base direction 'ltr' or 'rtl', found '",
                             word, "'"));
    }
  }
  return true;
}

bool TurtleParser::ParseString(std::string* out) {
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

}  // namespace kg::ingest
