#include "kg/term_id.h"

#include <cstring>

#include "kg/str_cat.h"
#include "kg/sha256.h"

namespace kg {
namespace {

constexpr size_t kInlineStringMax = 14;
constexpr uint64_t kSignFlip = uint64_t{1} << 63;

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
    case IdTag::kDecimal:
    case IdTag::kDate:
    case IdTag::kQuantity:
    case IdTag::kClaim:
      return true;
  }
  return false;
}

IdTag HashedTagOf(const Term& term) {
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
    case TermKind::kInteger: return IdTag::kInteger;
    case TermKind::kDate: return IdTag::kDate;
  }
  return IdTag::kString;
}

void StoreBE64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
}

uint64_t LoadBE64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void PutFixed32BE(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (24 - 8 * i)));
}

void PutFixed64BE(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (56 - 8 * i)));
}

uint32_t GetFixed32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t GetFixed64BE(const char* p) {
  return LoadBE64(reinterpret_cast<const uint8_t*>(p));
}

std::optional<TermId> TermId::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize || !KnownTag(static_cast<uint8_t>(bytes[0]))) {
    return std::nullopt;
  }
  TermId id;
  std::memcpy(id.bytes_.data(), bytes.data(), kSize);
  return id;
}

bool TermId::is_inline() const {
  switch (tag()) {
    case IdTag::kStringInline:
    case IdTag::kInteger:
    case IdTag::kDate:
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

std::string DictionaryValue(const Term& term) {
  std::string out(1, static_cast<char>(HashedTagOf(term)));
  switch (term.kind()) {
    case TermKind::kString:
      if (!term.extra().empty()) {
        // Language tags never contain NUL, so "lang NUL text" is unambiguous.
        StrAppend(&out, term.extra(), std::string_view("\0", 1));
      }
      StrAppend(&out, term.text());
      break;
    case TermKind::kQuantity:
      StrAppend(&out, term.text(), std::string_view("\0", 1),
                      term.extra());
      break;
    case TermKind::kTypedLiteral:
      // IRIs never contain NUL, so "datatype NUL lexical" is unambiguous.
      StrAppend(&out, term.extra(), std::string_view("\0", 1), term.text());
      break;
    case TermKind::kClaim:
      StrAppend(&out, IdOf(term.subject()).bytes(),
                      IdOf(term.predicate()).bytes(),
                      IdOf(term.object()).bytes());
      break;
    default:
      StrAppend(&out, term.text());
  }
  return out;
}

namespace {

TermId HashedId(std::string_view dictionary_value) {
  const Sha256::Digest digest = Sha256::Hash(dictionary_value);
  std::string bytes(1, dictionary_value[0]);
  bytes.append(reinterpret_cast<const char*>(digest.data()), TermId::kSize - 1);
  return *TermId::FromBytes(bytes);
}

}  // namespace

TermId IdOf(const Term& term) {
  TermId id;
  switch (term.kind()) {
    case TermKind::kInteger:
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kInteger);
      StoreBE64(&id.bytes_[8], static_cast<uint64_t>(term.integer()) ^ kSignFlip);
      return id;
    case TermKind::kDate:
      id.bytes_[0] = static_cast<uint8_t>(IdTag::kDate);
      StoreBE64(&id.bytes_[1],
                static_cast<uint64_t>(DaysFromEpoch(term.date())) ^ kSignFlip);
      // Precision after the day number: a year sorts before its first month,
      // which sorts before that month's first day.
      id.bytes_[9] = term.date().month == 0 ? 0 : (term.date().day == 0 ? 1 : 2);
      return id;
    case TermKind::kString:
      if (term.extra().empty() && term.text().size() <= kInlineStringMax) {
        id.bytes_[0] = static_cast<uint8_t>(IdTag::kStringInline);
        std::memcpy(&id.bytes_[1], term.text().data(), term.text().size());
        id.bytes_[15] = static_cast<uint8_t>(term.text().size());
        return id;
      }
      break;
    default:
      break;
  }
  return HashedId(DictionaryValue(term));
}

TermId ClaimId(const TermId& s, const TermId& p, const TermId& o) {
  std::string value(1, static_cast<char>(IdTag::kClaim));
  StrAppend(&value, s.bytes(), p.bytes(), o.bytes());
  return HashedId(value);
}

std::optional<Term> DecodeInline(const TermId& id) {
  const auto* b = reinterpret_cast<const uint8_t*>(id.bytes().data());
  switch (id.tag()) {
    case IdTag::kInteger:
      return Term::Integer(static_cast<int64_t>(LoadBE64(b + 8) ^ kSignFlip));
    case IdTag::kDate: {
      // Convert days back to a civil date (inverse of DaysFromEpoch).
      const int64_t days = static_cast<int64_t>(LoadBE64(b + 1) ^ kSignFlip);
      // Years are 32-bit: a day count beyond ~8e11 is no date of ours (and
      // near the int64 limits the conversion below would overflow; found
      // by the codec fuzzer).
      constexpr int64_t kMaxDays = 1'000'000'000'000;
      if (days > kMaxDays || days < -kMaxDays) return std::nullopt;
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
      const uint8_t precision = b[9];
      date.month = precision >= 1 ? static_cast<uint8_t>(m) : 0;
      date.day = precision >= 2 ? static_cast<uint8_t>(d) : 0;
      auto term = Term::DateOf(date);
      if (!term.ok()) return std::nullopt;
      return *term;
    }
    case IdTag::kStringInline: {
      const size_t len = b[15];
      if (len > kInlineStringMax) return std::nullopt;
      return Term::String(std::string_view(id.bytes().data() + 1, len));
    }
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
      auto s = TermId::FromBytes(payload.substr(0, 16));
      auto p = TermId::FromBytes(payload.substr(16, 16));
      auto o = TermId::FromBytes(payload.substr(32, 16));
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
