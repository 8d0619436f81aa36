#include "kg/codec.h"

#include "gtest/gtest.h"

namespace kg {
namespace {

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

}  // namespace
}  // namespace kg
