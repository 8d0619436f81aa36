#include "kg/term.h"

#include <algorithm>
#include <vector>

#include "gtest/gtest.h"
#include "kg/term_id.h"

namespace kg {
namespace {

Term Dec(std::string_view s) { return *Term::Decimal(s); }
Term Day(std::string_view s) { return *Term::ParseDate(s); }

// A term of every kind, with non-ASCII text where text appears.
std::vector<Term> EveryKind() {
  return {
      Term::Entity("North Korea"),
      Term::Entity("Корея"),
      Term::Iri("https://www.atlanticcouncil.org/in-depth-research-reports/"),
      Term::Document("wsj-2024-11"),
      Term::String("short"),                          // inline
      Term::String("ünïcödé"),                        // inline, 11 bytes
      Term::String("a string longer than fourteen bytes"),  // hashed
      Term::String("平壤"),
      Term::String("Axis of Upheaval", "en"),
      Term::String("ось", "ru"),
      Term::String("", ""),
      Term::Integer(0),
      Term::Integer(-12000),
      Term::Integer(INT64_MAX),
      Term::Integer(INT64_MIN),
      Dec("26.5"),
      Dec("-0.001"),
      Day("2024-06-19"),
      Day("2024-06"),
      Day("2025"),
      Day("0044-03-15"),
      *Term::Quantity("2700", "drones/month"),
      *Term::Quantity("12000", "soldiers"),
      Term::BlankNode("b1"),
      Term::BlankNode("Iran"),
      Term::TypedLiteral("01", "http://www.w3.org/2001/XMLSchema#integer"),
      Term::TypedLiteral("POINT(1 2)", "http://www.opengis.net/ont/geosparql#wktLiteral"),
      Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"),
                  Term::Entity("Shahed drone")),
      Term::Claim(Term::Claim(Term::Entity("CRINK"), Term::Entity("is_a"),
                              Term::Entity("axis")),
                  Term::Entity("disputed_by"), Term::Entity("ODNI")),
  };
}

// The key a term is known by without a store: its inline id or its
// dictionary value (claims: their parts' keys).
std::string KeyOf(const Term& t) {
  if (auto id = InlineId(t)) return std::string(id->bytes());
  if (t.kind() != TermKind::kClaim) return DictionaryValue(t);
  return "claim(" + KeyOf(t.subject()) + "|" + KeyOf(t.predicate()) + "|" + KeyOf(t.object()) + ")";
}

TEST(TermTest, DistinctTermsHaveDistinctKeys) {
  const auto terms = EveryKind();
  for (size_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ(KeyOf(terms[i]), KeyOf(terms[i]));
    for (size_t j = i + 1; j < terms.size(); ++j) {
      EXPECT_NE(KeyOf(terms[i]), KeyOf(terms[j]))
          << terms[i].ToString() << " vs " << terms[j].ToString();
    }
  }
}

TEST(TermTest, KindsWithSameTextAreDifferentTerms) {
  EXPECT_NE(KeyOf(Term::Entity("Iran")), KeyOf(Term::String("Iran")));
  EXPECT_NE(KeyOf(Term::Entity("Iran")), KeyOf(Term::Document("Iran")));
  EXPECT_NE(KeyOf(Term::String("Iran", "en")), KeyOf(Term::String("Iran")));
  EXPECT_NE(KeyOf(Term::String(std::string_view("en\0x", 4))), KeyOf(Term::String("x", "en")));
}

TEST(TermTest, InlineIdsDecodeAndDictionaryValuesRoundTrip) {
  for (const Term& t : EveryKind()) {
    if (auto id = InlineId(t)) {
      EXPECT_TRUE(id->is_inline());
      auto back = DecodeInline(*id);
      ASSERT_TRUE(back.has_value()) << t.ToString();
      EXPECT_EQ(*back, t) << t.ToString();
      continue;
    }
    if (t.kind() == TermKind::kClaim) continue;
    auto entry = ParseDictionaryValue(DictionaryValue(t));
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_EQ(std::get<Term>(*entry), t) << t.ToString();
    EXPECT_EQ(static_cast<uint8_t>(DictionaryValue(t)[0]),
              static_cast<uint8_t>(DictionaryTag(t)));
  }
  const TermId s = TermId::Dense(IdTag::kEntity, 1), p = TermId::Dense(IdTag::kEntity, 2),
               o = *InlineId(Term::Integer(7));
  auto entry = ParseDictionaryValue(ClaimDictionaryValue(s, p, o));
  ASSERT_TRUE(entry.ok()) << entry.status();
  const auto& parts = std::get<ClaimParts>(*entry);
  EXPECT_EQ(parts.subject, s);
  EXPECT_EQ(parts.predicate, p);
  EXPECT_EQ(parts.object, o);
}

TEST(TermTest, WhatIsInlineAndWhatIsNot) {
  EXPECT_TRUE(InlineId(Term::String("abcdef")));
  EXPECT_FALSE(InlineId(Term::String("abcdefg")));  // 7 bytes: dictionary
  EXPECT_FALSE(InlineId(Term::String("ab", "en")));
  EXPECT_TRUE(InlineId(Term::Integer((int64_t{1} << 55) - 1)));
  EXPECT_TRUE(InlineId(Term::Integer(-(int64_t{1} << 55))));
  EXPECT_FALSE(InlineId(Term::Integer(int64_t{1} << 55)));  // wide: dictionary
  EXPECT_FALSE(InlineId(Term::Integer(INT64_MIN)));
  EXPECT_TRUE(InlineId(Term::TypedLiteral("true", "http://www.w3.org/2001/XMLSchema#boolean")));
  EXPECT_FALSE(InlineId(Term::TypedLiteral("1", "http://www.w3.org/2001/XMLSchema#boolean")));
  EXPECT_FALSE(InlineId(Term::Entity("Iran")));
}

TEST(TermTest, IdsAreStableAcrossBuilds) {
  // Pinned: a change here changes the on-disk format (bump kFormatVersion).
  EXPECT_EQ(InlineId(Term::Integer(1))->ToHex(), "3080000000000001");
  EXPECT_EQ(InlineId(Term::Integer(-1))->ToHex(), "307fffffffffffff");
  EXPECT_EQ(InlineId(Term::String("ab"))->ToHex(), "2061620000000002");
  EXPECT_EQ(InlineId(Day("1970-01-01"))->ToHex(), "3280000000000002");
  EXPECT_EQ(InlineId(Day("1970"))->ToHex(), "3280000000000000");
  EXPECT_EQ(TermId::Dense(IdTag::kEntity, 258).ToHex(), "1000000000000102");
  EXPECT_EQ(DictionaryValue(Term::Entity("Iran")), "\x10Iran");
}

TEST(TermTest, InlineIdsSortInValueOrder) {
  std::vector<int64_t> ints = {-(int64_t{1} << 55), -5000, -1, 0, 1, 42, 1 << 30,
                               (int64_t{1} << 55) - 1};
  for (size_t i = 1; i < ints.size(); ++i) {
    EXPECT_LT(*InlineId(Term::Integer(ints[i - 1])), *InlineId(Term::Integer(ints[i])));
  }
  std::vector<std::string> dates = {"0001-01-01", "1969-12-31", "1970", "1970-01",
                                    "1970-01-01", "2024-02-29", "2024-06", "2025"};
  for (size_t i = 1; i < dates.size(); ++i) {
    EXPECT_LT(*InlineId(Day(dates[i - 1])), *InlineId(Day(dates[i]))) << dates[i];
  }
  std::vector<std::string> strings = {"", "A", "AB", "B", "a", "ab", "abc", "b"};
  for (size_t i = 1; i < strings.size(); ++i) {
    EXPECT_LT(*InlineId(Term::String(strings[i - 1])), *InlineId(Term::String(strings[i])));
  }
}

TEST(TermTest, DecimalsAreCanonical) {
  EXPECT_EQ(Dec("1.50"), Dec("1.5"));
  EXPECT_EQ(Dec("007"), Dec("7.0"));
  EXPECT_EQ(Dec("-0.0"), Dec("0"));
  EXPECT_EQ(Dec("+3"), Dec("3"));
  EXPECT_EQ(Dec("-0.250").text(), "-0.25");
  for (const char* bad : {"", ".5", "5.", "1e3", "1.2.3", "--1", "x"}) {
    EXPECT_FALSE(Term::Decimal(bad).ok()) << bad;
  }
}

TEST(TermTest, DatesAreValidated) {
  EXPECT_TRUE(Term::ParseDate("2024-02-29").ok());
  for (const char* bad : {"2023-02-29", "2024-13", "2024-00", "2024-06-31",
                          "24-06", "2024/06", "2024-6", "June 2024", ""}) {
    EXPECT_FALSE(Term::ParseDate(bad).ok()) << bad;
  }
  EXPECT_EQ(Day("2024-06").ToString(), "2024-06");
  EXPECT_EQ(DaysFromEpoch(Date{1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromEpoch(Date{2000, 3, 1}), 11017);
}

TEST(TermTest, ToStringIsReadable) {
  EXPECT_EQ(Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"),
                        Term::String("drones", "en"))
                .ToString(),
            "<< Iran supplied \"drones\"@en >>");
  EXPECT_EQ(Term::Document("x").ToString(), "doc:x");
  EXPECT_EQ(Term::Iri("http://a").ToString(), "<http://a>");
  EXPECT_EQ(Term::Quantity("26", "percent")->ToString(), "26 \"percent\"");
}

}  // namespace
}  // namespace kg
