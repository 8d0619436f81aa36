// ingest::LoadUpload: one file given as bytes (the workbench's ingest page)
// is checked whole, then loaded by kg ingest's or kg import's code; a bad
// file leaves the store byte for byte as it was, even when the error is in
// its second document.
#include "ingest/upload.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "ingest/annotated/ingest.h"
#include "ingest/rdf/rdf_export.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/store.h"
#include "tests/support/store_dump.h"
#include "tests/support/temp_dir.h"

namespace kg::ingest {
namespace {

using ::kg::testing::DumpStore;
using ::kg::testing::TempDir;

constexpr char kGood[] =
    "@doc upload-test\n"
    "@title A test upload\n"
    "@date 2026-12-08\n"
    "Officials said that [[Tehran has sent drones to Moscow]]{#c1}.\n"
    "@claim c1: Iran supplied ShahedDrone ; hedge reported\n";

// Two errors, each at its place: a misspelt predicate and a claim that
// quotes nothing.
constexpr char kBad[] =
    "@doc upload-bad\n"
    "Officials said that [[Tehran has sent drones to Moscow]]{#c1}.\n"
    "@claim c1: Iran suplied ShahedDrone ; hedge reported\n"
    "@claim c2: Iran supplied ShahedDrone\n";

class UploadTest : public ::testing::Test {
 protected:
  // The store holds the corpus's vocabulary (Iran, supplied, ...).
  void SetUp() override {
    Reopen();
    std::ostringstream err, progress;
    auto vocab = IngestPaths(*store_, {KG_SOURCE_DIR "/examples/corpus/crink.kgv"}, {}, err,
                             progress);
    ASSERT_TRUE(vocab.ok() && vocab->ok()) << err.str();
  }

  void Reopen() {
    store_.reset();
    StoreOptions o;
    o.sync_writes = false;
    auto s = Store::Open(dir_.Sub("db"), o);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  // The store's every key and value (it is closed for the dump).
  std::map<std::string, std::map<std::string, std::string>> Dump() {
    store_.reset();
    auto dump = DumpStore(dir_.Sub("db"));
    Reopen();
    return dump;
  }
  UploadReport Upload(std::string_view name, std::string_view content, bool dry_run) {
    auto r = LoadUpload(*store_, name, content, dry_run);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : UploadReport{};
  }
  bool HasDocument(const std::string& id) {
    auto d = store_->NewSnapshot()->GetDocument(id);
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() && d->has_value();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(UploadTest, DryRunWritesNothingThenLoadWritesAndAReloadReplaces) {
  const auto before = Dump();
  UploadReport checked = Upload("good.kga", kGood, /*dry_run=*/true);
  EXPECT_TRUE(checked.ok());
  EXPECT_EQ(checked.kind, "annotated document");
  EXPECT_EQ(checked.documents, std::vector<std::string>{"upload-test"});
  EXPECT_TRUE(checked.replaced.empty());
  EXPECT_EQ(checked.items, 1u);
  EXPECT_FALSE(checked.written);
  EXPECT_EQ(Dump(), before);

  UploadReport loaded = Upload("good.kga", kGood, /*dry_run=*/false);
  EXPECT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded.written);
  EXPECT_TRUE(HasDocument("upload-test"));

  UploadReport again = Upload("good.kga", kGood, /*dry_run=*/true);
  EXPECT_EQ(again.replaced, std::vector<std::string>{"upload-test"});
  again = Upload("good.kga", kGood, /*dry_run=*/false);
  EXPECT_EQ(again.replaced, std::vector<std::string>{"upload-test"});
}

TEST_F(UploadTest, ErrorsComeWithLineAndColumnAndNothingIsWritten) {
  ASSERT_TRUE(Upload("good.kga", kGood, false).written);
  const auto before = Dump();
  for (bool dry_run : {true, false}) {
    UploadReport r = Upload("bad.kga", kBad, dry_run);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.written);
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems[0].line, 3);
    EXPECT_EQ(r.problems[0].col, 17);
    EXPECT_EQ(r.problems[0].message, "unknown predicate 'suplied' (did you mean 'supplied'?)");
    EXPECT_EQ(r.problems[1].line, 4);
    EXPECT_NE(r.problems[1].message.find("quotes no text"), std::string::npos);
  }
  EXPECT_EQ(Dump(), before);
  EXPECT_FALSE(HasDocument("upload-bad"));
}

TEST_F(UploadTest, BadRdfLineIsPositionedAndTheTemporaryPathNeverShows) {
  const std::string nt =
      "<http://ex.org/a> <http://ex.org/p> \"x\" .\n"
      "<http://ex.org/a> <http://ex.org/p> .\n";
  UploadReport r = Upload("facts.nt", nt, false);
  EXPECT_EQ(r.kind, "N-Triples");
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_EQ(r.problems[0].col, 37);
  for (const UploadProblem& p : r.problems) {
    EXPECT_EQ(p.message.find("kg-upload-"), std::string::npos) << p.message;
  }
  EXPECT_FALSE(HasDocument("facts"));
}

TEST_F(UploadTest, TurtleLoadsIntoTheDocumentNamedAfterTheFile) {
  UploadReport r = Upload("../../etc/field notes.ttl",
                          "@prefix ex: <http://ex.org/> .\nex:a ex:p \"x\" .\nex:b ex:q ex:c .\n",
                          false);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.kind, "Turtle");
  EXPECT_EQ(r.items, 2u);
  // Directories are dropped and unsafe bytes replaced: the file is written
  // only inside the upload's own directory.
  EXPECT_EQ(r.documents, std::vector<std::string>{"field_notes"});
  EXPECT_TRUE(HasDocument("field_notes"));
}

TEST_F(UploadTest, VocabularyThenADocumentThatUsesIt) {
  UploadReport v = Upload("extra.kgv", "@entity AlabugaPlant ; alias Alabuga\n", false);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.kind, "vocabulary");
  EXPECT_TRUE(v.written);
  UploadReport d = Upload("d.kga",
                          "@doc d\n[[Alabuga makes the drones]]{#c1}, it says.\n"
                          "@claim c1: AlabugaPlant supplied ShahedDrone ; hedge claimed\n",
                          true);
  EXPECT_TRUE(d.ok()) << (d.problems.empty() ? "" : d.problems[0].message);
}

TEST_F(UploadTest, OtherKindsOfFileAreRefusedByName) {
  auto r = LoadUpload(*store_, "notes.docx", "x", true);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_NE(r.status().message().find(".kga"), std::string::npos);
  EXPECT_EQ(*UploadKind("a.TTL"), "Turtle");
  EXPECT_EQ(*UploadKind("dump.nq.gz"), "N-Quads");
}

// The corpus exported as N-Quads (three documents, one graph each) with the
// last document broken: an unknown hedge, found only when its graph is
// converted. Neither the upload nor kg import's document-by-document path
// writes the two good documents before it.
TEST_F(UploadTest, ErrorInTheLastGraphWritesNoGraphOfTheFile) {
  std::string nq;
  {
    TempDir corpus_dir;
    StoreOptions o;
    o.sync_writes = false;
    auto corpus = Store::Open(corpus_dir.Sub("db"), o);
    ASSERT_TRUE(corpus.ok());
    std::ostringstream err, progress;
    auto ingested = IngestPaths(**corpus, {KG_SOURCE_DIR "/examples/corpus"}, {}, err, progress);
    ASSERT_TRUE(ingested.ok() && ingested->ok()) << err.str();
    std::ostringstream out;
    ASSERT_TRUE(ExportNQuads(*(*corpus)->NewSnapshot(), std::nullopt, out).ok());
    nq = out.str();
  }
  const size_t last = nq.rfind("vocab#asserted>");
  ASSERT_NE(last, std::string::npos);
  nq.replace(last, strlen("vocab#asserted>"), "vocab#bogus>");
  const auto before = Dump();
  UploadReport r = Upload("corpus.nq", nq, false);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.written);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems[0].message.find("unknown hedge"), std::string::npos) << r.problems[0].message;
  EXPECT_EQ(Dump(), before);

  const std::string path = dir_.Sub("corpus.nq");
  std::ofstream(path, std::ios::binary) << nq;
  RdfImportOptions o;
  o.bulk = RdfImportOptions::Bulk::kOff;
  std::ostringstream err;
  auto summary = ImportRdf(*store_, {path}, o, err);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->files_failed, 1);
  EXPECT_EQ(summary->documents, 0);
  EXPECT_NE(err.str().find("unknown hedge"), std::string::npos) << err.str();
  EXPECT_EQ(Dump(), before);
}

}  // namespace
}  // namespace kg::ingest
