// N-Triples / N-Quads reader and canonical writer: positioned errors,
// comments and line endings, keep-going, values, gzip input and streaming.
#include "ingest/rdf/ntriples.h"

#include <sys/resource.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kg/str_cat.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using Syntax = NQuadsReader::Syntax;

// All statements of `text` in canonical form; the first error, if any, as
// "line:col: message".
struct ReadResult {
  std::string canonical;
  std::string error;
};

ReadResult ReadAll(const std::string& text, Syntax syntax = Syntax::kNTriples) {
  std::istringstream in(text);
  NQuadsReader reader("test.nt", in, syntax);
  ReadResult r;
  RdfQuad q;
  while (reader.Next(&q)) r.canonical += CanonicalNQuad(q);
  if (reader.error()) {
    r.error = StrCat(reader.error()->pos.line, ":", reader.error()->pos.col, ": ",
                     reader.error()->message);
  }
  return r;
}

struct ErrorCase {
  const char* name;
  std::string input;
  Syntax syntax;
  const char* error;  // "line:col: message"
};

TEST(NQuadsReaderTest, ErrorsCarryLineAndColumn) {
  const std::vector<ErrorCase> cases = {
      {"missing dot", "<http://a/s> <http://a/p> <http://a/o>\n", Syntax::kNTriples,
       "1:39: expected '.' to end the triple, found end of line"},
      {"missing dot before comment", "# c\n\n<http://a/s> <http://a/p> \"x\" # no dot\n",
       Syntax::kNTriples, "3:31: expected '.' to end the triple, found a comment"},
      {"relative IRI", "<http://a/s> <p> <http://a/o> .\n", Syntax::kNTriples,
       "1:14: expected absolute IRI (scheme ':' ...), found relative IRI <p>"},
      {"relative datatype", "<http://a/s> <http://a/p> \"1\"^^<int> .\n", Syntax::kNTriples,
       "1:32: expected absolute IRI (scheme ':' ...), found relative IRI <int>"},
      {"space in IRI", "<http://a/ s> <http://a/p> <http://a/o> .\n", Syntax::kNTriples,
       "1:11: expected IRI character or '>', found ' '"},
      {"escaped space in IRI", "<http://a/\\u0020> <http://a/p> <http://a/o> .\n",
       Syntax::kNTriples,
       "1:11: expected IRI character, found escaped U+0020 (not allowed in IRIs)"},
      {"bad escape", "<http://a/s> <http://a/p> \"a\\zb\" .\n", Syntax::kNTriples,
       "1:29: expected escape sequence (\\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX "
       "\\UXXXXXXXX), found '\\' followed by 'z'"},
      {"bad hex", "<http://a/s> <http://a/p> \"\\u00G1\" .\n", Syntax::kNTriples,
       "1:32: expected 4 hex digits after '\\u', found 'G'"},
      {"surrogate", "<http://a/s> <http://a/p> \"\\uD800\" .\n", Syntax::kNTriples,
       "1:28: expected a Unicode scalar value, found the surrogate U+D800 (escape pairs are "
       "not decoded)"},
      {"beyond U+10FFFF", "<http://a/s> <http://a/p> \"\\U00110000\" .\n", Syntax::kNTriples,
       "1:28: expected a code point up to U+10FFFF, found \\U00110000"},
      {"unterminated literal", "<http://a/s> <http://a/p> \"abc .\n", Syntax::kNTriples,
       "1:33: expected '\"' to close the string opened at column 27"},
      {"unterminated IRI", "<http://a/s> <http://a/p> <http://a/o .\n", Syntax::kNTriples,
       "1:38: expected IRI character or '>', found ' '"},
      {"triple term as subject",
       "<<( <http://a/s> <http://a/p> <http://a/o> )>> <http://a/q> <http://a/z> .\n",
       Syntax::kNTriples,
       "1:1: expected IRI or blank node as subject, found a triple term (RDF 1.2 allows "
       "triple terms only in object position)"},
      {"reified triple", "<http://a/x> <http://a/p> << <http://a/s> <http://a/p> <http://a/o> >> .\n",
       Syntax::kNTriples,
       "1:27: expected IRI, blank node, literal or triple term as object, found '<<' (N-Triples "
       "has no reified triples; a triple term is written '<<( s p o )>>')"},
      {"literal in triple term subject",
       "<http://a/x> <http://a/p> <<( \"s\" <http://a/p> <http://a/o> )>> .\n",
       Syntax::kNTriples, "1:31: expected IRI or blank node as subject, found a literal"},
      {"unclosed triple term",
       "<http://a/x> <http://a/p> <<( <http://a/s> <http://a/p> <http://a/o> .\n",
       Syntax::kNTriples, "1:70: expected ')>>' to close the triple term, found '.'"},
      {"invalid UTF-8", "<http://a/s> <http://a/p> \"ok\" .\n<http://a/s> <http://a/p> \"\xC3\xA9\xFF\" .\n",
       Syntax::kNTriples, "2:29: expected UTF-8 text, found invalid byte 0xFF"},
      {"overlong UTF-8", "<http://a/s\xC0\xAF> <http://a/p> <http://a/o> .\n", Syntax::kNTriples,
       "1:12: expected UTF-8 text, found invalid byte 0xC0"},
      {"NUL between terms", std::string("<http://a/s>\0<http://a/p> <http://a/o> .\n", 40),
       Syntax::kNTriples, "1:13: expected IRI as predicate, found NUL character"},
      {"columns count code points",
       "<http://a/s> <http://a/p> \"\xE6\x97\xA5\xE6\x9C\xAC\" <http://a/g> .\n",
       Syntax::kNTriples, "1:32: expected '.' to end the triple, found '<'"},
      {"blank node predicate", "_:s _:p <http://a/o> .\n", Syntax::kNTriples,
       "1:5: expected IRI as predicate, found a blank node"},
      {"bad blank node", "_::a <http://a/p> <http://a/o> .\n", Syntax::kNTriples,
       "1:3: expected blank node label after '_:', found ':'"},
      {"bad direction", "<http://a/s> <http://a/p> \"x\"@en--LTR .\n", Syntax::kNTriples,
       "1:35: expected base direction 'ltr' or 'rtl', found 'LTR'"},
      {"long language subtag", "<http://a/s> <http://a/p> \"x\"@cantbethislong .\n",
       Syntax::kNTriples,
       "1:31: expected a primary language subtag of 1 to 8 letters, found 'cantbethislong'"},
      {"langString datatype",
       "<http://a/s> <http://a/p> \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> "
       ".\n",
       Syntax::kNTriples,
       "1:32: expected a datatype other than "
       "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> (write a language tag instead: "
       "\"...\"@en)"},
      {"two statements on a line", "<http://a/s> <http://a/p> <http://a/o> . <http://a/s> .\n",
       Syntax::kNTriples,
       "1:42: expected end of line after '.', found '<' (one statement per line)"},
      {"graph in N-Triples", "<http://a/s> <http://a/p> <http://a/o> <http://a/g> .\n",
       Syntax::kNTriples, "1:40: expected '.' to end the triple, found '<'"},
      {"literal graph label", "<http://a/s> <http://a/p> <http://a/o> \"g\" .\n", Syntax::kNQuads,
       "1:40: expected IRI or blank node as graph label, found a literal"},
      {"five terms", "<http://a/s> <http://a/p> <http://a/o> <http://a/g> <http://a/h> .\n",
       Syntax::kNQuads, "1:53: expected '.' to end the quad, found '<'"},
      {"bad VERSION", "VERSION 1.2\n", Syntax::kNTriples,
       "1:9: expected a version string after VERSION (e.g. VERSION \"1.2\"), found '1'"},
      {"lone CR ends a line", "<http://a/s> <http://a/p> <http://a/o> .\r<p> <http://a/p> <http://a/o> .\n",
       Syntax::kNTriples, "2:1: expected absolute IRI (scheme ':' ...), found relative IRI <p>"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ReadAll(c.input, c.syntax).error, c.error) << c.name;
  }
}

TEST(NQuadsReaderTest, MultiLineFileWithCommentsAndLineEndings) {
  const std::string text =
      "# a comment line\n"
      "\n"
      "   \t\n"
      "VERSION \"1.2\"\n"
      "<http://a/s> <http://a/p> <http://a/o> . # trailing comment\r\n"
      "<http://a/s>\t<http://a/p>\t\"tab separated\"\t.\r\n"
      "_:b1 <http://a/p> \"x\"@en-GB--rtl .\r"
      "<http://a/s><http://a/p>\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>.";  // no EOL
  std::istringstream in(text);
  NQuadsReader reader("m.nt", in, Syntax::kNTriples);
  std::vector<int64_t> lines;
  std::string canonical;
  RdfQuad q;
  while (reader.Next(&q)) {
    lines.push_back(reader.line());
    canonical += CanonicalNQuad(q);
  }
  EXPECT_FALSE(reader.error()) << reader.FormatError();
  EXPECT_EQ(lines, (std::vector<int64_t>{5, 6, 7, 8}));
  EXPECT_EQ(reader.statements(), 4);
  ASSERT_TRUE(reader.version());
  EXPECT_EQ(*reader.version(), "1.2");
  EXPECT_EQ(canonical,
            "<http://a/s> <http://a/p> <http://a/o> .\n"
            "<http://a/s> <http://a/p> \"tab separated\" .\n"
            "_:b1 <http://a/p> \"x\"@en-gb--rtl .\n"
            "<http://a/s> <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n");
}

TEST(NQuadsReaderTest, KeepGoingReportsEveryBadLine) {
  const std::string text =
      "<http://a/s> <http://a/p> <http://a/o> .\n"
      "<http://a/s> <http://a/p> <http://a/o>\n"
      "<http://a/s> <http://a/p> \"ok\" .\n"
      "<s> <http://a/p> <http://a/o> .\n"
      "<http://a/s> <http://a/p> \"x\"@en .\n";
  std::istringstream in(text);
  NQuadsReader reader("k.nt", in, Syntax::kNTriples);
  RdfQuad q;
  int good = 0;
  std::vector<std::string> errors;
  while (true) {
    if (reader.Next(&q)) {
      ++good;
      continue;
    }
    if (!reader.error()) break;
    errors.push_back(StrCat(reader.error()->pos.line, ":", reader.error()->pos.col));
    reader.SkipLine();
  }
  EXPECT_EQ(good, 3);
  EXPECT_EQ(errors, (std::vector<std::string>{"2:39", "4:1"}));
}

TEST(NQuadsReaderTest, FormatErrorShowsLineAndCaret) {
  std::istringstream in("<http://a/s> <p> <http://a/o> .\n");
  NQuadsReader reader("f.nt", in, Syntax::kNTriples);
  RdfQuad q;
  EXPECT_FALSE(reader.Next(&q));
  EXPECT_EQ(reader.FormatError(),
            "f.nt:1:14: error: expected absolute IRI (scheme ':' ...), found relative IRI <p>\n"
            "<http://a/s> <p> <http://a/o> .\n"
            "             ^\n");
  EXPECT_EQ(reader.status().message(),
            "f.nt:1:14: expected absolute IRI (scheme ':' ...), found relative IRI <p>");
  EXPECT_FALSE(reader.Next(&q)) << "stays stopped until SkipLine()";
}

TEST(NQuadsReaderTest, DecodesTermValues) {
  std::istringstream in(
      "<http://a/\\u00E9> <http://a/p> \"a\\tb\\\"\\u00e9\\U0001F600\" <http://a/g> .\n"
      "_:a.b <http://a/p> _:o1.\n"
      "<http://a/s> <http://a/p> <<( _:x <http://a/q> <<( <http://a/s2> <http://a/p2> \"v\"@fr--ltr "
      ")>> )>> _:g .\n");
  NQuadsReader reader("v.nq", in, Syntax::kNQuads);
  RdfQuad q;
  ASSERT_TRUE(reader.Next(&q)) << reader.FormatError();
  EXPECT_EQ(q.s, RdfTerm::Iri("http://a/\xC3\xA9"));
  EXPECT_EQ(q.o, RdfTerm::Literal("a\tb\"\xC3\xA9\xF0\x9F\x98\x80"));
  EXPECT_EQ(q.o.datatype, kXsdString);
  ASSERT_TRUE(q.graph);
  EXPECT_EQ(*q.graph, RdfTerm::Iri("http://a/g"));

  ASSERT_TRUE(reader.Next(&q)) << reader.FormatError();
  EXPECT_EQ(q.s, RdfTerm::BlankNode("a.b"));
  EXPECT_EQ(q.o, RdfTerm::BlankNode("o1"));
  EXPECT_FALSE(q.graph);

  ASSERT_TRUE(reader.Next(&q)) << reader.FormatError();
  ASSERT_TRUE(q.o.is_triple_term());
  const RdfTerm inner = RdfTerm::TripleTerm(
      RdfTerm::Iri("http://a/s2"), RdfTerm::Iri("http://a/p2"),
      RdfTerm::LangLiteral("v", "fr", BaseDirection::kLtr));
  EXPECT_EQ(q.o, RdfTerm::TripleTerm(RdfTerm::BlankNode("x"), RdfTerm::Iri("http://a/q"), inner));
  EXPECT_EQ(q.o.triple->o.triple->o.datatype, kRdfDirLangString);
  EXPECT_EQ(*q.graph, RdfTerm::BlankNode("g"));
  EXPECT_EQ(CanonicalNQuad(q),
            "<http://a/s> <http://a/p> <<( _:x <http://a/q> <<( <http://a/s2> <http://a/p2> "
            "\"v\"@fr--ltr )>> )>> _:g .\n");
  EXPECT_FALSE(reader.Next(&q));
  EXPECT_FALSE(reader.error());
}

TEST(CanonicalTest, EscapesOnlyWhatMustBeEscaped) {
  const RdfQuad q{RdfTerm::Iri("http://a/s"), RdfTerm::Iri("http://a/p"),
                  RdfTerm::Literal(std::string("\"\\\n\r\t\b\f\x01\x7F\0'\xC3\xA9\xEF\xBF\xBE\xEF\xBF\xBF", 19),
                                   std::string(kXsdString)),
                  std::nullopt};
  EXPECT_EQ(CanonicalNQuad(q),
            "<http://a/s> <http://a/p> \"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u007F\\u0000'\xC3\xA9"
            "\\uFFFE\\uFFFF\" .\n");
  EXPECT_EQ(CanonicalTerm(RdfTerm::Literal("5", "http://www.w3.org/2001/XMLSchema#integer")),
            "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>");
  EXPECT_EQ(CanonicalTerm(RdfTerm::LangLiteral("x", "EN-Latn-US")), "\"x\"@en-latn-us");
}

TEST(CanonicalTest, RoundTripsThroughTheReader) {
  const std::string canonical =
      "<http://a/s> <http://a/p> \"\\u0000\\t\\u000B\\f\\u000E&([]\\u007F\" <http://a/g> .\n"
      "_:b <http://a/p> <<( <http://a/s> <http://a/p> \"x\"@en--rtl )>> .\n";
  EXPECT_EQ(ReadAll(canonical, Syntax::kNQuads).canonical, canonical);
}

// ---- gzip ----------------------------------------------------------------

void WriteGzip(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OpenRdfInputTest, GzipRoundTrip) {
  kg::testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 5000; ++i) {
    StrAppend(&content, "<http://a/s", i, "> <http://a/p> \"v", i, "\" <http://a/g> .\n");
  }
  const std::string gz = dir.Sub("data.nq.gz");
  WriteGzip(gz, content);
  ASSERT_LT(ReadFileBytes(gz).size(), content.size() / 4) << "the file is compressed";

  absl::StatusOr<std::unique_ptr<std::istream>> in = OpenRdfInput(gz);
  ASSERT_TRUE(in.ok()) << in.status();
  NQuadsReader reader(gz, **in, Syntax::kNQuads);
  std::string canonical;
  RdfQuad q;
  while (reader.Next(&q)) canonical += CanonicalNQuad(q);
  EXPECT_FALSE(reader.error()) << reader.FormatError();
  EXPECT_EQ(reader.statements(), 5000);
  EXPECT_EQ(canonical, content);
}

TEST(OpenRdfInputTest, ReadsPlainFilesToo) {
  kg::testing::TempDir dir;
  const std::string path = dir.Sub("plain.nt");
  std::ofstream(path, std::ios::binary) << "<http://a/s> <http://a/p> <http://a/o> .\n";
  absl::StatusOr<std::unique_ptr<std::istream>> in = OpenRdfInput(path);
  ASSERT_TRUE(in.ok()) << in.status();
  NQuadsReader reader(path, **in, Syntax::kNTriples);
  RdfQuad q;
  EXPECT_TRUE(reader.Next(&q));
  EXPECT_FALSE(reader.Next(&q));
  EXPECT_FALSE(reader.error());
}

TEST(OpenRdfInputTest, TruncatedGzipIsAReadError) {
  kg::testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 20000; ++i) StrAppend(&content, "<http://a/s> <http://a/p> \"", i, "\" .\n");
  const std::string gz = dir.Sub("cut.nt.gz");
  WriteGzip(gz, content);
  const std::string bytes = ReadFileBytes(gz);
  std::ofstream(gz, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);

  absl::StatusOr<std::unique_ptr<std::istream>> in = OpenRdfInput(gz);
  ASSERT_TRUE(in.ok()) << in.status();
  NQuadsReader reader(gz, **in, Syntax::kNTriples);
  RdfQuad q;
  while (reader.Next(&q)) {
  }
  ASSERT_TRUE(reader.error());
  EXPECT_NE(reader.error()->message.find("read error"), std::string::npos)
      << reader.FormatError();
  EXPECT_GT(reader.statements(), 0) << "the intact first half is read";
  reader.SkipLine();
  EXPECT_TRUE(reader.error()) << "read errors cannot be skipped";
}

TEST(OpenRdfInputTest, MissingFileIsNotFound) {
  absl::StatusOr<std::unique_ptr<std::istream>> in = OpenRdfInput("/nonexistent/x.nt.gz");
  EXPECT_EQ(in.status().code(), absl::StatusCode::kNotFound);
}

// ---- streaming -------------------------------------------------------------

// Produces `lines` N-Triples lines on demand, holding only one at a time.
class GeneratedStreamBuf : public std::streambuf {
 public:
  explicit GeneratedStreamBuf(int lines) : lines_(lines) {}

 protected:
  int_type underflow() override {
    if (next_ >= lines_) return traits_type::eof();
    line_ = StrCat("<http://example.org/s", next_, "> <http://example.org/p> \"value ", next_,
                   "\"@en <http://example.org/g", next_ % 7, "> .\n");
    ++next_;
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  int lines_;
  int next_ = 0;
  std::string line_;
};

long MaxRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(NQuadsReaderTest, StreamsInConstantMemory) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan keeps freed memory in quarantine (256 MB by default), so peak RSS
  // says nothing about what the reader holds.
  GTEST_SKIP() << "peak RSS is not meaningful under AddressSanitizer";
#endif
  constexpr int kLines = 200000;  // ~20 MB of text, ~100 MB as parsed quads
  GeneratedStreamBuf buf(kLines);
  std::istream in(&buf);
  NQuadsReader reader("generated.nq", in, Syntax::kNQuads);
  const long rss_before = MaxRssKb();
  RdfQuad q;
  int64_t count = 0;
  while (reader.Next(&q)) ++count;
  EXPECT_FALSE(reader.error()) << reader.FormatError();
  EXPECT_EQ(count, kLines);
  EXPECT_EQ(reader.line(), kLines);
  EXPECT_EQ(CanonicalNQuad(q),
            "<http://example.org/s199999> <http://example.org/p> \"value 199999\"@en "
            "<http://example.org/g2> .\n");
  // The peak resident size may not grow by anything like the input size.
  EXPECT_LT(MaxRssKb() - rss_before, 8 * 1024);
}

}  // namespace
}  // namespace kg::ingest
