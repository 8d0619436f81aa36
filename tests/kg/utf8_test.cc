#include "kg/utf8.h"

#include "gtest/gtest.h"

namespace kg {
namespace {

TEST(Utf8Test, FindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Пхеньян 平壤 😀"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);             // never valid
  EXPECT_EQ(FindInvalidUtf8("a\xc0\xaf"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);       // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);   // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xe2\x82"), 2u);         // truncated
  EXPECT_EQ(FindInvalidUtf8("x\xe2(\xa1"), 1u);         // bad continuation
}

TEST(Utf8Test, CodePointOffsets) {
  const std::string text = "Kyïv → Moskva";
  EXPECT_EQ(CountCodePoints(text), 13u);
  EXPECT_EQ(CodePointToByte(text, 0), 0u);
  EXPECT_EQ(CodePointToByte(text, 2), 2u);
  EXPECT_EQ(CodePointToByte(text, 3), 4u);  // "ï" is two bytes
  EXPECT_EQ(CodePointToByte(text, 4), 5u);
  EXPECT_EQ(CodePointToByte(text, 13), text.size());
  EXPECT_EQ(CodePointToByte(text, 14), std::nullopt);
  EXPECT_EQ(SliceCodePoints(text, 5, 6), "→");
  EXPECT_EQ(SliceCodePoints(text, 7, 13), "Moskva");
  EXPECT_EQ(SliceCodePoints(text, 7, 14), std::nullopt);
  EXPECT_EQ(SliceCodePoints(text, 6, 5), std::nullopt);
}

TEST(Utf8Test, CodePointIndexAgreesWithLinearSlicing) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += (i % 3 == 0) ? "—" : (i % 5 == 0 ? "😀" : "a");
  CodePointIndex index(text);
  EXPECT_EQ(index.size(), CountCodePoints(text));
  for (uint64_t start = 0; start <= index.size(); start += 7) {
    for (uint64_t end = start; end <= index.size() + 1; end += 13) {
      EXPECT_EQ(index.Slice(start, end), SliceCodePoints(text, start, end)) << start << "," << end;
    }
  }
  EXPECT_EQ(index.Slice(3, 2), std::nullopt);
  EXPECT_EQ(CodePointIndex("").Slice(0, 0), "");
}

TEST(Utf8Test, SentenceAroundAQuote) {
  const std::string text =
      "First one. Calling it \"instrumental\", the report claimed that Tehran has provided "
      "Moscow with drones, along with blueprints. Next sentence!\n\nA new paragraph";
  const std::string quote = "Tehran has provided Moscow with drones";
  const uint64_t start = CountCodePoints(text.substr(0, text.find(quote)));
  EXPECT_EQ(SentenceAround(text, start, start + CountCodePoints(quote)),
            "Calling it \"instrumental\", the report claimed that Tehran has provided Moscow "
            "with drones, along with blueprints.");
  // A closing quote after the full stop belongs to the sentence; a blank
  // line ends one; code points, not bytes.
  const std::string quoted = "He said: \u201cIt is done.\u201d Then – nothing\n\nLater";
  const uint64_t at = CountCodePoints(quoted.substr(0, quoted.find("Then")));
  EXPECT_EQ(SentenceAround(quoted, at, at + 4), "Then – nothing");
  EXPECT_EQ(SentenceAround(quoted, 3, 5), "He said: \u201cIt is done.\u201d");
  // Bounded either side, at a space.
  const std::string long_text = std::string(3000, 'a') + " word span word " + std::string(3000, 'b');
  const auto bounded = SentenceAround(long_text, 3006, 3010, 100);
  ASSERT_TRUE(bounded.has_value());
  EXPECT_EQ(*bounded, "word span word");
  EXPECT_FALSE(SentenceAround("short", 2, 9).has_value());
}

}  // namespace
}  // namespace kg
