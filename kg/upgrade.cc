#include "kg/upgrade.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "kg/bulk_load.h"
#include "kg/db_internal.h"
#include "kg/format2_reader.h"
#include "kg/status_macros.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "rocksdb/env.h"

namespace kg {
namespace {

namespace fs = std::filesystem;

// Makes the renames in the directory holding `path` durable.
void SyncParent(const std::string& path) {
  const fs::path parent = fs::absolute(path).parent_path();
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

absl::Status Rename(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return absl::UnavailableError(StrCat("cannot rename ", from, " to ", to, ": ", ec.message()));
  SyncParent(to);
  return absl::OkStatus();
}

// Counts of the store at `path` (for an upgrade finished by a later call).
absl::Status CountStore(const std::string& path, UpgradeStats* stats) {
  StoreOptions o;
  o.read_only = true;
  o.create_if_missing = false;
  KG_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(path, o));
  KG_ASSIGN_OR_RETURN(StoreTotals totals, store->NewSnapshot()->Totals());
  stats->documents = totals.documents;
  stats->triples = totals.triples;
  return absl::OkStatus();
}

// Holds the store's write lock (RocksDB's LOCK file), as a writer would.
class StoreLock {
 public:
  absl::Status Take(const std::string& path) {
    env_ = rocksdb::Env::Default();
    if (!env_->LockFile(path + "/LOCK", &lock_).ok()) {
      lock_ = nullptr;
      const std::string who = Store::WriterOf(path);
      return absl::FailedPreconditionError(StrCat(
          "store ", path, " is in use by a writer", who.empty() ? "" : StrCat(" (", who, ")"),
          "; stop it and run kg upgrade again"));
    }
    return absl::OkStatus();
  }
  ~StoreLock() {
    if (lock_ != nullptr) env_->UnlockFile(lock_).PermitUncheckedError();
  }

 private:
  rocksdb::Env* env_ = nullptr;
  rocksdb::FileLock* lock_ = nullptr;
};

}  // namespace

absl::StatusOr<UpgradeStats> UpgradeStore(const std::string& path,
                                          const UpgradeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  UpgradeStats stats;
  stats.from_version = 2;
  const std::string upgraded = path + kUpgradedSuffix;
  const std::string replaced = path + kReplacedSuffix;
  std::error_code ec;
  auto finish = [&]() -> absl::StatusOr<UpgradeStats> {
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return stats;
  };

  // An upgrade that was stopped after the new store was complete: finish
  // the swap.
  if (fs::exists(upgraded, ec)) {
    if (fs::exists(fs::path(path) / "CURRENT", ec)) {
      if (fs::exists(replaced, ec)) {
        return absl::FailedPreconditionError(StrCat(
            "cannot finish the upgrade of ", path, ": ", replaced, " is in the way"));
      }
      KG_RETURN_IF_ERROR(Rename(path, replaced));
    }
    KG_RETURN_IF_ERROR(Rename(upgraded, path));
    if (!options.keep_old) fs::remove_all(replaced, ec);
    stats.resumed = true;
    KG_RETURN_IF_ERROR(CountStore(path, &stats));
    return finish();
  }

  KG_ASSIGN_OR_RETURN(bool format2, format2::IsFormat2Store(path));
  if (!format2) {
    StoreOptions o;
    o.read_only = true;
    o.create_if_missing = false;
    auto store = Store::Open(path, o);
    if (!store.ok()) return store.status();
    return absl::FailedPreconditionError(StrCat(
        "store ", path, " already has on-disk format version ", kFormatVersion,
        ": nothing to upgrade"));
  }
  StoreLock lock;
  KG_RETURN_IF_ERROR(lock.Take(path));

  // Build the new store beside the old one. Working directories of killed
  // upgrades go first.
  RemoveDirsOfDeadProcesses(path + ".upgrade-");
  const std::string work = StrCat(path, ".upgrade-", ::getpid());
  fs::remove_all(work, ec);
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code e;
      if (!dir.empty()) fs::remove_all(dir, e);
    }
  } cleanup{work};
  {
    KG_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(work, StoreOptions()));
    BulkLoadOptions bulk;
    bulk.memory_budget = options.memory_budget;
    KG_ASSIGN_OR_RETURN(std::unique_ptr<BulkLoad> load, BulkLoad::Start(*store, bulk));
    format2::Visitor visitor;
    visitor.entities = [&](const std::vector<Entity>& entities) {
      stats.entities = entities.size();
      return entities.empty() ? absl::OkStatus() : load->PutEntities(entities);
    };
    visitor.document = [&](const DocumentWrite& w, bool first) {
      stats.claims += w.claims.size();
      if (first) ++stats.documents;
      absl::Status s = first ? load->Write(w) : load->Append(w);
      if (s.ok() && options.progress) options.progress(stats.documents, stats.claims);
      return s;
    };
    KG_RETURN_IF_ERROR(format2::ReadStore(path, format2::ReadOptions(), visitor));
    KG_ASSIGN_OR_RETURN(BulkLoadStats loaded, load->Commit());
    load.reset();
    stats.triples = loaded.triples;
    KG_ASSIGN_OR_RETURN(CheckReport report, store->Check());
    if (!report.ok()) {
      return absl::DataLossError(StrCat("the upgraded store failed its check (",
                                        report.problems.front(),
                                        "); the old store is unchanged"));
    }
  }
  KG_RETURN_IF_ERROR(Rename(work, upgraded));
  cleanup.dir.clear();
  KG_RETURN_IF_ERROR(Rename(path, replaced));
  KG_RETURN_IF_ERROR(Rename(upgraded, path));
  if (!options.keep_old) fs::remove_all(replaced, ec);
  return finish();
}

}  // namespace kg
