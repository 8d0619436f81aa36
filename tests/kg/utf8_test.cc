#include "kg/utf8.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace kg {
namespace {

struct DecodeCase {
  std::string bytes;
  char32_t code_point;  // kInvalidUtf8 for an invalid sequence
  size_t length;        // bytes the decoder steps over
  const char* what;
};

TEST(Utf8Test, DecodesOneSequence) {
  const DecodeCase cases[] = {
      {"A", 'A', 1, "ASCII"},
      {std::string(1, '\0'), 0, 1, "NUL"},
      {"\x7f", 0x7F, 1, "largest 1-byte"},
      {"\xc2\x80", 0x80, 2, "smallest 2-byte"},
      {"\xdf\xbf", 0x7FF, 2, "largest 2-byte"},
      {"\xe0\xa0\x80", 0x800, 3, "smallest 3-byte"},
      {"\xed\x9f\xbf", 0xD7FF, 3, "just below the surrogates"},
      {"\xee\x80\x80", 0xE000, 3, "just above the surrogates"},
      {"\xef\xbf\xbd", 0xFFFD, 3, "U+FFFD itself"},
      {"\xef\xbf\xbf", 0xFFFF, 3, "largest 3-byte"},
      {"\xf0\x90\x80\x80", 0x10000, 4, "smallest 4-byte"},
      {"\xf0\x9f\x98\x80", 0x1F600, 4, "emoji"},
      {"\xf4\x8f\xbf\xbf", 0x10FFFF, 4, "U+10FFFF"},
      // Overlong forms.
      {"\xc0\x80", kInvalidUtf8, 1, "overlong 2-byte NUL"},
      {"\xc0\xaf", kInvalidUtf8, 1, "overlong 2-byte '/'"},
      {"\xc1\xbf", kInvalidUtf8, 1, "overlong 2-byte U+007F"},
      {"\xe0\x80\xaf", kInvalidUtf8, 1, "overlong 3-byte '/'"},
      {"\xe0\x9f\xbf", kInvalidUtf8, 1, "overlong 3-byte U+07FF"},
      {"\xf0\x80\x80\xaf", kInvalidUtf8, 1, "overlong 4-byte '/'"},
      {"\xf0\x8f\xbf\xbf", kInvalidUtf8, 1, "overlong 4-byte U+FFFF"},
      // Surrogates.
      {"\xed\xa0\x80", kInvalidUtf8, 1, "U+D800"},
      {"\xed\xaf\xbf", kInvalidUtf8, 1, "U+DBFF"},
      {"\xed\xb0\x80", kInvalidUtf8, 1, "U+DC00"},
      {"\xed\xbf\xbf", kInvalidUtf8, 1, "U+DFFF"},
      // Above U+10FFFF.
      {"\xf4\x90\x80\x80", kInvalidUtf8, 1, "U+110000"},
      {"\xf5\x80\x80\x80", kInvalidUtf8, 1, "lead F5"},
      {"\xf7\xbf\xbf\xbf", kInvalidUtf8, 1, "U+1FFFFF"},
      {"\xf8\x88\x80\x80\x80", kInvalidUtf8, 1, "5-byte form"},
      {"\xfe", kInvalidUtf8, 1, "FE"},
      {"\xff", kInvalidUtf8, 1, "FF"},
      // Truncated at the end of the input.
      {"\xc3", kInvalidUtf8, 1, "2-byte, 1 of 2"},
      {"\xe2\x82", kInvalidUtf8, 1, "3-byte, 2 of 3"},
      {"\xe2", kInvalidUtf8, 1, "3-byte, 1 of 3"},
      {"\xf0\x9f\x98", kInvalidUtf8, 1, "4-byte, 3 of 4"},
      {"\xf0\x9f", kInvalidUtf8, 1, "4-byte, 2 of 4"},
      // Cut short by a byte that does not continue it.
      {"\xc3" "A", kInvalidUtf8, 1, "2-byte then ASCII"},
      {"\xe2(\xa1", kInvalidUtf8, 1, "3-byte then '('"},
      {"\xf0\x9f\x98" "A", kInvalidUtf8, 1, "4-byte then ASCII"},
      {"\xf0\xc3\xa9", kInvalidUtf8, 1, "4-byte then a new lead"},
      // Stray continuation bytes.
      {"\x80", kInvalidUtf8, 1, "80"},
      {"\xbf", kInvalidUtf8, 1, "BF"},
      {"\x80\x80\x80\x80", kInvalidUtf8, 1, "a run of them"},
  };
  for (const auto& c : cases) {
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(c.bytes, &pos), c.code_point) << c.what;
    EXPECT_EQ(pos, c.length) << c.what;
    // The same sequence in the middle of text decodes alike.
    const std::string inside = "ab" + c.bytes;
    pos = 2;
    EXPECT_EQ(DecodeUtf8(inside, &pos), c.code_point) << c.what << " at offset 2";
    EXPECT_EQ(pos, 2 + c.length) << c.what << " at offset 2";
  }
}

TEST(Utf8Test, InvalidBytesAreSteppedOverOneAtATime) {
  // Decoding goes on from the byte after an invalid lead, so a valid
  // sequence right after a broken one is found.
  const std::string text = "a\xf0\x9f\x98\xc3\xa9\xed\xa0\x80z";
  std::vector<char32_t> decoded;
  for (size_t pos = 0; pos < text.size();) decoded.push_back(DecodeUtf8(text, &pos));
  const std::vector<char32_t> expected = {'a',          kInvalidUtf8, kInvalidUtf8, kInvalidUtf8,
                                          0xE9,         kInvalidUtf8, kInvalidUtf8, kInvalidUtf8,
                                          'z'};
  EXPECT_EQ(decoded, expected);
}

TEST(Utf8Test, EncodesEveryScalarValueSoItDecodesBack) {
  const std::pair<char32_t, std::string> known[] = {
      {0, std::string(1, '\0')}, {'A', "A"},           {0x7F, "\x7f"},
      {0x80, "\xc2\x80"},        {0x7FF, "\xdf\xbf"}, {0x800, "\xe0\xa0\x80"},
      {0xD7FF, "\xed\x9f\xbf"}, {0xE000, "\xee\x80\x80"}, {0xFFFF, "\xef\xbf\xbf"},
      {0x10000, "\xf0\x90\x80\x80"}, {0x10FFFF, "\xf4\x8f\xbf\xbf"},
  };
  for (const auto& [cp, bytes] : known) {
    std::string out = "x";
    AppendUtf8(&out, cp);
    EXPECT_EQ(out, "x" + bytes) << static_cast<uint32_t>(cp);
  }
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp == 0xD800) cp = 0xE000;  // no surrogates
    std::string out;
    AppendUtf8(&out, cp);
    const size_t expected_length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    ASSERT_EQ(out.size(), expected_length) << static_cast<uint32_t>(cp);
    size_t pos = 0;
    ASSERT_EQ(DecodeUtf8(out, &pos), cp);
    ASSERT_EQ(pos, out.size());
    ASSERT_EQ(FindInvalidUtf8(out), std::nullopt);
    ASSERT_EQ(CountCodePoints(out), 1u);
  }
}

TEST(Utf8Test, ContinuationBytes) {
  EXPECT_FALSE(IsUtf8Continuation('a'));
  EXPECT_FALSE(IsUtf8Continuation('\x7f'));
  EXPECT_TRUE(IsUtf8Continuation('\x80'));
  EXPECT_TRUE(IsUtf8Continuation('\xbf'));
  EXPECT_FALSE(IsUtf8Continuation('\xc0'));
  EXPECT_FALSE(IsUtf8Continuation('\xff'));
}

TEST(Utf8Test, FindsInvalidSequences) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Пхеньян 平壤 😀"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);             // never valid
  EXPECT_EQ(FindInvalidUtf8("a\xc0\xaf"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);       // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);   // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xe2\x82"), 2u);         // truncated
  EXPECT_EQ(FindInvalidUtf8("x\xe2(\xa1"), 1u);         // bad continuation
  EXPECT_EQ(FindInvalidUtf8("\xe0\x9f\xbf"), 0u);       // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xf0\x8f\xbf\xbf"), 0u);   // overlong 4-byte
  EXPECT_EQ(FindInvalidUtf8("\xed\xbf\xbf"), 0u);       // surrogate U+DFFF
  EXPECT_EQ(FindInvalidUtf8("\xf4\x8f\xbf\xbf"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abc\xc3"), 3u);           // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xc3\xa9\xa9"), 2u);       // stray continuation
  EXPECT_EQ(FindInvalidUtf8("\xc3\xa9\xf0\x9f\x98\x80\x80"), 6u);
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
