// Private to kg/*.cc: a document write validated and resolved to terms
// (store_prepare.cc), which the incremental write path (store_write.cc) and
// the bulk load (bulk_load.cc) both apply, and the value encodings they
// share.
#ifndef KG_PREPARED_H_
#define KG_PREPARED_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/codec.h"
#include "kg/keys.h"
#include "kg/model.h"
#include "kg/term_id.h"

namespace kg {

// A term of a prepared write, by its position in Prepared::terms.
using TermRef = uint32_t;
inline constexpr TermRef kNoTerm = ~TermRef{0};

// A document write validated and resolved to terms: its document record,
// each piece of evidence with its claim and record, the terms it uses and
// its entity declarations. Made without reading the store (Prepare, in
// store_prepare.cc); ResolveIds then gives every term its id, and the
// Encode functions produce the keys and values.
struct Prepared {
  struct Ev {
    TermRef claim = kNoTerm, s = kNoTerm, p = kNoTerm, o = kNoTerm;
    uint32_t ordinal = 0;
    EvidenceRecord record;  // ids empty: filled from the refs below by Encode
    TermRef agent = kNoTerm;
    std::vector<TermRef> via;
    std::vector<TermRef> qualifier_values;  // parallel to record.qualifiers
  };
  // Each term once; a claim's parts come before the claim.
  std::vector<Term> terms;
  std::vector<std::array<TermRef, 3>> parts;  // parallel to terms; claims only
  std::vector<std::string> values;  // parallel to terms: dictionary values of leaf terms
  absl::flat_hash_map<std::string, TermRef> index;  // TermKey -> position
  TermRef doc = kNoTerm;
  DocumentRecord doc_record;          // link target ids filled by Encode
  std::vector<TermRef> link_targets;  // parallel to doc_record.links
  std::vector<Ev> evidence;
  std::vector<Entity> entities;

  // Filled by ResolveIds.
  std::vector<TermId> ids;  // parallel to terms
  // Terms this write adds to the dictionary: id and dictionary value, in
  // allocation order.
  std::vector<std::pair<TermId, std::string>> new_terms;

  TermRef AddTerm(const Term& t);
  TermRef Find(const Term& t) const;  // kNoTerm if not added
  const TermId& id(TermRef r) const { return ids[r]; }
  TermId doc_id() const { return ids[doc]; }
  Triple TripleOf(const Ev& ev) const { return {ids[ev.s], ids[ev.p], ids[ev.o]}; }
  // The evidence value: empty for plain evidence (asserted, supporting, no
  // quote, span, agent, via or qualifiers: what an RDF import gives every
  // triple), else the record (kg/codec.h).
  std::string EncodeEvidenceValue(const Ev& ev) const;
  static bool IsPlain(const Ev& ev);
  DocumentRecord ResolvedDocumentRecord() const;
};

// Where ResolveIds gets ids: the store (under the write lock) or a bulk
// load's own map.
class IdSource {
 public:
  virtual ~IdSource() = default;
  // The id of the dictionary term with `value` (tag byte first); allocates
  // one (and sets *added) if the term is new.
  virtual absl::StatusOr<TermId> IdFor(std::string_view value, bool* added) = 0;
};

// Gives every term of `p` its id (inline, found, or newly allocated).
absl::Status ResolveIds(Prepared& p, IdSource& source);

// How a resolved write's evidence is stored: runs of plain evidence for
// claims this write numbered, with consecutive ids and ordinals (at least
// two long), and every other piece of evidence (indexes into p.evidence)
// under its own key.
struct EvidenceLayout {
  std::vector<EvidenceRun> runs;
  std::vector<size_t> keyed;
};
EvidenceLayout LayOutEvidence(const Prepared& p);

// History-ready (schemas/storage-format.md, "Reserved for history"): every
// evidence value, run and document value starts with the transaction that
// wrote it, a varint; 0 until the store records transactions.
inline constexpr uint64_t kNoTransaction = 0;

// The evidence record of an evidence value (added-tx varint, then nothing
// for plain evidence or the record).
absl::StatusOr<EvidenceRecord> DecodeEvidenceValue(std::string_view value);
// A document value: added-tx varint, then the record.
std::string EncodeDocumentValue(const DocumentRecord& record, uint64_t added_tx = kNoTransaction);
absl::StatusOr<DocumentRecord> DecodeDocumentValue(std::string_view value);

// Validates and encodes `w`, numbering its evidence from `first_ordinal`.
// InvalidArgument names the offending claim or field.
absl::StatusOr<Prepared> Prepare(const DocumentWrite& w, uint32_t first_ordinal = 0);

// OK if `name` (a document id, entity name, alias or IRI; `what` says which,
// for the message) is non-empty valid UTF-8 without NUL bytes.
absl::Status ValidateName(std::string_view what, std::string_view name);

// OK if Prepare accepts `t` as a term of a claim (names, text and language
// tags well formed, claims nested at most 32 deep); the message names the
// offending field, not where the term is.
absl::Status ValidateTermForWrite(const Term& t);

}  // namespace kg

#endif  // KG_PREPARED_H_
