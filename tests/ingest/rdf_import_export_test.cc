// N-Quads export and import: export -> import into an empty store -> export
// is the identity; foreign RDF keeps its exact literals; bad lines load
// nothing unless --keep-going.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "ingest/json_export.h"
#include "ingest/rdf/rdf_export.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/rdf_mapping.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::ClaimIn;
using ::kg::testing::IdIn;

using ::kg::testing::TempDir;

std::unique_ptr<Store> Open(const std::string& path) {
  StoreOptions o;
  o.sync_writes = false;
  auto store = Store::Open(path, o);
  EXPECT_TRUE(store.ok()) << store.status();
  return *std::move(store);
}

std::string Export(Store& store, bool nq = true) {
  std::ostringstream out;
  auto snap = store.NewSnapshot();
  absl::Status s = nq ? ExportNQuads(*snap, std::nullopt, out) : ExportJsonLines(*snap, std::nullopt, out);
  EXPECT_TRUE(s.ok()) << s;
  return out.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

RdfImportSummary Import(Store& store, const std::string& path, bool nquads, std::string* errors,
                        bool keep_going = false, bool bulk = false) {
  std::ostringstream err;
  RdfImportOptions o;
  o.syntax = nquads ? RdfSyntax::kNQuads : RdfSyntax::kNTriples;
  o.keep_going = keep_going;
  if (bulk) {
    o.bulk = RdfImportOptions::Bulk::kOn;
    o.bulk_memory = 64 << 10;  // several runs even for the corpus
  }
  auto summary = ImportRdf(store, {path}, o, err);
  EXPECT_TRUE(summary.ok()) << summary.status();
  *errors = err.str();
  return *summary;
}

TEST(RdfRoundTripTest, CorpusExportImportExportIsIdentical) {
  TempDir dir;
  auto a = Open(dir.Sub("a"));
  std::ostringstream err, progress;
  auto ingested = IngestPaths(*a, {std::string(KG_SOURCE_DIR) + "/examples/corpus"}, {}, err, progress);
  ASSERT_TRUE(ingested.ok());
  ASSERT_GT(ingested->documents_loaded, 0) << err.str();
  const std::string first = Export(*a);
  const std::string first_json = Export(*a, /*nq=*/false);
  ASSERT_FALSE(first.empty());
  EXPECT_NE(first.find("<http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( "), std::string::npos);
  WriteFile(dir.Sub("export.nq"), first);

  auto b = Open(dir.Sub("b"));
  std::string errors;
  RdfImportSummary s = Import(*b, dir.Sub("export.nq"), /*nquads=*/true, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.files_loaded, 1);
  EXPECT_EQ(Export(*b), first);
  EXPECT_EQ(Export(*b, /*nq=*/false), first_json);
  auto report = b->Check();
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p;
  auto ta = a->NewSnapshot()->Totals(), tb = b->NewSnapshot()->Totals();
  EXPECT_EQ(ta->documents, tb->documents);
  EXPECT_EQ(ta->triples, tb->triples);
  EXPECT_EQ(ta->evidence, tb->evidence);
}

TEST(RdfRoundTripTest, EveryTermKindSurvives) {
  TempDir dir;
  auto a = Open(dir.Sub("a"));
  testing::DocBuilder b("d/1 é");  // a document id that needs percent-encoding
  const std::vector<Term> objects = {
      Term::Entity("North Korea"), Term::Iri("http://example.org/x?y=1#z"), Term::Document("wsj"),
      Term::String("x \"quoted\" \\ \n line"), Term::String("ось", "ru"),
      Term::String("مرحبا", "ar--rtl"), Term::Integer(-42), *Term::Decimal("26.5"),
      *Term::ParseDate("2024-06"), *Term::ParseDate("2024"), *Term::ParseDate("2024-06-19"),
      *Term::Quantity("2700", "drones/month"), Term::BlankNode("dd_2f1_20_c3_a9.b1"),
      Term::TypedLiteral("01", "http://www.w3.org/2001/XMLSchema#integer"),
      Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"), Term::Entity("Shahed")),
  };
  for (size_t i = 0; i < objects.size(); ++i) {
    b.Claim(Term::Entity("S"), Term::Entity("p" + std::to_string(i)), objects[i], "q" + std::to_string(i));
  }
  ClaimEvidence& ce = b.write().claims.back();
  ce.evidence.agent = Term::Entity("John Park");
  ce.evidence.via = {Term::Document("wsj"), Term::Entity("Atlantic Council")};
  ce.evidence.hedge = Hedge::kAlleged;
  ce.evidence.stance = Stance::kDisputes;
  ce.evidence.negated = true;
  ce.evidence.qualifiers = {{"time", *Term::ParseDate("2025-02")}, {"place", Term::Entity("Kursk")}};
  b.write().document.authors = {"B", "A"};
  b.write().document.date = Date{2025, 2, 19};
  b.Link(Relation::kCites, Term::Iri("https://example.org/source"));
  b.Entity("North Korea", {"DPRK", "Pyongyang"});
  ASSERT_TRUE(a->WriteDocument(b.Build()).ok());
  const std::string first = Export(*a);
  WriteFile(dir.Sub("x.nq"), first);
  auto c = Open(dir.Sub("c"));
  std::string errors;
  Import(*c, dir.Sub("x.nq"), true, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(Export(*c), first);
  EXPECT_EQ(Export(*c, false), Export(*a, false));
}

// A document of more statements than one import chunk, as N-Quads and as
// N-Triples: the chunks must never cut an evidence reifier or its via
// sequence, separate an asserted triple from its first reifier, or lose a
// claim node defined in an earlier chunk.
TEST(RdfRoundTripTest, ADocumentLargerThanAnImportChunkRoundTrips) {
  TempDir dir;
  auto a = Open(dir.Sub("a"));
  testing::DocBuilder b("big");
  const Term inner =
      Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"), Term::Entity("Shahed"));
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    if (i % 7 == 3) {
      // Claims about one claim: its claim node is written once, at first use.
      b.Claim(inner, Term::Entity("disputed_by"), Term::Entity("E" + n), "d" + n);
    } else {
      // Each claim three times: later evidence has no asserted triple.
      b.Claim(Term::Entity("S" + std::to_string(i % 500)), Term::Entity("p"),
              Term::Integer(i % 1000), "q" + n);
    }
    Evidence& ev = b.write().claims.back().evidence;
    if (i % 5 == 0) ev.via = {Term::Document("wsj"), Term::Entity("E" + n)};
    if (i % 11 == 0) ev.agent = Term::Claim(inner, Term::Entity("said_by"), Term::Entity("A"));
    if (i % 13 == 0) ev.qualifiers = {{"time", *Term::ParseDate("2025-02")}};
  }
  b.Link(Relation::kCites, Term::Document("wsj"));
  ASSERT_TRUE(a->WriteDocument(b.Build()).ok());
  const std::string first = Export(*a);
  ASSERT_GT(std::count(first.begin(), first.end(), '\n'), 20000);  // more than one chunk
  WriteFile(dir.Sub("big.nq"), first);

  auto c = Open(dir.Sub("c"));
  std::string errors;
  RdfImportSummary s = Import(*c, dir.Sub("big.nq"), /*nquads=*/true, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.documents, 1);
  auto ta = a->NewSnapshot()->Totals(), tc = c->NewSnapshot()->Totals();
  ASSERT_TRUE(ta.ok() && tc.ok());
  EXPECT_EQ(tc->evidence, 3001u);
  EXPECT_EQ(tc->evidence, ta->evidence);
  EXPECT_EQ(tc->triples, ta->triples);
  EXPECT_TRUE(Export(*c) == first);  // not EXPECT_EQ: a diff of ~25,000 lines
  EXPECT_TRUE(Export(*c, /*nq=*/false) == Export(*a, /*nq=*/false));
  auto report = c->Check();
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p;

  // The same statements as N-Triples (all in the default graph of big.nt).
  std::string triples;
  const std::string graph = " <https://w3id.org/kg/doc/big> .\n";
  for (size_t at = 0, nl; at < first.size(); at = nl + 1) {
    nl = first.find('\n', at);
    std::string_view line = std::string_view(first).substr(at, nl + 1 - at);
    ASSERT_TRUE(line.ends_with(graph)) << line;
    line.remove_suffix(graph.size());
    StrAppend(&triples, line, " .\n");
  }
  WriteFile(dir.Sub("big.nt"), triples);
  auto d = Open(dir.Sub("d"));
  Import(*d, dir.Sub("big.nt"), /*nquads=*/false, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_TRUE(Export(*d) == first);
}

TEST(RdfImportTest, ForeignTriplesBecomeClaimsOfTheFileDocumentWithExactLiterals) {
  TempDir dir;
  auto store = Open(dir.Sub("db"));
  WriteFile(dir.Sub("data.nt"),
            "# a comment\n"
            "<http://ex.org/a> <http://ex.org/p> \"01\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "<http://ex.org/a> <http://ex.org/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
            "_:b1 <http://ex.org/q> \"chat\"@fr .\n"
            "<http://ex.org/a> <http://ex.org/r> <<( _:b1 <http://ex.org/q> \"x\" )>> .\n");
  std::string errors;
  RdfImportSummary s = Import(*store, dir.Sub("data.nt"), false, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.statements, 4u);
  auto snap = store->NewSnapshot();
  auto evidence = snap->EvidenceInDocument("data");
  ASSERT_TRUE(evidence.ok());
  EXPECT_EQ(evidence->size(), 4u);
  const TermId a = IdIn(*snap, Term::Iri("http://ex.org/a")), p = IdIn(*snap, Term::Iri("http://ex.org/p"));
  EXPECT_TRUE(*snap->Contains({a, p, IdIn(*snap, Term::Integer(1))}));
  EXPECT_TRUE(*snap->Contains(
      {a, p, IdIn(*snap, Term::TypedLiteral("01", "http://www.w3.org/2001/XMLSchema#integer"))}));
  EXPECT_TRUE(*snap->Contains({IdIn(*snap, Term::BlankNode("ddata.b1")), IdIn(*snap, Term::Iri("http://ex.org/q")),
                               IdIn(*snap, Term::String("chat", "fr"))}));
}

TEST(RdfMappingTest, DistinctDocumentIdsGetDistinctBlankScopes) {
  const std::vector<std::string> ids = {"a.b", "a:b", "a_b", "a__b", "a_2eb", "1x", "d1x", "dd1x",
                                        "A-b", "é", "_c3_a9", ""};
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = i + 1; j < ids.size(); ++j) {
      EXPECT_NE(BlankScope(ids[i]), BlankScope(ids[j])) << ids[i] << " / " << ids[j];
    }
  }
  EXPECT_EQ(BlankScope("a.b"), "da_2eb");
  EXPECT_EQ(BlankScope("a_b"), "da__b");
  EXPECT_EQ(BlankScope("1x"), "d1x");
  EXPECT_EQ(BlankScope("d/1 é"), "dd_2f1_20_c3_a9");
}

TEST(RdfImportTest, BlankNodesOfDocumentsWithSimilarIdsStayApart) {
  TempDir dir;
  auto store = Open(dir.Sub("db"));
  WriteFile(dir.Sub("two.nq"),
            "_:x <http://ex.org/p> \"1\" <https://w3id.org/kg/doc/a.b> .\n"
            "_:x <http://ex.org/p> \"1\" <https://w3id.org/kg/doc/a_b> .\n");
  std::string errors;
  RdfImportSummary s = Import(*store, dir.Sub("two.nq"), /*nquads=*/true, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.documents, 2);
  EXPECT_EQ(store->NewSnapshot()->Totals()->triples, 2u);
}

TEST(RdfRoundTripTest, TheBulkPathLoadsAnExportIdentically) {
  TempDir dir;
  auto a = Open(dir.Sub("a"));
  std::ostringstream err, progress;
  ASSERT_TRUE(IngestPaths(*a, {std::string(KG_SOURCE_DIR) + "/examples/corpus"}, {}, err, progress).ok());
  WriteFile(dir.Sub("export.nq"), Export(*a));
  auto b = Open(dir.Sub("b"));
  std::string errors;
  RdfImportSummary s = Import(*b, dir.Sub("export.nq"), true, &errors, false, /*bulk=*/true);
  EXPECT_TRUE(s.bulk);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(Export(*b), Export(*a));
  EXPECT_EQ(Export(*b, false), Export(*a, false));
  auto report = b->Check();
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p;
}

TEST(RdfImportTest, TheBulkPathIsAllOrNothing) {
  TempDir dir;
  WriteFile(dir.Sub("good.nt"), "<http://ex.org/x> <http://ex.org/p> <http://ex.org/y> .\n");
  WriteFile(dir.Sub("bad.nt"),
            "<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .\n"
            "<http://ex.org/a> <http://ex.org/p> \"unterminated .\n");
  auto store = Open(dir.Sub("db"));
  std::ostringstream err;
  RdfImportOptions o;
  o.bulk = RdfImportOptions::Bulk::kOn;
  auto s = ImportRdf(*store, {dir.Sub("good.nt"), dir.Sub("bad.nt")}, o, err);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->files_loaded, 0);
  EXPECT_NE(err.str().find("bad.nt:2:"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("bulk import: nothing was loaded"), std::string::npos) << err.str();
  EXPECT_EQ(store->NewSnapshot()->Totals()->triples, 0u);  // not even good.nt
  o.keep_going = true;
  s = ImportRdf(*store, {dir.Sub("good.nt"), dir.Sub("bad.nt")}, o, err);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->files_loaded, 2);
  EXPECT_EQ(s->skipped_lines, 1u);
  EXPECT_EQ(store->NewSnapshot()->Totals()->triples, 2u);
  // A second bulk import into the now non-empty store is refused.
  EXPECT_EQ(ImportRdf(*store, {dir.Sub("good.nt")}, o, err).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(RdfImportTest, ABadLineLoadsNothingUnlessKeepGoing) {
  TempDir dir;
  auto store = Open(dir.Sub("db"));
  WriteFile(dir.Sub("bad.nt"),
            "<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .\n"
            "<http://ex.org/a> <http://ex.org/p> \"unterminated .\n"
            "<http://ex.org/a> <http://ex.org/p> <relative> .\n"
            "<http://ex.org/c> <http://ex.org/p> <http://ex.org/d> .\n");
  std::string errors;
  RdfImportSummary s = Import(*store, dir.Sub("bad.nt"), false, &errors);
  EXPECT_EQ(s.files_failed, 1);
  EXPECT_NE(errors.find("bad.nt:2:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad.nt:3:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("nothing from this file was loaded"), std::string::npos) << errors;
  EXPECT_EQ(store->NewSnapshot()->Totals()->triples, 0u);

  s = Import(*store, dir.Sub("bad.nt"), false, &errors, /*keep_going=*/true);
  EXPECT_EQ(s.skipped_lines, 2u);
  EXPECT_EQ(s.files_loaded, 1);
  EXPECT_EQ(store->NewSnapshot()->Totals()->triples, 2u);
  auto report = store->Check();
  EXPECT_TRUE(report.ok() && report->ok());
}

}  // namespace
}  // namespace kg::ingest
