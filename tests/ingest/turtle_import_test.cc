// Turtle and TriG through kg import and export, and nanopublications:
// TriG export -> import is the identity on the sample corpus (document by
// document and through the bulk path); Turtle and N-Triples of one graph
// load the same claims; the nanopublication test suite's valid files map to
// documents and its invalid ones are refused by a named rule; kg's own
// nanopublication export passes those rules and loads back with the chain
// to its source document.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "ingest/rdf/nanopub.h"
#include "ingest/rdf/rdf_export.h"
#include "ingest/rdf/rdf_import.h"
#include "ingest/rdf/turtle.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::TempDir;

std::string ExternalDir() {
  const char* env = std::getenv("KG_EXTERNAL_DIR");
  return env != nullptr && *env != '\0' ? env : KG_EXTERNAL_DIR;
}

std::unique_ptr<Store> Open(const std::string& path) {
  StoreOptions o;
  o.sync_writes = false;
  auto store = Store::Open(path, o);
  EXPECT_TRUE(store.ok()) << store.status();
  return *std::move(store);
}

std::string ExportNq(Store& store) {
  std::ostringstream out;
  EXPECT_TRUE(ExportNQuads(*store.NewSnapshot(), std::nullopt, out).ok());
  return out.str();
}

RdfImportSummary Import(Store& store, const std::vector<std::string>& paths,
                        std::string* errors, RdfImportOptions o = {}) {
  std::ostringstream err;
  auto summary = ImportRdf(store, paths, o, err);
  EXPECT_TRUE(summary.ok()) << summary.status();
  *errors = err.str();
  return summary.ok() ? *summary : RdfImportSummary{};
}

std::unique_ptr<Store> Corpus(const std::string& path) {
  auto store = Open(path);
  std::ostringstream err, progress;
  auto ingested =
      IngestPaths(*store, {std::string(KG_SOURCE_DIR) + "/examples/corpus"}, {},
                  err, progress);
  EXPECT_TRUE(ingested.ok());
  EXPECT_GT(ingested.ok() ? ingested->documents_loaded : 0, 0) << err.str();
  return store;
}

TEST(TurtleImportTest, TrigExportImportIsTheIdentity) {
  TempDir dir;
  auto a = Corpus(dir.Sub("a"));
  const std::string nq = ExportNq(*a);
  std::ostringstream trig;
  ASSERT_TRUE(
      ExportTurtle(*a->NewSnapshot(), std::nullopt, /*trig=*/true, trig).ok());
  std::ofstream(dir.Sub("corpus.trig")) << trig.str();
  EXPECT_NE(trig.str().find("@prefix kg: <https://w3id.org/kg/vocab#> ."),
            std::string::npos);
  for (bool bulk : {false, true}) {
    SCOPED_TRACE(bulk ? "bulk" : "document by document");
    auto b = Open(dir.Sub(bulk ? "bulk" : "docs"));
    RdfImportOptions o;
    if (bulk) o.bulk = RdfImportOptions::Bulk::kOn;
    std::string errors;
    const RdfImportSummary s = Import(*b, {dir.Sub("corpus.trig")}, &errors, o);
    EXPECT_EQ(errors, "");
    ASSERT_EQ(s.syntaxes, std::vector<RdfSyntax>{RdfSyntax::kTriG});
    EXPECT_EQ(ExportNq(*b), nq);
  }
}

TEST(TurtleImportTest, TurtleOfOneDocumentComesBackWithItsId) {
  TempDir dir;
  auto a = Corpus(dir.Sub("a"));
  auto ids = a->NewSnapshot()->ListDocuments();
  ASSERT_TRUE(ids.ok() && ids->size() > 1);
  std::ostringstream all;
  EXPECT_TRUE(absl::IsInvalidArgument(
      ExportTurtle(*a->NewSnapshot(), std::nullopt, false, all)));
  const std::string id = ids->front();
  std::ostringstream ttl, nq;
  ASSERT_TRUE(ExportTurtle(*a->NewSnapshot(), id, /*trig=*/false, ttl).ok());
  ASSERT_TRUE(ExportNQuads(*a->NewSnapshot(), id, nq).ok());
  std::ofstream(dir.Sub("one.ttl")) << ttl.str();
  auto b = Open(dir.Sub("b"));
  RdfImportOptions o;
  o.default_doc = id;
  std::string errors;
  Import(*b, {dir.Sub("one.ttl")}, &errors, o);
  EXPECT_EQ(errors, "");
  std::ostringstream back;
  ASSERT_TRUE(ExportNQuads(*b->NewSnapshot(), id, back).ok());
  EXPECT_EQ(back.str(), nq.str());
}

// Plain Turtle in bulk: the plain lane (statements parsed on this thread,
// encoded on two) builds the store the document lane builds.
TEST(TurtleImportTest, PlainLaneAndDocumentLaneBuildTheSameStore) {
  TempDir dir;
  std::string text = "@prefix ex: <http://example.org/> .\n";
  for (int i = 0; i < 30000; ++i) {
    StrAppend(&text, "ex:s", i % 977, " ex:p", i % 13, " \"v", i,
              "\"@en , ex:o", i % 101, " ;\n  ex:n ", i, " .\n");
    if (i % 5000 == 0) StrAppend(&text, "[] ex:list ( ex:a ", i, " ) .\n");
  }
  std::ofstream(dir.Sub("data.ttl")) << text;
  std::map<std::string, std::map<std::string, std::string>> dumps[2];
  for (bool plain : {true, false}) {
    auto store = Open(dir.Sub(plain ? "plain" : "documents"));
    RdfImportOptions o;
    o.bulk = RdfImportOptions::Bulk::kOn;
    o.plain_lane = plain;
    std::string errors;
    const RdfImportSummary s =
        Import(*store, {dir.Sub("data.ttl")}, &errors, o);
    EXPECT_EQ(errors, "");
    EXPECT_EQ(s.plain_lane, plain);
    EXPECT_EQ(s.statements, 30000u * 3 + 6 * 5);
    store.reset();
    dumps[plain ? 0 : 1] =
        testing::DumpStore(dir.Sub(plain ? "plain" : "documents"));
  }
  EXPECT_EQ(dumps[0], dumps[1]);
}

TEST(TurtleImportTest, ABadStatementLoadsNothingUnlessKeepGoing) {
  TempDir dir;
  std::ofstream(dir.Sub("bad.ttl"))
      << "@prefix ex: <http://example.org/> .\n"
         "ex:a ex:p 1 .\nex:b ex:p \"x\" ex:oops .\nex:c ex:p 3 .\n";
  for (bool keep_going : {false, true}) {
    for (bool bulk : {false, true}) {
      SCOPED_TRACE(
          StrCat(keep_going ? "keep going" : "strict", bulk ? ", bulk" : ""));
      auto store = Open(dir.Sub(StrCat("s", keep_going ? 1 : 0, bulk ? 1 : 0)));
      RdfImportOptions o;
      o.keep_going = keep_going;
      if (bulk) o.bulk = RdfImportOptions::Bulk::kOn;
      std::string errors;
      const RdfImportSummary s =
          Import(*store, {dir.Sub("bad.ttl")}, &errors, o);
      EXPECT_NE(
          errors.find(StrCat(dir.Sub("bad.ttl"),
                             ":3:15: error: expected '.' to end the triples")),
          std::string::npos)
          << errors;
      auto totals = store->NewSnapshot()->Totals();
      ASSERT_TRUE(totals.ok());
      EXPECT_EQ(totals->triples, keep_going ? 2u : 0u);
      EXPECT_EQ(s.skipped_lines, keep_going ? 1u : 0u);
    }
  }
}

TEST(TurtleImportTest, SchemaOrgTurtleAndNTriplesGiveTheSameClaims) {
  const std::string base =
      ExternalDir() + "/rdf-datasets/schemaorg-30.0/schemaorg-all-https";
  if (!std::filesystem::exists(base + ".ttl"))
    GTEST_SKIP() << base << ".ttl not found, skipping";
  TempDir dir;
  std::set<std::string> claims[2];
  for (int i = 0; i < 2; ++i) {
    auto store = Open(dir.Sub(StrCat("s", i)));
    RdfImportOptions o;
    o.default_doc = "schemaorg";
    std::string errors;
    const RdfImportSummary s =
        Import(*store, {base + (i == 0 ? ".ttl" : ".nt")}, &errors, o);
    EXPECT_EQ(errors, "");
    EXPECT_EQ(s.statements, 18061u);
    std::istringstream lines(ExportNq(*store));
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("_:"))
        claims[i].insert(line);  // not the evidence reifiers
    }
  }
  EXPECT_EQ(claims[0].size(),
            18061u + 3);  // and the document's three metadata statements
  EXPECT_TRUE(claims[0] == claims[1]);
}

// A TriG or N-Quads file's statements.
std::vector<RdfQuad> ReadTrig(const std::string& path) {
  auto source =
      OpenRdfReader(path, RdfSyntaxFromName(path).value_or(RdfSyntax::kTriG),
                    "http://example.org/");
  EXPECT_TRUE(source.ok()) << source.status();
  std::vector<RdfQuad> quads;
  if (!source.ok()) return quads;
  RdfQuad q;
  while (source->reader->Next(&q)) quads.push_back(q);
  EXPECT_FALSE(source->reader->error()) << source->reader->FormatError();
  return quads;
}

TEST(NanopubTest, TheSuitesValidFilesLoadAndItsInvalidOnesAreRefused) {
  const std::string root = ExternalDir() + "/provenance/nanopub-testsuite";
  if (!std::filesystem::exists(root))
    GTEST_SKIP() << root << " not found, skipping";
  int valid = 0, invalid = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(root + "/valid/plain")) {
    if (e.path().extension() == ".xml")
      continue;  // RDF/XML: not a syntax kg reads
    auto docs = NanopubsToDocuments(ReadTrig(e.path().string()));
    EXPECT_TRUE(docs.ok()) << e.path() << ": " << docs.status();
    valid += docs.ok();
  }
  for (const auto& e :
       std::filesystem::directory_iterator(root + "/invalid/plain")) {
    auto docs = NanopubsToDocuments(ReadTrig(e.path().string()));
    EXPECT_FALSE(docs.ok()) << e.path() << " was accepted";
    if (!docs.ok()) {
      ++invalid;
      std::cout << "[ nanopub ] " << e.path().filename().string() << ": "
                << docs.status().message() << "\n";
    }
  }
  EXPECT_EQ(valid, 17);  // 16 TriG files and 1 N-Quads
  EXPECT_EQ(invalid, 12);
}

TEST(NanopubTest, ANanopublicationTracesToItsPrimarySource) {
  TempDir dir;
  std::ofstream(dir.Sub("np.trig")) << R"(@prefix : <http://example.org/np1/> .
@prefix ex: <http://example.org/> .
@prefix np: <http://www.nanopub.org/nschema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:Head { : a np:Nanopublication ; np:hasAssertion :assertion ;
          np:hasProvenance :provenance ; np:hasPublicationInfo :pubinfo . }
:assertion { ex:mosquito ex:transmits ex:malaria . }
:provenance { :assertion prov:hadPrimarySource <http://dx.doi.org/10.3233/ISU-2010-0613> ;
                prov:wasAttributedTo <https://orcid.org/0000-0002-1267-0234> . }
:pubinfo { : dct:created "2014-07-24T18:05:11+01:00"^^xsd:dateTime ; dct:creator ex:tk . }
)";
  auto store = Open(dir.Sub("s"));
  std::string errors;
  const RdfImportSummary s = Import(*store, {dir.Sub("np.trig")}, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.documents, 1);
  auto snap = store->NewSnapshot();
  auto doc = snap->GetDocument("http://example.org/np1/");
  ASSERT_TRUE(doc.ok() && doc->has_value());
  EXPECT_EQ((*doc)->date, (Date{2014, 7, 24}));
  EXPECT_EQ((*doc)->authors, std::vector<std::string>{"http://example.org/tk"});
  auto claim = snap->Find(Term::Claim(Term::Iri("http://example.org/mosquito"),
                                      Term::Iri("http://example.org/transmits"),
                                      Term::Iri("http://example.org/malaria")));
  ASSERT_TRUE(claim.ok() && claim->has_value());
  auto evidence = snap->EvidenceFor(**claim);
  ASSERT_TRUE(evidence.ok());
  ASSERT_EQ(evidence->size(), 1u);
  const Evidence& ev = evidence->front().evidence;
  EXPECT_EQ(ev.via, std::vector<Term>{Term::Document(
                        "http://dx.doi.org/10.3233/ISU-2010-0613")});
  EXPECT_EQ(ev.agent, Term::Iri("https://orcid.org/0000-0002-1267-0234"));
}

TEST(NanopubTest, ExportedNanopublicationsPassTheRulesAndLoadBack) {
  TempDir dir;
  auto a = Corpus(dir.Sub("a"));
  auto snap = a->NewSnapshot();
  auto ids = snap->ListDocuments();
  ASSERT_TRUE(ids.ok() && !ids->empty());
  const std::string id = ids->front();
  auto evidence = snap->EvidenceInDocument(id);
  ASSERT_TRUE(evidence.ok() && !evidence->empty());
  std::ostringstream out;
  ASSERT_TRUE(ExportNanopubs(*snap, id, out).ok());
  std::ofstream(dir.Sub("out.trig")) << out.str();
  auto docs = NanopubsToDocuments(ReadTrig(dir.Sub("out.trig")));
  ASSERT_TRUE(docs.ok()) << docs.status() << "\n" << out.str().substr(0, 3000);
  EXPECT_EQ(docs->size(), evidence->size());
  auto b = Open(dir.Sub("b"));
  std::string errors;
  const RdfImportSummary s = Import(*b, {dir.Sub("out.trig")}, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.documents, static_cast<int>(evidence->size()));
  // Each claim's evidence in the nanopublication rests on the document it
  // came from.
  auto first = snap->Decode(evidence->front().claim);
  ASSERT_TRUE(first.ok());
  auto back = b->NewSnapshot();
  auto claim = back->IdOf(*first);
  ASSERT_TRUE(claim.ok());
  auto ev = back->EvidenceFor(*claim);
  ASSERT_TRUE(ev.ok());
  ASSERT_FALSE(ev->empty());
  EXPECT_EQ(ev->front().evidence.via, std::vector<Term>{Term::Document(id)});
}

}  // namespace
}  // namespace kg::ingest

namespace kg::ingest {
namespace {

// Every PROV-O test file and GO-CAM model gives the statements serdi reads
// from it (counts recorded in fixtures/provenance_counts.tsv), and loads.
TEST(TurtleDatasetsTest, ProvAndGoCamReadAsSerdiReadsThemAndLoad) {
  const std::string root = ExternalDir() + "/provenance";
  if (!std::filesystem::exists(root + "/go-cam")) GTEST_SKIP() << root << " not found, skipping";
  std::ifstream counts(std::string(KG_SOURCE_DIR) + "/tests/ingest/fixtures/provenance_counts.tsv");
  ASSERT_TRUE(counts);
  std::vector<std::string> paths;
  int64_t total = 0;
  for (std::string line; std::getline(counts, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    const std::string path = root + "/" + line.substr(0, tab);
    const int64_t want = std::stoll(line.substr(tab + 1));
    auto source = OpenRdfReader(path, *RdfSyntaxFromName(path));
    ASSERT_TRUE(source.ok()) << source.status();
    RdfQuad q;
    int64_t n = 0;
    while (source->reader->Next(&q)) ++n;
    EXPECT_FALSE(source->reader->error()) << source->reader->FormatError();
    EXPECT_EQ(n, want) << path;
    total += n;
    paths.push_back(path);
  }
  EXPECT_EQ(paths.size(), 405u);
  EXPECT_EQ(total, 12779);
  TempDir dir;
  auto store = Open(dir.Sub("s"));
  std::string errors;
  const RdfImportSummary s = Import(*store, paths, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.files_loaded, 405);
  EXPECT_EQ(s.statements, 12779u);
}

// A GO-CAM model's OWL axiom annotations: the annotated triple's evidence
// rests on the paper (dc:source) with the ECO code, curator and date as
// qualifiers; the bulk path builds the same store (the plain lane hands
// such files to the document lane).
TEST(TurtleDatasetsTest, GoCamAxiomEvidenceRestsOnItsPaper) {
  const std::string path = ExternalDir() + "/provenance/go-cam/581e072c00000473.ttl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found, skipping";
  TempDir dir;
  std::map<std::string, std::map<std::string, std::string>> dumps[2];
  for (bool bulk : {false, true}) {
    auto store = Open(dir.Sub(bulk ? "bulk" : "docs"));
    RdfImportOptions o;
    if (bulk) o.bulk = RdfImportOptions::Bulk::kOn;
    std::string errors;
    const RdfImportSummary s = Import(*store, {path}, &errors, o);
    EXPECT_EQ(errors, "");
    EXPECT_EQ(s.statements, 403u);
    EXPECT_FALSE(s.plain_lane);
    auto snap = store->NewSnapshot();
    const std::string m = "http://model.geneontology.org/581e072c00000473/";
    auto claim = snap->Find(Term::Claim(Term::Iri(m + "581e072c00000507"),
                                        Term::Iri("http://purl.obolibrary.org/obo/RO_0002233"),
                                        Term::Iri(m + "5825564b00000233")));
    ASSERT_TRUE(claim.ok() && claim->has_value());
    auto evidence = snap->EvidenceFor(**claim);
    ASSERT_TRUE(evidence.ok());
    ASSERT_EQ(evidence->size(), 1u);
    const Evidence& ev = evidence->front().evidence;
    EXPECT_EQ(ev.via, std::vector<Term>{Term::Document("PMID:12771146")});
    EXPECT_EQ(ev.qualifiers,
              (std::vector<Qualifier>{
                  {"evidence_code", Term::Iri("http://purl.obolibrary.org/obo/ECO_0001226")},
                  {"curator", Term::Iri("http://orcid.org/0000-0001-5501-853X")},
                  {"curated", Term::String("2016-11-16")}}));
    snap.reset();
    store.reset();
    dumps[bulk ? 1 : 0] = testing::DumpStore(dir.Sub(bulk ? "bulk" : "docs"));
  }
  EXPECT_EQ(dumps[0], dumps[1]);
}

// The DBpedia sample comes as .ttl.bz2 (N-Triples lines): read through
// bzip2 and the Turtle reader, all 101,014 triples load.
TEST(TurtleDatasetsTest, DbpediaSampleLoadsFromBzip2) {
  const std::string root = ExternalDir() + "/rdf-datasets/dbpedia-2015-10-sample";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " not found, skipping";
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    if (e.path().string().ends_with(".ttl.bz2")) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths.size(), 44u);
  TempDir dir;
  auto store = Open(dir.Sub("s"));
  std::string errors;
  const RdfImportSummary s = Import(*store, paths, &errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(s.files_loaded, 44);
  EXPECT_EQ(s.statements, 101014u);
  EXPECT_EQ(s.syntaxes.front(), RdfSyntax::kTurtle);
}

}  // namespace
}  // namespace kg::ingest
