// Store::Check: a full scan that cross-checks every index and record.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "kg/str_cat.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/prepared.h"
#include "kg/text_index_internal.h"
#include "kg/sha256.h"
#include "kg/status_macros.h"
#include "kg/txlog.h"

namespace kg {
namespace {

constexpr size_t kMaxProblems = 1000;

class Checker {
 public:
  Checker(const Db& db, bool verify_file_checksums)
      : db_(db), verify_file_checksums_(verify_file_checksums), snapshot_(db.db->GetSnapshot()) {
    ro_.snapshot = snapshot_;
  }
  ~Checker() { db_.db->ReleaseSnapshot(snapshot_); }

  absl::StatusOr<CheckReport> Run() {
    // Every block of every table file against its checksum: names the
    // damaged file even where the scans below would not read it.
    if (auto s = verify_file_checksums_ ? db_.db->VerifyChecksum() : rocksdb::Status::OK();
        !s.ok()) {
      Problem("file damaged: ", s.ToString());
      return std::move(report_);  // the scans would stop at the same block
    }
    KG_RETURN_IF_ERROR(CheckTriples());
    KG_RETURN_IF_ERROR(CheckSecondaryOrder(Permutation::kPos));
    KG_RETURN_IF_ERROR(CheckSecondaryOrder(Permutation::kOsp));
    KG_RETURN_IF_ERROR(CheckEvidence());
    KG_RETURN_IF_ERROR(CheckDocEvidence());
    KG_RETURN_IF_ERROR(CheckRuns());
    KG_RETURN_IF_ERROR(CheckTextIndex());
    KG_RETURN_IF_ERROR(CheckDocuments());
    KG_RETURN_IF_ERROR(CheckDictionary());
    KG_RETURN_IF_ERROR(CheckEntitiesAndAliases());
    KG_RETURN_IF_ERROR(CheckStatistics());
    KG_RETURN_IF_ERROR(CheckTransactionLog());
    if (dropped_ > 0) {
      report_.problems.push_back(StrCat("... and ", dropped_, " more problems"));
    }
    CheckFiles();
    return std::move(report_);
  }

 private:
  // Table files outside the store's file set: unlisted ones in the
  // directory, and those a writer set aside in lost+found/ (store.cc). They
  // are notes, unless the store is inconsistent too: then a MANIFEST that
  // lost its latest entries is the likely cause, and they are named first.
  void CheckFiles() {
    namespace fs = std::filesystem;
    std::vector<rocksdb::LiveFileMetaData> live;
    db_.db->GetLiveFilesMetaData(&live);
    std::set<std::string> listed;
    for (const auto& f : live) listed.insert(fs::path(f.name).filename().string());
    std::vector<std::string> lines;
    const std::vector<std::string> unlisted = TableFilesNotIn(db_.path, listed);
    if (!unlisted.empty()) {
      lines.push_back(StrCat(unlisted.size(), " table file(s) in ", db_.path,
                             " that the MANIFEST does not list: ", Names(unlisted)));
    }
    const std::string lost = (fs::path(db_.path) / kLostAndFound).string();
    const std::vector<std::string> set_aside = TableFilesNotIn(lost, {});
    if (!set_aside.empty()) {
      lines.push_back(StrCat(set_aside.size(), " table file(s) that the MANIFEST did not list, "
                             "set aside by a writer in ", lost, ": ", Names(set_aside)));
    }
    if (lines.empty()) return;
    if (report_.problems.empty()) {
      for (auto& l : lines) {
        report_.notes.push_back(StrCat(l, " (left by a process killed while writing them, "
                                          "or by a damaged MANIFEST)"));
      }
      return;
    }
    std::vector<std::string> first;
    for (auto& l : lines) {
      first.push_back(StrCat("MANIFEST likely damaged (it lost entries): ", l,
                             "; the inconsistencies below follow from it"));
    }
    report_.problems.insert(report_.problems.begin(), first.begin(), first.end());
  }

  static std::string Names(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < 10; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > 10) out += StrCat(", ... (", names.size() - 10, " more)");
    return out;
  }

  // The transaction log (kg/txlog.h): ids without gaps, and every document
  // whose last record says it was written is stored (and none whose last
  // record deleted it). Documents written before the log existed have no
  // record and are not looked at.
  absl::Status CheckTransactionLog() {
    std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(ro_, db_.cf(Cf::kMeta)));
    std::map<std::string, std::string> last_kind;  // document -> kind of its last record
    uint64_t expected = 0;
    for (it->Seek(kTxKeyPrefix); it->Valid() && it->key().starts_with(kTxKeyPrefix); it->Next()) {
      absl::StatusOr<TxRecord> tx = DecodeTx(it->key().ToStringView(), it->value().ToStringView());
      if (!tx.ok()) {
        Problem("transaction log: ", tx.status().message());
        continue;
      }
      if (expected != 0 && tx->id != expected) {
        Problem("transaction log: record ", tx->id, " follows ", expected - 1, " (a gap)");
      }
      expected = tx->id + 1;
      if (!tx->document.empty()) last_kind[tx->document] = tx->kind;
    }
    KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the transaction log"));
    for (const auto& [doc, kind] : last_kind) {
      KG_ASSIGN_OR_RETURN(std::optional<TermId> id,
                          LookupTermId(db_, ro_, DictionaryValue(Term::Document(doc))));
      bool stored = false;
      if (id) {
        KG_ASSIGN_OR_RETURN(stored, Has(Cf::kDocuments, id->bytes()));
      }
      if (kind == "delete" && stored) {
        Problem("transaction log: doc:", doc, " is stored, but its last transaction deleted it");
      } else if (kind != "delete" && !stored) {
        Problem("transaction log: doc:", doc, " is not stored, but its last transaction (",
                kind, ") wrote it");
      }
    }
    return absl::OkStatus();
  }

  template <typename... Args>
  void Problem(const Args&... args) {
    if (report_.problems.size() < kMaxProblems) {
      report_.problems.push_back(StrCat(args...));
    } else {
      ++dropped_;
    }
  }

  absl::StatusOr<bool> Has(Cf cf, std::string_view key) {
    std::string value;
    auto s = db_.db->Get(ro_, db_.cf(cf), rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return false;
    KG_RETURN_IF_ERROR(FromRocks(s, "check: reading"));
    return true;
  }

  // Calls fn(key, value) for every entry of `cf`.
  template <typename Fn>
  absl::Status ForEach(Cf cf, Fn fn) {
    std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(ro_, db_.cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      KG_RETURN_IF_ERROR(fn(it->key().ToStringView(), it->value().ToStringView()));
    }
    return FromRocks(it->status(), StrCat("check: scanning ", CfName(cf)));
  }

  static std::string Describe(const Triple& t) {
    return StrCat("(", t.s.ToHex(), " ", t.p.ToHex(), " ", t.o.ToHex(), ")");
  }

  static std::string Describe(const EvidenceKeyParts& e) {
    return StrCat("evidence (claim ", e.claim.ToHex(), ", document ", e.doc.ToHex(),
                  ", #", e.ordinal, ")");
  }

  static rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

  absl::Status CheckTermKnown(const TermId& id, std::string_view where) {
    if (id.is_inline()) return absl::OkStatus();
    KG_ASSIGN_OR_RETURN(bool known, Has(Cf::kDict, id.bytes()));
    if (!known) Problem(where, ": term ", id.ToHex(), " has no dictionary entry");
    return absl::OkStatus();
  }

  absl::Status CheckTriples() {
    std::optional<std::pair<TermId, TermId>> last_sp;
    return ForEach(Cf::kSpo, [&](std::string_view key, std::string_view) -> absl::Status {
      ++report_.triples;
      auto t = ParseTripleKey(Permutation::kSpo, key);
      if (!t) {
        Problem("SPO: malformed key");
        return absl::OkStatus();
      }
      PredicateStats& st = stats_[t->p];
      ++st.triples;
      if (!last_sp || last_sp->first != t->s || last_sp->second != t->p) {
        ++st.distinct_subjects;
        last_sp = std::pair{t->s, t->p};
      }
      for (Permutation perm : {Permutation::kPos, Permutation::kOsp}) {
        KG_ASSIGN_OR_RETURN(bool has, Has(CfOf(perm), TripleKey(perm, *t)));
        if (!has) Problem("triple ", Describe(*t), " is in SPO but missing from ", PermutationName(perm));
      }
      for (const TermId& id : {t->s, t->p, t->o}) {
        KG_RETURN_IF_ERROR(CheckTermKnown(id, StrCat("triple ", Describe(*t))));
      }
      KG_ASSIGN_OR_RETURN(std::optional<TermId> found,
                          LookupTermId(db_, ro_, ClaimDictionaryValue(t->s, t->p, t->o)));
      if (!found) {
        Problem("triple ", Describe(*t), " has no claim id in the term index");
        return absl::OkStatus();
      }
      const TermId claim = *found;
      auto parts = ReadClaimTriple(db_, ro_, claim);
      if (!parts.ok()) {
        Problem("triple ", Describe(*t), ": claim ", claim.ToHex(), ": ", parts.status().message());
      } else if (!(*parts == *t)) {
        Problem("claim ", claim.ToHex(), ": dictionary parts differ from its triple");
      }
      std::unique_ptr<rocksdb::Iterator> it(db_.db->NewIterator(ro_, db_.cf(Cf::kEvidence)));
      it->Seek(rocksdb::Slice(claim.bytes().data(), claim.bytes().size()));
      if (!it->Valid() || !it->key().starts_with(rocksdb::Slice(claim.bytes().data(), TermId::kSize))) {
        KG_RETURN_IF_ERROR(FromRocks(it->status(), "check: scanning evidence"));
        KG_ASSIGN_OR_RETURN(std::optional<EvidenceRun> run, RunOfClaim(db_, ro_, claim));
        if (!run) Problem("triple ", Describe(*t), " has no evidence");
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckSecondaryOrder(Permutation perm) {
    std::optional<std::pair<TermId, TermId>> last_po;
    return ForEach(CfOf(perm), [&](std::string_view key, std::string_view) -> absl::Status {
      auto t = ParseTripleKey(perm, key);
      if (!t) {
        Problem(PermutationName(perm), ": malformed key");
        return absl::OkStatus();
      }
      if (perm == Permutation::kPos &&
          (!last_po || last_po->first != t->p || last_po->second != t->o)) {
        ++objects_[t->p];
        last_po = std::pair{t->p, t->o};
      }
      KG_ASSIGN_OR_RETURN(bool has, Has(Cf::kSpo, TripleKey(Permutation::kSpo, *t)));
      if (!has) Problem("triple ", Describe(*t), " is in ", PermutationName(perm), " but missing from SPO");
      return absl::OkStatus();
    });
  }

  absl::Status CheckEvidence() {
    return ForEach(Cf::kEvidence, [&](std::string_view key, std::string_view value) -> absl::Status {
      ++report_.evidence;
      auto parts = ParseEvidenceKey(key);
      if (!parts) {
        Problem("evidence: malformed key");
        return absl::OkStatus();
      }
      const std::string where = Describe(*parts);
      if (auto rec = DecodeEvidenceValue(value); !rec.ok()) {
        Problem(where, ": ", rec.status().message());
      } else {
        for (const std::string& token : DistinctQuoteTokens(rec->quote)) {
          KG_ASSIGN_OR_RETURN(bool posted, Has(Cf::kText, TextKey(token, key)));
          if (posted) {
            ++postings_found_;
          } else {
            Problem(where, ": word '", token, "' of its quote is missing from the text index");
          }
        }
      }
      KG_ASSIGN_OR_RETURN(bool indexed, Has(Cf::kDocEvidence, DocEvidenceKey(parts->doc, parts->claim, parts->ordinal)));
      if (!indexed) Problem(where, " is missing from the evidence-by-document index");
      KG_ASSIGN_OR_RETURN(bool doc, Has(Cf::kDocuments, parts->doc.bytes()));
      if (!doc) Problem(where, " refers to a document that is not stored");
      auto triple = ReadClaimTriple(db_, ro_, parts->claim);
      if (!triple.ok()) {
        Problem(where, ": ", triple.status().message());
      } else {
        KG_ASSIGN_OR_RETURN(bool asserted, Has(Cf::kSpo, TripleKey(Permutation::kSpo, *triple)));
        if (!asserted) Problem(where, ": its claim's triple is missing from SPO");
      }
      return absl::OkStatus();
    });
  }

  // Runs of plain evidence: each listed under its first claim and under its
  // document, the runs disjoint, their documents stored, their claims
  // asserted.
  absl::Status CheckRuns() {
    std::optional<EvidenceRun> last;
    return ForEach(Cf::kRanges, [&](std::string_view key, std::string_view value) -> absl::Status {
      if (key.starts_with("d")) {
        auto run = ParseRunByDoc(key, value);
        if (!run) {
          Problem("evidence run: malformed key");
          return absl::OkStatus();
        }
        std::string twin;
        auto s = db_.db->Get(ro_, db_.cf(Cf::kRanges), RunByClaimKey(run->first), &twin);
        if (!s.ok() || twin != RunByClaimValue(*run)) {
          Problem("evidence run of document ", run->doc.ToHex(), " from claim ", run->first.ToHex(),
                  " is not listed under its claim");
        }
        return absl::OkStatus();
      }
      auto run = ParseRunByClaim(key, value);
      if (!run || run->count == 0) {
        Problem("evidence run: malformed key");
        return absl::OkStatus();
      }
      const std::string where = StrCat("evidence run of document ", run->doc.ToHex(),
                                       " from claim ", run->first.ToHex());
      if (last && last->first.tag() == run->first.tag() &&
          last->first.number() + last->count > run->first.number()) {
        Problem(where, " overlaps the run before it");
      }
      last = run;
      report_.evidence += run->count;
      KG_ASSIGN_OR_RETURN(bool twin, Has(Cf::kRanges, RunByDocKey(run->doc, run->first)));
      if (!twin) Problem(where, " is not listed under its document");
      KG_ASSIGN_OR_RETURN(bool doc, Has(Cf::kDocuments, run->doc.bytes()));
      if (!doc) Problem(where, " refers to a document that is not stored");
      for (uint32_t i = 0; i < run->count; ++i) {
        auto triple = ReadClaimTriple(db_, ro_, run->Claim(i));
        if (!triple.ok()) {
          Problem(where, ": claim ", run->Claim(i).ToHex(), ": ", triple.status().message());
          continue;
        }
        KG_ASSIGN_OR_RETURN(bool asserted, Has(Cf::kSpo, TripleKey(Permutation::kSpo, *triple)));
        if (!asserted) Problem(where, ": the triple of claim ", run->Claim(i).ToHex(), " is missing from SPO");
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckDocEvidence() {
    return ForEach(Cf::kDocEvidence, [&](std::string_view key, std::string_view) -> absl::Status {
      auto parts = ParseDocEvidenceKey(key);
      if (!parts) {
        Problem("evidence-by-document: malformed key");
        return absl::OkStatus();
      }
      KG_ASSIGN_OR_RETURN(bool has, Has(Cf::kEvidence, EvidenceKey(parts->claim, parts->doc, parts->ordinal)));
      if (!has) {
        Problem("evidence-by-document entry (document ", parts->doc.ToHex(), ", claim ",
                parts->claim.ToHex(), ", #", parts->ordinal, ") has no evidence record");
      }
      return absl::OkStatus();
    });
  }

  // Every posting CheckEvidence expected was counted in postings_found_, so
  // the index holds extra postings iff it holds more than that; only then is
  // each posting checked against its evidence record.
  absl::Status CheckTextIndex() {
    KG_RETURN_IF_ERROR(ForEach(Cf::kText, [&](std::string_view key, std::string_view) -> absl::Status {
      ++report_.text_postings;
      if (!ParseTextKey(key)) Problem("text index: malformed key");
      return absl::OkStatus();
    }));
    if (report_.text_postings == postings_found_) return absl::OkStatus();
    return ForEach(Cf::kText, [&](std::string_view key, std::string_view) -> absl::Status {
      auto parts = ParseTextKey(key);
      if (!parts) return absl::OkStatus();
      std::string value;
      auto s = db_.db->Get(ro_, db_.cf(Cf::kEvidence), ToSlice(parts->evidence_key), &value);
      if (s.IsNotFound()) {
        Problem("text index: word '", parts->token, "' is posted for ",
                Describe(parts->evidence), ", which is not stored");
        return absl::OkStatus();
      }
      KG_RETURN_IF_ERROR(FromRocks(s, "check: reading evidence"));
      auto rec = DecodeEvidenceValue(value);
      if (!rec.ok()) return absl::OkStatus();  // CheckEvidence reported it
      const auto tokens = DistinctQuoteTokens(rec->quote);
      if (!std::binary_search(tokens.begin(), tokens.end(), parts->token)) {
        Problem("text index: word '", parts->token, "' is posted for ",
                Describe(parts->evidence), ", whose quote does not contain it");
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckDocuments() {
    return ForEach(Cf::kDocuments, [&](std::string_view key, std::string_view value) -> absl::Status {
      ++report_.documents;
      auto rec = DecodeDocumentValue(value);
      if (!rec.ok()) {
        Problem("document ", TermIdHex(key), ": ", rec.status().message());
        return absl::OkStatus();
      }
      KG_ASSIGN_OR_RETURN(std::optional<TermId> id,
                          LookupTermId(db_, ro_, DictionaryValue(Term::Document(rec->id))));
      if (!id || id->bytes() != key) {
        Problem("document '", rec->id, "' is stored under the wrong key");
      }
      if (Sha256::HexDigest(rec->text) != rec->sha256) {
        Problem("document '", rec->id, "': text does not match its SHA-256 ", rec->sha256);
      }
      return absl::OkStatus();
    });
  }

  static std::string TermIdHex(std::string_view bytes) {
    auto id = TermId::FromBytes(bytes);
    return id ? id->ToHex() : "(malformed key)";
  }

  // The dictionary (id -> value) and the term index (value -> id) are
  // inverses of each other, and every id is below the term counter.
  absl::Status CheckDictionary() {
    KG_RETURN_IF_ERROR(ForEach(Cf::kDict, [&](std::string_view key, std::string_view value) -> absl::Status {
      ++report_.dictionary_entries;
      auto id = TermId::FromBytes(key);
      auto entry = ParseDictionaryValue(value);
      if (!id || !entry.ok() || id->is_inline() ||
          static_cast<uint8_t>(value[0]) != static_cast<uint8_t>(id->tag())) {
        Problem("dictionary entry ", TermIdHex(key), " is malformed");
        return absl::OkStatus();
      }
      uint64_t& max = id->is_claim() ? max_claim_ : max_term_;
      max = std::max(max, id->number());
      KG_ASSIGN_OR_RETURN(std::optional<TermId> indexed, LookupTermId(db_, ro_, value));
      if (!indexed || *indexed != *id) {
        Problem("dictionary entry ", id->ToHex(), " is not in the term index under its value");
      }
      return absl::OkStatus();
    }));
    return ForEach(Cf::kTerms, [&](std::string_view key, std::string_view value) -> absl::Status {
      ++term_index_entries_;
      if (!TermId::FromBytes(value)) Problem("term index entry is malformed");
      return absl::OkStatus();
    });
  }

  absl::Status CheckEntitiesAndAliases() {
    KG_RETURN_IF_ERROR(ForEach(Cf::kAliases, [&](std::string_view key, std::string_view) -> absl::Status {
      const size_t nul = key.size() > TermId::kSize ? key.size() - TermId::kSize - 1 : 0;
      auto id = key.size() > TermId::kSize ? TermId::FromBytes(key.substr(nul + 1))
                                           : std::nullopt;
      if (!id || key[nul] != '\0') {
        Problem("alias entry is malformed");
        return absl::OkStatus();
      }
      KG_ASSIGN_OR_RETURN(bool known, Has(Cf::kDict, id->bytes()));
      if (!known) Problem("alias '", key.substr(0, nul), "' points to unknown entity ", id->ToHex());
      return absl::OkStatus();
    }));
    return ForEach(Cf::kEntities, [&](std::string_view key, std::string_view value) -> absl::Status {
      auto rec = DecodeEntity(value);
      if (!rec.ok()) {
        Problem("entity ", TermIdHex(key), ": ", rec.status().message());
        return absl::OkStatus();
      }
      KG_ASSIGN_OR_RETURN(std::optional<TermId> found,
                          LookupTermId(db_, ro_, DictionaryValue(Term::Entity(rec->name))));
      if (!found || found->bytes() != key) {
        Problem("entity '", rec->name, "' is stored under the wrong key");
        return absl::OkStatus();
      }
      const TermId id = *found;
      std::vector<std::string> names = rec->aliases;
      names.push_back(rec->name);
      for (const auto& name : names) {
        KG_ASSIGN_OR_RETURN(bool has, Has(Cf::kAliases, AliasKey(name, id)));
        if (!has) Problem("entity '", rec->name, "': alias '", name, "' is not indexed");
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckStatistics() {
    for (auto& [p, n] : objects_) stats_[p].distinct_objects = n;
    absl::flat_hash_map<TermId, PredicateStats> stored;
    KG_RETURN_IF_ERROR(ForEach(Cf::kStats, [&](std::string_view key, std::string_view value) -> absl::Status {
      if (key.starts_with("P")) {
        auto id = TermId::FromBytes(key.substr(1));
        auto st = DecodePredicateStats(value);
        if (!id || !st) {
          Problem("statistics: malformed predicate entry");
        } else {
          stored[*id] = *st;
        }
      } else if (key.starts_with("G")) {
        if (value.size() != 8) {
          Problem("statistics: malformed counter ", key.substr(1));
        } else {
          counters_[std::string(key.substr(1))] = GetFixed64BE(value.data());
        }
      } else {
        Problem("statistics: unknown key");
      }
      return absl::OkStatus();
    }));
    auto show = [](const PredicateStats& s) {
      return StrCat(s.triples, " triples, ", s.distinct_subjects, " subjects, ",
                          s.distinct_objects, " objects");
    };
    for (const auto& [p, actual] : stats_) {
      auto it = stored.find(p);
      const PredicateStats recorded = it == stored.end() ? PredicateStats{} : it->second;
      if (!(recorded == actual)) {
        Problem("statistics of predicate ", p.ToHex(), " say ", show(recorded),
                "; the indexes hold ", show(actual));
      }
    }
    for (const auto& [p, recorded] : stored) {
      if (!stats_.contains(p)) {
        Problem("statistics of predicate ", p.ToHex(), " say ", show(recorded),
                "; the indexes hold none");
      }
    }
    if (term_index_entries_ != report_.dictionary_entries) {
      Problem("the term index holds ", term_index_entries_, " entries, the dictionary ",
              report_.dictionary_entries);
    }
    if (report_.dictionary_entries > 0 && counters_[std::string(kNextTermCounter)] <= max_term_) {
      Problem("statistics: the term counter says ", counters_[std::string(kNextTermCounter)],
              " but the dictionary holds term number ", max_term_);
    }
    if (max_claim_ > 0 && counters_[std::string(kNextClaimCounter)] <= max_claim_) {
      Problem("statistics: the claim counter says ", counters_[std::string(kNextClaimCounter)],
              " but the dictionary holds claim number ", max_claim_);
    }
    for (auto [name, actual] : {std::pair{kDocumentsCounter, report_.documents},
                                std::pair{kEvidenceCounter, report_.evidence},
                                std::pair{kTriplesCounter, report_.triples}}) {
      const uint64_t recorded = counters_[std::string(name)];
      if (recorded != actual) {
        Problem("statistics: ", name, " counter says ", recorded, ", the store holds ", actual);
      }
    }
    return absl::OkStatus();
  }

  const Db& db_;
  const bool verify_file_checksums_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions ro_;
  CheckReport report_;
  size_t dropped_ = 0;
  uint64_t postings_found_ = 0;  // text postings that evidence records expect
  uint64_t term_index_entries_ = 0;
  uint64_t max_term_ = 0;   // the largest dictionary sequence number
  uint64_t max_claim_ = 0;  // ... of claims
  absl::flat_hash_map<TermId, PredicateStats> stats_;
  absl::flat_hash_map<TermId, uint64_t> objects_;
  absl::flat_hash_map<std::string, uint64_t> counters_;
};

}  // namespace

absl::StatusOr<CheckReport> Store::Check(bool verify_file_checksums) const {
  Checker checker(*db_, verify_file_checksums);
  return checker.Run();
}

}  // namespace kg
