// TermId: the fixed-width 16-byte key form of a Term, used in every index.
//
// Byte 0 is a tag naming the encoding (IdTag). Integers, dates and strings of
// at most 14 bytes without a language tag are stored inline in bytes 1..15,
// big-endian and sign-flipped so that byte order is value order. Every other
// term is hashed: bytes 1..15 are the first 15 bytes of SHA-256 over its
// dictionary value (tag byte + canonical payload), and the dictionary maps the
// id back to the value. See schemas/storage-format.md for the layouts.
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
  kClaim = 0x40,
};

class TermId {
 public:
  static constexpr size_t kSize = 16;

  TermId() { bytes_.fill(0); }
  // nullopt unless `bytes` is kSize long with a known tag.
  static std::optional<TermId> FromBytes(std::string_view bytes);

  std::string_view bytes() const {
    return {reinterpret_cast<const char*>(bytes_.data()), kSize};
  }
  IdTag tag() const { return static_cast<IdTag>(bytes_[0]); }
  // True if the term is stored in the id itself (no dictionary entry).
  bool is_inline() const;
  bool is_claim() const { return tag() == IdTag::kClaim; }
  std::string ToHex() const;

  auto operator<=>(const TermId&) const = default;
  bool operator==(const TermId&) const = default;

  template <typename H>
  friend H AbslHashValue(H h, const TermId& id) {
    return H::combine(std::move(h), id.bytes());
  }

 private:
  friend TermId IdOf(const Term& term);
  friend TermId ClaimId(const TermId& s, const TermId& p, const TermId& o);
  std::array<uint8_t, kSize> bytes_;
};

// The id of `term`. Deterministic: equal terms give equal ids on every
// machine and in every version of this format.
TermId IdOf(const Term& term);
// The id of the claim (s, p, o), without needing the component terms.
TermId ClaimId(const TermId& s, const TermId& p, const TermId& o);

// The value stored in the dictionary under IdOf(term).
// REQUIRES: !IdOf(term).is_inline().
std::string DictionaryValue(const Term& term);

// The term of an inline id; nullopt if `id` is not inline.
std::optional<Term> DecodeInline(const TermId& id);

// A decoded dictionary value: a leaf term, or the ids of a claim's parts.
struct ClaimParts {
  TermId subject, predicate, object;
};
using DictionaryEntry = std::variant<Term, ClaimParts>;

// Parses a dictionary value. Errors (DataLoss) on a malformed value.
absl::StatusOr<DictionaryEntry> ParseDictionaryValue(std::string_view value);

// Big-endian fixed-width integer helpers shared by key codecs.
void PutFixed32BE(std::string* out, uint32_t v);
void PutFixed64BE(std::string* out, uint64_t v);
uint32_t GetFixed32BE(const char* p);
uint64_t GetFixed64BE(const char* p);

}  // namespace kg

#endif  // KG_TERM_ID_H_
