// TurtleReader, TurtleWriter and IRI resolution beyond what the W3C suites
// cover: positions after the reader's window has moved, skipping bad
// statements, TriG graphs, compressed input, and writing what reads back.
#include "ingest/rdf/turtle.h"

#include <bzlib.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kg/iri.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/turtle_writer.h"
#include "kg/str_cat.h"
#include "tests/support/rdf_isomorphism.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

struct Result {
  std::vector<RdfQuad> quads;
  std::vector<std::string> errors;  // formatted, in order
};

// Reads all of `text`, skipping bad statements when `keep_going`.
Result Read(const std::string& text, bool trig = false, bool keep_going = false,
            const std::string& base = "http://example.org/base/doc.ttl") {
  std::istringstream in(text);
  TurtleReader reader("t.ttl", in, trig, base);
  Result r;
  RdfQuad q;
  while (true) {
    if (reader.Next(&q)) {
      r.quads.push_back(q);
      continue;
    }
    if (!reader.error()) break;
    r.errors.push_back(reader.FormatError());
    if (!keep_going) break;
    reader.SkipLine();
  }
  return r;
}

std::string Canonical(const std::vector<RdfQuad>& quads) {
  std::string out;
  for (const RdfQuad& q : quads) out += CanonicalNQuad(q);
  return out;
}

TEST(IriTest, ResolvesTheRfc3986Examples) {
  const std::string base = "http://a/b/c/d;p?q";
  const std::pair<const char*, const char*> cases[] = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {";x", "http://a/b/c/;x"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},
  };
  for (const auto& [ref, want] : cases)
    EXPECT_EQ(ResolveIri(base, ref), want) << ref;
  EXPECT_EQ(ResolveIri("http://a", "b"), "http://a/b");
  EXPECT_EQ(FileIri("/tmp/a b#.ttl"), "file:///tmp/a%20b%23.ttl");
}

TEST(TurtleReaderTest, ReadsTheShorthandsAsTheirTriples) {
  const Result r = Read(R"(@prefix : <http://ex/> .
PREFIX x: <http://x/>
:s a :C ; :p 1, -2.5, 3e1, true, "t"@en--rtl, 'q'^^x:dt ;
   :list ( :a [ :b "c" ] ) ;
   :nested [ :q """two
lines""" ] .
<rel> :p <#frag> .
)");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string nt = Canonical(r.quads);
  EXPECT_NE(
      nt.find("<http://ex/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              "<http://ex/C> ."),
      std::string::npos)
      << nt;
  EXPECT_NE(nt.find("\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"),
            std::string::npos);
  EXPECT_NE(nt.find("\"-2.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>"),
            std::string::npos);
  EXPECT_NE(nt.find("\"3e1\"^^<http://www.w3.org/2001/XMLSchema#double>"),
            std::string::npos);
  EXPECT_NE(nt.find("\"t\"@en--rtl"), std::string::npos);
  EXPECT_NE(nt.find("\"q\"^^<http://x/dt>"), std::string::npos);
  EXPECT_NE(nt.find("\"two\\nlines\""), std::string::npos);
  EXPECT_NE(nt.find("<http://example.org/base/rel> <http://ex/p> "
                    "<http://example.org/base/doc.ttl#frag> ."),
            std::string::npos)
      << nt;
  // 7 objects of :s's first two predicates, 1 + 4 + 1 for the list (two
  // nodes, first/rest each, the property list's triple), 2 for :nested, 1.
  EXPECT_EQ(r.quads.size(), 7u + 6u + 2u + 1u);
}

TEST(TurtleReaderTest, ReifiersAndAnnotationsBecomeRdfReifies) {
  const Result r = Read(R"(PREFIX : <http://ex/>
:s :p :o ~ :r {| :source :doc |} .
<< :a :b :c >> :says :x .
)");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string nt = Canonical(r.quads);
  EXPECT_NE(nt.find("<http://ex/s> <http://ex/p> <http://ex/o> ."),
            std::string::npos);
  EXPECT_NE(
      nt.find(
          "<http://ex/r> <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> "
          "<<( <http://ex/s> <http://ex/p> <http://ex/o> )>> ."),
      std::string::npos)
      << nt;
  EXPECT_NE(nt.find("<http://ex/r> <http://ex/source> <http://ex/doc> ."),
            std::string::npos);
  EXPECT_NE(
      nt.find("_:genid-1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> "
              "<<( <http://ex/a> <http://ex/b> <http://ex/c> )>> ."),
      std::string::npos)
      << nt;
  EXPECT_NE(nt.find("_:genid-1 <http://ex/says> <http://ex/x> ."),
            std::string::npos);
  // The reified triple itself is not asserted.
  EXPECT_EQ(nt.find("<http://ex/a> <http://ex/b> <http://ex/c> ."),
            std::string::npos);
}

TEST(TurtleReaderTest, FreshLabelsNeverMeetWrittenOnes) {
  const Result r = Read("PREFIX : <http://ex/>\n_:genid-1 :p [] .\n");
  ASSERT_EQ(r.quads.size(), 1u);
  EXPECT_EQ(r.quads[0].s.value, "genid--1");
  EXPECT_EQ(r.quads[0].o.value, "genid-1");
}

TEST(TurtleReaderTest, ErrorsArePositionedAfterTheWindowMoves) {
  // About 3 MB before the error, so the reader's window has moved many
  // times; the bad line has multi-byte characters before the error.
  std::string text = "@prefix : <http://ex/> .\n";
  int lines = 1;
  for (int i = 0; i < 40000; ++i, ++lines) {
    StrAppend(&text, ":s", i, " :p \"é", std::string(60, 'x'), "\" .\n");
  }
  text += ":bad :p \"ééé\" :extra .\n";
  ++lines;
  const Result r = Read(text);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.quads.size(), 40000u);
  EXPECT_TRUE(r.errors[0].starts_with(
      StrCat("t.ttl:", lines,
             ":15: error: expected '.' to end the triples, found ':extra'")))
      << r.errors[0];
  EXPECT_NE(r.errors[0].find(":bad :p \"ééé\" :extra .\n              ^\n"),
            std::string::npos)
      << r.errors[0];
}

TEST(TurtleReaderTest, SkipsABadStatementAndGoesOn) {
  const Result r = Read(
      "PREFIX : <http://ex/>\n:a :p 1 .\n:b :p \"x . y\" :oops \"z.\" .\n:c :p "
      "3 ;\n :q undeclared:x .\n:d :p 4 .\n",
      false, /*keep_going=*/true);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_TRUE(r.errors[0].starts_with(
      "t.ttl:3:15: error: expected '.' to end the triples"))
      << r.errors[0];
  EXPECT_TRUE(r.errors[1].starts_with(
      "t.ttl:5:5: error: expected a declared prefix, found 'undeclared:'"))
      << r.errors[1];
  // A bad statement yields nothing, not even its good first triples.
  ASSERT_EQ(r.quads.size(), 2u);
  EXPECT_EQ(r.quads[0].s.value, "http://ex/a");
  EXPECT_EQ(r.quads[1].s.value, "http://ex/d");
}

TEST(TurtleReaderTest, TrigGraphsAndTheDefaultGraph) {
  const Result r = Read(R"(PREFIX : <http://ex/>
:a :p 1 .
:g1 { :b :p 2 . :c :p 3 }
GRAPH _:g2 { :d :p 4 }
{ :e :p 5 . }
[] { :f :p 6 }
)",
                        /*trig=*/true);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.quads.size(), 6u);
  EXPECT_FALSE(r.quads[0].graph);
  EXPECT_EQ(r.quads[1].graph->value, "http://ex/g1");
  EXPECT_EQ(r.quads[2].graph->value, "http://ex/g1");
  EXPECT_TRUE(r.quads[3].graph->is_blank_node());
  EXPECT_FALSE(r.quads[4].graph);
  EXPECT_TRUE(r.quads[5].graph->is_blank_node());
  EXPECT_FALSE(r.quads[5].graph->value == r.quads[3].graph->value);

  const Result open = Read("PREFIX : <http://ex/>\n:g {\n :a :b :c .\n", true);
  ASSERT_EQ(open.errors.size(), 1u);
  EXPECT_TRUE(open.errors[0].starts_with(
      "t.ttl:4:1: error: expected '}' to close the graph opened at line 2"))
      << open.errors[0];
  const Result turtle = Read("PREFIX : <http://ex/>\n:g { :a :b :c }\n");
  ASSERT_EQ(turtle.errors.size(), 1u);
  EXPECT_NE(turtle.errors[0].find("graph blocks are TriG"), std::string::npos)
      << turtle.errors[0];
}

TEST(TurtleReaderTest, RelativeIrisNeedABase) {
  const Result r = Read("<a> <http://ex/p> <b> .\n", false, false, "");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with(
      "t.ttl:1:1: error: expected an absolute IRI, found <a>"))
      << r.errors[0];
  const Result based =
      Read("@base <http://ex/dir/> .\n<a> <p> <../b> .\n", false, false, "");
  ASSERT_TRUE(based.errors.empty()) << based.errors.front();
  EXPECT_EQ(Canonical(based.quads),
            "<http://ex/dir/a> <http://ex/dir/p> <http://ex/b> .\n");
}

TEST(TurtleReaderTest, DeepNestingIsRefusedNotACrash) {
  std::string text = "<http://ex/s> <http://ex/p> ";
  for (int i = 0; i < 100000; ++i) text += "( ";
  const Result r = Read(text);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("expected at most 256 nested"), std::string::npos)
      << r.errors[0];
}

void WriteGzip(const std::string& path, const std::string& data) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, data.data(), static_cast<unsigned>(data.size())),
            static_cast<int>(data.size()));
  gzclose(f);
}

// Two concatenated bzip2 streams, as pbzip2 writes them.
void WriteBzip2(const std::string& path, const std::string& data) {
  std::string out;
  for (const std::string& part :
       {data.substr(0, data.size() / 2), data.substr(data.size() / 2)}) {
    std::string buf(part.size() * 2 + 1024, '\0');
    unsigned len = static_cast<unsigned>(buf.size());
    ASSERT_EQ(BZ2_bzBuffToBuffCompress(
                  buf.data(), &len, const_cast<char*>(part.data()),
                  static_cast<unsigned>(part.size()), 9, 0, 0),
              BZ_OK);
    out.append(buf.data(), len);
  }
  std::ofstream(path, std::ios::binary) << out;
}

TEST(RdfInputTest, ReadsGzipAndBzip2Alike) {
  kg::testing::TempDir dir;
  std::string text = "@prefix : <http://ex/> .\n";
  for (int i = 0; i < 5000; ++i) StrAppend(&text, ":s", i, " :p ", i, " .\n");
  WriteGzip(dir.Sub("a.ttl.gz"), text);
  WriteBzip2(dir.Sub("a.ttl.bz2"), text);
  for (const char* name : {"a.ttl.gz", "a.ttl.bz2"}) {
    SCOPED_TRACE(name);
    auto syntax = RdfSyntaxFromName(name);
    ASSERT_TRUE(syntax.has_value());
    EXPECT_EQ(*syntax, RdfSyntax::kTurtle);
    auto source = OpenRdfReader(dir.Sub(name), *syntax);
    ASSERT_TRUE(source.ok()) << source.status();
    RdfQuad q;
    int n = 0;
    while (source->reader->Next(&q)) ++n;
    EXPECT_FALSE(source->reader->error()) << source->reader->FormatError();
    EXPECT_EQ(n, 5000);
  }
  // A truncated bzip2 file is a read error, not a short success.
  std::ifstream in(dir.Sub("a.ttl.bz2"), std::ios::binary);
  std::string bz((std::istreambuf_iterator<char>(in)),
                 std::istreambuf_iterator<char>());
  std::ofstream(dir.Sub("cut.ttl.bz2"), std::ios::binary)
      << bz.substr(0, bz.size() / 3);
  auto cut = OpenRdfReader(dir.Sub("cut.ttl.bz2"), RdfSyntax::kTurtle);
  ASSERT_TRUE(cut.ok());
  RdfQuad q;
  while (cut->reader->Next(&q)) {
  }
  ASSERT_TRUE(cut->reader->error());
  EXPECT_NE(cut->reader->FormatError().find("read error"), std::string::npos)
      << cut->reader->FormatError();
}

TEST(RdfInputTest, SniffsTheSyntaxOfAFileWithoutAnExtension) {
  kg::testing::TempDir dir;
  const std::pair<const char*, RdfSyntax> cases[] = {
      {"# c\n@prefix : <http://ex/> .\n:a :b :c .\n", RdfSyntax::kTurtle},
      {"PREFIX : <http://ex/>\n:g {\n:a :b :c }\n", RdfSyntax::kTriG},
      {"<http://a> <http://b> <http://c> .\n", RdfSyntax::kNQuads},
      {"<http://a> <http://b> \"{\" <http://g> .\n", RdfSyntax::kNQuads},
      {"<http://a>\n\t<http://b> <http://c> ;\n\t<http://d> 1 .\n", RdfSyntax::kTurtle},
      {"<http://a> <http://b> <http://c> . # note\n", RdfSyntax::kNQuads},
      {"<http://g> {\n<http://a> <http://b> <http://c> .\n}\n", RdfSyntax::kTriG},
  };
  int i = 0;
  for (const auto& [text, want] : cases) {
    const std::string path = dir.Sub(StrCat("f", i++));
    std::ofstream(path) << text;
    auto got = SniffRdfSyntax(path);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, want) << text;
  }
  std::ofstream(dir.Sub("junk")) << "hello world\n";
  EXPECT_FALSE(SniffRdfSyntax(dir.Sub("x-missing")).ok());
}

TEST(TurtleWriterTest, WritesWhatReadsBack) {
  const std::string input = R"(
<http://ex/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/C> <http://ex/g> .
<http://ex/s> <http://ex/p> "a \"quoted\" \\ back\nslash\r" <http://ex/g> .
<http://ex/s> <http://ex/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex/g> .
<http://ex/s> <http://ex/p> "01.50"^^<http://www.w3.org/2001/XMLSchema#decimal> <http://ex/g> .
<http://ex/s> <http://ex/p> "x"@en-GB--ltr <http://ex/g> .
<http://ex/s> <http://ex/q> "1e3"^^<http://www.w3.org/2001/XMLSchema#double> <http://ex/g> .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( <http://ex/s> <http://ex/p> "t\"\"\"" )>> <http://ex/g> .
<http://ex/with%20space/x> <http://ex/p> <http://ex/a.b/c> .
<http://ex/o.> <http://ex/p> "abc\u0001"^^<http://ex/dt> .
)";
  std::istringstream in(input);
  NQuadsReader reader("in.nq", in, NQuadsReader::Syntax::kNQuads);
  std::vector<RdfQuad> quads;
  RdfQuad q;
  while (reader.Next(&q)) quads.push_back(q);
  ASSERT_FALSE(reader.error()) << reader.FormatError();
  for (bool trig : {true, false}) {
    SCOPED_TRACE(trig ? "TriG" : "Turtle");
    std::ostringstream out;
    TurtleWriter writer(
        out, trig,
        {{"ex", "http://ex/"}, {"xsd", "http://www.w3.org/2001/XMLSchema#"}});
    std::vector<RdfQuad> want;
    for (RdfQuad w : quads) {
      if (!trig) w.graph.reset();
      writer.Write(w);
      want.push_back(w);
    }
    writer.Finish();
    const Result back = Read(out.str(), trig);
    ASSERT_TRUE(back.errors.empty()) << back.errors.front() << out.str();
    EXPECT_EQ(Canonical(back.quads), Canonical(want)) << out.str();
    if (trig) {
      EXPECT_NE(out.str().find(
                    "ex:g {\n  ex:s a ex:C ;\n    ex:p \"\"\"a \\\"quoted\\\" "
                    "\\\\ back\nslash\\r\"\"\",\n      1,\n"),
                std::string::npos)
          << out.str();
    }
  }
}

}  // namespace
}  // namespace kg::ingest
