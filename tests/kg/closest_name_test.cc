#include "kg/closest_name.h"

#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace kg {
namespace {

const std::vector<std::string_view> kNames = {"supplied", "supports", "Iran", "Iraq", "alleged"};

TEST(ClosestNameTest, PicksTheNearestWithinTheLimit) {
  EXPECT_EQ(ClosestName("suplied", kNames), "supplied");  // one deletion
  EXPECT_EQ(ClosestName("Irn", kNames), "Iran");          // "Iraq" is two edits away
  EXPECT_EQ(ClosestName("Iraqq", kNames), "Iraq");
  EXPECT_EQ(ClosestName("alledged", kNames), "alleged");
}

TEST(ClosestNameTest, IgnoresAsciiCase) {
  EXPECT_EQ(ClosestName("SUPPLIED", kNames), "supplied");
  EXPECT_EQ(ClosestName("iran", kNames), "Iran");
}

TEST(ClosestNameTest, NothingWhenTooFar) {
  EXPECT_EQ(ClosestName("zzz", kNames), "");
  EXPECT_EQ(ClosestName("supp", kNames), "");  // 4 edits from "supplied", limit 2
  EXPECT_EQ(ClosestName("x", {}), "");
  // The limit grows with the word: a third of its length.
  EXPECT_EQ(SuggestionLimit("abc"), 2u);
  EXPECT_EQ(SuggestionLimit("abcdefghijkl"), 4u);
  EXPECT_EQ(ClosestName("abcdefghijkl", {"abcdefghWXYZ"}), "abcdefghWXYZ");
  EXPECT_EQ(ClosestName("abcdefghijkl", {"abcdefgVWXYZ"}), "");
}

TEST(ClosestNameTest, LengthPrefilterAgreesWithTheDistance) {
  EXPECT_TRUE(CouldSuggest("abcdef", "abcd"));
  EXPECT_FALSE(CouldSuggest("abcdef", "a"));
  EXPECT_EQ(ClosestName("abcdef", {"a"}), "");
}

}  // namespace
}  // namespace kg
