// Store lifecycle: opening (format-version gate, column families, setting
// aside what a killed writer left) and closing.
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "kg/info_log.h"
#include "kg/str_cat.h"
#include "kg/db_internal.h"
#include "kg/status_macros.h"
#include "kg/store.h"
#include "kg/txlog.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"

namespace kg {
namespace {



std::string StoreLabel(const std::string& path) { return StrCat("store ", path); }

absl::Status FormatMismatch(const std::string& path, std::string_view version) {
  if (version == "2") {
    return absl::FailedPreconditionError(StrCat(
        StoreLabel(path), " has on-disk format version 2 but this kg reads format version ",
        kFormatVersion, ". Migrate it in place with: kg upgrade --db ", path,
        " (the store stays usable as it is until the upgrade completes)."));
  }
  return absl::FailedPreconditionError(StrCat(
      StoreLabel(path), " has on-disk format version ", version,
      " but this kg reads format version ", kFormatVersion,
      ". Open it with the kg release that wrote it and export it "
      "(kg export), then import the export into a new store."));
}

// The format version recorded in the store at `path`, read through its
// `default` column family alone (so a store of another format, with other
// column families, can still say which format it is); nullopt if none.
std::optional<std::string> ReadFormatVersionOnly(const rocksdb::DBOptions& dbo,
                                                 const std::string& path) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  cfs.emplace_back(std::string(CfName(Cf::kMeta)), CfOptions(Cf::kMeta, {}, nullptr));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(dbo, path, cfs, &handles, &raw).ok()) {
    return std::nullopt;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string version;
  const bool found =
      db->Get(rocksdb::ReadOptions(), handles[0], kFormatVersionKey, &version).ok();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  if (!found) return std::nullopt;
  return version;
}

// Creates an empty store (every column family and the format version) in a
// directory beside `path` and renames it into place, so that a process
// killed while creating a store leaves no half-made one at `path` (found by
// tests/reliability/crash_test.py: killed early, `kg ingest` left a store
// without a format version or without some column families, which nothing
// could open or write to again). REQUIRES: `path` is absent or an empty
// directory.
absl::Status CreateStoreAtomically(const std::string& path, const StoreOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string tmp = StrCat(path, ".creating-", ::getpid());
  RemoveDirsOfDeadProcesses(StrCat(path, ".creating-"));
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        StrCat("cannot create store directory ", path, ": ", ec.message()));
  }
  {
    rocksdb::DBOptions dbo;
    dbo.create_if_missing = true;
    dbo.create_missing_column_families = true;
    dbo.info_log = std::make_shared<InfoLog>(StrCat(tmp, "/LOG"));
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (int i = 0; i < kNumCfs; ++i) {
      const Cf cf = static_cast<Cf>(i);
      cfs.emplace_back(std::string(CfName(cf)), CfOptions(cf, options.tuning, nullptr));
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    KG_RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(dbo, tmp, cfs, &handles, &raw),
                                 StrCat("creating a store at ", path)));
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    absl::Status s = FromRocks(
        db->Put(wo, handles[static_cast<int>(Cf::kMeta)], kFormatVersionKey,
                StrCat(kFormatVersion)),
        "writing format version");
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    if (s.ok()) s = FromRocks(db->Close(), "closing the new store");
    if (!s.ok()) {
      db.reset();
      fs::remove_all(tmp, ec);
      return s;
    }
  }
  if (fs::exists(path, ec)) fs::remove(path, ec);  // the empty directory
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    return absl::FailedPreconditionError(
        StrCat("cannot create store directory ", path, ": ", ec.message()));
  }
  // The rename itself must survive a crash.
  const std::string parent = fs::path(path).has_parent_path()
                                 ? fs::path(path).parent_path().string()
                                 : std::string(".");
  if (int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return absl::OkStatus();
}

// The table files (*.sst) in the store directory that its MANIFEST does
// not list, read through a read-only open (file names, sorted).
absl::StatusOr<std::vector<std::string>> UnlistedTableFiles(const rocksdb::DBOptions& dbo,
                                                            const std::string& path) {
  std::vector<std::string> names;
  KG_RETURN_IF_ERROR(FromRocks(rocksdb::DB::ListColumnFamilies(dbo, path, &names),
                               "listing column families"));
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) {
    rocksdb::ColumnFamilyOptions options;
    for (int i = 0; i < kNumCfs; ++i) {
      if (CfName(static_cast<Cf>(i)) == n) options = CfOptions(static_cast<Cf>(i), {}, nullptr);
    }
    cfs.emplace_back(n, options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  KG_RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenForReadOnly(dbo, path, cfs, &handles, &raw),
                               "reading the MANIFEST"));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<rocksdb::LiveFileMetaData> live;
  db->GetLiveFilesMetaData(&live);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db.reset();
  std::set<std::string> listed;
  for (const auto& f : live) listed.insert(std::filesystem::path(f.name).filename().string());
  return TableFilesNotIn(path, listed);
}

// Before a writer opens the store: table files the MANIFEST does not list
// would be deleted by RocksDB as leftovers of an unfinished flush,
// compaction or ingest. They are that after a kill, but after damage to
// the MANIFEST (a lost tail) they hold data the store has lost sight of, so
// they are moved into PATH/lost+found/ instead of deleted, and `kg check`
// names them.
absl::Status SetAsideUnlistedTableFiles(const rocksdb::DBOptions& dbo, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Under the store's write lock, taken through RocksDB's Env as its open
  // does: a writer in this or another process holds it (and may be
  // writing a table file its MANIFEST does not list yet), and the open
  // below will say so. Released before that open takes it again.
  rocksdb::Env* env = dbo.env != nullptr ? dbo.env : rocksdb::Env::Default();
  rocksdb::FileLock* lock = nullptr;
  if (!env->LockFile(path + "/LOCK", &lock).ok()) return absl::OkStatus();
  struct Unlock {
    rocksdb::Env* env;
    rocksdb::FileLock* lock;
    ~Unlock() { env->UnlockFile(lock).PermitUncheckedError(); }
  } unlock{env, lock};
  auto unlisted = UnlistedTableFiles(dbo, path);
  if (!unlisted.ok() || unlisted->empty()) return absl::OkStatus();  // Open reports damage
  const fs::path dir = fs::path(path) / kLostAndFound;
  fs::create_directories(dir, ec);
  for (const auto& name : *unlisted) {
    fs::rename(fs::path(path) / name, dir / name, ec);
    if (ec) {
      return absl::FailedPreconditionError(StrCat(
          "cannot set aside table file ", name, " that the MANIFEST of ", StoreLabel(path),
          " does not list: ", ec.message()));
    }
  }
  return absl::OkStatus();
}

// Says which file of a store that RocksDB could not open is damaged, in
// the store's terms.
absl::Status DamagedStore(const std::string& path, const rocksdb::Status& s) {
  std::string what = s.ToString();
  // RocksDB looks for a missing table file under its old .ldb name too and
  // reports that name.
  static const std::string kLdb = ".ldb: No such file or directory";
  if (auto at = what.find(kLdb); at != std::string::npos && at >= 6) {
    const std::string number = what.substr(at - 6, 6);
    what = StrCat("table file ", number, ".sst is missing (the MANIFEST lists it); RocksDB said: ",
                  what);
  }
  return absl::DataLossError(StrCat(
      StoreLabel(path), " is damaged and cannot be opened: ", what,
      ". Nothing was changed. Restore the store from a copy, or load its documents again "
      "into a new store."));
}

}  // namespace


namespace {

constexpr char kWriterFile[] = "kg-writer";
// RocksDB's LOG of a writer is started afresh past this size (kg/info_log.h).
constexpr uint64_t kMaxInfoLogBytes = 16ull << 20;

std::string WriterFilePath(const std::string& path) {
  return (std::filesystem::path(path) / kWriterFile).string();
}

// This process's command line (its first 512 bytes), arguments joined by
// spaces.
std::string CommandLine() {
  std::string cmd;
  if (std::FILE* f = std::fopen("/proc/self/cmdline", "rb")) {
    char buf[512];
    const size_t n = std::fread(buf, 1, sizeof(buf), f);
    std::fclose(f);
    for (size_t i = 0; i < n; ++i) cmd += buf[i] == '\0' ? ' ' : buf[i];
    while (!cmd.empty() && cmd.back() == ' ') cmd.pop_back();
  }
  return cmd;
}

// The id after the last transaction record (kg/txlog.h).
absl::Status LoadTxCounter(Db& db) {
  std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(rocksdb::ReadOptions(), db.cf(Cf::kMeta)));
  const std::string end = StrCat(kTxKeyPrefix, "~");  // past every "tx/<digits>"
  it->SeekForPrev(end);
  if (it->Valid() && it->key().starts_with(kTxKeyPrefix)) {
    KG_ASSIGN_OR_RETURN(TxRecord last, DecodeTx(it->key().ToStringView(), it->value().ToStringView()));
    db.next_tx = last.id + 1;
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the transaction log"));
  const char* user = std::getenv("USER");
  if (user != nullptr && *user != '\0') {
    db.tx_user = user;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_name != nullptr) {
    db.tx_user = pw->pw_name;
  }
  db.tx_command = CommandLine();
  return absl::OkStatus();
}

// Records who holds the write lock, for the error a second writer gets.
void RecordWriter(const std::string& path) {
  const std::string cmd = CommandLine();
  const std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  const std::string text = StrCat("process ", ::getpid(), " (", cmd, ") since ", when);
  const std::string tmp = WriterFilePath(path) + ".tmp";
  if (std::FILE* f = std::fopen(tmp.c_str(), "wb")) {
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    std::rename(tmp.c_str(), WriterFilePath(path).c_str());
  }
}

}  // namespace

std::string Store::WriterOf(const std::string& path) {
  std::FILE* f = std::fopen(WriterFilePath(path).c_str(), "rb");
  if (f == nullptr) return "";
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof(buf), f);
  std::fclose(f);
  std::string text(buf, n);
  // A holder that died without cleaning up holds nothing.
  int pid = 0;
  if (std::sscanf(text.c_str(), "process %d", &pid) != 1 || pid <= 0) return "";
  if (::kill(pid, 0) != 0 && errno == ESRCH) return "";
  return text;
}

absl::Status Store::CatchUp() {
  if (db_->options.follower_dir.empty()) return absl::OkStatus();
  std::unique_lock<std::shared_mutex> lock(db_->follow_mu);
  return FromRocks(db_->db->TryCatchUpWithPrimary(), "catching up with the writer");
}

rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const StorageTuning& tuning,
                                       const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions table;
  if (cache) {
    table.block_cache = cache;
  } else {
    table.no_block_cache = true;
  }
  table.block_size = tuning.block_size_kb << 10;
  // The write path looks up keys that are mostly absent (a new document's
  // terms in `terms`, its triples in `spo`, its id in `documents`, its
  // entities); a bloom filter answers those without reading a block. The
  // other families are only scanned by prefix (or read by `kg check`, which
  // finds every key it asks for), where a whole-key filter never helps: they
  // get none, which saves ~10 bits per key of memory and disk.
  const bool absent_lookups = cf == Cf::kTerms || cf == Cf::kSpo || cf == Cf::kEvidence ||
                              cf == Cf::kDocuments || cf == Cf::kEntities ||
                              cf == Cf::kStats || cf == Cf::kMeta;
  if (tuning.bloom_bits_per_key > 0 && absent_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(tuning.bloom_bits_per_key));
  }
  table.format_version = 5;
  // Index and filter blocks are read when first needed, into the block
  // cache, instead of all of them when a file is opened. Measured on a
  // 100M-triple store: Store::Open 12 ms instead of 1,096 ms, and a whole
  // `kg query` process for one point lookup 0.06 s / 35 MB RSS instead of
  // 0.37-0.57 s / 615 MB; warm in-process query medians unchanged within
  // noise.
  table.cache_index_and_filter_blocks = cache != nullptr;
  table.pin_l0_filter_and_index_blocks_in_cache = cache != nullptr;
  // ... in 4 KiB partitions under a small top-level index (kept pinned):
  // a 256 MiB bulk-loaded file has a ~4 MB index and a ~5 MB filter, larger
  // than a block-cache shard, so unpartitioned they were read again for
  // every lookup (the first run of a 14,053-row query at 10M took 15.5 s;
  // partitioned, 0.22 s).
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  auto rocks = [](StorageTuning::Compression c) {
    switch (c) {
      case StorageTuning::Compression::kNone: return rocksdb::kNoCompression;
      case StorageTuning::Compression::kLz4: return rocksdb::kLZ4Compression;
      case StorageTuning::Compression::kZstd: return rocksdb::kZSTD;
    }
    return rocksdb::kNoCompression;
  };
  if (cf == Cf::kMeta) {
    o.compression = rocksdb::kNoCompression;
  } else {
    // Format 3 at 10M triples: ZSTD at the bottom takes the store from 493
    // to 368 MB (every family but dict; 310 MB with dict too, but then a
    // cold 14,053-row query took 237 instead of 150 ms); warm queries
    // measured the same (schemas/storage-format.md, "RocksDB options").
    // SstFileWriter (bulk loads) writes with the bottommost choice. The
    // price is paid when writing: loads take 7 % (RDF) to 24 % (annotated)
    // longer.
    o.compression = rocks(tuning.compression);
    o.bottommost_compression = rocks(cf == Cf::kDict ? tuning.compression : tuning.bottommost_compression);
    // ZSTD's fastest level: an annotated bulk ingest (100,500 claims) took
    // 2.86 s against 3.10 s at its default level 3 and 2.30 s with LZ4
    // (medians of 5), for 15.3 MB against 14.8 and 24.4.
    o.bottommost_compression_opts.level = 1;
    o.bottommost_compression_opts.enabled = true;
  }
  return o;
}

Db::~Db() {
  if (writer) std::remove(WriterFilePath(path).c_str());
  if (db && writer && !write_failed) {
    // Flush the memtables so the write-ahead log is empty: a later
    // read-only open (kg query, kg shell) then has no log to replay, which
    // after a large import took seconds per open. Not after a failed write:
    // the log is left for the next open to replay.
    rocksdb::FlushOptions fo;
    db->Flush(fo, handles).PermitUncheckedError();
  }
  if (db) {
    for (auto* h : handles) {
      if (h != nullptr) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    db->Close().PermitUncheckedError();
    db.reset();
  }
}

Store::Store(std::shared_ptr<Db> db) : db_(std::move(db)) {}
Store::~Store() = default;

const std::string& Store::path() const { return db_->path; }

absl::StatusOr<std::vector<Store::FamilyUse>> Store::StorageUse() const {
  std::vector<FamilyUse> use;
  for (int i = 0; i < kNumCfs; ++i) {
    const Cf cf = static_cast<Cf>(i);
    FamilyUse u;
    u.name = std::string(CfName(cf));
    if (!db_->db->GetIntProperty(db_->cf(cf), rocksdb::DB::Properties::kLiveSstFilesSize,
                                 &u.file_bytes) ||
        !db_->db->GetIntProperty(db_->cf(cf), rocksdb::DB::Properties::kEstimateNumKeys,
                                 &u.estimated_keys)) {
      return absl::InternalError(StrCat("cannot read the size of column family ", u.name));
    }
    use.push_back(std::move(u));
  }
  return use;
}

namespace {

namespace fs = std::filesystem;

// Step 1 of Open: what is at `path`. Sets *exists if it holds a store;
// refuses a damaged or half-upgraded one; creates an empty store if asked.
absl::Status LocateOrCreate(const std::string& path, const StoreOptions& options, bool* exists) {
  std::error_code ec;
  *exists = fs::exists(fs::path(path) / "CURRENT", ec);
  if (*exists) return absl::OkStatus();
  if (fs::is_directory(path, ec)) {
    // Store files without the CURRENT file that names the live MANIFEST.
    std::string manifest;
    size_t tables = 0;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("MANIFEST-", 0) == 0) manifest = std::max(manifest, name);
      if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sst") == 0) ++tables;
    }
    if (!manifest.empty()) {
      return absl::DataLossError(StrCat(
          StoreLabel(path), " is damaged: its CURRENT file is missing (the directory holds ",
          manifest, " and ", tables, " table files; CURRENT names the live MANIFEST). "
          "Nothing was changed. Restore the store from a copy, or load its documents again "
          "into a new store."));
    }
  }
  if (fs::exists(path + kUpgradedSuffix, ec)) {
    // kg upgrade moved the old store aside and was stopped before moving
    // the new one in: creating an empty store here would hide both.
    return absl::FailedPreconditionError(StrCat(
        "an upgrade of ", StoreLabel(path), " was interrupted; finish it with: kg upgrade --db ",
        path));
  }
  if (!options.create_if_missing || options.read_only || !options.follower_dir.empty()) {
    return absl::NotFoundError(StrCat("no store at ", path, " (create one by ingesting into it)"));
  }
  if (fs::exists(path, ec) && !fs::is_directory(path, ec)) {
    return absl::FailedPreconditionError(StrCat(path, " exists and is not a directory"));
  }
  if (fs::exists(path, ec) && !fs::is_empty(path, ec)) {
    return absl::FailedPreconditionError(StrCat(
        path, " is a non-empty directory that holds no store; "
              "choose an empty or new directory"));
  }
  if (options.fault_injector) {  // the fault tests inject into creation too
    fs::create_directories(path, ec);
    if (ec) {
      return absl::FailedPreconditionError(
          StrCat("cannot create store directory ", path, ": ", ec.message()));
    }
    return absl::OkStatus();
  }
  KG_RETURN_IF_ERROR(CreateStoreAtomically(path, options));
  *exists = true;
  return absl::OkStatus();
}

// Step 2: the store has every column family of this format; if not, which
// format it is.
absl::Status CheckColumnFamilies(const rocksdb::DBOptions& dbo, const std::string& path) {
  std::vector<std::string> names;
  auto s = rocksdb::DB::ListColumnFamilies(dbo, path, &names);
  if (!s.ok()) {
    if (s.IsCorruption() || s.ToString().find("MANIFEST") != std::string::npos) {
      return DamagedStore(path, s);
    }
    return absl::FailedPreconditionError(
        StrCat(path, " does not hold a readable store: ", s.ToString()));
  }
  for (int i = 0; i < kNumCfs; ++i) {
    const std::string_view want = CfName(static_cast<Cf>(i));
    if (std::find(names.begin(), names.end(), want) == names.end()) {
      auto version = ReadFormatVersionOnly(dbo, path);
      if (version && *version != StrCat(kFormatVersion)) return FormatMismatch(path, *version);
      return absl::FailedPreconditionError(StrCat(
          path, " is not a kg store of this format (column family '", want, "' missing)"));
    }
  }
  return absl::OkStatus();
}

// Step 3: opens RocksDB as a follower, a reader or the writer.
rocksdb::Status OpenRocks(rocksdb::DBOptions dbo, const std::string& path, bool exists,
                          const StoreOptions& options,
                          const std::vector<rocksdb::ColumnFamilyDescriptor>& cfs, Db& db,
                          rocksdb::DB** raw) {
  if (!options.follower_dir.empty()) {
    std::error_code ec;
    fs::create_directories(options.follower_dir, ec);
    dbo.max_open_files = 4096;  // required of a secondary instance
    return rocksdb::DB::OpenAsSecondary(dbo, path, options.follower_dir, cfs, &db.handles, raw);
  }
  if (options.read_only) {
    // A writer in another process may delete files (flushed logs, inputs
    // of a compaction) between our reading its MANIFEST and opening them;
    // the next attempt reads the new file set.
    rocksdb::Status s;
    for (int attempt = 0;; ++attempt) {
      s = rocksdb::DB::OpenForReadOnly(dbo, path, cfs, &db.handles, raw);
      const bool vanished = (s.IsCorruption() || s.IsIOError() || s.IsPathNotFound()) &&
                            s.ToString().find("No such file") != std::string::npos;
      if (!vanished || attempt == 9) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
    }
  }
  if (exists) {
    absl::Status set_aside = SetAsideUnlistedTableFiles(dbo, path);
    if (!set_aside.ok()) return rocksdb::Status::Aborted(std::string(set_aside.message()));
  }
  auto info_log = std::make_shared<InfoLog>(StrCat(path, "/LOG"));
  dbo.info_log = info_log;
  rocksdb::Status s = rocksdb::DB::Open(dbo, path, cfs, &db.handles, raw);
  // Holding the lock now: no other writer appends to LOG.
  if (s.ok()) info_log->RotateIfLarger(kMaxInfoLogBytes);
  return s;
}

// What a failed RocksDB open means for the user.
absl::Status OpenFailure(const std::string& path, const rocksdb::Status& s) {
  const std::string why = s.ToString();
  if (s.IsAborted()) return absl::FailedPreconditionError(s.getState());
  if (s.IsIOError() && (why.find("Permission denied") != std::string::npos ||
                        why.find("Read-only file system") != std::string::npos)) {
    return absl::PermissionDeniedError(StrCat(
        StoreLabel(path), " cannot be opened for writing: ",
        why.find("Read-only") != std::string::npos ? "it is on a read-only file system"
                                                    : "permission denied",
        " (", why, "); kg query, kg shell, kg check and kg export can still read it"));
  }
  if (s.IsIOError() && why.find("lock") != std::string::npos) {
    const std::string holder = Store::WriterOf(path);
    return absl::FailedPreconditionError(StrCat(
        StoreLabel(path), " is open for writing by ",
        holder.empty() ? std::string("another process") : holder,
        "; wait for it to finish, or open the store read-only (kg query and kg shell do)"));
  }
  if (s.IsCorruption() || s.IsPathNotFound() || why.find("No such file") != std::string::npos) {
    return DamagedStore(path, s);
  }
  return FromRocks(s, StrCat("opening ", StoreLabel(path)));
}

// Step 4: the format version (written into a store just created).
absl::Status CheckFormatVersion(Db& db, const std::string& path, bool exists) {
  const std::string expected = StrCat(kFormatVersion);
  std::string version;
  auto s = db.db->Get(rocksdb::ReadOptions(), db.cf(Cf::kMeta), kFormatVersionKey, &version);
  if (s.IsNotFound() && !exists) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db.db->Put(wo, db.cf(Cf::kMeta), kFormatVersionKey, expected),
                     "writing format version");
  }
  if (s.IsNotFound()) {
    return absl::FailedPreconditionError(
        StrCat(path, " is a RocksDB database but not a kg store (no format version)"));
  }
  KG_RETURN_IF_ERROR(FromRocks(s, "reading format version"));
  if (version != expected) return FormatMismatch(path, version);
  return absl::OkStatus();
}

// Step 5, writers only: dictionary terms are numbered from where the last
// writer stopped.
absl::Status LoadTermCounters(Db& db) {
  for (auto [name, next] : {std::pair{kNextTermCounter, &db.next_term},
                            std::pair{kNextClaimCounter, &db.next_claim}}) {
    std::string value;
    auto s = db.db->Get(rocksdb::ReadOptions(), db.cf(Cf::kStats), CounterKey(name), &value);
    if (s.IsNotFound()) continue;
    KG_RETURN_IF_ERROR(FromRocks(s, "reading the term counters"));
    if (value.size() != 8) return absl::DataLossError("malformed term counter");
    *next = GetFixed64BE(value.data());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   const StoreOptions& options) {
  bool exists = false;
  KG_RETURN_IF_ERROR(LocateOrCreate(path, options, &exists));

  auto db = std::make_shared<Db>();
  db->path = path;
  db->options = options;
  rocksdb::DBOptions dbo;
  dbo.create_if_missing = !exists;
  dbo.create_missing_column_families = !exists;
  dbo.max_background_jobs = 2;
  // Table files are opened when first read, not all on open: with the
  // default (every file opened up front, by 16 threads per column family)
  // a `kg query` process started 212 threads and took 60 ms on the 1M
  // store; now 10 ms.
  dbo.max_open_files = 4096;
  dbo.max_file_opening_threads = 1;
  if (options.fault_injector) {
    db->env = NewFaultInjectingEnv(options.fault_injector);
    dbo.env = db->env.get();
  }
  if (exists) KG_RETURN_IF_ERROR(CheckColumnFamilies(dbo, path));

  if (options.tuning.block_cache_mb > 0) {
    db->block_cache = rocksdb::NewLRUCache(options.tuning.block_cache_mb << 20);
  }
  if (options.tuning.term_cache_mb > 0) {
    db->term_cache = rocksdb::NewLRUCache(options.tuning.term_cache_mb << 20);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (int i = 0; i < kNumCfs; ++i) {
    const Cf cf = static_cast<Cf>(i);
    cfs.emplace_back(std::string(CfName(cf)), CfOptions(cf, options.tuning, db->block_cache));
  }
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = OpenRocks(dbo, path, exists, options, cfs, *db, &raw);
  if (!s.ok()) return OpenFailure(path, s);
  db->db.reset(raw);
  if (!options.read_only && options.follower_dir.empty()) {
    db->writer = true;
    RecordWriter(path);
  }
  KG_RETURN_IF_ERROR(CheckFormatVersion(*db, path, exists));
  if (db->writer) KG_RETURN_IF_ERROR(LoadTermCounters(*db));
  if (db->writer) KG_RETURN_IF_ERROR(LoadTxCounter(*db));
  return std::unique_ptr<Store>(new Store(std::move(db)));
}

}  // namespace kg
