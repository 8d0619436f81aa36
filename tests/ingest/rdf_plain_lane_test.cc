// The bulk import's plain lane (BulkLoad::WritePlain) builds the same store,
// byte for byte, as its document lane (GraphToDocument -> Prepare -> Write)
// for every kind of term plain RDF can hold; input that is not plain, even
// when escapes hide it from the lane's first scan, goes through the
// document lane; a term the store refuses loads nothing.
#include <fstream>
#include <random>
#include <sstream>

#include "gtest/gtest.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/bulk_load.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/term_id.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::DumpStore;
using ::kg::testing::TempDir;

struct Loaded {
  RdfImportSummary summary;
  std::string errors;
  std::map<std::string, std::map<std::string, std::string>> dump;
};

// Bulk-imports `path` into a new store at `db` through one lane.
Loaded Load(const std::string& path, const std::string& db, bool nquads, bool plain_lane,
            bool keep_going = false) {
  Loaded out;
  {
    StoreOptions so;
    so.sync_writes = false;
    auto store = Store::Open(db, so);
    EXPECT_TRUE(store.ok()) << store.status();
    RdfImportOptions o;
    o.syntax = nquads ? RdfSyntax::kNQuads : RdfSyntax::kNTriples;
    o.bulk = RdfImportOptions::Bulk::kOn;
    o.bulk_memory = 256 << 10;  // several sorted runs
    o.plain_lane = plain_lane;
    o.keep_going = keep_going;
    std::ostringstream err;
    auto summary = ImportRdf(**store, {path}, o, err);
    EXPECT_TRUE(summary.ok()) << summary.status();
    if (summary.ok()) out.summary = *summary;
    out.errors = err.str();
  }
  out.dump = DumpStore(db);
  return out;
}

void ExpectSameStore(const Loaded& a, const Loaded& b) {
  ASSERT_EQ(a.dump.size(), b.dump.size());
  for (const auto& [cf, rows] : a.dump) {
    const auto& other = b.dump.at(cf);
    EXPECT_EQ(rows.size(), other.size()) << cf;
    EXPECT_TRUE(rows == other) << "column family " << cf << " differs";
  }
}

// Statements with every kind of term plain RDF has, repeats near and far
// (within a chunk of 20,000 statements and across chunks), and, for
// N-Quads, graphs that come back (appends), a blank-node graph and the
// default graph.
std::string Corpus(bool nquads, int n) {
  std::mt19937 rng(7);
  const std::vector<std::string> objects = {
      "\"ab\"",                     // inline string
      "\"a longer plain string\"",  //
      "\"Hello\"@EN-gb",            // language tag, lower-cased by the store
      "\"مرحبا\"@ar--rtl",           // directional
      "\"x\"^^<http://www.w3.org/2001/XMLSchema#string>",
      "\"42\"^^<http://www.w3.org/2001/XMLSchema#integer>",
      "\"042\"^^<http://www.w3.org/2001/XMLSchema#integer>",  // not canonical: typed literal
      "\"99999999999999999999\"^^<http://www.w3.org/2001/XMLSchema#integer>",
      "\"72057594037927936\"^^<http://www.w3.org/2001/XMLSchema#integer>",  // 2^56: wide
      "\"26.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
      "\"2024-02-29\"^^<http://www.w3.org/2001/XMLSchema#date>",
      "\"2024\"^^<http://www.w3.org/2001/XMLSchema#gYear>",
      "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
      "\"yes\"^^<http://example.org/dt>",
      "_:b1",
      "_:x..y",  // a label kg's chunking treats specially
      "<http://example.org/\\u00E9t\\u00E9>",
      "\"tab\\there \\\"quoted\\\" \\u00FC\"",
  };
  std::ostringstream out;
  for (int i = 0; i < n; ++i) {
    const int s = static_cast<int>(rng() % (n / 3 + 1));
    std::string subject = rng() % 17 == 0 ? StrCat("_:s", s % 50) : StrCat("<http://example.org/s/", s, ">");
    if (rng() % 101 == 0) subject = "_:a..b";
    const std::string predicate = StrCat("<http://example.org/p/", rng() % 7, ">");
    const std::string object = rng() % 3 == 0 ? objects[rng() % objects.size()]
                                              : StrCat("<http://example.org/o/", rng() % (n / 5 + 1), ">");
    out << subject << " " << predicate << " " << object;
    if (nquads) {
      const int g = (i / 7000) % 4;  // graphs in runs that come back
      if (g == 1) out << " <http://example.org/graph/one>";
      if (g == 2) out << " _:g";
      if (g == 3) out << " <http://example.org/graph/three>";
    }
    out << " .\n";
  }
  return out.str();
}

void Write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

TEST(PlainLaneTest, BuildsTheSameStoreAsTheDocumentLane) {
  for (bool nquads : {false, true}) {
    SCOPED_TRACE(nquads ? "N-Quads" : "N-Triples");
    TempDir dir;
    const std::string file = dir.Sub(nquads ? "data.nq" : "data.nt");
    Write(file, Corpus(nquads, 45000));
    const Loaded plain = Load(file, dir.Sub("plain"), nquads, true);
    const Loaded documents = Load(file, dir.Sub("documents"), nquads, false);
    EXPECT_TRUE(plain.summary.plain_lane);
    EXPECT_FALSE(documents.summary.plain_lane);
    EXPECT_EQ(plain.errors, "");
    EXPECT_EQ(documents.errors, "");
    EXPECT_EQ(plain.summary.statements, 45000u);
    EXPECT_EQ(plain.summary.documents, documents.summary.documents);
    EXPECT_EQ(plain.summary.documents, nquads ? 4 : 1);
    EXPECT_GT(plain.summary.bulk_runs, 1u);
    ASSERT_FALSE(plain.dump.at("spo").empty());
    ASSERT_FALSE(plain.dump.at("ranges").empty());   // runs of new claims
    ASSERT_FALSE(plain.dump.at("evidence").empty()); // repeated statements
    ExpectSameStore(plain, documents);
  }
}

// The lane parses blocks of about 1 MB on two threads: bad lines in later
// blocks, after lines ended by CR LF and by a lone CR, are reported with the
// same line and column as the document lane reports them.
TEST(PlainLaneTest, ReportsBadLinesAsTheDocumentLaneDoes) {
  TempDir dir;
  const std::string file = dir.Sub("data.nt");
  std::istringstream corpus(Corpus(false, 45000));
  std::string content, line;
  for (int n = 1; std::getline(corpus, line); ++n) {
    if (n % 997 == 0) line += "\r";                      // CR LF
    if (n % 1999 == 0) line += "\r<http://a> <http://b> <http://c> .";  // a lone CR
    if (n == 7 || n == 21000 || n == 44000) line = "<http://a> <b> <http://c> .";  // relative IRI
    if (n == 30001) line = "<http://a> <http://b> \"\xff\" .";  // not UTF-8
    content += line + "\n";
  }
  Write(file, content);
  ASSERT_GT(content.size(), 2u << 20);  // three blocks at least
  for (bool keep_going : {true, false}) {
    SCOPED_TRACE(keep_going ? "keep going" : "stop at the first");
    const Loaded plain = Load(file, dir.Sub(keep_going ? "plain-k" : "plain"), false, true, keep_going);
    const Loaded documents =
        Load(file, dir.Sub(keep_going ? "documents-k" : "documents"), false, false, keep_going);
    EXPECT_TRUE(plain.summary.plain_lane);
    EXPECT_EQ(plain.errors, documents.errors);
    EXPECT_NE(plain.errors.find(":7:12: error:"), std::string::npos) << plain.errors;
    // Physical line 44000 is logical line 44022: 22 lone CRs come before it.
    EXPECT_EQ(plain.errors.find(":44022:12: error:") != std::string::npos, keep_going) << plain.errors;
    EXPECT_EQ(plain.summary.skipped_lines, documents.summary.skipped_lines);
    EXPECT_EQ(plain.summary.skipped_lines, keep_going ? 4u : 0u);
    EXPECT_EQ(plain.summary.files_loaded, keep_going ? 1 : 0);
    ExpectSameStore(plain, documents);
  }
}

TEST(PlainLaneTest, EscapedKgNamesGoThroughTheDocumentLane) {
  TempDir dir;
  const std::string file = dir.Sub("data.nt");
  // The scan for kg's namespaces does not see through \u escapes; the lane
  // meets the entity IRI at statement 3 and the import starts over.
  Write(file, StrCat(Corpus(false, 30),
                     "<http://example.org/a> <http://example.org/p> <https://w3id.org/k\\u0067/entity/Iran> .\n",
                     Corpus(false, 30)));
  const Loaded plain = Load(file, dir.Sub("plain"), false, true);
  const Loaded documents = Load(file, dir.Sub("documents"), false, false);
  EXPECT_FALSE(plain.summary.plain_lane);
  EXPECT_EQ(plain.errors, "");
  EXPECT_EQ(plain.summary.statements, 61u);
  ASSERT_FALSE(plain.dump.at("entities").empty() && plain.dump.at("aliases").empty());
  ExpectSameStore(plain, documents);
}

// Two files, the second not plain: the import starts over in the document
// lane, and the first file's bad line is reported once.
TEST(PlainLaneTest, ALaterFileThatIsNotPlainReportsEachBadLineOnce) {
  TempDir dir;
  Write(dir.Sub("a.nt"), StrCat(Corpus(false, 20), "<http://a> <b> <http://c> .\n", Corpus(false, 20)));
  Write(dir.Sub("b.nt"), "<http://a> <http://p> <https://w3id.org/kg/entity/Iran> .\n");
  StoreOptions so;
  so.sync_writes = false;
  auto store = Store::Open(dir.Sub("db"), so);
  ASSERT_TRUE(store.ok()) << store.status();
  RdfImportOptions o;
  o.bulk = RdfImportOptions::Bulk::kOn;
  o.keep_going = true;
  std::ostringstream err;
  auto summary = ImportRdf(**store, {dir.Sub("a.nt"), dir.Sub("b.nt")}, o, err);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_FALSE(summary->plain_lane);
  EXPECT_EQ(summary->files_loaded, 2);
  EXPECT_EQ(summary->skipped_lines, 1u);
  const std::string e = err.str();
  const size_t first = e.find("a.nt:21:12: error:");
  ASSERT_NE(first, std::string::npos) << e;
  EXPECT_EQ(e.find("a.nt:21:12: error:", first + 1), std::string::npos) << e;
}

TEST(PlainLaneTest, ARefusedTermLoadsNothing) {
  // The N-Triples reader refuses everything the store would (an empty or
  // relative IRI, a bad language tag, invalid UTF-8), so this goes through
  // the API: AppendPlainIri leaves the check to the load, which refuses the
  // term when it first sees it and commits nothing.
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    auto load = BulkLoad::Start(**store, {});
    ASSERT_TRUE(load.ok()) << load.status();
    PlainBatch batch;
    batch.document_id = "d";
    for (const char* iri : {"http://a", "http://p", "http://o", "http://a", "http://p", "bad\xff"}) {
      ASSERT_TRUE(AppendPlainIri(iri, &batch).ok());
    }
    absl::Status s = (*load)->WritePlain(std::move(batch));
    if (s.ok()) s = (*load)->Commit().status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_NE(s.message().find("document d: statement #2: IRI is not valid UTF-8"), std::string::npos) << s;
    // A load that took plain statements takes no documents.
    EXPECT_EQ((*load)->PutEntities({}).code(), absl::StatusCode::kFailedPrecondition);
  }
  for (const auto& [cf, rows] : DumpStore(dir.Sub("db"))) EXPECT_TRUE(rows.empty()) << cf;
}

// The encoders WritePlain takes give exactly the ids and dictionary values
// of the terms they stand for.
TEST(PlainLaneTest, EncodersMatchTheDictionary) {
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"", ""}, {"abc", ""}, {"abcdef", ""}, {"abcdefg", ""}, {"ü", ""}, {"Hello", "EN-GB"},
      {"x", "fr"}};
  for (const auto& [text, lang] : strings) {
    PlainBatch fast, slow;
    ASSERT_TRUE(AppendPlainString(text, lang, &fast).ok());
    ASSERT_TRUE(AppendPlainTerm(Term::String(text, lang), &slow).ok());
    EXPECT_EQ(fast.terms, slow.terms) << text << "@" << lang;
  }
  for (const char* iri : {"http://example.org/a", "urn:x"}) {
    PlainBatch fast, slow;
    ASSERT_TRUE(AppendPlainIri(iri, &fast).ok());
    ASSERT_TRUE(AppendPlainTerm(Term::Iri(iri), &slow).ok());
    EXPECT_EQ(fast.terms, slow.terms);
    EXPECT_EQ(fast.terms, DictionaryValue(Term::Iri(iri)));
  }
  PlainBatch batch;
  ASSERT_TRUE(AppendPlainTerm(Term::Integer(7), &batch).ok());
  EXPECT_EQ(batch.terms, InlineId(Term::Integer(7))->bytes());
  EXPECT_FALSE(AppendPlainString("\xff", "", &batch).ok());  // inline: checked at once
  EXPECT_FALSE(AppendPlainTerm(Term::Claim(Term::Iri("a"), Term::Iri("b"), Term::Iri("c")), &batch).ok());
}

}  // namespace
}  // namespace kg::ingest
