#include "kg/codec.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace kg {
namespace {

// Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

// The bytes written as `hex`, spaces between fields ignored.
std::string FromHex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    const int v = c <= '9' ? c - '0' : c - 'a' + 10;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

// The bytes on disk, field by field (schemas/storage-format.md "Records"):
// the record version 01, cereal's portable-binary byte-order byte 01
// (little-endian), then each field; strings and vectors are a uint64
// length, then the bytes or the elements. These must never change: stores
// hold them.
constexpr std::string_view kEntityHex =
    "01 01 "
    "0400000000000000 4972616e "                          // name "Iran"
    "0100000000000000 0600000000000000 54656872616e "     // aliases ["Tehran"]
    "0100000000000000 43";                                // type "C"

constexpr std::string_view kEvidenceHex =
    "01 01 "
    "0f00000000000000 4972616ee28099732064726f6e6573 "    // quote "Iran’s drones"
    "01 0c00000000000000 1900000000000000 "               // span [12, 25)
    "1000000000000000 10101010101010101010101010101010 "  // agent_id
    "0100000000000000 "                                   // via_ids: 1
    "1000000000000000 12121212121212121212121212121212 "
    "02 01 01 "                                           // hedge, stance, negated
    "0100000000000000 "                                   // qualifiers: 1
    "0400000000000000 74696d65 "                          // key "time"
    "1000000000000000 32323232323232323232323232323232";  // value_id

constexpr std::string_view kEmptyEvidenceHex =
    "01 01 "
    "0000000000000000 "                                   // quote ""
    "00 0000000000000000 0000000000000000 "               // no span
    "0000000000000000 0000000000000000 "                  // agent_id, via_ids
    "00 00 00 "                                           // hedge, stance, negated
    "0000000000000000";                                   // qualifiers

constexpr std::string_view kDocumentHex =
    "01 01 "
    "0200000000000000 6431 "                              // id "d1"
    "0100000000000000 54 "                                // title "T"
    "0100000000000000 50 "                                // publisher "P"
    "0200000000000000 0100000000000000 41 0100000000000000 42 "  // authors
    "01 e9070000 03 0e "                                  // 2025-03-14
    "0100000000000000 75 "                                // url "u"
    "0600000000000000 7265706f7274 "                      // type "report"
    "0800000000000000 5ac3bc726963682e "                  // text "Zürich."
    "0200000000000000 6162 "                              // sha256 "ab"
    "0100000000000000 "                                   // links: 1
    "01 1000000000000000 12121212121212121212121212121212 "  // reports, target
    "0300000000000000 57534a "                            // quote "WSJ"
    "01 0100000000000000 0400000000000000 "               // span [1, 4)
    "07000000";                                           // next_ordinal

EvidenceRecord KnownEvidence() {
  EvidenceRecord r;
  r.quote = "Iran\u2019s drones";
  r.span = {true, 12, 25};
  r.agent_id = std::string(16, '\x10');
  r.via_ids = {std::string(16, '\x12')};
  r.hedge = 2;
  r.stance = 1;
  r.negated = true;
  r.qualifiers = {{"time", std::string(16, '\x32')}};
  return r;
}

DocumentRecord KnownDocument() {
  DocumentRecord d;
  d.id = "d1";
  d.title = "T";
  d.publisher = "P";
  d.authors = {"A", "B"};
  d.has_date = true;
  d.year = 2025;
  d.month = 3;
  d.day = 14;
  d.url = "u";
  d.type = "report";
  d.text = "Zürich.";
  d.sha256 = "ab";
  d.links.push_back({1, std::string(16, '\x12'), "WSJ", {true, 1, 4}});
  d.next_ordinal = 7;
  return d;
}

TEST(CodecTest, EncodesTheBytesOnDisk) {
  EXPECT_EQ(ToHex(EncodeEntity({"Iran", {"Tehran"}, "C"})), ToHex(FromHex(kEntityHex)));
  EXPECT_EQ(ToHex(EncodeEvidence(KnownEvidence())), ToHex(FromHex(kEvidenceHex)));
  EXPECT_EQ(ToHex(EncodeEvidence({})), ToHex(FromHex(kEmptyEvidenceHex)));
  EXPECT_EQ(ToHex(EncodeDocument(KnownDocument())), ToHex(FromHex(kDocumentHex)));
}

TEST(CodecTest, DecodesTheBytesOnDisk) {
  auto entity = DecodeEntity(FromHex(kEntityHex));
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->name, "Iran");
  EXPECT_EQ(entity->aliases, std::vector<std::string>{"Tehran"});
  EXPECT_EQ(entity->type, "C");

  auto evidence = DecodeEvidence(FromHex(kEvidenceHex));
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  const EvidenceRecord want = KnownEvidence();
  EXPECT_EQ(evidence->quote, want.quote);
  EXPECT_TRUE(evidence->span.present);
  EXPECT_EQ(evidence->span.start, 12u);
  EXPECT_EQ(evidence->span.end, 25u);
  EXPECT_EQ(evidence->agent_id, want.agent_id);
  EXPECT_EQ(evidence->via_ids, want.via_ids);
  EXPECT_EQ(evidence->hedge, 2);
  EXPECT_EQ(evidence->stance, 1);
  EXPECT_TRUE(evidence->negated);
  ASSERT_EQ(evidence->qualifiers.size(), 1u);
  EXPECT_EQ(evidence->qualifiers[0].key, "time");
  EXPECT_EQ(evidence->qualifiers[0].value_id, want.qualifiers[0].value_id);

  auto empty = DecodeEvidence(FromHex(kEmptyEvidenceHex));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->quote, "");
  EXPECT_FALSE(empty->span.present);
  EXPECT_TRUE(empty->via_ids.empty());
  EXPECT_TRUE(empty->qualifiers.empty());

  auto doc = DecodeDocument(FromHex(kDocumentHex));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->id, "d1");
  EXPECT_EQ(doc->title, "T");
  EXPECT_EQ(doc->publisher, "P");
  EXPECT_EQ(doc->authors, (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(doc->has_date);
  EXPECT_EQ(doc->year, 2025);
  EXPECT_EQ(doc->month, 3);
  EXPECT_EQ(doc->day, 14);
  EXPECT_EQ(doc->url, "u");
  EXPECT_EQ(doc->type, "report");
  EXPECT_EQ(doc->text, "Zürich.");
  EXPECT_EQ(doc->sha256, "ab");
  ASSERT_EQ(doc->links.size(), 1u);
  EXPECT_EQ(doc->links[0].relation, 1);
  EXPECT_EQ(doc->links[0].target_id, std::string(16, '\x12'));
  EXPECT_EQ(doc->links[0].quote, "WSJ");
  EXPECT_TRUE(doc->links[0].span.present);
  EXPECT_EQ(doc->links[0].span.start, 1u);
  EXPECT_EQ(doc->links[0].span.end, 4u);
  EXPECT_EQ(doc->next_ordinal, 7u);
}

// A big-endian archive (byte-order byte 00) is cereal's portable binary
// too; kg never writes one, but reads it as cereal does.
TEST(CodecTest, DecodesABigEndianArchive) {
  auto entity = DecodeEntity(FromHex(
      "01 00 0000000000000004 4972616e 0000000000000001 0000000000000006 54656872616e "
      "0000000000000001 43"));
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->name, "Iran");
  EXPECT_EQ(entity->aliases, std::vector<std::string>{"Tehran"});
}

TEST(CodecTest, EvidenceRoundTrip) {
  EvidenceRecord r;
  r.quote = "Ukrainian officials claim — «half»";
  r.span = {true, 10, 44};
  r.agent_id = std::string(16, '\x10');
  r.via_ids = {std::string(16, '\x12')};
  r.hedge = 2;
  r.stance = 1;
  r.negated = true;
  r.qualifiers = {{"time", std::string(16, '\x32')}};
  auto back = DecodeEvidence(EncodeEvidence(r));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->quote, r.quote);
  EXPECT_EQ(back->span.start, 10u);
  EXPECT_EQ(back->span.end, 44u);
  EXPECT_EQ(back->via_ids, r.via_ids);
  EXPECT_TRUE(back->negated);
  EXPECT_EQ(back->qualifiers[0].key, "time");
}

TEST(CodecTest, DocumentRoundTrip) {
  DocumentRecord d;
  d.id = "atlantic-council-2025";
  d.authors = {"A", "B"};
  d.has_date = true;
  d.year = 2025;
  d.month = 2;
  d.text = std::string(100000, 'x');
  d.links.push_back({1, std::string(16, '\x12'), "WSJ", {true, 1, 4}});
  auto back = DecodeDocument(EncodeDocument(d));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, d.id);
  EXPECT_EQ(back->authors, d.authors);
  EXPECT_EQ(back->text.size(), d.text.size());
  ASSERT_EQ(back->links.size(), 1u);
  EXPECT_EQ(back->links[0].quote, "WSJ");
}

TEST(CodecTest, DamagedBytesAreDataLossNotACrash) {
  EntityRecord e{"Iran", {"Tehran", "Islamic Republic of Iran"}, "Country"};
  const std::string good = EncodeEntity(e);
  EXPECT_EQ(DecodeEntity("").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeEntity("\x07" + good.substr(1)).status().code(),
            absl::StatusCode::kDataLoss);  // unknown version
  for (size_t cut = 1; cut < good.size(); ++cut) {
    EXPECT_EQ(DecodeEntity(good.substr(0, cut)).status().code(),
              absl::StatusCode::kDataLoss)
        << "truncated at " << cut;
  }
  EXPECT_EQ(DecodeEntity(good + "junk").status().code(),
            absl::StatusCode::kDataLoss);
}

// A damaged length must not reach an allocation: the codec fuzzer found
// records asking for exabytes. Every length is checked against the bytes
// left in the record first.
TEST(CodecTest, ALengthBeyondTheRecordIsRefusedBeforeAllocating) {
  const struct {
    std::string_view hex;
    std::string_view message;
  } cases[] = {
      {"01 01 0000000000000040", "a length of 4611686018427387904 exceeds the 0 bytes left"},
      {"01 01 0500000000000000 4972616e", "a length of 5 exceeds the 4 bytes left"},
      {"01 01 0400000000000000 4972616e 0000000000000040 00",
       "a length of 4611686018427387904 exceeds the 1 bytes left"},
      {"01 01 0000000000000000 0100000000000000 ffffffffffffffff",
       "a length of 18446744073709551615 exceeds the 0 bytes left"},
  };
  for (const auto& c : cases) {
    auto entity = DecodeEntity(FromHex(c.hex));
    ASSERT_EQ(entity.status().code(), absl::StatusCode::kDataLoss) << c.hex;
    EXPECT_NE(std::string(entity.status().message()).find(c.message), std::string::npos)
        << entity.status();
  }
}

}  // namespace
}  // namespace kg
