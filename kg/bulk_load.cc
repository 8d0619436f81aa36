#include "kg/bulk_load.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <limits>
#include <queue>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/prepared.h"
#include "kg/sha256.h"
#include "kg/text_index_internal.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/txlog.h"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/sst_file_writer.h"

namespace kg {
namespace {

namespace fs = std::filesystem;

// Runs fn(0..n-1) on two threads (the machine's cores); the first error wins.
absl::Status ParallelFor(size_t n, const std::function<absl::Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  absl::Status first;
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      absl::Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first.ok()) first = s;
      }
    }
  };
  std::thread other(work);
  work();
  other.join();
  return first;
}

// Merges column family `cf`'s runs into one file, newest run first among
// equal keys; counts statistics for SPO and POS into `per_predicate`.
// Leaves `arg` without files when the column family is empty.
// Encoded key/value pairs of one column family, appended to one arena:
// [u32 key size][u32 value size][key][value]; sorted through an index.
class Buffer {
 public:
  void Put(std::string_view key, std::string_view value) {
    offsets_.push_back(arena_.size());
    const uint32_t sizes[2] = {static_cast<uint32_t>(key.size()),
                               static_cast<uint32_t>(value.size())};
    arena_.append(reinterpret_cast<const char*>(sizes), sizeof(sizes));
    arena_.append(key);
    arena_.append(value);
  }
  size_t bytes() const { return arena_.size() + offsets_.size() * sizeof(uint64_t); }
  bool empty() const { return offsets_.empty(); }
  void Prefetch(uint64_t off) const { __builtin_prefetch(arena_.data() + off); }
  std::string_view Key(uint64_t off) const {
    uint32_t k;
    std::memcpy(&k, arena_.data() + off, 4);
    return {arena_.data() + off + 8, k};
  }
  std::string_view Value(uint64_t off) const {
    uint32_t k, v;
    std::memcpy(&k, arena_.data() + off, 4);
    std::memcpy(&v, arena_.data() + off + 4, 4);
    return {arena_.data() + off + 8 + k, v};
  }
  // Sorted by key; of equal keys the one put last comes first. Sorts
  // (first 16 key bytes, offset) entries so that most comparisons touch no
  // arena: a comparison that reads the arena is a cache miss (measured:
  // with an 8-byte prefix, 20 % of an annotated bulk load's time went to
  // those misses, as keys of one subject or token share 8 bytes).
  struct Entry {
    uint64_t hi, lo;  // big-endian first 16 bytes of the key, zero-padded
    uint64_t off;
  };
  std::vector<Entry> Sorted() const {
    auto be64 = [](const unsigned char* b) {
      uint64_t v = 0;
      for (int i = 0; i < 8; ++i) v = (v << 8) | b[i];
      return v;
    };
    std::vector<Entry> entries;
    entries.reserve(offsets_.size());
    for (uint64_t off : offsets_) {
      const std::string_view k = Key(off);
      unsigned char buf[16] = {0};
      std::memcpy(buf, k.data(), std::min<size_t>(16, k.size()));
      entries.push_back({be64(buf), be64(buf + 8), off});
    }
    std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
      if (a.hi != b.hi) return a.hi < b.hi;
      if (a.lo != b.lo) return a.lo < b.lo;
      const int c = Key(a.off).compare(Key(b.off));
      return c != 0 ? c < 0 : a.off > b.off;
    });
    return entries;
  }
  void Clear() {
    arena_.clear();
    arena_.shrink_to_fit();
    offsets_.clear();
    offsets_.shrink_to_fit();
  }

 private:
  std::string arena_;
  std::vector<uint64_t> offsets_;
};

rocksdb::Options SstOptions(Cf cf, const StorageTuning& tuning) {
  return rocksdb::Options(rocksdb::DBOptions(), CfOptions(cf, tuning, nullptr));
}

// How many keys ahead a spill fetches from its arena.
constexpr size_t kPrefetch = 16;

// Size at which a merged output file is cut.
constexpr uint64_t kFinalFileBytes = 256ull << 20;

// Runs are read once, right after: not worth compressing or filtering.
rocksdb::Options RunOptions(Cf cf) {
  StorageTuning t;
  t.compression = StorageTuning::Compression::kNone;
  t.bloom_bits_per_key = 0;
  return SstOptions(cf, t);
}

// Ids for a bulk load: its own map of the terms it has seen, then (if the
// store held terms when the load started) the store's term index; new ones
// numbered on from the store's counter.
class BulkIdSource : public IdSource {
 public:
  absl::StatusOr<TermId> IdFor(std::string_view value, bool* added) override {
    auto it = ids_.find(absl::string_view(value.data(), value.size()));
    if (it != ids_.end()) {
      *added = false;
      return it->second;
    }
    if (store_has_terms) {
      KG_ASSIGN_OR_RETURN(std::optional<TermId> stored, LookupTermId(*db, ro, value));
      if (stored) {
        ids_.emplace(std::string(value), *stored);
        bytes_ += value.size() + kEntryBytes;
        *added = false;
        return *stored;
      }
    }
    const auto tag = static_cast<IdTag>(value[0]);
    uint64_t& counter = tag == IdTag::kClaim ? next_claim : next;
    if (counter >= TermId::kProvisionalBit) {
      return absl::ResourceExhaustedError("the store has used every term id");
    }
    const TermId id = TermId::Dense(tag, counter++);
    ids_.emplace(std::string(value), id);
    bytes_ += value.size() + kEntryBytes;
    *added = true;
    return id;
  }
  size_t size() const { return ids_.size(); }
  // About the memory the map holds.
  uint64_t bytes() const { return bytes_; }
  // Frees the map of values (IdFor must not be called again).
  void DropValues() {
    absl::flat_hash_map<std::string, TermId>().swap(ids_);
    bytes_ = 0;
  }

  const Db* db = nullptr;
  rocksdb::ReadOptions ro;
  bool store_has_terms = false;
  uint64_t next = 1;
  uint64_t next_claim = 1;

 private:
  // A slot (string and id) and the string's heap block, about.
  static constexpr uint64_t kEntryBytes = 56;
  absl::flat_hash_map<std::string, TermId> ids_;
  uint64_t bytes_ = 0;
};

// The claims of a plain load: (s, p, o) -> claim number, as a list of
// triples (the claim numbered base + i is triple i) and an open-addressing
// table of indexes into it: 28 bytes a claim, where BulkIdSource keeps a
// 25-byte string (its own heap block) and hashes it. The list grows by
// blocks, so that it never holds two copies of itself.
class ClaimTable {
 public:
  size_t size() const { return size_; }
  const Triple& operator[](size_t i) const { return blocks_[i >> kBlockBits][i & kBlockMask]; }

  // The index of `t`; `*added` if it was not there (it gets the next index).
  uint64_t FindOrAdd(const Triple& t, bool* added) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = absl::Hash<Triple>{}(t) & mask;; i = (i + 1) & mask) {
      const uint32_t slot = slots_[i];
      if (slot == 0) {
        if ((size_ & kBlockMask) == 0) blocks_.push_back(std::make_unique<Triple[]>(kBlockMask + 1));
        blocks_.back()[size_ & kBlockMask] = t;
        slots_[i] = static_cast<uint32_t>(++size_);
        *added = true;
        return size_ - 1;
      }
      if ((*this)[slot - 1] == t) {
        *added = false;
        return slot - 1;
      }
    }
  }

  // Frees the lookup table (FindOrAdd must not be called again).
  void DropIndex() { std::vector<uint32_t>().swap(slots_); }
  uint64_t bytes() const {
    return blocks_.size() * (kBlockMask + 1) * sizeof(Triple) + slots_.size() * sizeof(uint32_t);
  }

  // The most claims one load can number (slots hold index + 1 in 32 bits).
  static constexpr uint64_t kMaxClaims = (uint64_t{1} << 32) - 2;

 private:
  static constexpr int kBlockBits = 20;
  static constexpr size_t kBlockMask = (size_t{1} << kBlockBits) - 1;

  void Grow() {
    std::vector<uint32_t> bigger(std::max<size_t>(1024, slots_.size() * 2), 0);
    const size_t mask = bigger.size() - 1;
    for (size_t k = 0; k < size_; ++k) {
      size_t i = absl::Hash<Triple>{}((*this)[k]) & mask;
      while (bigger[i] != 0) i = (i + 1) & mask;
      bigger[i] = static_cast<uint32_t>(k + 1);
    }
    slots_.swap(bigger);
  }

  std::vector<std::unique_ptr<Triple[]>> blocks_;
  size_t size_ = 0;
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
};

// A claim of a plain load in one order: its three ids as big-endian numbers
// (so that comparing numbers compares key bytes), and its index in the
// claim table.
struct ClaimRow {
  uint64_t k[3];
  uint64_t index;
  bool operator<(const ClaimRow& o) const {
    if (k[0] != o.k[0]) return k[0] < o.k[0];
    if (k[1] != o.k[1]) return k[1] < o.k[1];
    return k[2] < o.k[2];
  }
};

uint64_t IdNumber(const TermId& id) {
  uint64_t v;
  std::memcpy(&v, id.bytes().data(), 8);
  return __builtin_bswap64(v);
}

void AppendIdNumber(uint64_t v, std::string* out) {
  v = __builtin_bswap64(v);
  out->append(reinterpret_cast<const char*>(&v), 8);
}

// Fills `rows` with the claims in `perm` order, sorted (on both cores).
void SortClaims(const ClaimTable& triples, Permutation perm, std::vector<ClaimRow>& rows) {
  rows.resize(triples.size());
  for (size_t i = 0; i < triples.size(); ++i) {
    const Triple& t = triples[i];
    const uint64_t s = IdNumber(t.s), p = IdNumber(t.p), o = IdNumber(t.o);
    ClaimRow& r = rows[i];
    switch (perm) {
      case Permutation::kSpo: r = {{s, p, o}, i}; break;
      case Permutation::kPos: r = {{p, o, s}, i}; break;
      case Permutation::kOsp: r = {{o, s, p}, i}; break;
    }
  }
  const auto mid = rows.begin() + static_cast<std::ptrdiff_t>(rows.size() / 2);
  std::thread half([&] { std::sort(rows.begin(), mid); });
  std::sort(mid, rows.end());
  half.join();
  std::inplace_merge(rows.begin(), mid, rows.end());
}

// Where a column family's final keys go, in order: files of about
// kFinalFileBytes (so later compactions work on pieces of a normal size),
// counting the statistics of SPO and POS on the way.
using EmitFn = std::function<absl::Status(std::string_view key, std::string_view value)>;
// Keys after every key of the column family's runs (see MergeColumnFamily).
using TailFn = std::function<absl::Status(const EmitFn& emit)>;

void AddEncoded(PlainBatch* batch) { batch->ends.push_back(batch->terms.size()); }

}  // namespace

absl::Status AppendPlainTerm(const Term& t, PlainBatch* batch) {
  if (t.kind() == TermKind::kClaim) {
    return absl::InvalidArgumentError("a plain statement cannot have a claim as a term");
  }
  KG_RETURN_IF_ERROR(ValidateTermForWrite(t));
  if (auto id = InlineId(t)) {
    batch->terms.append(id->bytes());
  } else {
    batch->terms.append(DictionaryValue(t));
  }
  AddEncoded(batch);
  return absl::OkStatus();
}

absl::Status AppendPlainIri(std::string_view iri, PlainBatch* batch) {
  // As DictionaryValue(Term::Iri(iri)).
  batch->terms.push_back(static_cast<char>(IdTag::kIri));
  batch->terms.append(iri);
  AddEncoded(batch);
  return absl::OkStatus();
}

absl::Status AppendPlainString(std::string_view text, std::string_view lang, PlainBatch* batch) {
  if (lang.empty() && InlineId(Term::String(text.substr(0, 7)))) {
    return AppendPlainTerm(Term::String(text), batch);  // inline: checked here
  }
  // As DictionaryValue(Term::String(text, lang)): language tags lower-cased.
  std::string& out = batch->terms;
  if (lang.empty()) {
    out.push_back(static_cast<char>(IdTag::kString));
  } else {
    out.push_back(static_cast<char>(IdTag::kLangString));
    for (char c : lang) out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    out.push_back('\0');
  }
  out.append(text);
  AddEncoded(batch);
  return absl::OkStatus();
}

struct BulkLoad::Impl {
  std::shared_ptr<Db> db;
  BulkLoadOptions options;
  std::string dir;
  Buffer buffers[kNumCfs];
  uint64_t buffered = 0;
  std::vector<std::vector<std::string>> runs;  // run -> file per Cf ("" if none)
  // The documents of the load as written and appended, their link targets
  // not yet resolved (the caller's); their ids and resolved link targets
  // (the worker's).
  std::map<std::string, DocumentRecord> documents;
  absl::flat_hash_map<std::string, TermId> document_ids;
  absl::flat_hash_map<std::string, std::vector<std::string>> link_target_ids;
  absl::flat_hash_map<TermId, EntityRecord> entities;
  BulkIdSource ids;
  uint64_t start_next_term = 1;
  uint64_t start_next_claim = 1;
  uint64_t evidence = 0;
  bool committed = false;

  // Prepared documents are emitted into the buffers (and spilled) by a
  // worker thread while the caller parses and encodes the next ones: on two
  // cores that took an annotated bulk ingest from one busy core to two.
  // Everything above except `documents` belongs to the worker until Drain().
  static constexpr size_t kQueued = 4;
  std::mutex mu;
  std::condition_variable cv;
  // What the worker emits: a prepared document write, or plain statements
  // (from `first_ordinal` on) of a document.
  struct Item {
    Prepared prepared;
    bool is_plain = false;
    PlainBatch plain;
    uint32_t first_ordinal = 0;

    static Item Of(Prepared p) {
      Item item;
      item.prepared = std::move(p);
      return item;
    }
  };
  std::deque<Item> queue;  // guarded by mu
  bool busy = false;           // guarded by mu: the worker is emitting
  bool closing = false;        // guarded by mu
  absl::Status emit_error;     // guarded by mu: the first failure
  std::thread worker;

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu);
      closing = true;
      queue.clear();
    }
    cv.notify_all();
    if (worker.joinable()) worker.join();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }

  // Which lane the load took (the caller's thread).
  bool took_documents = false;
  bool took_plain = false;
  ClaimTable claims;  // the worker's, for plain statements

  void StartWorker() {
    worker = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu);
      while (true) {
        cv.wait(lock, [&] { return !queue.empty() || closing; });
        if (queue.empty()) return;
        Item item = std::move(queue.front());
        queue.pop_front();
        const bool skip = !emit_error.ok();  // a failed load only drains
        busy = true;
        cv.notify_all();
        lock.unlock();
        absl::Status s = skip             ? absl::OkStatus()
                         : item.is_plain ? EmitPlain(item.plain, item.first_ordinal)
                                         : Emit(item.prepared);
        lock.lock();
        busy = false;
        if (!s.ok() && emit_error.ok()) emit_error = std::move(s);
        cv.notify_all();
      }
    });
  }

  // Hands `p` to the worker; fails if an earlier emit failed.
  absl::Status Enqueue(Item item) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.size() < kQueued || !emit_error.ok(); });
    if (!emit_error.ok()) return emit_error;
    queue.push_back(std::move(item));
    cv.notify_all();
    return absl::OkStatus();
  }

  // Waits until the worker has emitted everything queued.
  absl::Status Drain() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queue.empty() && !busy; });
    return emit_error;
  }

  // Whether the buffers should be spilled: the budget bounds them and the
  // maps of terms and claims the load holds until Commit, but the buffers
  // keep at least half of it (the maps alone can outgrow it).
  bool OverBudget() const {
    const uint64_t held = std::min(ids.bytes() + claims.bytes(), options.memory_budget / 2);
    return buffered > options.memory_budget - held;
  }

  void Put(Cf cf, std::string_view key, std::string_view value) {
    buffers[static_cast<int>(cf)].Put(key, value);
    // Arena sizes and offset (16 bytes) and, at spill time, the sort entry
    // (24 bytes): the budget bounds all of it.
    buffered += key.size() + value.size() + 40;
  }

  absl::Status Emit(Prepared& p) {
    KG_RETURN_IF_ERROR(ResolveIds(p, ids));
    for (const auto& [id, value] : p.new_terms) {
      Put(Cf::kDict, id.bytes(), value);
      Put(Cf::kTerms, value, id.bytes());
      // Every entity is findable by its canonical name.
      if (id.tag() == IdTag::kEntity) {
        Put(Cf::kAliases, AliasKey(std::string_view(value).substr(1), id), "");
      }
    }
    if (p.doc != kNoTerm) {
      const TermId doc = p.doc_id();
      document_ids[p.doc_record.id] = doc;
      std::vector<std::string>& targets = link_target_ids[p.doc_record.id];
      for (TermRef t : p.link_targets) targets.emplace_back(p.id(t).bytes());
      const EvidenceLayout layout = LayOutEvidence(p);
      for (const EvidenceRun& r : layout.runs) {
        Put(Cf::kRanges, RunByClaimKey(r.first), RunByClaimValue(r));
        Put(Cf::kRanges, RunByDocKey(doc, r.first), RunByDocValue(r));
      }
      for (const auto& ev : p.evidence) {
        const Triple triple = p.TripleOf(ev);
        for (Permutation perm : {Permutation::kSpo, Permutation::kPos, Permutation::kOsp}) {
          Put(CfOf(perm), TripleKey(perm, triple), "");
        }
      }
      evidence += p.evidence.size();
      for (size_t i : layout.keyed) {
        const Prepared::Ev& ev = p.evidence[i];
        const TermId claim = p.id(ev.claim);
        const std::string key = EvidenceKey(claim, doc, ev.ordinal);
        Put(Cf::kEvidence, key, p.EncodeEvidenceValue(ev));
        Put(Cf::kDocEvidence, DocEvidenceKey(doc, claim, ev.ordinal), "");
        for (const std::string& token : DistinctQuoteTokens(ev.record.quote)) {
          Put(Cf::kText, TextKey(token, key), "");
        }
      }
    }
    MergeEntities(p);
    if (OverBudget()) return Spill();
    return absl::OkStatus();
  }

  // The id of an encoded term; a new dictionary term is checked, numbered
  // and put.
  absl::StatusOr<TermId> PlainId(std::string_view encoded) {
    if (encoded.size() == TermId::kSize) {
      if (auto id = TermId::FromBytes(encoded); id && id->is_inline()) return *id;
    }
    bool added = false;
    KG_ASSIGN_OR_RETURN(TermId id, ids.IdFor(encoded, &added));
    if (added) {
      auto entry = ParseDictionaryValue(encoded);
      if (!entry.ok() || !std::holds_alternative<Term>(*entry)) {
        return absl::InvalidArgumentError("malformed plain term");
      }
      KG_RETURN_IF_ERROR(ValidateTermForWrite(std::get<Term>(*entry)));
      Put(Cf::kDict, id.bytes(), encoded);
      Put(Cf::kTerms, encoded, id.bytes());
      if (id.tag() == IdTag::kEntity) Put(Cf::kAliases, AliasKey(encoded.substr(1), id), "");
    }
    return id;
  }

  // Emits plain statements as Emit would the same statements as claims
  // with empty evidence: the document's term first, then each statement's
  // terms and claim numbered in order; runs of the claims this batch
  // numbered, every other piece of evidence keyed.
  absl::Status EmitPlain(const PlainBatch& b, uint32_t first_ordinal) {
    KG_ASSIGN_OR_RETURN(const TermId doc, PlainId(DictionaryValue(Term::Document(b.document_id))));
    document_ids[b.document_id] = doc;
    link_target_ids[b.document_id];
    EvidenceRun run;
    auto flush = [&] {
      if (run.count >= 2) {
        Put(Cf::kRanges, RunByClaimKey(run.first), RunByClaimValue(run));
        Put(Cf::kRanges, RunByDocKey(doc, run.first), RunByDocValue(run));
      } else if (run.count == 1) {
        PutKeyedPlain(run.first, doc, run.first_ordinal);
      }
      run.count = 0;
    };
    for (size_t i = 0; i < b.statements(); ++i) {
      const uint32_t ordinal = first_ordinal + static_cast<uint32_t>(i);
      Triple t;
      for (int k = 0; k < 3; ++k) {
        auto id = PlainId(b.term(3 * i + k));
        if (!id.ok()) {
          return absl::Status(id.status().code(),
                              StrCat("document ", b.document_id, ": statement #", ordinal + 1, ": ",
                                     id.status().message()));
        }
        (k == 0 ? t.s : k == 1 ? t.p : t.o) = *id;
      }
      if (claims.size() >= ClaimTable::kMaxClaims) {
        return absl::ResourceExhaustedError("a bulk load of plain statements numbers at most 2^32 - 2 claims");
      }
      bool added = false;
      const uint64_t index = claims.FindOrAdd(t, &added);
      const TermId claim = TermId::Dense(IdTag::kClaim, start_next_claim + index);
      if (added) {
        if (ids.next_claim >= TermId::kProvisionalBit) {
          return absl::ResourceExhaustedError("the store has used every term id");
        }
        ++ids.next_claim;
        // Its dictionary entries and triple keys come from `claims` at
        // Commit (MergePlain).
        // Claims numbered one after the other with consecutive ordinals.
        if (run.count > 0 && run.first.number() + run.count == claim.number()) {
          ++run.count;
        } else {
          flush();
          run = {claim, 1, doc, ordinal};
        }
      } else {
        flush();
        PutKeyedPlain(claim, doc, ordinal);
      }
    }
    flush();
    evidence += b.statements();
    if (OverBudget()) return Spill();
    return absl::OkStatus();
  }

  // Commit's merge for a plain load: `merge(cf, tail)` merges a column
  // family's runs and then emits `tail`. The claims are sorted into SPO,
  // POS and OSP order in turn (one buffer, 32 bytes a claim); each order
  // is written while the other core writes another column family.
  template <typename MergeFn>
  absl::Status MergePlain(const MergeFn& merge) {
    claims.DropIndex();
    ids.DropValues();
    const ClaimTable& triples = claims;
    const uint64_t base = start_next_claim;
    std::vector<ClaimRow> rows;
    auto write_order = [&](Permutation perm) {
      return [&, perm](const EmitFn& emit) -> absl::Status {
        std::string key;
        for (const ClaimRow& r : rows) {
          key.clear();
          for (uint64_t k : r.k) AppendIdNumber(k, &key);
          KG_RETURN_IF_ERROR(emit(key, ""));
        }
        return absl::OkStatus();
      };
    };
    // SPO: the spo family, and `terms` (a claim's value is 0x40 s p o, so
    // value order is SPO order; every other value's tag is smaller).
    SortClaims(triples, Permutation::kSpo, rows);
    const TailFn terms_tail = [&](const EmitFn& emit) -> absl::Status {
      std::string key;
      for (const ClaimRow& r : rows) {
        key.assign(1, static_cast<char>(IdTag::kClaim));
        for (uint64_t k : r.k) AppendIdNumber(k, &key);
        KG_RETURN_IF_ERROR(emit(key, TermId::Dense(IdTag::kClaim, base + r.index).bytes()));
      }
      return absl::OkStatus();
    };
    KG_RETURN_IF_ERROR(ParallelFor(2, [&](size_t i) {
      return i == 0 ? merge(Cf::kSpo, write_order(Permutation::kSpo)) : merge(Cf::kTerms, terms_tail);
    }));
    // POS, beside `dict` (claims by number, after every other id's tag).
    SortClaims(triples, Permutation::kPos, rows);
    const TailFn dict_tail = [&](const EmitFn& emit) -> absl::Status {
      for (size_t i = 0; i < triples.size(); ++i) {
        const Triple& t = triples[i];
        KG_RETURN_IF_ERROR(emit(TermId::Dense(IdTag::kClaim, base + i).bytes(),
                                ClaimDictionaryValue(t.s, t.p, t.o)));
      }
      return absl::OkStatus();
    };
    KG_RETURN_IF_ERROR(ParallelFor(2, [&](size_t i) {
      return i == 0 ? merge(Cf::kPos, write_order(Permutation::kPos)) : merge(Cf::kDict, dict_tail);
    }));
    // OSP, beside every other family's runs.
    SortClaims(triples, Permutation::kOsp, rows);
    std::vector<Cf> rest;
    for (int c = 0; c < kNumCfs; ++c) {
      const Cf cf = static_cast<Cf>(c);
      if (cf != Cf::kStats && cf != Cf::kMeta && cf != Cf::kSpo && cf != Cf::kPos &&
          cf != Cf::kOsp && cf != Cf::kDict && cf != Cf::kTerms) {
        rest.push_back(cf);
      }
    }
    return ParallelFor(rest.size() + 1, [&](size_t i) {
      return i == 0 ? merge(Cf::kOsp, write_order(Permutation::kOsp)) : merge(rest[i - 1], nullptr);
    });
  }

  // Plain evidence under its own key: the added-tx varint (0), no record.
  void PutKeyedPlain(const TermId& claim, const TermId& doc, uint32_t ordinal) {
    std::string value;
    PutVarint64(&value, kNoTransaction);
    Put(Cf::kEvidence, EvidenceKey(claim, doc, ordinal), value);
    Put(Cf::kDocEvidence, DocEvidenceKey(doc, claim, ordinal), "");
  }

  void MergeEntities(const Prepared& p) {
    for (const Entity& e : p.entities) {
      EntityRecord& rec = entities[p.id(p.Find(Term::Entity(e.name)))];
      rec.name = e.name;
      for (const std::string& alias : e.aliases) {
        if (std::find(rec.aliases.begin(), rec.aliases.end(), alias) == rec.aliases.end()) {
          rec.aliases.push_back(alias);
        }
      }
      if (!e.type.empty()) rec.type = e.type;
    }
  }

  // Writes every buffer as one sorted, de-duplicated run file.
  absl::Status Spill() {
    std::vector<std::string> files(kNumCfs);
    // Column families are sorted and written independently, two at a time.
    KG_RETURN_IF_ERROR(ParallelFor(kNumCfs, [&](size_t c) -> absl::Status {
      Buffer& b = buffers[c];
      if (b.empty()) return absl::OkStatus();
      const Cf cf = static_cast<Cf>(c);
      files[c] = StrCat(dir, "/run", runs.size(), "-", CfName(cf), ".sst");
      rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), RunOptions(cf));
      KG_RETURN_IF_ERROR(FromRocks(writer.Open(files[c]), "writing a bulk-load run"));
      std::string_view last, last_value;
      bool have = false;
      const std::vector<Buffer::Entry> order = b.Sorted();
      for (size_t i = 0; i < order.size(); ++i) {
        // The entries are scattered over the arena: fetch ahead so the
        // loop does not wait on a cache miss per key.
        if (i + kPrefetch < order.size()) b.Prefetch(order[i + kPrefetch].off);
        const uint64_t off = order[i].off;
        const std::string_view key = b.Key(off);
        if (have && key == last) {
          continue;  // the first of equal keys is the one put last
        }
        KG_RETURN_IF_ERROR(FromRocks(writer.Put(key, b.Value(off)), "writing a bulk-load run"));
        last = key;
        last_value = b.Value(off);
        have = true;
      }
      KG_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finishing a bulk-load run"));
      b.Clear();
      return absl::OkStatus();
    }));
    runs.push_back(std::move(files));
    buffered = 0;
    return absl::OkStatus();
  }
};

namespace {

// Merges column family `cf`'s runs into its final files, newest run first
// among equal keys, then adds what `tail` emits (if any); counts statistics
// for SPO and POS into `per_predicate`. Leaves `arg` without files when the
// column family is empty.
absl::Status MergeColumnFamily(BulkLoad::Impl& m, Cf cf, const TailFn& tail,
                               absl::flat_hash_map<TermId, PredicateStats>& per_predicate,
                               uint64_t& entries, uint64_t& bytes,
                               rocksdb::IngestExternalFileArg& arg) {
  const int c = static_cast<int>(cf);
  Db& db = *m.db;
  entries = 0;
  bytes = 0;
  std::vector<std::unique_ptr<rocksdb::SstFileReader>> readers;
  std::vector<std::unique_ptr<rocksdb::Iterator>> iters;
  for (const auto& run : m.runs) {
    if (run[c].empty()) continue;
    auto reader = std::make_unique<rocksdb::SstFileReader>(RunOptions(cf));
    KG_RETURN_IF_ERROR(FromRocks(reader->Open(run[c]), "reading a bulk-load run"));
    std::unique_ptr<rocksdb::Iterator> it(reader->NewIterator(rocksdb::ReadOptions()));
    it->SeekToFirst();
    readers.push_back(std::move(reader));
    iters.push_back(std::move(it));
  }
  if (iters.empty() && !tail) return absl::OkStatus();
  std::vector<std::string> files;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SstOptions(cf, m.db->options.tuning));
  bool open = false;
  uint64_t in_file = 0;
  auto finish = [&]() -> absl::Status {
    rocksdb::ExternalSstFileInfo info;
    KG_RETURN_IF_ERROR(FromRocks(writer.Finish(&info), "finishing a bulk-load file"));
    bytes += info.file_size;
    open = false;
    return absl::OkStatus();
  };
  // Distinct counts: in SPO order the triples of one (s, p) pair are
  // adjacent, in POS order those of one (p, o) pair.
  TermId prev_p, prev_x;
  bool have_prev = false;
  const EmitFn emit = [&](std::string_view key, std::string_view value) -> absl::Status {
    if (open && in_file > 0 && writer.FileSize() >= kFinalFileBytes) {
      KG_RETURN_IF_ERROR(finish());
    }
    if (!open) {
      files.push_back(StrCat(m.dir, "/final-", CfName(cf), "-", files.size(), ".sst"));
      KG_RETURN_IF_ERROR(FromRocks(writer.Open(files.back()), "writing a bulk-load file"));
      open = true;
      in_file = 0;
    }
    KG_RETURN_IF_ERROR(FromRocks(writer.Put(key, value), "writing a bulk-load file"));
    ++in_file;
    ++entries;
    if (cf == Cf::kSpo || cf == Cf::kPos) {
      auto t = ParseTripleKey(cf == Cf::kSpo ? Permutation::kSpo : Permutation::kPos, key);
      if (!t) return absl::InternalError("bulk load produced a malformed triple key");
      const TermId& x = cf == Cf::kSpo ? t->s : t->o;
      PredicateStats& st = per_predicate[t->p];  // this thread's own map
      if (cf == Cf::kSpo) ++st.triples;
      const bool same = have_prev && prev_p == t->p && prev_x == x;
      if (!same) ++(cf == Cf::kSpo ? st.distinct_subjects : st.distinct_objects);
      prev_p = t->p;
      prev_x = x;
      have_prev = true;
    }
    return absl::OkStatus();
  };
  // Heap of (iterator index); later runs win ties.
  auto greater = [&](size_t a, size_t b) {
    const int cmp = iters[a]->key().compare(iters[b]->key());
    return cmp != 0 ? cmp > 0 : a < b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> heap(greater);
  for (size_t i = 0; i < iters.size(); ++i) {
    if (iters[i]->Valid()) heap.push(i);
  }
  std::string last;
  bool have = false;
  while (!heap.empty()) {
    const size_t i = heap.top();
    heap.pop();
    const rocksdb::Slice key = iters[i]->key();
    if (!have || key.ToStringView() != last) {
      last.assign(key.data(), key.size());
      have = true;
      KG_RETURN_IF_ERROR(emit(last, iters[i]->value().ToStringView()));
    }
    iters[i]->Next();
    if (iters[i]->Valid()) {
      heap.push(i);
    } else {
      KG_RETURN_IF_ERROR(FromRocks(iters[i]->status(), "reading a bulk-load run"));
    }
  }
  // The runs of this column family are read: free their disk space now,
  // which at 100M triples is tens of gigabytes.
  iters.clear();
  readers.clear();
  for (const auto& run : m.runs) {
    std::error_code ec;
    if (!run[c].empty()) fs::remove(run[c], ec);
  }
  if (tail) KG_RETURN_IF_ERROR(tail(emit));
  if (entries == 0) return absl::OkStatus();
  KG_RETURN_IF_ERROR(finish());
  arg.column_family = db.cf(cf);
  arg.external_files = files;
  arg.options.move_files = true;
  return absl::OkStatus();
}

}  // namespace

BulkLoad::BulkLoad(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BulkLoad::~BulkLoad() = default;

absl::StatusOr<std::unique_ptr<BulkLoad>> BulkLoad::Start(Store& store,
                                                          const BulkLoadOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->db = store.db_;
  impl->options = options;
  if (impl->db->options.read_only || !impl->db->options.follower_dir.empty()) {
    return absl::FailedPreconditionError(StrCat("store ", store.path(), " is open read-only"));
  }
  KG_ASSIGN_OR_RETURN(StoreTotals totals, store.NewSnapshot()->Totals());
  if (totals.documents != 0 || totals.evidence != 0) {
    return absl::FailedPreconditionError(
        StrCat("a bulk load needs an empty store; ", store.path(), " holds ", totals.documents,
               " document(s)"));
  }
  {
    // Terms are numbered on from the store's counter; those the store
    // already holds (entities declared before the load) are looked up.
    std::lock_guard<std::mutex> lock(impl->db->write_mu);
    impl->start_next_term = impl->db->next_term;
    impl->start_next_claim = impl->db->next_claim;
  }
  impl->ids.db = impl->db.get();
  impl->ids.next = impl->start_next_term;
  impl->ids.next_claim = impl->start_next_claim;
  impl->ids.store_has_terms = impl->start_next_term > 1 || impl->start_next_claim > 1;
  impl->dir = options.temp_dir.empty() ? StrCat(store.path(), ".bulk-", ::getpid())
                                       : StrCat(options.temp_dir, "/kg-bulk-", ::getpid());
  std::error_code ec;
  // Files of a load whose process was killed: nothing in the store refers
  // to them, so they go.
  RemoveDirsOfDeadProcesses(impl->dir.substr(0, impl->dir.rfind('-') + 1));
  fs::remove_all(impl->dir, ec);
  fs::create_directories(impl->dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        StrCat("cannot create ", impl->dir, " for the bulk load: ", ec.message()));
  }
  impl->StartWorker();
  return std::unique_ptr<BulkLoad>(new BulkLoad(std::move(impl)));
}

namespace {

absl::Status TookPlain() {
  return absl::FailedPreconditionError(
      "this bulk load took plain statements; it cannot take documents too");
}

}  // namespace

absl::Status BulkLoad::Write(const DocumentWrite& write) {
  if (impl_->took_plain) return TookPlain();
  impl_->took_documents = true;
  if (impl_->documents.contains(write.document.id)) {
    return absl::InvalidArgumentError(
        StrCat("document '", write.document.id, "' is already part of this load"));
  }
  KG_ASSIGN_OR_RETURN(Prepared p, Prepare(write));
  impl_->documents.emplace(write.document.id, p.doc_record);
  return impl_->Enqueue(Impl::Item::Of(std::move(p)));
}

absl::Status BulkLoad::Append(const DocumentWrite& more) {
  if (impl_->took_plain) return TookPlain();
  auto it = impl_->documents.find(more.document.id);
  if (it == impl_->documents.end()) {
    return absl::NotFoundError(StrCat("no document '", more.document.id, "' to append to"));
  }
  DocumentRecord& rec = it->second;
  // As Store::AppendToDocument: spans against the document's text; its
  // metadata stays as first written.
  DocumentWrite w;
  w.document.id = rec.id;
  w.document.text = rec.text;
  w.document.links = more.document.links;
  w.claims = more.claims;
  w.entities = more.entities;
  KG_ASSIGN_OR_RETURN(Prepared p, Prepare(w, rec.next_ordinal));
  rec.links.insert(rec.links.end(), p.doc_record.links.begin(), p.doc_record.links.end());
  rec.next_ordinal = p.doc_record.next_ordinal;
  return impl_->Enqueue(Impl::Item::Of(std::move(p)));
}

absl::Status BulkLoad::PutEntities(const std::vector<Entity>& entities) {
  if (impl_->took_plain) return TookPlain();
  impl_->took_documents = true;
  Prepared p;
  for (const Entity& e : entities) {
    if (e.name.empty()) return absl::InvalidArgumentError("entity name must not be empty");
    p.AddTerm(Term::Entity(e.name));
  }
  p.entities = entities;
  return impl_->Enqueue(Impl::Item::Of(std::move(p)));
}

bool BulkLoad::AcceptsPlain() const { return !impl_->took_documents && !impl_->ids.store_has_terms; }

absl::Status BulkLoad::WritePlain(PlainBatch batch) {
  if (!AcceptsPlain()) {
    return absl::FailedPreconditionError(
        impl_->took_documents
            ? "this bulk load took documents; it cannot take plain statements too"
            : "plain statements need a load into a store without terms");
  }
  if (batch.ends.size() % 3 != 0 || (!batch.ends.empty() && batch.ends.back() != batch.terms.size())) {
    return absl::InvalidArgumentError("a plain batch needs three terms per statement");
  }
  KG_RETURN_IF_ERROR(ValidateName("document id", batch.document_id));
  impl_->took_plain = true;
  auto [it, added] = impl_->documents.try_emplace(batch.document_id);
  DocumentRecord& rec = it->second;
  if (added) {
    // What Prepare makes of a document with nothing but claims.
    rec.id = batch.document_id;
    rec.sha256 = Sha256::HexDigest("");
  }
  const uint32_t first_ordinal = rec.next_ordinal;
  if (batch.statements() > std::numeric_limits<uint32_t>::max() - first_ordinal) {
    return absl::InvalidArgumentError(StrCat("document ", rec.id, ": too many claims"));
  }
  rec.next_ordinal += static_cast<uint32_t>(batch.statements());
  Impl::Item item;
  item.is_plain = true;
  item.plain = std::move(batch);
  item.first_ordinal = first_ordinal;
  return impl_->Enqueue(std::move(item));
}

absl::StatusOr<BulkLoadStats> BulkLoad::Commit() {
  Impl& m = *impl_;
  if (m.committed) return absl::FailedPreconditionError("this bulk load was already committed");
  KG_RETURN_IF_ERROR(m.Drain());
  Db& db = *m.db;
  const auto start = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(db.write_mu);
  {
    // Nothing may have been written since Start.
    std::unique_ptr<rocksdb::Iterator> it(
        db.db->NewIterator(rocksdb::ReadOptions(), db.cf(Cf::kDocuments)));
    it->SeekToFirst();
    if (it->Valid()) {
      return absl::FailedPreconditionError(
          "the store received documents while the bulk load ran; nothing was loaded");
    }
  }
  BulkLoadStats stats;
  {
    // Nor may terms have been added: the load numbered its own from the
    // counter as it stood at Start.
    std::string next;
    auto s = db.db->Get(rocksdb::ReadOptions(), db.cf(Cf::kStats), CounterKey(kNextTermCounter),
                        &next);
    if (!s.IsNotFound()) KG_RETURN_IF_ERROR(FromRocks(s, "reading the term counter"));
    if ((s.ok() ? GetFixed64BE(next.data()) : 1) != m.start_next_term ||
        db.next_term != m.start_next_term || db.next_claim != m.start_next_claim) {
      return absl::FailedPreconditionError(
          "the store received terms while the bulk load ran; nothing was loaded");
    }
  }
  for (auto& [id, rec] : m.documents) {
    const std::vector<std::string>& targets = m.link_target_ids[id];
    for (size_t i = 0; i < rec.links.size() && i < targets.size(); ++i) {
      rec.links[i].target_id = targets[i];
    }
    m.Put(Cf::kDocuments, m.document_ids[id].bytes(), EncodeDocumentValue(rec));
  }
  for (const auto& [id, rec] : m.entities) {
    m.Put(Cf::kEntities, id.bytes(), EncodeEntity(rec));
    m.Put(Cf::kAliases, AliasKey(rec.name, id), "");
    for (const std::string& alias : rec.aliases) m.Put(Cf::kAliases, AliasKey(alias, id), "");
  }
  KG_RETURN_IF_ERROR(m.Spill());
  stats.runs = m.runs.size();
  stats.documents = m.documents.size();
  stats.evidence = m.evidence;

  // Merge each column family's runs into its final files (two column
  // families at a time, one per core), counting the statistics on the way.
  // A plain load's claims (most of the store: their dictionary entries and
  // all three orders) were never buffered: they come from the claim table,
  // sorted once per order, after the runs' keys of `dict` and `terms`.
  std::vector<Cf> merged;
  for (int c = 0; c < kNumCfs; ++c) {
    const Cf cf = static_cast<Cf>(c);
    if (cf != Cf::kStats && cf != Cf::kMeta) merged.push_back(cf);
  }
  std::vector<absl::flat_hash_map<TermId, PredicateStats>> partial(merged.size());
  std::vector<uint64_t> entries(merged.size()), bytes(merged.size());
  std::vector<rocksdb::IngestExternalFileArg> merged_args(merged.size());
  auto merge = [&](Cf cf, const TailFn& tail) {
    const size_t i = std::find(merged.begin(), merged.end(), cf) - merged.begin();
    return MergeColumnFamily(m, cf, tail, partial[i], entries[i], bytes[i], merged_args[i]);
  };
  if (!m.took_plain) {
    KG_RETURN_IF_ERROR(ParallelFor(merged.size(), [&](size_t i) { return merge(merged[i], nullptr); }));
  } else {
    KG_RETURN_IF_ERROR(m.MergePlain(merge));
  }
  absl::flat_hash_map<TermId, PredicateStats> per_predicate;
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (size_t i = 0; i < merged.size(); ++i) {
    if (merged[i] == Cf::kSpo) stats.triples = entries[i];
    for (const auto& [p, st] : partial[i]) {
      PredicateStats& total = per_predicate[p];
      total.triples += st.triples;
      total.distinct_subjects += st.distinct_subjects;
      total.distinct_objects += st.distinct_objects;
    }
    stats.bytes_ingested += bytes[i];
    if (!merged_args[i].external_files.empty()) args.push_back(std::move(merged_args[i]));
  }

  // Statistics and counters.
  std::vector<std::pair<std::string, std::string>> stat_rows;
  for (const auto& [p, st] : per_predicate) {
    stat_rows.emplace_back(PredicateStatsKey(p), EncodePredicateStats(st));
  }
  for (const auto& [name, value] :
       {std::pair<std::string_view, uint64_t>{kDocumentsCounter, stats.documents},
        {kEvidenceCounter, stats.evidence},
        {kTriplesCounter, stats.triples},
        {kNextTermCounter, m.ids.next == m.start_next_term ? 0 : m.ids.next},
        {kNextClaimCounter, m.ids.next_claim == m.start_next_claim ? 0 : m.ids.next_claim}}) {
    if (value == 0) continue;
    std::string encoded;
    PutFixed64BE(&encoded, value);
    stat_rows.emplace_back(CounterKey(name), encoded);
  }
  std::sort(stat_rows.begin(), stat_rows.end());
  if (!stat_rows.empty()) {
    const std::string file = StrCat(m.dir, "/final-stats.sst");
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SstOptions(Cf::kStats, db.options.tuning));
    KG_RETURN_IF_ERROR(FromRocks(writer.Open(file), "writing bulk-load statistics"));
    for (const auto& [k, v] : stat_rows) {
      KG_RETURN_IF_ERROR(FromRocks(writer.Put(k, v), "writing bulk-load statistics"));
    }
    KG_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finishing bulk-load statistics"));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = db.cf(Cf::kStats);
    arg.external_files = {file};
    arg.options.move_files = true;
    args.push_back(std::move(arg));
  }
  // The load's transaction record (kg/txlog.h), in the same ingest.
  {
    const TxRecord tx = NextTx(db, "bulk", "", stats.documents);
    const std::string file = StrCat(m.dir, "/final-tx.sst");
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SstOptions(Cf::kMeta, db.options.tuning));
    KG_RETURN_IF_ERROR(FromRocks(writer.Open(file), "writing the bulk load's transaction"));
    KG_RETURN_IF_ERROR(FromRocks(writer.Put(TxKey(tx.id), EncodeTx(tx)),
                                 "writing the bulk load's transaction"));
    KG_RETURN_IF_ERROR(FromRocks(writer.Finish(), "writing the bulk load's transaction"));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = db.cf(Cf::kMeta);
    arg.external_files = {file};
    arg.options.move_files = true;
    args.push_back(std::move(arg));
  }
  // One call for every column family: RocksDB applies all of it or none.
  KG_RETURN_IF_ERROR(FromRocks(db.db->IngestExternalFiles(args), "ingesting the bulk load"));
  ++db.next_tx;
  db.next_term = m.ids.next;
  db.next_claim = m.ids.next_claim;
  m.committed = true;
  stats.commit_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace kg
