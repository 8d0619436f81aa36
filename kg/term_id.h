// TermId: the fixed-width 8-byte key form of a Term, used in every index.
//
// Byte 0 is a tag naming the encoding (IdTag); bytes 1..7 are the payload.
// Integers that fit in 56 bits, dates, xsd:boolean literals and strings of at
// most 6 bytes without a language tag are stored inline, big-endian and
// offset so that byte order is value order. Every other term is a
// dictionary term: its payload is a sequence number the writer allocates
// (dense, from 1, never reused), and the store keeps the dictionary value
// under the id and the id under the dictionary value. See
// schemas/storage-format.md for the layouts.
#ifndef KG_TERM_ID_H_
#define KG_TERM_ID_H_

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/statusor.h"
#include "kg/term.h"

namespace kg {

// Do not change: on disk (byte 0 of every id).
enum class IdTag : uint8_t {
  kEntity = 0x10,
  kIri = 0x11,
  kDocument = 0x12,
  kBlankNode = 0x13,
  kStringInline = 0x20,
  kString = 0x21,
  kLangString = 0x22,
  kInteger = 0x30,
  kDecimal = 0x31,
  kDate = 0x32,
  kQuantity = 0x33,
  kTypedLiteral = 0x34,
  kIntegerWide = 0x35,  // an integer outside the inline range
  kBoolean = 0x36,      // "true"/"false"^^xsd:boolean, inline
  kClaim = 0x40,
};

class TermId {
 public:
  static constexpr size_t kSize = 8;
  // Sequence numbers of dictionary terms are below this; numbers with this
  // bit set are provisional ids a snapshot gives terms the store does not
  // hold (never stored).
  static constexpr uint64_t kProvisionalBit = uint64_t{1} << 55;
  static constexpr uint64_t kMaxNumber = (uint64_t{1} << 56) - 1;

  TermId() { bytes_.fill(0); }
  // nullopt unless `bytes` is kSize long with a known tag.
  static std::optional<TermId> FromBytes(std::string_view bytes);
  // The id of dictionary term number `number` (< 2^56) of kind `tag`.
  static TermId Dense(IdTag tag, uint64_t number);

  std::string_view bytes() const {
    return {reinterpret_cast<const char*>(bytes_.data()), kSize};
  }
  IdTag tag() const { return static_cast<IdTag>(bytes_[0]); }
  // The payload (bytes 1..7) as a number: a dictionary term's sequence
  // number.
  uint64_t number() const;
  // True if the term is stored in the id itself (no dictionary entry).
  bool is_inline() const;
  bool is_provisional() const { return !is_inline() && (number() & kProvisionalBit) != 0; }
  bool is_claim() const { return tag() == IdTag::kClaim; }
  std::string ToHex() const;

  auto operator<=>(const TermId&) const = default;
  bool operator==(const TermId&) const = default;

  template <typename H>
  friend H AbslHashValue(H h, const TermId& id) {
    uint64_t v;
    static_assert(sizeof(v) == kSize);
    __builtin_memcpy(&v, id.bytes_.data(), kSize);
    return H::combine(std::move(h), v);
  }

 private:
  friend std::optional<TermId> InlineId(const Term& term);
  std::array<uint8_t, kSize> bytes_;
};

// The inline id of `term`, or nullopt if it is a dictionary term.
std::optional<TermId> InlineId(const Term& term);

// The tag a dictionary term of `term`'s kind gets.
// REQUIRES: !InlineId(term).
IdTag DictionaryTag(const Term& term);

// The value the dictionary stores for `term` (tag byte, then the payload;
// schemas/storage-format.md). For a claim, use ClaimDictionaryValue.
// REQUIRES: !InlineId(term) and term is not a claim.
std::string DictionaryValue(const Term& term);
// The dictionary value of the claim (s, p, o): tag, then the three ids.
std::string ClaimDictionaryValue(const TermId& s, const TermId& p, const TermId& o);

// The term of an inline id; nullopt if `id` is not inline (or malformed).
std::optional<Term> DecodeInline(const TermId& id);

// A decoded dictionary value: a leaf term, or the ids of a claim's parts.
struct ClaimParts {
  TermId subject, predicate, object;
};
using DictionaryEntry = std::variant<Term, ClaimParts>;

// Parses a dictionary value. Errors (DataLoss) on a malformed value.
absl::StatusOr<DictionaryEntry> ParseDictionaryValue(std::string_view value);

}  // namespace kg

#endif  // KG_TERM_ID_H_
