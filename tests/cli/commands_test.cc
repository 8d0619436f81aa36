#include "cli/browse.h"
#include "cli/commands.h"

#include <cstdio>
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

TEST(CommandsTest, CheckAndStatsOnAMissingStoreFail) {
  kg::testing::TempDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(RunCheck(dir.Sub("nope"), out, err), 1);
  EXPECT_NE(err.str().find("no store at"), std::string::npos) << err.str();
  EXPECT_EQ(RunStats(dir.Sub("nope"), /*storage=*/true, {}, out, err), 1);
}

}  // namespace
}  // namespace kg::cli
