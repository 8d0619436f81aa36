// Helpers that the store's source files share (declared in db_internal.h):
// RocksDB status mapping, prefix iteration, claim lookup, the directories of
// killed processes, and the fault-injecting file system the tests use.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg {
namespace {

// Wraps WAL files so a FaultInjector can make appends fail part-way.
class FaultWalFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultWalFile(std::unique_ptr<rocksdb::FSWritableFile> file,
               std::shared_ptr<FaultInjector> fault)
      : FSWritableFileOwnerWrapper(std::move(file)), fault_(std::move(fault)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    const size_t allowed = fault_->OnWalAppend(data.size());
    if (allowed == data.size()) return target()->Append(data, options, dbg);
    if (allowed > 0) {
      target()->Append(rocksdb::Slice(data.data(), allowed), options, dbg)
          .PermitUncheckedError();
      target()->Flush(options, dbg).PermitUncheckedError();
    }
    return rocksdb::IOStatus::IOError("injected WAL write failure");
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& /*info*/,
                           rocksdb::IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }

 private:
  std::shared_ptr<FaultInjector> fault_;
};

class FaultFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> base,
                  std::shared_ptr<FaultInjector> fault)
      : FileSystemWrapper(std::move(base)), fault_(std::move(fault)) {}
  const char* Name() const override { return "KgFaultFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& fname,
                                    const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    auto s = target()->NewWritableFile(fname, opts, result, dbg);
    if (s.ok() && fname.size() > 4 && fname.substr(fname.size() - 4) == ".log") {
      *result = std::make_unique<FaultWalFile>(std::move(*result), fault_);
    }
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& fname,
                                      const std::string& old_fname,
                                      const rocksdb::FileOptions& opts,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    auto s = target()->ReuseWritableFile(fname, old_fname, opts, result, dbg);
    if (s.ok()) *result = std::make_unique<FaultWalFile>(std::move(*result), fault_);
    return s;
  }

 private:
  std::shared_ptr<FaultInjector> fault_;
};

}  // namespace

std::unique_ptr<rocksdb::Env> NewFaultInjectingEnv(std::shared_ptr<FaultInjector> fault) {
  return rocksdb::NewCompositeEnv(
      std::make_shared<FaultFileSystem>(rocksdb::FileSystem::Default(), std::move(fault)));
}

std::vector<std::string> TableFilesNotIn(const std::string& path,
                                         const std::set<std::string>& listed) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(path, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sst") == 0 &&
        listed.count(name) == 0) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void RemoveDirsOfDeadProcesses(const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(prefix);
  const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string stem = p.filename().string();
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    int pid = 0;
    if (name.rfind(stem, 0) == 0 && std::sscanf(name.c_str() + stem.size(), "%d", &pid) == 1 &&
        pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      fs::remove_all(e.path(), ec);
    }
  }
}

size_t FaultInjector::OnWalAppend(size_t size) {
  if (!armed_.load()) return size;
  if (fired_.load()) return 0;
  if (remaining_.fetch_sub(1) > 0) return size;
  fired_.store(true);
  return size / 2;
}

absl::Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = StrCat(context, ": ", s.ToString());
  if (s.IsNoSpace() || msg.find("No space left on device") != std::string::npos) {
    msg += " (the disk is full: free space and run the same command again; what was "
           "committed before is kept)";
  }
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsNotSupported()) return absl::UnimplementedError(msg);
  if (s.IsIOError()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

std::unique_ptr<rocksdb::Iterator> NewPrefixIterator(
    const Db& db, Cf cf, const rocksdb::ReadOptions& ro,
    std::string_view prefix) {
  std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(ro, db.cf(cf)));
  it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  return it;
}

absl::StatusOr<std::optional<TermId>> LookupTermId(const Db& db, const rocksdb::ReadOptions& ro,
                                                   std::string_view dictionary_value) {
  std::string bytes;
  auto s = db.db->Get(ro, db.cf(Cf::kTerms),
                      rocksdb::Slice(dictionary_value.data(), dictionary_value.size()), &bytes);
  if (s.IsNotFound()) return std::optional<TermId>();
  KG_RETURN_IF_ERROR(FromRocks(s, "reading the term index"));
  auto id = TermId::FromBytes(bytes);
  if (!id) return absl::DataLossError("malformed id in the term index");
  return id;
}

absl::StatusOr<std::optional<EvidenceRun>> RunOfClaim(const Db& db, const rocksdb::ReadOptions& ro,
                                                      const TermId& claim) {
  std::unique_ptr<rocksdb::Iterator> it(db.db->NewIterator(ro, db.cf(Cf::kRanges)));
  const std::string key = RunByClaimKey(claim);
  it->SeekForPrev(key);
  if (!it->Valid()) {
    KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading evidence runs"));
    return std::optional<EvidenceRun>();
  }
  if (!it->key().starts_with("c")) return std::optional<EvidenceRun>();
  auto run = ParseRunByClaim(it->key().ToStringView(), it->value().ToStringView());
  if (!run) return absl::DataLossError("malformed evidence run");
  if (!run->Contains(claim)) return std::optional<EvidenceRun>();
  return run;
}

absl::StatusOr<std::vector<EvidenceRun>> RunsOfDocument(const Db& db,
                                                        const rocksdb::ReadOptions& ro,
                                                        const TermId& doc) {
  std::vector<EvidenceRun> out;
  const std::string prefix = RunByDocPrefix(doc);
  auto it = NewPrefixIterator(db, Cf::kRanges, ro, prefix);
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto run = ParseRunByDoc(it->key().ToStringView(), it->value().ToStringView());
    if (!run) return absl::DataLossError("malformed evidence run");
    out.push_back(*run);
  }
  KG_RETURN_IF_ERROR(FromRocks(it->status(), "reading evidence runs"));
  return out;
}

absl::StatusOr<Triple> ReadClaimTriple(const Db& db,
                                       const rocksdb::ReadOptions& ro,
                                       const TermId& claim) {
  std::string value;
  auto s = db.db->Get(ro, db.cf(Cf::kDict), claim.bytes(), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(StrCat("claim ", claim.ToHex(), " unknown"));
  }
  KG_RETURN_IF_ERROR(FromRocks(s, "reading dictionary"));
  KG_ASSIGN_OR_RETURN(DictionaryEntry entry, ParseDictionaryValue(value));
  const auto* parts = std::get_if<ClaimParts>(&entry);
  if (parts == nullptr) {
    return absl::DataLossError(StrCat("dictionary entry of claim ",
                                            claim.ToHex(), " is not a claim"));
  }
  return Triple{parts->subject, parts->predicate, parts->object};
}

}  // namespace kg
