// Key layouts of every column family (schemas/storage-format.md describes
// them). Pure functions over bytes; no RocksDB types.
#ifndef KG_KEYS_H_
#define KG_KEYS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kg/coding.h"
#include "kg/term_id.h"

namespace kg {

// The on-disk format this build reads and writes. Bump on any change to a
// key layout, a record encoding or the term-id scheme.
inline constexpr uint32_t kFormatVersion = 3;

// Column families, in the order the store opens them.
// Do not change the names (CfName): on disk.
enum class Cf : uint8_t {
  kMeta,         // "default": format version and store-wide markers
  kDict,         // TermId -> dictionary value (dictionary terms only)
  kSpo,          // s p o -> ""
  kPos,          // p o s -> ""
  kOsp,          // o s p -> ""
  kEvidence,     // claim doc ordinal -> EvidenceRecord
  kDocEvidence,  // doc claim ordinal -> ""
  kDocuments,    // doc -> DocumentRecord
  kEntities,     // entity -> EntityRecord
  kAliases,      // folded-name NUL entity -> ""
  kStats,        // 'P' predicate -> counts; 'G' name -> counter
  kText,         // token NUL claim doc ordinal -> "" (full-text index)
  kTerms,        // dictionary value -> TermId (the dictionary's inverse)
  kRanges,       // runs of plain evidence: 'c' claim / 'd' doc claim -> run
};
inline constexpr int kNumCfs = 14;
std::string_view CfName(Cf cf);

inline constexpr std::string_view kFormatVersionKey = "format_version";
// Vocabulary rules (kg/schema.h) in the meta family: "schema/" KIND "/" NAME.
inline constexpr std::string_view kSchemaKeyPrefix = "schema/";

struct Triple {
  TermId s, p, o;
  bool operator==(const Triple&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const Triple& t) {
    return H::combine(std::move(h), t.s, t.p, t.o);
  }
};

// The three orders the triples are kept in. Together they answer each of the
// 8 bound/unbound patterns with one prefix scan.
enum class Permutation : uint8_t { kSpo, kPos, kOsp };
Cf CfOf(Permutation perm);
std::string_view PermutationName(Permutation perm);

// The 24-byte key of `t` in `perm`'s order.
std::string TripleKey(Permutation perm, const Triple& t);
// Inverse of TripleKey; nullopt if `key` is malformed.
std::optional<Triple> ParseTripleKey(Permutation perm, std::string_view key);

// A triple pattern: unset positions are variables.
struct TriplePattern {
  std::optional<TermId> s, p, o;
};
// The permutation and key prefix that answer `pattern` with one scan.
struct ScanPlan {
  Permutation perm;
  std::string prefix;
};
ScanPlan PlanScan(const TriplePattern& pattern);

inline constexpr size_t kOrdinalSize = 4;
inline constexpr size_t kEvidenceKeySize = 2 * TermId::kSize + kOrdinalSize;
std::string EvidenceKey(const TermId& claim, const TermId& doc, uint32_t ordinal);
std::string DocEvidenceKey(const TermId& doc, const TermId& claim,
                           uint32_t ordinal);
struct EvidenceKeyParts {
  TermId claim, doc;
  uint32_t ordinal;
};
std::optional<EvidenceKeyParts> ParseEvidenceKey(std::string_view key);
std::optional<EvidenceKeyParts> ParseDocEvidenceKey(std::string_view key);

// A run of plain evidence (asserted, supporting, nothing else: what an RDF
// import gives each triple) that one document gives `count` claims with
// consecutive ids from `first`, at consecutive ordinals from
// `first_ordinal`: stored as two keys instead of two per claim.
struct EvidenceRun {
  TermId first;  // a claim id
  uint32_t count = 0;
  TermId doc;
  uint32_t first_ordinal = 0;
  uint64_t added_tx = 0;  // reserved for history: the transaction that wrote it
  bool Contains(const TermId& claim) const {
    return claim.tag() == first.tag() && claim.number() >= first.number() &&
           claim.number() - first.number() < count;
  }
  TermId Claim(uint32_t i) const { return TermId::Dense(first.tag(), first.number() + i); }
};
// 'c' first-claim -> count doc first-ordinal (finds the run of a claim).
std::string RunByClaimKey(const TermId& first);
std::string RunByClaimValue(const EvidenceRun& run);
// 'd' doc first-claim -> count first-ordinal (lists a document's runs).
std::string RunByDocKey(const TermId& doc, const TermId& first);
std::string RunByDocPrefix(const TermId& doc);
std::string RunByDocValue(const EvidenceRun& run);
std::optional<EvidenceRun> ParseRunByClaim(std::string_view key, std::string_view value);
std::optional<EvidenceRun> ParseRunByDoc(std::string_view key, std::string_view value);

// Text index keys: a quote token (QuoteTokens, never containing NUL), NUL,
// then the evidence key of a quote holding the token.
std::string TextPrefix(std::string_view token);
std::string TextKey(std::string_view token, std::string_view evidence_key);
struct TextKeyParts {
  std::string_view token;         // points into the parsed key
  std::string_view evidence_key;  // ditto
  EvidenceKeyParts evidence;
};
std::optional<TextKeyParts> ParseTextKey(std::string_view key);

// Alias keys: FoldName(name) NUL entity-id.
// Case-folds ASCII, collapses runs of whitespace to one space and trims.
std::string FoldName(std::string_view name);
std::string AliasPrefix(std::string_view name);
std::string AliasKey(std::string_view name, const TermId& entity);

std::string PredicateStatsKey(const TermId& predicate);
std::string CounterKey(std::string_view name);
inline constexpr std::string_view kDocumentsCounter = "documents";
inline constexpr std::string_view kEvidenceCounter = "evidence";
inline constexpr std::string_view kTriplesCounter = "triples";
// The sequence number the next dictionary term gets (TermId::Dense); claims
// are numbered on their own, so that the new claims of one document get
// consecutive ids (EvidenceRun).
inline constexpr std::string_view kNextTermCounter = "next_term";
inline constexpr std::string_view kNextClaimCounter = "next_claim";

// Per-predicate statistics a planner can use.
struct PredicateStats {
  uint64_t triples = 0;
  uint64_t distinct_subjects = 0;
  uint64_t distinct_objects = 0;
  bool operator==(const PredicateStats&) const = default;
};
std::string EncodePredicateStats(const PredicateStats& stats);
std::optional<PredicateStats> DecodePredicateStats(std::string_view value);

}  // namespace kg

#endif  // KG_KEYS_H_
