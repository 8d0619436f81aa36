#include "cli/commands.h"

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
  ASSERT_EQ(RunStats(dir.Sub("db"), stats, err), 0);
  EXPECT_NE(stats.str().find("supplies_munitions_to\t1\t1\t1"), std::string::npos) << stats.str();
  std::ostringstream check;
  ASSERT_EQ(RunCheck(dir.Sub("db"), check, err), 0);
  EXPECT_NE(check.str().find(": ok"), std::string::npos);
}

TEST(CommandsTest, CheckAndStatsOnAMissingStoreFail) {
  kg::testing::TempDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(RunCheck(dir.Sub("nope"), out, err), 1);
  EXPECT_NE(err.str().find("no store at"), std::string::npos) << err.str();
  EXPECT_EQ(RunStats(dir.Sub("nope"), out, err), 1);
}

}  // namespace
}  // namespace kg::cli
