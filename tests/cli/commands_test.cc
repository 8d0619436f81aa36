#include "cli/browse.h"
#include "cli/commands.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace kg::cli {
namespace {

TEST(CommandsTest, DemoStoresAndReadsBackAClaimWithEvidence) {
  kg::testing::TempDir dir;
  std::ostringstream out, err;
  ASSERT_EQ(RunDemo(dir.Sub("db"), out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("claim << North Korea supplies_munitions_to Russia >>"), std::string::npos) << text;
  EXPECT_NE(text.find("hedge=claimed"), std::string::npos) << text;
  EXPECT_NE(text.find("agent=Ukrainian officials via=doc:wsj-report"), std::string::npos) << text;
  EXPECT_NE(text.find("check: ok"), std::string::npos) << text;
  // Running it again replaces the document instead of duplicating it.
  std::ostringstream again;
  ASSERT_EQ(RunDemo(dir.Sub("db"), again, err), 0) << err.str();
  EXPECT_NE(again.str().find("1 document(s), 3 claim(s), 3 evidence"), std::string::npos)
      << again.str();

  std::ostringstream stats;
  ASSERT_EQ(RunStats(dir.Sub("db"), /*storage=*/false, {}, stats, err), 0);
  EXPECT_NE(stats.str().find("supplies_munitions_to\t1\t1\t1"), std::string::npos) << stats.str();
  EXPECT_EQ(stats.str().find("column family"), std::string::npos) << stats.str();
  // --storage: one row per column family; the three triple orders hold the
  // demo's claims (the writer flushed them to table files when it closed).
  std::ostringstream storage;
  ASSERT_EQ(RunStats(dir.Sub("db"), /*storage=*/true, {}, storage, err), 0) << err.str();
  for (const char* cf : {"\nspo\t", "\npos\t", "\nosp\t"}) {
    const size_t at = storage.str().find(cf);
    ASSERT_NE(at, std::string::npos) << storage.str();
    unsigned long long bytes = 0, keys = 0;
    double mb = 0;
    ASSERT_EQ(std::sscanf(storage.str().c_str() + at + 5, "%llu\t%lf\t%llu", &bytes, &mb, &keys), 3)
        << storage.str();
    EXPECT_GT(bytes, 0u) << cf;
    EXPECT_GE(keys, 3u) << cf;
  }
  EXPECT_NE(storage.str().find("\ntotal\t"), std::string::npos) << storage.str();
  std::ostringstream check;
  ASSERT_EQ(RunCheck(dir.Sub("db"), check, err), 0);
  EXPECT_NE(check.str().find(": ok"), std::string::npos);
}

// --dry-run checks what an ingest would and writes nothing: no store is
// made where there was none, a stored one keeps every byte, and a file that
// breaks a rule fails the run.
TEST(CommandsTest, DryRunsWriteNothing) {
  kg::testing::TempDir dir;
  const std::string corpus = KG_SOURCE_DIR "/examples/corpus";
  std::ostringstream out, err;
  EXPECT_EQ(RunIngestDryRun(dir.Sub("db"), {corpus}, false, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("dry run: 3 document(s) with 573 piece(s) of evidence"),
            std::string::npos)
      << out.str();
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("db")));

  ASSERT_EQ(RunIngest(dir.Sub("db"), {corpus}, out, err), 0) << err.str();
  std::ostringstream log_before, log_after, check;
  ASSERT_EQ(RunLog(dir.Sub("db"), {}, log_before, err), 0);
  out.str("");
  err.str("");
  EXPECT_EQ(RunIngestDryRun(dir.Sub("db"),
                            {corpus, KG_SOURCE_DIR "/examples/schema/member-of-russia.kga"},
                            false, out, err),
            1);
  EXPECT_NE(out.str().find("3 would replace a stored document; 1 failed"), std::string::npos)
      << out.str();
  EXPECT_NE(err.str().find("member-of-russia.kga:7:27: error: the object of 'member_of'"),
            std::string::npos)
      << err.str();
  ImportCommandOptions import;
  import.db = dir.Sub("db");
  import.dry_run = true;
  import.paths = {KG_SOURCE_DIR "/examples/rdf/drones.ttl"};
  out.str("");
  EXPECT_EQ(RunImport(import, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("dry run: 1 file(s) as Turtle would be imported and 0 would fail"),
            std::string::npos)
      << out.str();
  // Nothing was written: the log is as it was and the store checks clean.
  ASSERT_EQ(RunLog(dir.Sub("db"), {}, log_after, err), 0);
  EXPECT_EQ(log_after.str(), log_before.str());
  EXPECT_EQ(RunCheck(dir.Sub("db"), check, err), 0);
}

TEST(CommandsTest, CheckAndStatsOnAMissingStoreFail) {
  kg::testing::TempDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(RunCheck(dir.Sub("nope"), out, err), 1);
  EXPECT_NE(err.str().find("no store at"), std::string::npos) << err.str();
  EXPECT_EQ(RunStats(dir.Sub("nope"), /*storage=*/true, {}, out, err), 1);
}

}  // namespace
}  // namespace kg::cli
