// Reads stores of on-disk format version 2 (kg/format2_reader.h). All this
// file knows of format 2 -- column families, key layouts, the 16-byte term
// ids and dictionary values -- is spelled out here, after
// schemas/storage-format.md as of format 2; records decode with kg/codec.h.
#include "kg/format2_reader.h"

#include <array>
#include <cstdarg>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "kg/codec.h"
#include "kg/sha256.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/term.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/cache.h"
#include "rocksdb/table.h"

namespace kg::format2 {
namespace {

constexpr size_t kIdSize = 16;
constexpr size_t kEvidenceKeySize = 2 * kIdSize + 4;  // then a big-endian ordinal
constexpr size_t kInlineStringMax = 14;
constexpr uint64_t kSignFlip = uint64_t{1} << 63;
constexpr int kMaxClaimDepth = 64;
constexpr size_t kTermCacheEntries = 1 << 16;  // decoded hashed terms kept

// The column families of format 2, in the order they are opened.
enum Cf { kDefault, kDict, kEvidence = 5, kDocEvidence, kDocuments, kEntities, kNumCfs = 12 };
constexpr const char* kCfNames[kNumCfs] = {
    "default",      "dict",      "spo",      "pos",     "osp",   "evidence",
    "doc_evidence", "documents", "entities", "aliases", "stats", "text"};

// Byte 0 of a term id.
enum Tag : uint8_t {
  kEntity = 0x10, kIri = 0x11, kDocument = 0x12, kBlankNode = 0x13,
  kShortString = 0x20, kString = 0x21, kLangString = 0x22,
  kInteger = 0x30, kDecimal = 0x31, kDate = 0x32, kQuantity = 0x33, kTypedLiteral = 0x34,
  kClaim = 0x40,
};

std::string Hex(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

uint64_t LoadBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

bool AllZero(std::string_view bytes) {
  return bytes.find_first_not_of('\0') == std::string_view::npos;
}

// The id of a hashed term: its dictionary value's tag byte, then the first
// 15 bytes of the value's SHA-256.
std::string HashedId(std::string_view dictionary_value) {
  if (dictionary_value.empty()) return "";
  const Sha256::Digest digest = Sha256::Hash(dictionary_value);
  return StrCat(dictionary_value[0],
                std::string_view(reinterpret_cast<const char*>(digest.data()), kIdSize - 1));
}

std::string HashedId(Tag tag, std::string_view payload) {
  return HashedId(StrCat(static_cast<char>(tag), payload));
}

absl::Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = StrCat(context, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsIOError()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

absl::Status WithContext(const absl::Status& s, std::string_view context) {
  return absl::Status(s.code(), StrCat(context, ": ", s.message()));
}

absl::Status Undecodable(std::string_view what, std::string_view bytes) {
  return absl::DataLossError(StrCat(what, " ", Hex(bytes)));
}

// The date whose period (year, month or day: `precision` 0, 1 or 2) starts
// `days` after 1970-01-01; nullopt if there is none.
std::optional<Term> DateOfDays(int64_t days, uint8_t precision) {
  constexpr int64_t kMaxDays = 10000 * 366;  // years are -9999..9999
  if (precision > 2 || days < -kMaxDays || days > kMaxDays) return std::nullopt;
  auto first_day = [](int32_t y, int m) {
    return DaysFromEpoch(Date{y, static_cast<uint8_t>(m), 1});
  };
  auto year = static_cast<int32_t>(1970 + days / 365);
  while (first_day(year, 1) > days) --year;
  while (first_day(year + 1, 1) <= days) ++year;
  int month = 12;
  while (first_day(year, month) > days) --month;
  Date date{year, 0, 0};
  if (precision >= 1) date.month = static_cast<uint8_t>(month);
  if (precision == 2) date.day = static_cast<uint8_t>(days - first_day(year, month) + 1);
  auto term = Term::DateOf(date);
  if (!term.ok() || DaysFromEpoch(date) != days) return std::nullopt;
  return *term;
}

std::optional<Span> ToSpan(const SpanRecord& r) {
  if (!r.present) return std::nullopt;
  return Span{r.start, r.end};
}

// RocksDB's diagnostic log, discarded: a read-only open would otherwise
// write (and rotate) the store's LOG file.
class DiscardLog final : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

struct OpenStore {
  ~OpenStore() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // indexed by Cf
};

// Opens the store at `path` read-only with the first `families` of the
// column families: RocksDB's default options (whatever kg wrote with, the
// files say how to read them) but for the log and one shared block cache.
absl::StatusOr<std::unique_ptr<OpenStore>> Open(const std::string& path, int families) {
  rocksdb::DBOptions options;
  options.info_log = std::make_shared<DiscardLog>();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  // Evidence records and dictionary entries are read in no key order: one
  // 256 MiB cache instead of the default 8 MiB per family (1M generated
  // triples, bulk-loaded: 21-25 s of CPU instead of 26-30, busy machine).
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(size_t{256} << 20);
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  for (int i = 0; i < families; ++i) cfs.emplace_back(kCfNames[i], cf_options);
  auto store = std::make_unique<OpenStore>();
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, path, cfs, &store->handles, &raw);
  if (s.IsInvalidArgument()) {  // a column family is missing
    return absl::FailedPreconditionError(
        StrCat("store ", path, " is not of format 2: ", s.ToString()));
  }
  KG_RETURN_IF_ERROR(FromRocks(s, StrCat("opening store ", path, " read-only")));
  store->db.reset(raw);
  return store;
}

// The store's format version; nullopt if `path` holds no RocksDB database
// or it has no version.
absl::StatusOr<std::optional<std::string>> ReadVersion(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) return std::nullopt;
  KG_ASSIGN_OR_RETURN(auto store, Open(path, 1));
  std::string version;
  const rocksdb::Status s =
      store->db->Get(rocksdb::ReadOptions(), store->handles[kDefault], "format_version", &version);
  if (s.IsNotFound()) return std::nullopt;
  KG_RETURN_IF_ERROR(FromRocks(s, StrCat("reading the format version of ", path)));
  return version;
}

class Reader {
 public:
  Reader(const std::string& path, const OpenStore& store, const ReadOptions& options)
      : path_(path), store_(store), options_(options) {}

  absl::Status Entities(const Visitor& visitor) {
    std::vector<Entity> entities;
    auto it = Iterate(kEntities);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view key = it->key().ToStringView();
      auto rec = DecodeEntity(it->value().ToStringView());
      if (!rec.ok()) return WithContext(rec.status(), StrCat("store ", path_, ": entity ", Hex(key)));
      entities.push_back(Entity{rec->name, rec->aliases, rec->type});
    }
    KG_RETURN_IF_ERROR(FromRocks(it->status(), StrCat("store ", path_, ": reading entities")));
    return visitor.entities ? visitor.entities(entities) : absl::OkStatus();
  }

  absl::Status Documents(const Visitor& visitor) {
    auto it = Iterate(kDocuments);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string key(it->key().ToStringView());
      auto rec = DecodeDocument(it->value().ToStringView());
      if (!rec.ok()) return WithContext(rec.status(), StrCat("store ", path_, ": document ", Hex(key)));
      const std::string context = StrCat("store ", path_, ": document '", rec->id, "'");
      KG_RETURN_IF_ERROR(ReadDocument(key, *std::move(rec), context, visitor));
    }
    return FromRocks(it->status(), StrCat("store ", path_, ": reading documents"));
  }

 private:
  std::unique_ptr<rocksdb::Iterator> Iterate(Cf cf) {
    return std::unique_ptr<rocksdb::Iterator>(store_.db->NewIterator(ro_, store_.handles[cf]));
  }

  // One document: its record, then its evidence in ordinal order, in chunks.
  absl::Status ReadDocument(const std::string& key, DocumentRecord rec, const std::string& context,
                            const Visitor& visitor) {
    auto doc = ToDocument(key, rec);
    if (!doc.ok()) return WithContext(doc.status(), context);
    DocumentWrite chunk;
    chunk.document = *std::move(doc);
    auto links = LinkOrdinals(key, rec);
    if (!links.ok()) return WithContext(links.status(), context);
    bool first = true;
    auto flush = [&]() -> absl::Status {
      if (visitor.document) KG_RETURN_IF_ERROR(visitor.document(chunk, first));
      if (first) {
        chunk.document = kg::Document();
        chunk.document.id = rec.id;
      }
      first = false;
      chunk.claims.clear();
      return absl::OkStatus();
    };
    const uint64_t ordinals = rec.next_ordinal;
    const uint64_t per_pass = std::max<uint64_t>(options_.ordinals_per_pass, 1);
    for (uint64_t lo = 0; lo == 0 || lo < ordinals; lo += per_pass) {
      // Claim ids by ordinal - lo, all zero where no evidence has the
      // ordinal (a claim id starts with its tag).
      std::vector<std::array<char, kIdSize>> claims(std::min(ordinals, lo + per_pass) - lo);
      auto it = Iterate(kDocEvidence);
      for (it->Seek(key); it->Valid() && it->key().starts_with(key); it->Next()) {
        const std::string_view k = it->key().ToStringView();
        if (k.size() != kEvidenceKeySize || static_cast<uint8_t>(k[kIdSize]) != kClaim) {
          return Undecodable(StrCat(context, ": malformed evidence-by-document key"), k);
        }
        const uint64_t ordinal = LoadBigEndian(k.substr(2 * kIdSize));
        if (ordinal >= ordinals) {
          return absl::DataLossError(StrCat(context, ": evidence ordinal ", ordinal,
                                            " is not below the next ordinal ", ordinals));
        }
        if (ordinal < lo || ordinal - lo >= claims.size()) continue;
        if (claims[ordinal - lo][0] != 0) {
          return absl::DataLossError(StrCat(context, ": two pieces of evidence have ordinal ", ordinal));
        }
        std::memcpy(claims[ordinal - lo].data(), k.data() + kIdSize, kIdSize);
      }
      KG_RETURN_IF_ERROR(FromRocks(it->status(), StrCat(context, ": reading its evidence")));
      for (size_t i = 0; i < claims.size(); ++i) {
        if (claims[i][0] == 0 || links->contains(lo + i)) continue;
        auto ce = ReadEvidence(std::string_view(claims[i].data(), kIdSize), key, lo + i);
        if (!ce.ok()) return WithContext(ce.status(), StrCat(context, ": evidence ordinal ", lo + i));
        chunk.claims.push_back(*std::move(ce));
        if (chunk.claims.size() >= options_.max_claims_per_chunk) KG_RETURN_IF_ERROR(flush());
      }
    }
    if (first || !chunk.claims.empty()) KG_RETURN_IF_ERROR(flush());
    return absl::OkStatus();
  }

  absl::StatusOr<kg::Document> ToDocument(std::string_view key, const DocumentRecord& rec) {
    if (HashedId(kDocument, rec.id) != key) return Undecodable("its record is under another key", key);
    kg::Document d;
    d.id = rec.id;
    d.title = rec.title;
    d.publisher = rec.publisher;
    d.authors = rec.authors;
    d.url = rec.url;
    d.type = rec.type;
    d.text = rec.text;
    d.sha256 = rec.sha256;
    if (rec.has_date) {
      const Date date{rec.year, rec.month, rec.day};
      if (!Term::DateOf(date).ok()) {
        return absl::DataLossError(StrCat("invalid date ", rec.year, "-", rec.month, "-", rec.day));
      }
      d.date = date;
    }
    for (const LinkRecord& l : rec.links) {
      if (l.relation > static_cast<uint8_t>(Relation::kDerivedFrom)) {
        return absl::DataLossError(StrCat("a link has unknown relation ", l.relation));
      }
      KG_ASSIGN_OR_RETURN(Term target, Decode(l.target_id));
      d.links.push_back(DocumentLink{static_cast<Relation>(l.relation), std::move(target), l.quote,
                                     ToSpan(l.span)});
    }
    return d;
  }

  // The ordinals of the evidence Store::WriteDocument made for the
  // document's links: for each link, the last evidence of its claim
  // (doc, relation, target) with the link's quote and span and nothing else,
  // that no other link took. Prepare numbers a write's links after its
  // claims, so this is the link's own even when a claim repeats it.
  absl::StatusOr<absl::flat_hash_set<uint64_t>> LinkOrdinals(const std::string& key,
                                                            const DocumentRecord& rec) {
    absl::flat_hash_set<uint64_t> taken;
    for (size_t j = 0; j < rec.links.size(); ++j) {
      const LinkRecord& l = rec.links[j];
      const Relation relation = static_cast<Relation>(l.relation);
      const std::string claim = HashedId(
          StrCat(static_cast<char>(kClaim), key, HashedId(kEntity, RelationName(relation)),
                 l.target_id));
      std::vector<std::string> keys;  // (claim, doc, ordinal) in ordinal order
      auto it = Iterate(kDocEvidence);
      const std::string prefix = StrCat(key, claim);
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        keys.push_back(StrCat(claim, key, it->key().ToStringView().substr(prefix.size())));
      }
      KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading its evidence"));
      bool found = false;
      for (auto k = keys.rbegin(); k != keys.rend() && !found; ++k) {
        if (k->size() != kEvidenceKeySize) return Undecodable("malformed evidence key", *k);
        const uint64_t ordinal = LoadBigEndian(k->substr(2 * kIdSize));
        if (taken.contains(ordinal)) continue;
        auto record = ReadEvidenceRecord(*k);
        if (!record.ok()) return WithContext(record.status(), StrCat("evidence ordinal ", ordinal));
        const EvidenceRecord& e = *record;
        found = e.quote == l.quote && e.span.present == l.span.present &&
                (!e.span.present || (e.span.start == l.span.start && e.span.end == l.span.end)) &&
                e.agent_id.empty() && e.via_ids.empty() && e.hedge == 0 && e.stance == 0 &&
                !e.negated && e.qualifiers.empty();
        if (found) taken.insert(ordinal);
      }
      if (!found) {
        return absl::DataLossError(StrCat("link #", j + 1, " (", RelationName(relation),
                                          ") has no evidence"));
      }
    }
    return taken;
  }

  absl::StatusOr<EvidenceRecord> ReadEvidenceRecord(const std::string& key) {
    std::string value;
    const rocksdb::Status s = store_.db->Get(ro_, store_.handles[kEvidence], key, &value);
    if (s.IsNotFound()) return Undecodable("no evidence record for evidence key", key);
    KG_RETURN_IF_ERROR(FromRocks(s, "reading evidence"));
    return DecodeEvidence(value);
  }

  absl::StatusOr<ClaimEvidence> ReadEvidence(std::string_view claim, std::string_view doc,
                                             uint32_t ordinal) {
    std::string key = StrCat(claim, doc);
    for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>(ordinal >> shift));
    KG_ASSIGN_OR_RETURN(EvidenceRecord r, ReadEvidenceRecord(key));
    ClaimEvidence ce;
    KG_ASSIGN_OR_RETURN(ce.claim, Decode(claim));
    Evidence& ev = ce.evidence;
    ev.quote = r.quote;
    ev.span = ToSpan(r.span);
    if (!r.agent_id.empty()) {
      KG_ASSIGN_OR_RETURN(ev.agent, Decode(r.agent_id));
    }
    for (const std::string& id : r.via_ids) {
      KG_ASSIGN_OR_RETURN(Term via, Decode(id));
      ev.via.push_back(std::move(via));
    }
    if (r.hedge >= std::size(kAllHedges) || r.stance > 1) {
      return absl::DataLossError(StrCat("unknown hedge ", r.hedge, " or stance ", r.stance));
    }
    ev.hedge = static_cast<Hedge>(r.hedge);
    ev.stance = static_cast<Stance>(r.stance);
    ev.negated = r.negated;
    for (const QualifierRecord& q : r.qualifiers) {
      KG_ASSIGN_OR_RETURN(Term value, Decode(q.value_id));
      ev.qualifiers.push_back(Qualifier{q.key, std::move(value)});
    }
    return ce;
  }

  // The term of a 16-byte id: inline, or through the dictionary.
  absl::StatusOr<Term> Decode(std::string_view id, int depth = 0) {
    if (id.size() != kIdSize) return Undecodable("term id of the wrong size:", id);
    switch (static_cast<uint8_t>(id[0])) {
      case kShortString: {
        const size_t size = static_cast<uint8_t>(id[15]);
        if (size > kInlineStringMax || !AllZero(id.substr(1 + size, kInlineStringMax - size))) {
          break;
        }
        return Term::String(id.substr(1, size));
      }
      case kInteger:
        if (!AllZero(id.substr(1, 7))) break;
        return Term::Integer(static_cast<int64_t>(LoadBigEndian(id.substr(8)) ^ kSignFlip));
      case kDate:
        if (!AllZero(id.substr(10))) break;
        if (auto date = DateOfDays(static_cast<int64_t>(LoadBigEndian(id.substr(1, 8)) ^ kSignFlip),
                                   static_cast<uint8_t>(id[9]))) {
          return *date;
        }
        break;
      case kEntity: case kIri: case kDocument: case kBlankNode: case kString: case kLangString:
      case kDecimal: case kQuantity: case kTypedLiteral: case kClaim:
        return DecodeHashed(id, depth);
    }
    return Undecodable("undecodable term id", id);
  }

  absl::StatusOr<Term> DecodeHashed(std::string_view id, int depth) {
    if (depth > kMaxClaimDepth) return Undecodable("claims nested too deep at term id", id);
    const std::string key(id);
    if (auto hit = cache_.find(key); hit != cache_.end()) return hit->second;
    std::string value;
    const rocksdb::Status s = store_.db->Get(ro_, store_.handles[kDict], key, &value);
    if (s.IsNotFound()) return Undecodable("no dictionary entry for term id", id);
    KG_RETURN_IF_ERROR(FromRocks(s, "reading the dictionary"));
    if (HashedId(value) != id) return Undecodable("the dictionary entry does not hash to term id", id);
    const std::string_view payload = std::string_view(value).substr(1);
    const size_t nul = payload.find('\0');  // "tag NUL text", "amount NUL unit", ...
    const std::string_view head = payload.substr(0, nul);
    const std::string_view tail = nul == std::string_view::npos ? "" : payload.substr(nul + 1);
    std::optional<Term> term;
    switch (static_cast<uint8_t>(id[0])) {
      case kEntity: term = Term::Entity(payload); break;
      case kIri: term = Term::Iri(payload); break;
      case kDocument: term = Term::Document(payload); break;
      case kBlankNode: term = Term::BlankNode(payload); break;
      case kString: term = Term::String(payload); break;
      case kLangString:
        if (nul != std::string_view::npos) term = Term::String(tail, head);
        break;
      case kDecimal:
        if (auto t = Term::Decimal(payload); t.ok() && t->text() == payload) term = *t;
        break;
      case kQuantity:
        if (auto t = Term::Quantity(head, tail); t.ok() && t->text() == head) term = *t;
        break;
      case kTypedLiteral:
        if (nul != std::string_view::npos) term = Term::TypedLiteral(tail, head);
        break;
      case kClaim: {
        if (payload.size() != 3 * kIdSize) break;
        KG_ASSIGN_OR_RETURN(Term subject, Decode(payload.substr(0, kIdSize), depth + 1));
        KG_ASSIGN_OR_RETURN(Term predicate, Decode(payload.substr(kIdSize, kIdSize), depth + 1));
        KG_ASSIGN_OR_RETURN(Term object, Decode(payload.substr(2 * kIdSize), depth + 1));
        // Claims are rarely decoded twice: not cached.
        return Term::Claim(std::move(subject), std::move(predicate), std::move(object));
      }
    }
    if (!term) return Undecodable("malformed dictionary entry for term id", id);
    if (cache_.size() >= kTermCacheEntries) cache_.clear();
    cache_.emplace(key, *term);
    return *std::move(term);
  }

  const std::string& path_;
  const OpenStore& store_;
  const ReadOptions& options_;
  rocksdb::ReadOptions ro_;
  absl::flat_hash_map<std::string, Term> cache_;
};

}  // namespace

absl::StatusOr<bool> IsFormat2Store(const std::string& path) {
  KG_ASSIGN_OR_RETURN(std::optional<std::string> version, ReadVersion(path));
  return version == "2";
}

absl::Status ReadStore(const std::string& path, const ReadOptions& options,
                       const Visitor& visitor) {
  KG_ASSIGN_OR_RETURN(std::optional<std::string> version, ReadVersion(path));
  if (!version) {
    return absl::FailedPreconditionError(
        StrCat(path, " holds no kg store (no RocksDB database with a format version)"));
  }
  if (*version != "2") {
    return absl::FailedPreconditionError(
        StrCat("store ", path, " has on-disk format version ", *version, ", not 2"));
  }
  KG_ASSIGN_OR_RETURN(auto store, Open(path, kNumCfs));
  ReadOptions bounded = options;
  bounded.max_claims_per_chunk = std::max<size_t>(options.max_claims_per_chunk, 1);
  Reader reader(path, *store, bounded);
  KG_RETURN_IF_ERROR(reader.Entities(visitor));
  return reader.Documents(visitor);
}

}  // namespace kg::format2
