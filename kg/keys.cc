#include "kg/keys.h"

#include "absl/strings/ascii.h"
#include "kg/str_cat.h"

namespace kg {

std::string_view CfName(Cf cf) {
  switch (cf) {
    case Cf::kMeta: return "default";
    case Cf::kDict: return "dict";
    case Cf::kSpo: return "spo";
    case Cf::kPos: return "pos";
    case Cf::kOsp: return "osp";
    case Cf::kEvidence: return "evidence";
    case Cf::kDocEvidence: return "doc_evidence";
    case Cf::kDocuments: return "documents";
    case Cf::kEntities: return "entities";
    case Cf::kAliases: return "aliases";
    case Cf::kStats: return "stats";
    case Cf::kText: return "text";
    case Cf::kTerms: return "terms";
    case Cf::kRanges: return "ranges";
  }
  return "";
}

Cf CfOf(Permutation perm) {
  switch (perm) {
    case Permutation::kSpo: return Cf::kSpo;
    case Permutation::kPos: return Cf::kPos;
    case Permutation::kOsp: return Cf::kOsp;
  }
  return Cf::kSpo;
}

std::string_view PermutationName(Permutation perm) {
  switch (perm) {
    case Permutation::kSpo: return "SPO";
    case Permutation::kPos: return "POS";
    case Permutation::kOsp: return "OSP";
  }
  return "";
}

std::string TripleKey(Permutation perm, const Triple& t) {
  switch (perm) {
    case Permutation::kSpo: return StrCat(t.s.bytes(), t.p.bytes(), t.o.bytes());
    case Permutation::kPos: return StrCat(t.p.bytes(), t.o.bytes(), t.s.bytes());
    case Permutation::kOsp: return StrCat(t.o.bytes(), t.s.bytes(), t.p.bytes());
  }
  return "";
}

std::optional<Triple> ParseTripleKey(Permutation perm, std::string_view key) {
  if (key.size() != 3 * TermId::kSize) return std::nullopt;
  constexpr size_t n = TermId::kSize;
  auto a = TermId::FromBytes(key.substr(0, n));
  auto b = TermId::FromBytes(key.substr(n, n));
  auto c = TermId::FromBytes(key.substr(2 * n, n));
  if (!a || !b || !c) return std::nullopt;
  switch (perm) {
    case Permutation::kSpo: return Triple{*a, *b, *c};
    case Permutation::kPos: return Triple{*c, *a, *b};
    case Permutation::kOsp: return Triple{*b, *c, *a};
  }
  return std::nullopt;
}

ScanPlan PlanScan(const TriplePattern& q) {
  // Choose the order whose leading positions are exactly the bound ones.
  auto b = [](const std::optional<TermId>& id) { return std::string(id->bytes()); };
  if (q.s && q.p) return {Permutation::kSpo, q.o ? b(q.s) + b(q.p) + b(q.o) : b(q.s) + b(q.p)};
  if (q.s && q.o) return {Permutation::kOsp, b(q.o) + b(q.s)};
  if (q.p && q.o) return {Permutation::kPos, b(q.p) + b(q.o)};
  if (q.s) return {Permutation::kSpo, b(q.s)};
  if (q.p) return {Permutation::kPos, b(q.p)};
  if (q.o) return {Permutation::kOsp, b(q.o)};
  return {Permutation::kSpo, ""};
}

std::string EvidenceKey(const TermId& claim, const TermId& doc, uint32_t ordinal) {
  std::string key = StrCat(claim.bytes(), doc.bytes());
  PutFixed32BE(&key, ordinal);
  return key;
}

std::string DocEvidenceKey(const TermId& doc, const TermId& claim,
                           uint32_t ordinal) {
  std::string key = StrCat(doc.bytes(), claim.bytes());
  PutFixed32BE(&key, ordinal);
  return key;
}

namespace {

std::optional<EvidenceKeyParts> ParseTwoIdsAndOrdinal(std::string_view key,
                                                      bool claim_first) {
  if (key.size() != 2 * TermId::kSize + kOrdinalSize) return std::nullopt;
  constexpr size_t n = TermId::kSize;
  auto a = TermId::FromBytes(key.substr(0, n));
  auto b = TermId::FromBytes(key.substr(n, n));
  if (!a || !b) return std::nullopt;
  const uint32_t ordinal = GetFixed32BE(key.data() + 2 * n);
  if (claim_first) return EvidenceKeyParts{*a, *b, ordinal};
  return EvidenceKeyParts{*b, *a, ordinal};
}

}  // namespace

std::optional<EvidenceKeyParts> ParseEvidenceKey(std::string_view key) {
  auto parts = ParseTwoIdsAndOrdinal(key, /*claim_first=*/true);
  if (parts && !parts->claim.is_claim()) return std::nullopt;
  return parts;
}

std::optional<EvidenceKeyParts> ParseDocEvidenceKey(std::string_view key) {
  auto parts = ParseTwoIdsAndOrdinal(key, /*claim_first=*/false);
  if (parts && !parts->claim.is_claim()) return std::nullopt;
  return parts;
}

std::string RunByClaimKey(const TermId& first) { return StrCat("c", first.bytes()); }

std::string RunByClaimValue(const EvidenceRun& run) {
  std::string out;
  PutFixed32BE(&out, run.count);
  out.append(run.doc.bytes());
  PutFixed32BE(&out, run.first_ordinal);
  PutVarint64(&out, run.added_tx);
  return out;
}

std::string RunByDocPrefix(const TermId& doc) { return StrCat("d", doc.bytes()); }

std::string RunByDocKey(const TermId& doc, const TermId& first) {
  return StrCat("d", doc.bytes(), first.bytes());
}

std::string RunByDocValue(const EvidenceRun& run) {
  std::string out;
  PutFixed32BE(&out, run.count);
  PutFixed32BE(&out, run.first_ordinal);
  PutVarint64(&out, run.added_tx);
  return out;
}

std::optional<EvidenceRun> ParseRunByClaim(std::string_view key, std::string_view value) {
  constexpr size_t n = TermId::kSize;
  if (key.size() != 1 + n || key[0] != 'c' || value.size() < 4 + n + 4 + 1) return std::nullopt;
  auto first = TermId::FromBytes(key.substr(1));
  auto doc = TermId::FromBytes(value.substr(4, n));
  std::string_view rest = value.substr(4 + n + 4);
  uint64_t tx = 0;
  if (!first || !doc || !first->is_claim() || !GetVarint64(&rest, &tx) || !rest.empty()) {
    return std::nullopt;
  }
  return EvidenceRun{*first, GetFixed32BE(value.data()), *doc, GetFixed32BE(value.data() + 4 + n),
                     tx};
}

std::optional<EvidenceRun> ParseRunByDoc(std::string_view key, std::string_view value) {
  constexpr size_t n = TermId::kSize;
  if (key.size() != 1 + 2 * n || key[0] != 'd' || value.size() < 9) return std::nullopt;
  auto doc = TermId::FromBytes(key.substr(1, n));
  auto first = TermId::FromBytes(key.substr(1 + n));
  std::string_view rest = value.substr(8);
  uint64_t tx = 0;
  if (!first || !doc || !first->is_claim() || !GetVarint64(&rest, &tx) || !rest.empty()) {
    return std::nullopt;
  }
  return EvidenceRun{*first, GetFixed32BE(value.data()), *doc, GetFixed32BE(value.data() + 4), tx};
}

std::string TextPrefix(std::string_view token) { return StrCat(token, '\0'); }

std::string TextKey(std::string_view token, std::string_view evidence_key) {
  return StrCat(token, '\0', evidence_key);
}

std::optional<TextKeyParts> ParseTextKey(std::string_view key) {
  // The evidence key has a fixed size, so the separator is found from the end.
  if (key.size() < kEvidenceKeySize + 2) return std::nullopt;
  const size_t nul = key.size() - kEvidenceKeySize - 1;
  const std::string_view token = key.substr(0, nul);
  if (key[nul] != '\0' || token.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view evidence_key = key.substr(nul + 1);
  auto parts = ParseEvidenceKey(evidence_key);
  if (!parts) return std::nullopt;
  return TextKeyParts{token, evidence_key, *parts};
}

std::string FoldName(std::string_view name) {
  std::string out;
  bool pending_space = false;
  for (char c : name) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string AliasPrefix(std::string_view name) {
  std::string key = FoldName(name);
  key.push_back('\0');
  return key;
}

std::string AliasKey(std::string_view name, const TermId& entity) {
  return StrCat(AliasPrefix(name), entity.bytes());
}

std::string PredicateStatsKey(const TermId& predicate) {
  return StrCat("P", predicate.bytes());
}

std::string CounterKey(std::string_view name) { return StrCat("G", name); }

std::string EncodePredicateStats(const PredicateStats& s) {
  std::string out;
  PutFixed64BE(&out, s.triples);
  PutFixed64BE(&out, s.distinct_subjects);
  PutFixed64BE(&out, s.distinct_objects);
  return out;
}

std::optional<PredicateStats> DecodePredicateStats(std::string_view v) {
  if (v.size() != 24) return std::nullopt;
  return PredicateStats{GetFixed64BE(v.data()), GetFixed64BE(v.data() + 8),
                        GetFixed64BE(v.data() + 16)};
}

}  // namespace kg
