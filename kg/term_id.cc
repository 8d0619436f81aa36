#include "kg/term_id.h"

#include <charconv>
#include <cstring>

#include "kg/coding.h"
#include "kg/str_cat.h"

namespace kg {
namespace {

constexpr size_t kPayload = TermId::kSize - 1;  // bytes 1..7
constexpr size_t kInlineStringMax = kPayload - 1;  // the last byte is the length
// Inline integers: [-2^55, 2^55), stored as value + 2^55 in 56 bits.
constexpr int64_t kInlineIntegerLimit = int64_t{1} << 55;
// Dates: days since 1970-01-01 + 2^47 in bytes 1..6, precision in byte 7.
constexpr int64_t kDayOffset = int64_t{1} << 47;
constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";

bool KnownTag(uint8_t tag) {
  switch (static_cast<IdTag>(tag)) {
    case IdTag::kEntity:
    case IdTag::kIri:
    case IdTag::kDocument:
    case IdTag::kBlankNode:
    case IdTag::kTypedLiteral:
    case IdTag::kStringInline:
    case IdTag::kString:
    case IdTag::kLangString:
    case IdTag::kInteger:
    case IdTag::kIntegerWide:
    case IdTag::kBoolean:
    case IdTag::kDecimal:
    case IdTag::kDate:
    case IdTag::kQuantity:
    case IdTag::kClaim:
      return true;
  }
  return false;
}

std::optional<Term> DateFromDays(int64_t days, uint8_t precision) {
  // Years are 32-bit: a day count beyond ~8e11 is no date of ours.
  constexpr int64_t kMaxDays = 1'000'000'000'000;
  if (days > kMaxDays || days < -kMaxDays || precision > 2) return std::nullopt;
  // Civil date from days (inverse of DaysFromEpoch).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  Date date;
  date.year = static_cast<int32_t>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  date.month = precision >= 1 ? static_cast<uint8_t>(m) : 0;
  date.day = precision >= 2 ? static_cast<uint8_t>(d) : 0;
  auto term = Term::DateOf(date);
  if (!term.ok()) return std::nullopt;
  return *term;
}

}  // namespace

std::optional<TermId> TermId::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize || !KnownTag(static_cast<uint8_t>(bytes[0]))) {
    return std::nullopt;
  }
  TermId id;
  std::memcpy(id.bytes_.data(), bytes.data(), kSize);
  return id;
}

TermId TermId::Dense(IdTag tag, uint64_t number) {
  TermId id;
  id.bytes_[0] = static_cast<uint8_t>(tag);
  StoreBigEndian(&id.bytes_[1], number & kMaxNumber, kPayload);
  return id;
}

uint64_t TermId::number() const { return LoadBigEndian(&bytes_[1], kPayload); }

bool TermId::is_inline() const {
  switch (tag()) {
    case IdTag::kStringInline:
    case IdTag::kInteger:
    case IdTag::kDate:
    case IdTag::kBoolean:
      return true;
    default:
      return false;
  }
}

std::string TermId::ToHex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes_) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::optional<TermId> InlineId(const Term& term) {
  TermId id;
  switch (term.kind()) {
    case TermKind::kInteger: {
      const int64_t v = term.integer();
      if (v < -kInlineIntegerLimit || v >= kInlineIntegerLimit) return std::nullopt;
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kInteger);
      StoreBigEndian(&id.bytes_[1], static_cast<uint64_t>(v + kInlineIntegerLimit), kPayload);
      return id;
    }
    case TermKind::kDate: {
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kDate);
      StoreBigEndian(&id.bytes_[1], static_cast<uint64_t>(DaysFromEpoch(term.date()) + kDayOffset),
                     kPayload - 1);
      // Precision after the day number: a year sorts before its first month,
      // which sorts before that month's first day.
      id.bytes_[7] = term.date().month == 0 ? 0 : (term.date().day == 0 ? 1 : 2);
      return id;
    }
    case TermKind::kString:
      if (!term.extra().empty() || term.text().size() > kInlineStringMax) return std::nullopt;
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kStringInline);
      std::memcpy(&id.bytes_[1], term.text().data(), term.text().size());
      id.bytes_[7] = static_cast<uint8_t>(term.text().size());
      return id;
    case TermKind::kTypedLiteral:
      if (term.extra() != kXsdBoolean || (term.text() != "true" && term.text() != "false")) {
        return std::nullopt;
      }
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kBoolean);
      id.bytes_[7] = term.text() == "true" ? 1 : 0;
      return id;
    default:
      return std::nullopt;
  }
}

IdTag DictionaryTag(const Term& term) {
  switch (term.kind()) {
    case TermKind::kEntity: return IdTag::kEntity;
    case TermKind::kIri: return IdTag::kIri;
    case TermKind::kDocument: return IdTag::kDocument;
    case TermKind::kString:
      return term.extra().empty() ? IdTag::kString : IdTag::kLangString;
    case TermKind::kDecimal: return IdTag::kDecimal;
    case TermKind::kQuantity: return IdTag::kQuantity;
    case TermKind::kClaim: return IdTag::kClaim;
    case TermKind::kBlankNode: return IdTag::kBlankNode;
    case TermKind::kTypedLiteral: return IdTag::kTypedLiteral;
    case TermKind::kInteger: return IdTag::kIntegerWide;
    case TermKind::kDate: return IdTag::kDate;  // never: dates are inline
  }
  return IdTag::kString;
}

std::string DictionaryValue(const Term& term) {
  std::string out(1, static_cast<char>(DictionaryTag(term)));
  switch (term.kind()) {
    case TermKind::kString:
      if (!term.extra().empty()) {
        // Language tags never contain NUL, so "lang NUL text" is unambiguous.
        StrAppend(&out, term.extra(), std::string_view("\0", 1));
      }
      StrAppend(&out, term.text());
      break;
    case TermKind::kQuantity:
      StrAppend(&out, term.text(), std::string_view("\0", 1), term.extra());
      break;
    case TermKind::kTypedLiteral:
      // IRIs never contain NUL, so "datatype NUL lexical" is unambiguous.
      StrAppend(&out, term.extra(), std::string_view("\0", 1), term.text());
      break;
    case TermKind::kInteger:
      StrAppend(&out, term.integer());
      break;
    default:
      StrAppend(&out, term.text());
  }
  return out;
}

std::string ClaimDictionaryValue(const TermId& s, const TermId& p, const TermId& o) {
  std::string value(1, static_cast<char>(IdTag::kClaim));
  StrAppend(&value, s.bytes(), p.bytes(), o.bytes());
  return value;
}

std::optional<Term> DecodeInline(const TermId& id) {
  const auto* b = reinterpret_cast<const uint8_t*>(id.bytes().data());
  switch (id.tag()) {
    case IdTag::kInteger:
      return Term::Integer(static_cast<int64_t>(LoadBigEndian(b + 1, kPayload)) -
                           kInlineIntegerLimit);
    case IdTag::kDate:
      return DateFromDays(static_cast<int64_t>(LoadBigEndian(b + 1, kPayload - 1)) - kDayOffset,
                          b[7]);
    case IdTag::kStringInline: {
      const size_t len = b[7];
      if (len > kInlineStringMax) return std::nullopt;
      return Term::String(std::string_view(id.bytes().data() + 1, len));
    }
    case IdTag::kBoolean:
      if (b[7] > 1) return std::nullopt;
      return Term::TypedLiteral(b[7] ? "true" : "false", kXsdBoolean);
    default:
      return std::nullopt;
  }
}

absl::StatusOr<DictionaryEntry> ParseDictionaryValue(std::string_view value) {
  if (value.empty()) return absl::DataLossError("empty dictionary value");
  const auto tag = static_cast<IdTag>(value[0]);
  std::string_view payload = value.substr(1);
  auto split_nul = [&](std::string_view* a, std::string_view* b) {
    const size_t nul = payload.find('\0');
    if (nul == std::string_view::npos) return false;
    *a = payload.substr(0, nul);
    *b = payload.substr(nul + 1);
    return true;
  };
  switch (tag) {
    case IdTag::kEntity: return Term::Entity(payload);
    case IdTag::kIri: return Term::Iri(payload);
    case IdTag::kDocument: return Term::Document(payload);
    case IdTag::kBlankNode: return Term::BlankNode(payload);
    case IdTag::kTypedLiteral: {
      std::string_view datatype, lexical;
      if (!split_nul(&datatype, &lexical)) break;
      return Term::TypedLiteral(lexical, datatype);
    }
    case IdTag::kString: return Term::String(payload);
    case IdTag::kLangString: {
      std::string_view lang, text;
      if (!split_nul(&lang, &text)) break;
      return Term::String(text, lang);
    }
    case IdTag::kIntegerWide: {
      int64_t v = 0;
      const char* end = payload.data() + payload.size();
      auto [ptr, ec] = std::from_chars(payload.data(), end, v);
      if (ec != std::errc() || ptr != end || payload.empty()) break;
      return Term::Integer(v);
    }
    case IdTag::kDecimal: {
      auto t = Term::Decimal(payload);
      if (!t.ok()) break;
      return *t;
    }
    case IdTag::kQuantity: {
      std::string_view amount, unit;
      if (!split_nul(&amount, &unit)) break;
      auto t = Term::Quantity(amount, unit);
      if (!t.ok()) break;
      return *t;
    }
    case IdTag::kClaim: {
      if (payload.size() != 3 * TermId::kSize) break;
      auto s = TermId::FromBytes(payload.substr(0, TermId::kSize));
      auto p = TermId::FromBytes(payload.substr(TermId::kSize, TermId::kSize));
      auto o = TermId::FromBytes(payload.substr(2 * TermId::kSize, TermId::kSize));
      if (!s || !p || !o) break;
      return ClaimParts{*s, *p, *o};
    }
    default:
      break;
  }
  return absl::DataLossError(StrCat(
      "malformed dictionary value with tag ",
      static_cast<int>(static_cast<uint8_t>(value[0]))));
}

}  // namespace kg
