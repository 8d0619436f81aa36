#include "tests/support/store_pool.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "kg/str_cat.h"

namespace kg::testing {

absl::StatusOr<Store*> StorePool::Empty(bool fresh) {
  const char* env = std::getenv("KG_TEST_FRESH_STORES");
  fresh = fresh || (env != nullptr && *env != '\0' && std::string(env) != "0");
  if (store_ != nullptr && !fresh && Clear()) return store_.get();
  store_.reset();
  std::error_code ec;
  if (generation_ > 0)
    std::filesystem::remove_all(dir_.Sub(StrCat("db", generation_)), ec);
  StoreOptions options;
  options.sync_writes = false;
  auto store = Store::Open(dir_.Sub(StrCat("db", ++generation_)), options);
  if (!store.ok()) return store.status();
  store_ = *std::move(store);
  return store_.get();
}

bool StorePool::Clear() {
  auto docs = store_->NewSnapshot()->ListDocuments();
  if (!docs.ok()) return false;
  for (const std::string& id : *docs) {
    const absl::Status s = store_->DeleteDocument(id);
    if (!s.ok() && !absl::IsNotFound(s)) return false;
  }
  auto snapshot = store_->NewSnapshot();
  auto totals = snapshot->Totals();
  auto entities = snapshot->ListEntities();
  return totals.ok() && entities.ok() && totals->documents == 0 &&
         totals->evidence == 0 && totals->triples == 0 &&
         totals->predicates == 0 && entities->empty();
}

}  // namespace kg::testing
