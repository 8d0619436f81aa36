// The write path: applying a prepared document (store_prepare.cc), or its
// removal, as one atomic RocksDB write batch that keeps the triple orders,
// the evidence indexes, the text index, the dictionary, the aliases and the
// statistics in step.
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kg/str_cat.h"
#include "kg/txlog.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/prepared.h"
#include "kg/text_index_internal.h"
#include "kg/status_macros.h"
#include "rocksdb/write_batch.h"

namespace kg {
namespace {

// Reads a big-endian counter; missing means 0.
absl::StatusOr<uint64_t> ReadCounter(const Db& db, const rocksdb::ReadOptions& ro,
                                     std::string_view key) {
  std::string value;
  auto s = db.db->Get(ro, db.cf(Cf::kStats), key, &value);
  if (s.IsNotFound()) return 0;
  KG_RETURN_IF_ERROR(FromRocks(s, "reading statistics"));
  if (value.size() != 8) return absl::DataLossError("malformed counter");
  return GetFixed64BE(value.data());
}

// Everything the batch needs, gathered under one snapshot.
class Applier {
 public:
  Applier(Db& db) : db_(db), snapshot_(db.db->GetSnapshot()) {
    ro_.snapshot = snapshot_;
  }
  ~Applier() { db_.db->ReleaseSnapshot(snapshot_); }

  const rocksdb::ReadOptions& read_options() const { return ro_; }

  // Gives `p`'s terms their ids: those the store holds, new ones for the
  // rest (written by Apply).
  absl::Status Resolve(Prepared& p) {
    StoreIdSource source(db_, ro_);
    return ResolveIds(p, source);
  }

  // Replaces document `doc`'s content with `p` (nullptr: removes it), or
  // with `append`, adds `p`'s evidence to what the document already has.
  // REQUIRES: `p` resolved (Resolve).
  absl::Status Apply(const TermId& doc, const Prepared* p, std::string_view doc_id,
                     bool append = false, Store::WriteOutcome* outcome = nullptr) {
    // The document's evidence before the write: pieces under their own
    // keys, and runs.
    std::vector<EvidenceKeyParts> old;
    std::vector<EvidenceRun> old_runs;
    if (!append) {
      auto it = NewPrefixIterator(db_, Cf::kDocEvidence, ro_, doc.bytes());
      for (; it->Valid() && it->key().starts_with(ToSlice(doc.bytes())); it->Next()) {
        auto parts = ParseDocEvidenceKey(it->key().ToStringView());
        if (!parts) return absl::DataLossError("malformed evidence-by-document key");
        old.push_back(*parts);
      }
      KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning evidence-by-document"));
      KG_ASSIGN_OR_RETURN(old_runs, RunsOfDocument(db_, ro_, doc));
    }
    uint64_t old_count = old.size();
    for (const EvidenceRun& r : old_runs) old_count += r.count;
    std::string stored;
    auto s = db_.db->Get(ro_, db_.cf(Cf::kDocuments), doc.bytes(), &stored);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading document");
    const bool existed = s.ok();
    if (outcome != nullptr && existed && p != nullptr) {
      KG_ASSIGN_OR_RETURN(DocumentRecord before, DecodeDocumentValue(stored));
      outcome->replaced = true;
      outcome->text_changed = before.sha256 != p->doc_record.sha256;
    }
    if (p == nullptr && !existed) {
      return absl::NotFoundError(StrCat("no document '", doc_id, "'"));
    }

    absl::flat_hash_map<TermId, Triple> affected;
    absl::flat_hash_set<TermId> new_claims;
    if (p != nullptr) {
      for (const auto& ev : p->evidence) {
        affected.emplace(p->id(ev.claim), p->TripleOf(ev));
        new_claims.insert(p->id(ev.claim));
      }
    }
    for (const auto& o : old) {
      if (affected.contains(o.claim)) continue;
      KG_ASSIGN_OR_RETURN(Triple t, ReadClaimTriple(db_, ro_, o.claim));
      affected.emplace(o.claim, t);
    }
    for (const EvidenceRun& r : old_runs) {
      for (uint32_t i = 0; i < r.count; ++i) {
        const TermId claim = r.Claim(i);
        if (affected.contains(claim)) continue;
        KG_ASSIGN_OR_RETURN(Triple t, ReadClaimTriple(db_, ro_, claim));
        affected.emplace(claim, t);
      }
    }

    std::vector<Triple> added, removed;
    for (const auto& [claim, triple] : affected) {
      KG_ASSIGN_OR_RETURN(bool before,
                          KeyExists(Cf::kSpo, TripleKey(Permutation::kSpo, triple)));
      bool after = new_claims.contains(claim);
      if (!after) {
        KG_ASSIGN_OR_RETURN(after, HasEvidenceOutside(claim, doc));
      }
      if (!before && after) added.push_back(triple);
      if (before && !after) removed.push_back(triple);
    }

    // Old postings are deleted before new ones are put: in a batch the
    // last operation on a key wins, and a replacement may reuse a key.
    for (const auto& o : old) {
      const std::string key = EvidenceKey(o.claim, doc, o.ordinal);
      KG_RETURN_IF_ERROR(DeleteQuotePostings(db_, ro_, &batch_, key));
      batch_.Delete(db_.cf(Cf::kEvidence), key);
      batch_.Delete(db_.cf(Cf::kDocEvidence), DocEvidenceKey(doc, o.claim, o.ordinal));
    }
    for (const EvidenceRun& r : old_runs) {
      batch_.Delete(db_.cf(Cf::kRanges), RunByClaimKey(r.first));
      batch_.Delete(db_.cf(Cf::kRanges), RunByDocKey(doc, r.first));
    }
    if (p != nullptr) {
      PutNewTerms(*p);
      const EvidenceLayout layout = LayOutEvidence(*p);
      for (const EvidenceRun& r : layout.runs) {
        batch_.Put(db_.cf(Cf::kRanges), RunByClaimKey(r.first), RunByClaimValue(r));
        batch_.Put(db_.cf(Cf::kRanges), RunByDocKey(doc, r.first), RunByDocValue(r));
      }
      for (size_t i : layout.keyed) {
        const Prepared::Ev& ev = p->evidence[i];
        const TermId claim = p->id(ev.claim);
        const std::string key = EvidenceKey(claim, doc, ev.ordinal);
        batch_.Put(db_.cf(Cf::kEvidence), key, p->EncodeEvidenceValue(ev));
        PutQuotePostings(db_, &batch_, key, ev.record.quote);
        batch_.Put(db_.cf(Cf::kDocEvidence), DocEvidenceKey(doc, claim, ev.ordinal), "");
      }
      if (!append || doc_record_) {
        batch_.Put(db_.cf(Cf::kDocuments), doc.bytes(),
                   EncodeDocumentValue(doc_record_ ? *doc_record_ : p->ResolvedDocumentRecord()));
      }
      KG_RETURN_IF_ERROR(PutEntities(*p));
    } else {
      batch_.Delete(db_.cf(Cf::kDocuments), doc.bytes());
    }

    for (const Triple& t : added) {
      for (Permutation perm : {Permutation::kSpo, Permutation::kPos, Permutation::kOsp}) {
        batch_.Put(db_.cf(CfOf(perm)), TripleKey(perm, t), "");
      }
    }
    for (const Triple& t : removed) {
      for (Permutation perm : {Permutation::kSpo, Permutation::kPos, Permutation::kOsp}) {
        batch_.Delete(db_.cf(CfOf(perm)), TripleKey(perm, t));
      }
    }
    KG_RETURN_IF_ERROR(UpdatePredicateStats(added, removed));

    const int64_t doc_delta = (p != nullptr) - static_cast<int>(existed);
    const int64_t ev_delta =
        static_cast<int64_t>(p ? p->evidence.size() : 0) - static_cast<int64_t>(old_count);
    const int64_t triple_delta =
        static_cast<int64_t>(added.size()) - static_cast<int64_t>(removed.size());
    KG_RETURN_IF_ERROR(AddToCounter(kDocumentsCounter, doc_delta));
    KG_RETURN_IF_ERROR(AddToCounter(kEvidenceCounter, ev_delta));
    KG_RETURN_IF_ERROR(AddToCounter(kTriplesCounter, triple_delta));
    LogTx(p == nullptr ? "delete"
          : append     ? "append"
          : existed    ? "replace"
                       : "write",
          doc_id, p != nullptr ? p->evidence.size() : old_count);
    return Commit();
  }

  // Adds the transaction record of this write to its batch (kg/txlog.h);
  // its id is taken when the batch commits.
  void LogTx(std::string kind, std::string_view document, uint64_t count) {
    const TxRecord tx = NextTx(db_, std::move(kind), document, count);
    batch_.Put(db_.cf(Cf::kMeta), TxKey(tx.id), EncodeTx(tx));
    if (!document.empty()) batch_.Put(db_.cf(Cf::kMeta), TxDocKey(document, tx.id), "");
    logged_tx_ = true;
  }

  // An appended document's record: the stored one with `p`'s links added.
  void SetDocumentRecord(DocumentRecord rec) { doc_record_ = std::move(rec); }

  // Adds the dictionary entries (both directions) of the terms `p`
  // allocated, and the next sequence number.
  void PutNewTerms(const Prepared& p) {
    if (p.new_terms.empty()) return;
    for (const auto& [id, value] : p.new_terms) {
      batch_.Put(db_.cf(Cf::kDict), id.bytes(), value);
      batch_.Put(db_.cf(Cf::kTerms), value, id.bytes());
      if (id.tag() == IdTag::kEntity) {
        // Every entity is findable by its canonical name.
        batch_.Put(db_.cf(Cf::kAliases), AliasKey(std::string_view(value).substr(1), id), "");
      }
    }
    for (const auto& [name, value] : {std::pair{kNextTermCounter, db_.next_term},
                                      std::pair{kNextClaimCounter, db_.next_claim}}) {
      std::string next;
      PutFixed64BE(&next, value);
      batch_.Put(db_.cf(Cf::kStats), CounterKey(name), next);
    }
  }

  // Adds `p`'s entity declarations to the stored entity records.
  absl::Status PutEntities(const Prepared& p) {
    // Merge declarations of the same entity within this write too.
    absl::flat_hash_map<TermId, EntityRecord> merged;
    for (const Entity& e : p.entities) {
      const TermId id = p.id(p.Find(Term::Entity(e.name)));
      auto [slot, inserted] = merged.try_emplace(id);
      EntityRecord& rec = slot->second;
      if (inserted) {
        std::string existing;
        auto s = db_.db->Get(ro_, db_.cf(Cf::kEntities), id.bytes(), &existing);
        if (s.ok()) {
          KG_ASSIGN_OR_RETURN(rec, DecodeEntity(existing));
        } else if (!s.IsNotFound()) {
          return FromRocks(s, "reading entity");
        }
        rec.name = e.name;
      }
      for (const auto& alias : e.aliases) {
        if (std::find(rec.aliases.begin(), rec.aliases.end(), alias) ==
            rec.aliases.end()) {
          rec.aliases.push_back(alias);
        }
      }
      if (!e.type.empty()) rec.type = e.type;
    }
    for (const auto& [id, rec] : merged) {
      batch_.Put(db_.cf(Cf::kEntities), id.bytes(), EncodeEntity(rec));
      batch_.Put(db_.cf(Cf::kAliases), AliasKey(rec.name, id), "");
      for (const auto& alias : rec.aliases) {
        batch_.Put(db_.cf(Cf::kAliases), AliasKey(alias, id), "");
      }
    }
    return absl::OkStatus();
  }

  absl::Status Commit() {
    rocksdb::WriteOptions wo;
    wo.sync = db_.options.sync_writes;
    rocksdb::Status s = db_.db->Write(wo, &batch_);
    if (!s.ok()) db_.write_failed = true;
    if (s.ok() && logged_tx_) ++db_.next_tx;
    return FromRocks(s, "committing write");
  }

 private:
  static rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

  absl::StatusOr<bool> KeyExists(Cf cf, std::string_view key) {
    std::string value;
    auto s = db_.db->Get(ro_, db_.cf(cf), ToSlice(key), &value);
    if (s.IsNotFound()) return false;
    KG_RETURN_IF_ERROR(FromRocks(s, "reading index"));
    return true;
  }

  absl::StatusOr<bool> HasEvidenceOutside(const TermId& claim, const TermId& doc) {
    auto it = NewPrefixIterator(db_, Cf::kEvidence, ro_, claim.bytes());
    for (; it->Valid() && it->key().starts_with(ToSlice(claim.bytes())); it->Next()) {
      auto parts = ParseEvidenceKey(it->key().ToStringView());
      if (!parts) return absl::DataLossError("malformed evidence key");
      if (parts->doc != doc) return true;
    }
    KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning evidence"));
    KG_ASSIGN_OR_RETURN(std::optional<EvidenceRun> run, RunOfClaim(db_, ro_, claim));
    return run.has_value() && run->doc != doc;
  }

  // Whether any key with `prefix` in `perm` exists, ignoring `excluded`
  // triples.
  absl::StatusOr<bool> AnyTriple(Permutation perm, std::string_view prefix,
                                 const absl::flat_hash_set<Triple>& excluded) {
    auto it = NewPrefixIterator(db_, CfOf(perm), ro_, prefix);
    for (; it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
      auto t = ParseTripleKey(perm, it->key().ToStringView());
      if (!t) return absl::DataLossError("malformed triple key");
      if (!excluded.contains(*t)) return true;
    }
    KG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning index"));
    return false;
  }

  // For each term in `terms` (subjects with `perm` = SPO, objects with POS),
  // whether it has any triple with predicate p before and after the change,
  // and the resulting change of the distinct count.
  absl::Status CountDistinctChanges(Permutation perm, const TermId& p,
                                    const absl::flat_hash_set<TermId>& terms,
                                    const absl::flat_hash_set<TermId>& added,
                                    const absl::flat_hash_set<Triple>& removed,
                                    uint64_t* distinct) {
    static const absl::flat_hash_set<Triple> kNone;
    for (const TermId& term : terms) {
      const std::string prefix = perm == Permutation::kSpo ? StrCat(term.bytes(), p.bytes())
                                                           : StrCat(p.bytes(), term.bytes());
      KG_ASSIGN_OR_RETURN(bool before, AnyTriple(perm, prefix, kNone));
      bool after = added.contains(term);
      if (!after) {
        KG_ASSIGN_OR_RETURN(after, AnyTriple(perm, prefix, removed));
      }
      if (after && !before) ++*distinct;
      if (before && !after) --*distinct;
    }
    return absl::OkStatus();
  }

  absl::Status UpdatePredicateStats(const std::vector<Triple>& added,
                                    const std::vector<Triple>& removed) {
    struct Change {
      std::vector<Triple> added, removed;
    };
    absl::flat_hash_map<TermId, Change> by_predicate;
    for (const Triple& t : added) by_predicate[t.p].added.push_back(t);
    for (const Triple& t : removed) by_predicate[t.p].removed.push_back(t);
    const absl::flat_hash_set<Triple> removed_set(removed.begin(), removed.end());

    for (const auto& [p, change] : by_predicate) {
      std::string value;
      PredicateStats st;
      const std::string key = PredicateStatsKey(p);
      auto s = db_.db->Get(ro_, db_.cf(Cf::kStats), key, &value);
      if (s.ok()) {
        auto decoded = DecodePredicateStats(value);
        if (!decoded) return absl::DataLossError("malformed predicate statistics");
        st = *decoded;
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "reading statistics");
      }
      st.triples += change.added.size();
      st.triples -= change.removed.size();

      // A subject (object) joins the distinct set when its first triple with
      // p is added, and leaves it when its last one is removed.
      absl::flat_hash_set<TermId> subjects_added, objects_added, subjects, objects;
      for (const Triple& t : change.added) {
        subjects_added.insert(t.s);
        objects_added.insert(t.o);
      }
      for (const auto* list : {&change.added, &change.removed}) {
        for (const Triple& t : *list) {
          subjects.insert(t.s);
          objects.insert(t.o);
        }
      }
      KG_RETURN_IF_ERROR(CountDistinctChanges(Permutation::kSpo, p, subjects, subjects_added,
                                              removed_set, &st.distinct_subjects));
      KG_RETURN_IF_ERROR(CountDistinctChanges(Permutation::kPos, p, objects, objects_added,
                                              removed_set, &st.distinct_objects));
      if (st.triples == 0) {
        batch_.Delete(db_.cf(Cf::kStats), key);
      } else {
        batch_.Put(db_.cf(Cf::kStats), key, EncodePredicateStats(st));
      }
    }
    return absl::OkStatus();
  }

  absl::Status AddToCounter(std::string_view name, int64_t delta) {
    if (delta == 0) return absl::OkStatus();
    const std::string key = CounterKey(name);
    KG_ASSIGN_OR_RETURN(uint64_t value, ReadCounter(db_, ro_, key));
    std::string encoded;
    PutFixed64BE(&encoded, value + static_cast<uint64_t>(delta));
    batch_.Put(db_.cf(Cf::kStats), key, encoded);
    return absl::OkStatus();
  }

  // Ids from the store's term index, new ones from its counter.
  class StoreIdSource : public IdSource {
   public:
    StoreIdSource(Db& db, const rocksdb::ReadOptions& ro) : db_(db), ro_(ro) {}
    absl::StatusOr<TermId> IdFor(std::string_view value, bool* added) override {
      KG_ASSIGN_OR_RETURN(std::optional<TermId> found, LookupTermId(db_, ro_, value));
      if (found) {
        *added = false;
        return *found;
      }
      const auto tag = static_cast<IdTag>(value[0]);
      uint64_t& next = tag == IdTag::kClaim ? db_.next_claim : db_.next_term;
      if (next >= TermId::kProvisionalBit) {
        return absl::ResourceExhaustedError("the store has used every term id");
      }
      *added = true;
      return TermId::Dense(tag, next++);
    }

   private:
    Db& db_;
    const rocksdb::ReadOptions& ro_;
  };

  Db& db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions ro_;
  rocksdb::WriteBatch batch_;
  std::optional<DocumentRecord> doc_record_;
  bool logged_tx_ = false;
};

absl::Status RequireWritable(const Db& db) {
  if (db.options.read_only || !db.options.follower_dir.empty()) {
    return absl::FailedPreconditionError(
        StrCat("store ", db.path, " is open read-only"));
  }
  return absl::OkStatus();
}

}  // namespace

TxRecord NextTx(const Db& db, std::string kind, std::string_view document, uint64_t count) {
  TxRecord tx;
  tx.id = db.next_tx;
  tx.unix_micros = absl::ToUnixMicros(absl::Now());
  tx.user = db.tx_user;
  tx.command = db.tx_command;
  tx.kind = std::move(kind);
  tx.document = std::string(document);
  tx.count = count;
  return tx;
}

namespace {

absl::StatusOr<std::optional<TermId>> StoredDocumentId(const Db& db, const rocksdb::ReadOptions& ro,
                                                       std::string_view id) {
  return LookupTermId(db, ro, DictionaryValue(Term::Document(id)));
}

}  // namespace

absl::Status Store::WriteDocument(const DocumentWrite& write, WriteOutcome* outcome) {
  KG_RETURN_IF_ERROR(RequireWritable(*db_));
  KG_ASSIGN_OR_RETURN(Prepared prepared, Prepare(write));
  std::lock_guard<std::mutex> lock(db_->write_mu);
  Applier applier(*db_);
  KG_RETURN_IF_ERROR(applier.Resolve(prepared));
  return applier.Apply(prepared.doc_id(), &prepared, write.document.id, /*append=*/false,
                       outcome);
}

absl::Status Store::ValidateDocument(const DocumentWrite& write) {
  return Prepare(write).status();
}

absl::Status Store::AppendToDocument(const DocumentWrite& more) {
  KG_RETURN_IF_ERROR(RequireWritable(*db_));
  KG_RETURN_IF_ERROR(ValidateName("document id", more.document.id));
  std::lock_guard<std::mutex> lock(db_->write_mu);
  Applier applier(*db_);
  KG_ASSIGN_OR_RETURN(std::optional<TermId> doc,
                      StoredDocumentId(*db_, applier.read_options(), more.document.id));
  std::string value;
  rocksdb::Status s = rocksdb::Status::NotFound();
  if (doc) s = db_->db->Get(applier.read_options(), db_->cf(Cf::kDocuments), doc->bytes(), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(StrCat("no document '", more.document.id, "' to append to"));
  }
  KG_RETURN_IF_ERROR(FromRocks(s, "reading document"));
  KG_ASSIGN_OR_RETURN(DocumentRecord rec, DecodeDocumentValue(value));
  // Validate spans against the stored text; metadata stays as stored.
  DocumentWrite w;
  w.document.id = rec.id;
  w.document.text = rec.text;
  w.document.links = more.document.links;
  w.claims = more.claims;
  w.entities = more.entities;
  KG_ASSIGN_OR_RETURN(Prepared p, Prepare(w, rec.next_ordinal));
  KG_RETURN_IF_ERROR(applier.Resolve(p));
  const DocumentRecord added = p.ResolvedDocumentRecord();
  rec.links.insert(rec.links.end(), added.links.begin(), added.links.end());
  rec.next_ordinal = added.next_ordinal;
  applier.SetDocumentRecord(std::move(rec));
  return applier.Apply(*doc, &p, more.document.id, /*append=*/true);
}

absl::Status Store::DeleteDocument(std::string_view id) {
  KG_RETURN_IF_ERROR(RequireWritable(*db_));
  KG_RETURN_IF_ERROR(ValidateName("document id", id));
  std::lock_guard<std::mutex> lock(db_->write_mu);
  Applier applier(*db_);
  KG_ASSIGN_OR_RETURN(std::optional<TermId> doc,
                      StoredDocumentId(*db_, applier.read_options(), id));
  if (!doc) return absl::NotFoundError(StrCat("no document '", id, "'"));
  return applier.Apply(*doc, nullptr, id);
}

absl::Status Store::PutEntities(const std::vector<Entity>& entities) {
  KG_RETURN_IF_ERROR(RequireWritable(*db_));
  Prepared p;
  for (const Entity& e : entities) {
    KG_RETURN_IF_ERROR(ValidateName("entity name", e.name));
    for (const auto& alias : e.aliases) {
      KG_RETURN_IF_ERROR(ValidateName(StrCat("alias of ", e.name), alias));
    }
    p.AddTerm(Term::Entity(e.name));
  }
  p.entities = entities;
  std::lock_guard<std::mutex> lock(db_->write_mu);
  Applier applier(*db_);
  KG_RETURN_IF_ERROR(applier.Resolve(p));
  applier.PutNewTerms(p);
  KG_RETURN_IF_ERROR(applier.PutEntities(p));
  applier.LogTx("entities", "", entities.size());
  return applier.Commit();
}

absl::Status Store::PutSchema(const std::vector<SchemaRecord>& records) {
  KG_RETURN_IF_ERROR(RequireWritable(*db_));
  rocksdb::WriteBatch batch;
  for (const SchemaRecord& r : records) {
    KG_RETURN_IF_ERROR(ValidateName("vocabulary name", r.name));
    const std::string key =
        StrCat(kSchemaKeyPrefix, std::string(1, static_cast<char>(r.kind)), "/", r.name);
    batch.Put(db_->cf(Cf::kMeta), key, r.rule);
  }
  std::lock_guard<std::mutex> lock(db_->write_mu);
  const TxRecord tx = NextTx(*db_, "rules", "", records.size());
  batch.Put(db_->cf(Cf::kMeta), TxKey(tx.id), EncodeTx(tx));
  rocksdb::WriteOptions wo;
  wo.sync = db_->options.sync_writes;
  rocksdb::Status s = db_->db->Write(wo, &batch);
  if (!s.ok()) db_->write_failed = true;
  if (s.ok()) ++db_->next_tx;
  return FromRocks(s, "writing vocabulary rules");
}

}  // namespace kg
