#include "ingest/annotated/annotated_parser.h"

#include "gtest/gtest.h"
#include "kg/utf8.h"

namespace kg::ingest {
namespace {

ParsedFile ParseOk(std::string_view content) {
  Diagnostics diag("t.kga", content);
  ParsedFile parsed = ParseAnnotated(content, &diag);
  EXPECT_TRUE(diag.ok()) << diag.Format();
  return parsed;
}

std::string Quote(const ParsedFile& p, const SpanAst& s) {
  return std::string(*SliceCodePoints(p.text, s.start, s.end));
}

TEST(AnnotatedParserTest, CanonicalTextDropsMarkupDirectivesAndComments) {
  const ParsedFile p = ParseOk(
      "@doc d1\n"
      "%% a comment\n"
      "First [[line]]{#c1}.\n"
      "@claim c1: A b C\n"
      "Second line\n");
  EXPECT_EQ(p.text, "First line.\nSecond line\n");
  ASSERT_EQ(p.spans.size(), 1u);
  EXPECT_EQ(Quote(p, p.spans[0]), "line");
  EXPECT_EQ(p.spans[0].labels[0].value, "c1");
  EXPECT_EQ(p.spans[0].pos.line, 3);
  EXPECT_EQ(p.spans[0].pos.col, 7);
  ASSERT_EQ(p.directives.size(), 2u);
  EXPECT_EQ(p.directives[0].keyword, "doc");
  EXPECT_EQ(p.directives[0].rest, "d1");
  EXPECT_EQ(p.directives[1].rest_pos.line, 4);
  EXPECT_EQ(p.directives[1].rest_pos.col, 8);
}

TEST(AnnotatedParserTest, OffsetsCountCodePointsAcrossCurlyQuotesAndDashes) {
  const ParsedFile p = ParseOk(
      "“Quoted” — Russia’s [[munitions]]{#c1} come from [[Pyongyang]]{=NorthKorea}.");
  EXPECT_EQ(p.text, "“Quoted” — Russia’s munitions come from Pyongyang.");
  ASSERT_EQ(p.spans.size(), 2u);
  EXPECT_EQ(p.spans[0].start, 20u);  // code points, not bytes
  EXPECT_EQ(p.spans[0].end, 29u);
  EXPECT_EQ(Quote(p, p.spans[0]), "munitions");
  EXPECT_EQ(Quote(p, p.spans[1]), "Pyongyang");
  EXPECT_EQ(p.spans[1].labels[0].kind, '=');
  EXPECT_EQ(p.spans[0].pos.col, 21);  // columns count code points too
}

TEST(AnnotatedParserTest, SpansNestAndCrossLineBreaks) {
  const ParsedFile p = ParseOk(
      "[[Ukrainian officials claim that [[half of Russia’s munitions now come from\n"
      "Pyongyang]]{#c2 #c3}]]{#c4}.\n");
  ASSERT_EQ(p.spans.size(), 2u);
  EXPECT_EQ(Quote(p, p.spans[0]), "half of Russia’s munitions now come from\nPyongyang");
  EXPECT_EQ(p.spans[0].labels.size(), 2u);
  EXPECT_EQ(Quote(p, p.spans[1]),
            "Ukrainian officials claim that half of Russia’s munitions now come from\nPyongyang");
}

TEST(AnnotatedParserTest, EscapesAndLineJoins) {
  const ParsedFile p = ParseOk(
      "\\@not a directive \\[\\[x\\]\\] \\{y\\} a\\b \\\\\n"
      "\\%% not a comment\n"
      "joined \\\n"
      "line\n"
      "@claim c1: A b C\n"
      "last line without newline");
  EXPECT_EQ(p.text,
            "@not a directive [[x]] {y} a\\b \\\n"
            "%% not a comment\n"
            "joined line\n"
            "last line without newline");
}

TEST(AnnotatedParserTest, FinalLineKeepsNewlineOnlyIfTheFileHasOne) {
  EXPECT_EQ(ParseOk("a\nb").text, "a\nb");
  EXPECT_EQ(ParseOk("a\nb\n").text, "a\nb\n");
  EXPECT_EQ(ParseOk("a\nb\\\n@doc x\n").text, "a\nb");
  EXPECT_EQ(ParseOk("").text, "");
}

struct ErrorCase {
  std::string name;
  std::string content;
  int line, col;
  std::string message;
};

class ParserErrorTest : public ::testing::TestWithParam<ErrorCase> {};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

TEST_P(ParserErrorTest, ReportsPosition) {
  const ErrorCase& c = GetParam();
  Diagnostics diag("f.kga", c.content);
  ParseAnnotated(c.content, &diag);
  ASSERT_FALSE(diag.ok());
  bool found = false;
  for (const Diagnostic& d : diag.errors()) {
    if (d.pos.line == c.line && d.pos.col == c.col &&
        d.message.find(c.message) != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << diag.Format();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParserErrorTest,
    ::testing::Values(
        ErrorCase{"CloseWithoutLabels", "ok\nsome [[text]] here\n", 2, 14, "expected '{'"},
        ErrorCase{"CloseWithoutOpen", "text ]]{#c1}\n", 1, 6, "closes no open"},
        ErrorCase{"NeverClosed", "one\ntwo [[three\nfour\n", 2, 5, "never closed"},
        ErrorCase{"BadLabel", "[[x]]{c1}\n", 1, 7, "bad span label 'c1'"},
        ErrorCase{"NoLabels", "[[x]]{ }\n", 1, 6, "no labels"},
        ErrorCase{"LabelsUnclosed", "[[x]]{#c1\n", 1, 6, "never closed on this line"},
        ErrorCase{"InvalidUtf8", "fine\nbad \xff byte\n", 2, 5, "invalid UTF-8"},
        ErrorCase{"NulByte", std::string("ab\0cd", 5), 1, 3, "NUL byte"},
        ErrorCase{"Crlf", "line\r\nnext\n", 1, 5, "CRLF"},
        ErrorCase{"ByteOrderMark", "\xEF\xBB\xBFtext\n", 1, 1,
                  "file starts with a UTF-8 byte order mark; save it without one"},
        ErrorCase{"EmptyDirective", "@ claim\n", 1, 1, "expected a directive name"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(DirectiveParserTest, ClaimFieldsAndTerms) {
  Diagnostics diag("t", "");
  Directive d{"claim", {1, 2}, "c1: <<Iran supplied ShahedDrone>> disputed_by doc:x ; hedge claimed ; via doc:a, JohnPark ; quantity 2700 \"drones/month\" ; time 2024-06",
              {1, 8}};
  auto claim = ParseClaimDirective(d, &diag);
  ASSERT_TRUE(claim.has_value()) << diag.Format();
  EXPECT_EQ(claim->id, "c1");
  EXPECT_EQ(claim->s.kind, TermAst::Kind::kTriple);
  EXPECT_EQ(claim->s.parts[2].text, "ShahedDrone");
  EXPECT_EQ(claim->p.text, "disputed_by");
  EXPECT_EQ(claim->o.kind, TermAst::Kind::kDocument);
  ASSERT_EQ(claim->attributes.size(), 4u);
  EXPECT_EQ(claim->attributes[1].key, "via");
  EXPECT_EQ(claim->attributes[1].value, "doc:a, JohnPark");
  auto q = ParseTerm(claim->attributes[2].value, claim->attributes[2].value_pos, &diag);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->kind, TermAst::Kind::kQuantity);
  EXPECT_EQ(q->text, "2700");
  EXPECT_EQ(q->extra, "drones/month");
  auto list = ParseTermList("doc:a, JohnPark, \"x; y\"@en", {1, 1}, &diag);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].text, "x; y");
  EXPECT_EQ((*list)[2].extra, "en");
  EXPECT_EQ((*list)[1].pos.col, 8);
}

TEST(DirectiveParserTest, SemicolonsInsideTermStringsAndIrisDoNotSplit) {
  Directive claim{"claim", {1, 2},
                  "c1: A says \"x; y\" ; agent <https://x.org/a;b> ; via \"p;q\", doc:d "
                  "; hedge claimed",
                  {1, 8}};
  auto fields = SplitFields(claim);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].value, "A says \"x; y\"");
  EXPECT_EQ(fields[1].value, "<https://x.org/a;b>");
  EXPECT_EQ(fields[2].value, "\"p;q\", doc:d");
  EXPECT_EQ(fields[3].key, "hedge");

  Directive source{"source", {1, 2}, "<https://x.org/a;b> ; title A\\; B ; publisher X \\; Y",
                   {1, 9}};
  fields = SplitFields(source);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].key, "<https://x.org/a;b>");
  EXPECT_EQ(fields[1].value, "A; B");
  EXPECT_EQ(fields[2].value, "X ; Y");
  EXPECT_EQ(fields[1].key_pos.col, 31);
}

// Free-text fields may hold a lone '"' or '<': they must not swallow the
// fields after them.
TEST(DirectiveParserTest, QuotesAndAngleBracketsAreTextInFreeTextFields) {
  struct Case {
    Directive d;
    std::vector<std::pair<std::string, std::string>> fields;  // key, value
  };
  const std::vector<Case> cases = {
      {{"entity", {1, 2}, "X ; alias 5\" gun ; type T", {1, 9}},
       {{"X", ""}, {"alias", "5\" gun"}, {"type", "T"}}},
      {{"entity", {1, 2}, "X ; alias <b ; alias \"a ; type T", {1, 9}},
       {{"X", ""}, {"alias", "<b"}, {"alias", "\"a"}, {"type", "T"}}},
      {{"source", {1, 2}, "doc:x ; title The 5\" gun < 6 ; publisher P", {1, 9}},
       {{"doc:x", ""}, {"title", "The 5\" gun < 6"}, {"publisher", "P"}}},
      {{"predicate", {1, 2}, "p ; label a \"b ; prov <http://x ; domain Thing", {1, 12}},
       {{"p", ""}, {"label", "a \"b"}, {"prov", "<http://x"}, {"domain", "Thing"}}},
      {{"type", {1, 2}, "T ; parent \"U ; parent V", {1, 7}},
       {{"T", ""}, {"parent", "\"U"}, {"parent", "V"}}},
  };
  for (const Case& c : cases) {
    auto fields = SplitFields(c.d);
    ASSERT_EQ(fields.size(), c.fields.size()) << c.d.rest;
    for (size_t i = 0; i < fields.size(); ++i) {
      EXPECT_EQ(fields[i].key, c.fields[i].first) << c.d.rest;
      EXPECT_EQ(fields[i].value, c.fields[i].second) << c.d.rest;
    }
  }
}

}  // namespace
}  // namespace kg::ingest
