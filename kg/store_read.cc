// The read path: snapshots, prefix scans over the triple orders, and
// decoding of terms, evidence, documents and statistics.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "kg/str_cat.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/prepared.h"
#include "kg/text_index_internal.h"
#include "kg/status_macros.h"

namespace kg {
namespace {

constexpr int kMaxDecodeDepth = 64;

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

// Index iterators of one snapshot kept for reuse: creating a RocksDB
// iterator costs about as much as reading a dozen keys, and a join seeks
// the inner index once per outer row (measured: 20 % of a 4,399-seek join
// went to creating iterators). Shared by the snapshot and its cursors, so
// a cursor may outlive its snapshot. Thread-safe.
class IteratorPool {
 public:
  IteratorPool(std::shared_ptr<Db> db, const rocksdb::ReadOptions& ro) : db_(std::move(db)), ro_(ro) {}
  ~IteratorPool() {
    for (auto& list : free_) list.clear();  // before db_ can close
  }

  // An iterator over `cf` positioned at the first key >= `prefix`.
  std::unique_ptr<rocksdb::Iterator> Take(Cf cf, std::string_view prefix) {
    std::unique_ptr<rocksdb::Iterator> it;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& list = free_[static_cast<int>(cf)];
      if (!list.empty()) {
        it = std::move(list.back());
        list.pop_back();
      }
    }
    if (!it) return NewPrefixIterator(*db_, cf, ro_, prefix);
    it->Seek(ToSlice(prefix));
    return it;
  }
  void Give(Cf cf, std::unique_ptr<rocksdb::Iterator> it) {
    if (!it || !it->status().ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto& list = free_[static_cast<int>(cf)];
    if (list.size() < kKeep) list.push_back(std::move(it));
  }
  const std::shared_ptr<Db>& db() const { return db_; }

 private:
  static constexpr size_t kKeep = 8;
  std::shared_ptr<Db> db_;
  rocksdb::ReadOptions ro_;
  std::mutex mu_;
  std::vector<std::unique_ptr<rocksdb::Iterator>> free_[kNumCfs];
};

struct Snapshot::Impl {
  // Ids this snapshot gave terms the store does not hold (Snapshot::IdOf):
  // by dictionary value, and back.
  struct Provisional {
    std::mutex mu;
    uint64_t next = TermId::kProvisionalBit;
    absl::flat_hash_map<std::string, TermId> ids;
    absl::flat_hash_map<TermId, std::string> values;
  };
  std::shared_ptr<Db> db;
  mutable Provisional provisional;
  std::shared_ptr<IteratorPool> pool;  // made with the read options below
  const rocksdb::Snapshot* snapshot = nullptr;
  std::shared_lock<std::shared_mutex> follow_lock;  // followers only
  rocksdb::ReadOptions ro;

  ~Impl() {
    if (snapshot != nullptr) db->db->ReleaseSnapshot(snapshot);
  }

  absl::StatusOr<Term> Decode(const TermId& id, int depth) const {
    if (auto inline_term = DecodeInline(id)) return *inline_term;
    if (depth > kMaxDecodeDepth) {
      return absl::DataLossError("claim terms nested too deep (cycle?)");
    }
    if (id.is_provisional()) {
      KG_ASSIGN_OR_RETURN(std::string value, ProvisionalValue(id));
      KG_ASSIGN_OR_RETURN(DictionaryEntry entry, ParseDictionaryValue(value));
      return EntryTerm(entry, depth);
    }
    // A term id is never reused for another term, so a decoded term never
    // goes stale: the store-wide cache needs no invalidation.
    rocksdb::Cache* cache = db->term_cache.get();
    if (cache != nullptr && !id.is_claim()) {
      if (rocksdb::Cache::Handle* h = cache->Lookup(ToSlice(id.bytes()))) {
        Term t = *static_cast<const Term*>(cache->Value(h));
        cache->Release(h);
        return t;
      }
    }
    std::string value;
    auto s = db->db->Get(ro, db->cf(Cf::kDict), id.bytes(), &value);
    if (s.IsNotFound()) {
      return absl::NotFoundError(StrCat("term ", id.ToHex(), " not in dictionary"));
    }
    KG_RETURN_IF_ERROR(FromRocks(s, "reading dictionary"));
    KG_ASSIGN_OR_RETURN(DictionaryEntry entry, ParseDictionaryValue(value));
    if (auto* term = std::get_if<Term>(&entry)) {
      if (cache != nullptr) {
        auto* copy = new Term(*term);
        cache->Insert(ToSlice(id.bytes()), copy, value.size() + sizeof(Term),
                      [](const rocksdb::Slice&, void* v) { delete static_cast<Term*>(v); })
            .PermitUncheckedError();  // when full of pinned entries, not cached
      }
      return *term;
    }
    return EntryTerm(entry, depth);
  }

  absl::StatusOr<Term> EntryTerm(const DictionaryEntry& entry, int depth) const {
    if (const auto* term = std::get_if<Term>(&entry)) return *term;
    const auto& parts = std::get<ClaimParts>(entry);
    KG_ASSIGN_OR_RETURN(Term subject, Decode(parts.subject, depth + 1));
    KG_ASSIGN_OR_RETURN(Term predicate, Decode(parts.predicate, depth + 1));
    KG_ASSIGN_OR_RETURN(Term object, Decode(parts.object, depth + 1));
    return Term::Claim(std::move(subject), std::move(predicate), std::move(object));
  }

  absl::StatusOr<std::string> ProvisionalValue(const TermId& id) const {
    std::lock_guard<std::mutex> lock(provisional.mu);
    auto it = provisional.values.find(id);
    if (it == provisional.values.end()) {
      return absl::NotFoundError(StrCat("term ", id.ToHex(), " not in dictionary"));
    }
    return it->second;
  }

  // The id of the dictionary term with `value`: the stored one, or a
  // provisional one of this snapshot.
  absl::StatusOr<TermId> IdOfValue(const std::string& value) const {
    KG_ASSIGN_OR_RETURN(std::optional<TermId> stored, LookupTermId(*db, ro, value));
    if (stored) return *stored;
    std::lock_guard<std::mutex> lock(provisional.mu);
    auto [it, inserted] = provisional.ids.try_emplace(value);
    if (inserted) {
      it->second = TermId::Dense(static_cast<IdTag>(value[0]), provisional.next++);
      provisional.values.emplace(it->second, value);
    }
    return it->second;
  }

  absl::StatusOr<TermId> IdOf(const Term& term, int depth) const {
    if (auto id = InlineId(term)) return *id;
    if (term.kind() != TermKind::kClaim) return IdOfValue(DictionaryValue(term));
    if (depth > kMaxDecodeDepth) return absl::InvalidArgumentError("claim nested too deep");
    KG_ASSIGN_OR_RETURN(TermId s, IdOf(term.subject(), depth + 1));
    KG_ASSIGN_OR_RETURN(TermId p, IdOf(term.predicate(), depth + 1));
    KG_ASSIGN_OR_RETURN(TermId o, IdOf(term.object(), depth + 1));
    return IdOfValue(ClaimDictionaryValue(s, p, o));
  }

  static std::optional<Span> ToSpan(const SpanRecord& r) {
    if (!r.present) return std::nullopt;
    return Span{r.start, r.end};
  }

  absl::StatusOr<Term> DecodeBytes(std::string_view bytes) const {
    auto id = TermId::FromBytes(bytes);
    if (!id) return absl::DataLossError("malformed term id in record");
    return Decode(*id, 0);
  }

  absl::StatusOr<Evidence> ToEvidence(const EvidenceRecord& r) const {
    Evidence ev;
    ev.quote = r.quote;
    ev.span = ToSpan(r.span);
    if (!r.agent_id.empty()) {
      KG_ASSIGN_OR_RETURN(Term agent, DecodeBytes(r.agent_id));
      ev.agent = std::move(agent);
    }
    for (const auto& v : r.via_ids) {
      KG_ASSIGN_OR_RETURN(Term t, DecodeBytes(v));
      ev.via.push_back(std::move(t));
    }
    if (r.hedge >= std::size(kAllHedges) || r.stance > 1) {
      return absl::DataLossError("evidence record has an unknown hedge or stance");
    }
    ev.hedge = static_cast<Hedge>(r.hedge);
    ev.stance = static_cast<Stance>(r.stance);
    ev.negated = r.negated;
    for (const auto& q : r.qualifiers) {
      KG_ASSIGN_OR_RETURN(Term value, DecodeBytes(q.value_id));
      ev.qualifiers.push_back({q.key, std::move(value)});
    }
    return ev;
  }

  absl::StatusOr<EvidenceEntry> ReadEvidence(const EvidenceKeyParts& parts,
                                             std::string_view value) const {
    KG_ASSIGN_OR_RETURN(EvidenceRecord rec, DecodeEvidenceValue(value));
    return ReadEvidence(parts, rec);
  }

  absl::StatusOr<EvidenceEntry> ReadEvidence(const EvidenceKeyParts& parts,
                                             const EvidenceRecord& rec) const {
    KG_ASSIGN_OR_RETURN(Term doc, Decode(parts.doc, 0));
    if (doc.kind() != TermKind::kDocument) {
      return absl::DataLossError("evidence refers to a non-document term");
    }
    EvidenceEntry entry;
    entry.claim = parts.claim;
    entry.document_id = doc.text();
    entry.ordinal = parts.ordinal;
    KG_ASSIGN_OR_RETURN(entry.evidence, ToEvidence(rec));
    return entry;
  }
};

struct TripleCursor::Impl {
  std::shared_ptr<IteratorPool> pool;  // keeps the database open while iterating
  std::unique_ptr<rocksdb::Iterator> it;
  Permutation perm;
  std::string prefix;
  Triple current;
  bool valid = false;
  absl::Status status;

  void Settle() {
    valid = false;
    if (!it->Valid()) {
      status = FromRocks(it->status(), "scanning index");
      return;
    }
    if (!it->key().starts_with(ToSlice(prefix))) return;
    auto t = ParseTripleKey(perm, it->key().ToStringView());
    if (!t) {
      status = absl::DataLossError(StrCat(
          "malformed key in ", PermutationName(perm), " index"));
      return;
    }
    current = *t;
    valid = true;
  }

  ~Impl() { pool->Give(CfOf(perm), std::move(it)); }
};

TripleCursor::TripleCursor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TripleCursor::TripleCursor(TripleCursor&&) noexcept = default;
TripleCursor& TripleCursor::operator=(TripleCursor&&) noexcept = default;
TripleCursor::~TripleCursor() = default;
bool TripleCursor::Valid() const { return impl_->valid; }
void TripleCursor::Next() {
  impl_->it->Next();
  impl_->Settle();
}
const Triple& TripleCursor::triple() const { return impl_->current; }
absl::Status TripleCursor::status() const { return impl_->status; }
Permutation TripleCursor::permutation() const { return impl_->perm; }

Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Snapshot::~Snapshot() = default;

std::unique_ptr<Snapshot> Store::NewSnapshot() const {
  auto impl = std::make_unique<Snapshot::Impl>();
  impl->db = db_;
  if (!db_->options.follower_dir.empty()) {
    impl->follow_lock = std::shared_lock<std::shared_mutex>(db_->follow_mu);
  } else {
    impl->snapshot = db_->db->GetSnapshot();
    impl->ro.snapshot = impl->snapshot;
  }
  impl->pool = std::make_shared<IteratorPool>(db_, impl->ro);
  return std::unique_ptr<Snapshot>(new Snapshot(std::move(impl)));
}

TripleCursor Snapshot::Scan(const TriplePattern& pattern) const {
  ScanPlan plan = PlanScan(pattern);
  auto impl = std::make_unique<TripleCursor::Impl>();
  impl->pool = impl_->pool;
  impl->perm = plan.perm;
  impl->prefix = std::move(plan.prefix);
  impl->it = impl->pool->Take(CfOf(impl->perm), impl->prefix);
  impl->Settle();
  return TripleCursor(std::move(impl));
}

absl::StatusOr<bool> Snapshot::Contains(const Triple& triple) const {
  std::string value;
  auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kSpo),
                              TripleKey(Permutation::kSpo, triple), &value);
  if (s.IsNotFound()) return false;
  KG_RETURN_IF_ERROR(FromRocks(s, "reading SPO index"));
  return true;
}

absl::StatusOr<Term> Snapshot::Decode(const TermId& id) const {
  return impl_->Decode(id, 0);
}

absl::StatusOr<Triple> Snapshot::ClaimTriple(const TermId& claim) const {
  if (claim.is_provisional()) {
    KG_ASSIGN_OR_RETURN(std::string value, impl_->ProvisionalValue(claim));
    KG_ASSIGN_OR_RETURN(DictionaryEntry entry, ParseDictionaryValue(value));
    const auto* parts = std::get_if<ClaimParts>(&entry);
    if (parts == nullptr) return absl::NotFoundError(StrCat("claim ", claim.ToHex(), " unknown"));
    return Triple{parts->subject, parts->predicate, parts->object};
  }
  return ReadClaimTriple(*impl_->db, impl_->ro, claim);
}

absl::StatusOr<TermId> Snapshot::IdOf(const Term& term) const { return impl_->IdOf(term, 0); }

absl::StatusOr<TermId> Snapshot::ClaimIdOf(const Triple& t) const {
  return impl_->IdOfValue(ClaimDictionaryValue(t.s, t.p, t.o));
}

absl::StatusOr<std::optional<TermId>> Snapshot::Find(const Term& term) const {
  KG_ASSIGN_OR_RETURN(TermId id, IdOf(term));
  if (id.is_provisional()) return std::optional<TermId>();
  return std::optional<TermId>(id);
}

absl::StatusOr<std::vector<TermId>> Snapshot::Resolve(std::string_view name) const {
  const std::string prefix = AliasPrefix(name);
  std::vector<TermId> out;
  auto it = NewPrefixIterator(*impl_->db, Cf::kAliases, impl_->ro, prefix);
  for (; it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    auto id = TermId::FromBytes(it->key().ToStringView().substr(prefix.size()));
    if (!id) return absl::DataLossError("malformed alias key");
    out.push_back(*id);
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning aliases"));
  return out;
}

absl::StatusOr<std::optional<Entity>> Snapshot::GetEntity(const TermId& entity) const {
  std::string value;
  auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kEntities),
                              entity.bytes(), &value);
  if (s.IsNotFound()) return std::optional<Entity>();
  KG_RETURN_IF_ERROR(FromRocks(s, "reading entity"));
  KG_ASSIGN_OR_RETURN(EntityRecord rec, DecodeEntity(value));
  return std::optional<Entity>(Entity{rec.name, rec.aliases, rec.type});
}

absl::StatusOr<std::vector<Entity>> Snapshot::ListEntities() const {
  std::vector<Entity> out;
  auto it = NewPrefixIterator(*impl_->db, Cf::kEntities, impl_->ro, "");
  for (; it->Valid(); it->Next()) {
    KG_ASSIGN_OR_RETURN(EntityRecord rec, DecodeEntity(it->value().ToStringView()));
    out.push_back(Entity{rec.name, rec.aliases, rec.type});
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning entities"));
  return out;
}

absl::StatusOr<std::vector<SchemaRecord>> Snapshot::ListSchema() const {
  std::vector<SchemaRecord> out;
  auto it = NewPrefixIterator(*impl_->db, Cf::kMeta, impl_->ro, kSchemaKeyPrefix);
  for (; it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (!key.starts_with(kSchemaKeyPrefix)) break;
    key.remove_prefix(kSchemaKeyPrefix.size());
    if (key.size() < 3 || key[1] != '/' || (key[0] != 't' && key[0] != 'p' && key[0] != 'q')) {
      return absl::DataLossError(StrCat("malformed vocabulary rule key ", it->key().ToString()));
    }
    out.push_back({static_cast<SchemaRecord::Kind>(key[0]), std::string(key.substr(2)),
                   it->value().ToString()});
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning vocabulary rules"));
  return out;
}

absl::StatusOr<std::vector<TxRecord>> Snapshot::Transactions(size_t limit,
                                                             bool newest_first) const {
  std::vector<TxRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->db->NewIterator(impl_->ro, impl_->db->cf(Cf::kMeta)));
  if (newest_first) {
    it->SeekForPrev(StrCat(kTxKeyPrefix, "~"));
  } else {
    it->Seek(kTxKeyPrefix);
  }
  for (; it->Valid() && it->key().starts_with(kTxKeyPrefix) && (limit == 0 || out.size() < limit);
       newest_first ? it->Prev() : it->Next()) {
    KG_ASSIGN_OR_RETURN(TxRecord tx,
                        DecodeTx(it->key().ToStringView(), it->value().ToStringView()));
    out.push_back(std::move(tx));
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the transaction log"));
  return out;
}

absl::StatusOr<std::vector<TxRecord>> Snapshot::TransactionsOf(std::string_view id,
                                                               size_t limit) const {
  std::vector<TxRecord> out;
  const std::string prefix = StrCat(kTxDocKeyPrefix, id, std::string(1, '\0'));
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->db->NewIterator(impl_->ro, impl_->db->cf(Cf::kMeta)));
  for (it->SeekForPrev(StrCat(prefix, "~")); it->Valid() && it->key().starts_with(prefix) &&
                                              (limit == 0 || out.size() < limit);
       it->Prev()) {
    uint64_t tx_id = 0;
    const std::string_view digits = it->key().ToStringView().substr(prefix.size());
    if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()), &tx_id)) {
      return absl::DataLossError(StrCat("malformed transaction index key of doc:", id));
    }
    std::string value;
    const std::string key = TxKey(tx_id);
    KG_RETURN_IF_ERROR(FromRocks(
        impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kMeta), key, &value),
        "reading the transaction log"));
    KG_ASSIGN_OR_RETURN(TxRecord tx, DecodeTx(key, value));
    out.push_back(std::move(tx));
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the transaction log"));
  return out;
}

absl::StatusOr<std::optional<Document>> Snapshot::GetDocument(std::string_view id) const {
  std::string value;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> doc,
                      LookupTermId(*impl_->db, impl_->ro, DictionaryValue(Term::Document(id))));
  if (!doc) return std::optional<Document>();
  auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kDocuments), doc->bytes(),
                              &value);
  if (s.IsNotFound()) return std::optional<Document>();
  KG_RETURN_IF_ERROR(FromRocks(s, "reading document"));
  KG_ASSIGN_OR_RETURN(DocumentRecord rec, DecodeDocumentValue(value));
  Document d;
  d.id = rec.id;
  d.title = rec.title;
  d.publisher = rec.publisher;
  d.authors = rec.authors;
  if (rec.has_date) d.date = Date{rec.year, rec.month, rec.day};
  d.url = rec.url;
  d.type = rec.type;
  d.text = rec.text;
  d.sha256 = rec.sha256;
  for (const LinkRecord& l : rec.links) {
    if (l.relation > static_cast<uint8_t>(Relation::kDerivedFrom)) {
      return absl::DataLossError("document link has an unknown relation");
    }
    DocumentLink link;
    link.relation = static_cast<Relation>(l.relation);
    KG_ASSIGN_OR_RETURN(link.target, impl_->DecodeBytes(l.target_id));
    link.quote = l.quote;
    link.span = Impl::ToSpan(l.span);
    d.links.push_back(std::move(link));
  }
  return std::optional<Document>(std::move(d));
}

absl::StatusOr<std::vector<std::string>> Snapshot::ListDocuments() const {
  std::vector<std::string> ids;
  auto it = NewPrefixIterator(*impl_->db, Cf::kDocuments, impl_->ro, "");
  for (; it->Valid(); it->Next()) {
    auto id = TermId::FromBytes(it->key().ToStringView());
    if (!id) return absl::DataLossError("malformed document key");
    KG_ASSIGN_OR_RETURN(Term doc, Decode(*id));
    ids.push_back(doc.text());
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning documents"));
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<std::vector<EvidenceEntry>> Snapshot::EvidenceFor(
    const TermId& claim) const {
  std::vector<EvidenceEntry> out;
  // A claim's plain evidence from a run goes where its key would be.
  KG_ASSIGN_OR_RETURN(std::optional<EvidenceRun> run, RunOfClaim(*impl_->db, impl_->ro, claim));
  std::optional<EvidenceKeyParts> pending;
  if (run) {
    pending = EvidenceKeyParts{
        claim, run->doc,
        run->first_ordinal + static_cast<uint32_t>(claim.number() - run->first.number())};
  }
  auto put_pending = [&]() -> absl::Status {
    KG_ASSIGN_OR_RETURN(EvidenceEntry e, impl_->ReadEvidence(*pending, EvidenceRecord{}));
    out.push_back(std::move(e));
    pending.reset();
    return absl::OkStatus();
  };
  auto it = NewPrefixIterator(*impl_->db, Cf::kEvidence, impl_->ro, claim.bytes());
  for (; it->Valid() && it->key().starts_with(ToSlice(claim.bytes())); it->Next()) {
    auto parts = ParseEvidenceKey(it->key().ToStringView());
    if (!parts) return absl::DataLossError("malformed evidence key");
    if (pending && std::pair(pending->doc, pending->ordinal) < std::pair(parts->doc, parts->ordinal)) {
      KG_RETURN_IF_ERROR(put_pending());
    }
    KG_ASSIGN_OR_RETURN(EvidenceEntry e,
                        impl_->ReadEvidence(*parts, it->value().ToStringView()));
    out.push_back(std::move(e));
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning evidence"));
  if (pending) KG_RETURN_IF_ERROR(put_pending());
  return out;
}

absl::StatusOr<std::vector<EvidenceEntry>> Snapshot::EvidenceInDocument(
    std::string_view id) const {
  std::vector<EvidenceEntry> out;
  KG_ASSIGN_OR_RETURN(std::optional<TermId> stored,
                      LookupTermId(*impl_->db, impl_->ro, DictionaryValue(Term::Document(id))));
  if (!stored) return out;
  const TermId doc = *stored;
  auto it = NewPrefixIterator(*impl_->db, Cf::kDocEvidence, impl_->ro, doc.bytes());
  for (; it->Valid() && it->key().starts_with(ToSlice(doc.bytes())); it->Next()) {
    auto parts = ParseDocEvidenceKey(it->key().ToStringView());
    if (!parts) return absl::DataLossError("malformed evidence-by-document key");
    std::string value;
    auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kEvidence),
                                EvidenceKey(parts->claim, doc, parts->ordinal), &value);
    KG_RETURN_IF_ERROR(FromRocks(s, "reading evidence"));
    KG_ASSIGN_OR_RETURN(EvidenceEntry e, impl_->ReadEvidence(*parts, value));
    out.push_back(std::move(e));
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning evidence"));
  KG_ASSIGN_OR_RETURN(std::vector<EvidenceRun> runs, RunsOfDocument(*impl_->db, impl_->ro, doc));
  if (runs.empty()) return out;
  size_t keyed = out.size();
  for (const EvidenceRun& run : runs) {
    for (uint32_t i = 0; i < run.count; ++i) {
      KG_ASSIGN_OR_RETURN(EvidenceEntry e,
                          impl_->ReadEvidence({run.Claim(i), doc, run.first_ordinal + i},
                                              EvidenceRecord{}));
      out.push_back(std::move(e));
    }
  }
  // In claim order, as the evidence-by-document index lists them.
  std::inplace_merge(out.begin(), out.begin() + static_cast<ptrdiff_t>(keyed), out.end(),
                     [](const EvidenceEntry& a, const EvidenceEntry& b) {
                       return std::pair(a.claim, a.ordinal) < std::pair(b.claim, b.ordinal);
                     });
  return out;
}

absl::StatusOr<std::vector<EvidenceEntry>> Snapshot::SearchQuotes(
    std::string_view query, bool phrase, size_t limit) const {
  std::vector<EvidenceEntry> out;
  KG_RETURN_IF_ERROR(SearchQuoteIndex(
      *impl_->db, impl_->ro, query, phrase, limit,
      [&](const EvidenceKeyParts& parts, const EvidenceRecord& rec) -> absl::Status {
        KG_ASSIGN_OR_RETURN(EvidenceEntry e, impl_->ReadEvidence(parts, rec));
        out.push_back(std::move(e));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<PredicateStats> Snapshot::StatsFor(const TermId& predicate) const {
  std::string value;
  auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kStats),
                              PredicateStatsKey(predicate), &value);
  if (s.IsNotFound()) return PredicateStats{};
  KG_RETURN_IF_ERROR(FromRocks(s, "reading statistics"));
  auto st = DecodePredicateStats(value);
  if (!st) return absl::DataLossError("malformed predicate statistics");
  return *st;
}

absl::StatusOr<std::vector<std::pair<TermId, PredicateStats>>>
Snapshot::AllPredicateStats() const {
  std::vector<std::pair<TermId, PredicateStats>> out;
  auto it = NewPrefixIterator(*impl_->db, Cf::kStats, impl_->ro, "P");
  for (; it->Valid() && it->key().starts_with("P"); it->Next()) {
    auto id = TermId::FromBytes(it->key().ToStringView().substr(1));
    auto st = DecodePredicateStats(it->value().ToStringView());
    if (!id || !st) return absl::DataLossError("malformed predicate statistics");
    out.emplace_back(*id, *st);
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning statistics"));
  return out;
}

absl::StatusOr<StoreTotals> Snapshot::Totals(bool count_predicates) const {
  Db& db = *impl_->db;
  const bool fixed = db.options.read_only && db.options.follower_dir.empty();
  std::optional<StoreTotals> cached;
  if (fixed) {
    std::lock_guard<std::mutex> lock(db.totals_mu);
    cached = db.read_only_totals;
  }
  StoreTotals totals = cached.value_or(StoreTotals{});
  if (!cached) KG_RETURN_IF_ERROR(ReadCounters(totals));
  if (fixed && !cached) {
    std::lock_guard<std::mutex> lock(db.totals_mu);
    db.read_only_totals = totals;
  }
  if (!count_predicates) return totals;
  KG_ASSIGN_OR_RETURN(auto preds, AllPredicateStats());
  totals.predicates = preds.size();
  return totals;
}

absl::Status Snapshot::ReadCounters(StoreTotals& totals) const {
  for (auto [name, field] :
       {std::pair{kDocumentsCounter, &totals.documents},
        std::pair{kEvidenceCounter, &totals.evidence},
        std::pair{kTriplesCounter, &totals.triples}}) {
    std::string value;
    auto s = impl_->db->db->Get(impl_->ro, impl_->db->cf(Cf::kStats),
                                CounterKey(name), &value);
    if (s.IsNotFound()) continue;
    KG_RETURN_IF_ERROR(FromRocks(s, "reading statistics"));
    if (value.size() != 8) return absl::DataLossError("malformed counter");
    *field = GetFixed64BE(value.data());
  }
  return absl::OkStatus();
}

}  // namespace kg
