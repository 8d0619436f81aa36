// One store reused by many tests, emptied between them: creating a RocksDB
// store takes 150-400 ms (two opens, a synced write, the log preallocated),
// emptying a small one a millisecond. Used by the W3C SPARQL harness
// (tests/query/w3c_sparql_test.cc), which runs some 520 queries each on
// its own few triples.
#ifndef KG_TESTS_SUPPORT_STORE_POOL_H_
#define KG_TESTS_SUPPORT_STORE_POOL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "kg/store.h"
#include "tests/support/temp_dir.h"

namespace kg::testing {

class StorePool {
 public:
  // An empty store, valid until the next call or Close(). Emptied means
  // every document deleted and the totals (documents, evidence, triples,
  // predicates) and the entities back to zero; if they are not, or with
  // `fresh` (or KG_TEST_FRESH_STORES=1 in the environment), a new store.
  absl::StatusOr<Store*> Empty(bool fresh = false);

  // Closes the store. Call it before exit: RocksDB's own statics may be
  // destroyed before a static pool.
  void Close() { store_.reset(); }

 private:
  bool Clear();

  TempDir dir_;
  std::unique_ptr<Store> store_;
  int generation_ = 0;
};

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_STORE_POOL_H_
