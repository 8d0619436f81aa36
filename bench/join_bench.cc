// Query-engine micro-benchmarks on a bulk-loaded store of 100k generated
// claims (bench/store_gen.h): a two-pattern join counted without decoding
// (BM_Join_Count), the same join returning terms, so each row's ids are
// decoded through the dictionary (BM_Join_Return), and a point lookup
// (BM_Point). items/s = result rows/s; "rows" = rows per run.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "bench/store_gen.h"
#include "benchmark/benchmark.h"
#include "kg/bulk_load.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "query/query.h"

namespace kg::bench {
namespace {

constexpr int kDocuments = 100;
constexpr int kClaims = 1000;

class JoinFixture {
 public:
  JoinFixture()
      : path_((std::filesystem::temp_directory_path() /
               StrCat("kg-join-bench-", static_cast<int64_t>(getpid())))
                  .string()) {
    std::filesystem::remove_all(path_);
    StoreOptions options;
    options.sync_writes = false;
    auto store = Store::Open(path_, options);
    if (!store.ok()) {
      status_ = store.status();
      return;
    }
    store_ = *std::move(store);
    auto load = BulkLoad::Start(*store_, BulkLoadOptions());
    if (!load.ok()) {
      status_ = load.status();
      return;
    }
    std::mt19937 rng(5);
    for (int d = 0; d < kDocuments && status_.ok(); ++d) {
      status_ = (*load)->Write(MakeDocument(StrCat("join-", d), kClaims, rng));
    }
    if (status_.ok()) status_ = (*load)->Commit().status();
  }
  ~JoinFixture() {
    store_.reset();
    std::filesystem::remove_all(path_);
  }
  const absl::Status& status() const { return status_; }
  Store* store() const { return store_.get(); }

 private:
  std::string path_;
  absl::Status status_;
  std::unique_ptr<Store> store_;
};

const JoinFixture& Fixture() {
  static JoinFixture* fixture = new JoinFixture();  // removed at exit below
  static const bool cleanup = [] {
    std::atexit([] { delete fixture; });
    return true;
  }();
  (void)cleanup;
  return *fixture;
}

void RunStatement(benchmark::State& state, const std::string& statement) {
  const JoinFixture& f = Fixture();
  if (!f.status().ok()) {
    state.SkipWithError(std::string(f.status().message()).c_str());
    return;
  }
  query::Session session(f.store());
  int64_t rows = 0, total = 0;
  for (auto _ : state) {
    auto results = session.Run(statement, query::QueryOptions());
    if (!results.ok() || results->empty()) {
      state.SkipWithError(std::string(results.status().message()).c_str());
      break;
    }
    rows = static_cast<int64_t>(results->back().rows.size());
    total += rows;
  }
  state.SetItemsProcessed(total);
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_Join_Count(benchmark::State& state) {
  RunStatement(state, "MATCH `Entity 7` supplies ?b, ?b funds ?c RETURN ?c, COUNT(*) AS n GROUP BY ?c;");
}
BENCHMARK(BM_Join_Count)->Unit(benchmark::kMillisecond);

void BM_Join_Return(benchmark::State& state) {
  RunStatement(state, "MATCH ?a supplies ?b, ?b funds `Entity 7` RETURN ?a, ?b;");
}
BENCHMARK(BM_Join_Return)->Unit(benchmark::kMillisecond);

void BM_Join_Wide(benchmark::State& state) {
  RunStatement(state, "MATCH ?a supplies ?b, ?b funds ?c RETURN COUNT(*);");
}
BENCHMARK(BM_Join_Wide)->Unit(benchmark::kMillisecond);

void BM_Point(benchmark::State& state) {
  RunStatement(state, "MATCH `Entity 7` ?p ?o RETURN ?p, ?o;");
}
BENCHMARK(BM_Point)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kg::bench

BENCHMARK_MAIN();
