// N-Quads export and import: export -> import into an empty store -> export
// is the identity; foreign RDF keeps its exact literals; bad lines load
// nothing unless --keep-going.
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/ingest.h"
#include "ingest/json_export.h"
#include "ingest/rdf_export.h"
#include "ingest/rdf_import.h"
#include "kg/store.h"
#include "tests/support/doc_builder.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

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
                        bool keep_going = false) {
  std::ostringstream err;
  RdfImportOptions o;
  o.nquads = nquads;
  o.keep_going = keep_going;
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
      *Term::Quantity("2700", "drones/month"), Term::BlankNode("d_1___.b1"),
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
  const TermId a = IdOf(Term::Iri("http://ex.org/a")), p = IdOf(Term::Iri("http://ex.org/p"));
  EXPECT_TRUE(*snap->Contains({a, p, IdOf(Term::Integer(1))}));
  EXPECT_TRUE(*snap->Contains(
      {a, p, IdOf(Term::TypedLiteral("01", "http://www.w3.org/2001/XMLSchema#integer"))}));
  EXPECT_TRUE(*snap->Contains({IdOf(Term::BlankNode("data.b1")), IdOf(Term::Iri("http://ex.org/q")),
                               IdOf(Term::String("chat", "fr"))}));
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
