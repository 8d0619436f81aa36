// Migrating a store of an earlier on-disk format to this one, in place.
#ifndef KG_UPGRADE_H_
#define KG_UPGRADE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace kg {

struct UpgradeOptions {
  // Keep the old store as PATH.format2 instead of removing it at the end.
  // Default: false
  bool keep_old = false;
  // Memory of the bulk load that builds the new store (BulkLoadOptions).
  // Default: 512 MiB
  uint64_t memory_budget = 512ull << 20;
  // Called after each document is read, with the counts so far.
  std::function<void(uint64_t documents, uint64_t claims)> progress;
};

struct UpgradeStats {
  uint32_t from_version = 0;
  uint64_t documents = 0;
  uint64_t claims = 0;      // pieces of evidence carried over (links' own excluded)
  uint64_t entities = 0;
  uint64_t triples = 0;     // in the new store
  double seconds = 0;
  bool resumed = false;     // finished an upgrade that had been interrupted
};

// Migrates the format-2 store at `path` to the current format. The old store
// stays as it is, and usable by the kg that wrote it, until the new one is
// complete: the new store is built beside it (PATH.upgrade-PID) by one bulk
// load, checked (Store::Check), renamed to PATH.format3, and only then are
// the directories swapped (PATH -> PATH.format2, PATH.format3 -> PATH) and
// the old one removed. Each step is a rename, so a process killed at any
// point leaves either the old store at PATH or a state that the next call
// finishes (and that Store::Open refuses with a message saying so). While it
// runs, the old store's write lock is held. FailedPrecondition if `path`
// holds a store of the current format (nothing to do) or of a format this
// build cannot read, or if a writer holds it.
absl::StatusOr<UpgradeStats> UpgradeStore(const std::string& path, const UpgradeOptions& options);

}  // namespace kg

#endif  // KG_UPGRADE_H_
