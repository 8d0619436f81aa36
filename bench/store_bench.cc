// Store micro-benchmarks: writing documents with claims and evidence
// (BM_WriteDocument_*) and the same documents through the bulk path
// (BM_BulkLoad), scanning each of the 8 bound/unbound triple patterns over a
// shared ~200k-triple store (BM_Scan_*), decoding dictionary ids through the
// dictionary (BM_Decode), term encoding (BM_IdOf), index key encoding
// (BM_TripleKey) and the key sort of the bulk path (BM_SortTripleKeys).
// See bench/README.md for what each one measures and how to run it.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/store_gen.h"
#include "benchmark/benchmark.h"
#include "kg/bulk_load.h"
#include "kg/keys.h"
#include "kg/model.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/term.h"
#include "kg/term_id.h"
#include "kg/utf8.h"

namespace kg::bench {
namespace {

// Scan fixture size: kScanDocuments x kScanClaims claims (~200k triples).
constexpr int kScanDocuments = 200;
constexpr int kScanClaims = 1000;
// The fully unbound pattern stops after this many rows.
constexpr int64_t kUnboundLimit = 10000;

std::string TempPath(std::string_view tag) {
  return (std::filesystem::temp_directory_path() /
          StrCat("kg-store-bench-", static_cast<int64_t>(getpid()), "-", tag))
      .string();
}

// Each iteration writes one new document with state.range(0) claims into a
// fresh store; items/s = claims/s.
void WriteDocuments(benchmark::State& state, bool sync) {
  const int claims = static_cast<int>(state.range(0));
  const std::string path =
      TempPath(StrCat("write-", claims, sync ? "-sync" : "-nosync"));
  std::filesystem::remove_all(path);
  {
    StoreOptions options;  // designated init would trip -Wextra
    options.sync_writes = sync;
    auto store = Store::Open(path, options);
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
      return;
    }
    std::mt19937 rng(42);
    int64_t index = 0;
    for (auto _ : state) {
      state.PauseTiming();
      DocumentWrite w = MakeDocument(StrCat("doc-", index++), claims, rng);
      state.ResumeTiming();
      if (absl::Status s = (*store)->WriteDocument(w); !s.ok()) {
        state.SkipWithError(std::string(s.message()).c_str());
        break;
      }
    }
    state.SetItemsProcessed(state.iterations() * claims);
  }
  std::filesystem::remove_all(path);
}

void BM_WriteDocument_NoSync(benchmark::State& state) {
  WriteDocuments(state, /*sync=*/false);
}
void BM_WriteDocument_Sync(benchmark::State& state) {
  WriteDocuments(state, /*sync=*/true);
}
// Real time: the store's work includes fsync and RocksDB's background threads.
BENCHMARK(BM_WriteDocument_NoSync)
    ->ArgName("claims")
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteDocument_Sync)
    ->ArgName("claims")
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Each iteration bulk-loads state.range(0) documents of 1000 claims into a
// fresh store, Commit included; items/s = claims/s. Compare with
// BM_WriteDocument_NoSync/1000, the same documents one transaction each.
void BM_BulkLoad(benchmark::State& state) {
  const int documents = static_cast<int>(state.range(0));
  constexpr int kClaims = 1000;
  std::mt19937 rng(42);
  std::vector<DocumentWrite> writes;
  for (int d = 0; d < documents; ++d) {
    writes.push_back(MakeDocument(StrCat("bulk-", d), kClaims, rng));
  }
  int64_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = TempPath(StrCat("bulk-", round++));
    std::filesystem::remove_all(path);
    StoreOptions options;
    options.sync_writes = false;
    auto store = Store::Open(path, options);
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
      break;
    }
    state.ResumeTiming();
    absl::Status s;
    {
      auto load = BulkLoad::Start(**store, BulkLoadOptions());
      s = load.status();
      for (size_t i = 0; s.ok() && i < writes.size(); ++i) s = (*load)->Write(writes[i]);
      if (s.ok()) s = (*load)->Commit().status();
    }
    state.PauseTiming();
    store->reset();
    std::filesystem::remove_all(path);
    state.ResumeTiming();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * documents * kClaims);
}
BENCHMARK(BM_BulkLoad)->Arg(20)->Arg(100)->UseRealTime()->Unit(benchmark::kMillisecond);

// The store every scan benchmark reads: built on first use, removed in main.
class ScanFixture {
 public:
  ScanFixture() : path_(TempPath("scan")) {
    std::filesystem::remove_all(path_);
    StoreOptions options;
    options.sync_writes = false;
    auto store = Store::Open(path_, options);
    if (!store.ok()) {
      status_ = store.status();
      return;
    }
    store_ = *std::move(store);
    std::mt19937 rng(7);
    for (int d = 0; d < kScanDocuments && status_.ok(); ++d) {
      DocumentWrite w = MakeDocument(StrCat("scan-", d), kScanClaims, rng);
      if (d == 0) {  // bound values come from a triple that was written
        const Term& c = w.claims.front().claim;
        sample_term_ = c;
      }
      status_ = store_->WriteDocument(w);
    }
    if (status_.ok()) snapshot_ = store_->NewSnapshot();
    if (status_.ok()) {
      auto s = snapshot_->IdOf(sample_term_.subject());
      auto p = snapshot_->IdOf(sample_term_.predicate());
      auto o = snapshot_->IdOf(sample_term_.object());
      if (s.ok() && p.ok() && o.ok()) sample_ = {*s, *p, *o};
    }
  }
  ~ScanFixture() {
    snapshot_.reset();
    store_.reset();
    std::filesystem::remove_all(path_);
  }

  const absl::Status& status() const { return status_; }
  const Snapshot& snapshot() const { return *snapshot_; }
  const Triple& sample() const { return sample_; }

 private:
  std::string path_;
  absl::Status status_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Snapshot> snapshot_;
  Triple sample_;
  Term sample_term_ = Term::Integer(0);
};

std::unique_ptr<ScanFixture>& FixtureSlot() {
  static std::unique_ptr<ScanFixture> fixture;
  return fixture;
}
const ScanFixture& Fixture() {
  if (!FixtureSlot()) FixtureSlot() = std::make_unique<ScanFixture>();
  return *FixtureSlot();
}

struct ScanCase {
  const char* name;
  const char* pattern;  // bound positions by letter, variables as ?
  bool s, p, o;
};
constexpr ScanCase kScanCases[] = {
    {"BM_Scan_S", "(s,?,?)", true, false, false},
    {"BM_Scan_P", "(?,p,?)", false, true, false},
    {"BM_Scan_O", "(?,?,o)", false, false, true},
    {"BM_Scan_SP", "(s,p,?)", true, true, false},
    {"BM_Scan_PO", "(?,p,o)", false, true, true},
    {"BM_Scan_SO", "(s,?,o)", true, false, true},
    {"BM_Scan_SPO", "(s,p,o)", true, true, true},
    {"BM_Scan_All", "(?,?,?)", false, false, false},
};

// Iterates every row of one pattern (the unbound one up to kUnboundLimit);
// items/s = rows/s, counter "rows" = rows per iteration.
void ScanPattern(benchmark::State& state, ScanCase scan) {
  const ScanFixture& f = Fixture();
  if (!f.status().ok()) {
    state.SkipWithError(std::string(f.status().message()).c_str());
    return;
  }
  TriplePattern pattern;
  if (scan.s) pattern.s = f.sample().s;
  if (scan.p) pattern.p = f.sample().p;
  if (scan.o) pattern.o = f.sample().o;
  const bool unbound = !scan.s && !scan.p && !scan.o;
  int64_t rows = 0;
  int64_t total = 0;
  for (auto _ : state) {
    rows = 0;
    TripleCursor cursor = f.snapshot().Scan(pattern);
    for (; cursor.Valid() && (!unbound || rows < kUnboundLimit);
         cursor.Next()) {
      benchmark::DoNotOptimize(cursor.triple());
      ++rows;
    }
    if (!cursor.status().ok()) {
      state.SkipWithError(std::string(cursor.status().message()).c_str());
      break;
    }
    total += rows;
  }
  state.SetItemsProcessed(total);
  state.counters["rows"] = static_cast<double>(rows);
  state.SetLabel(
      StrCat(scan.pattern, " via ", PermutationName(PlanScan(pattern).perm)));
}

// Snapshot::Decode of dictionary ids: entity names and claims read back from
// the dictionary, the per-row cost of returning terms from a query.
void BM_Decode(benchmark::State& state) {
  const ScanFixture& f = Fixture();
  if (!f.status().ok()) {
    state.SkipWithError(std::string(f.status().message()).c_str());
    return;
  }
  const bool claims = state.range(0) == 1;
  std::vector<TermId> ids;
  std::mt19937 rng(3);
  for (int i = 0; i < 4096; ++i) {
    const Term s = Term::Entity(EntityName(rng() % kEntities));
    const Term o = Term::Entity(EntityName(rng() % kEntities));
    auto id = f.snapshot().IdOf(claims ? Term::Claim(s, Term::Entity(kPredicates[0]), o) : s);
    if (!id.ok()) {
      state.SkipWithError(std::string(id.status().message()).c_str());
      return;
    }
    ids.push_back(*id);
  }
  size_t i = 0;
  int64_t found = 0;
  for (auto _ : state) {
    auto term = f.snapshot().Decode(ids[i++ % ids.size()]);
    found += term.ok();
    benchmark::DoNotOptimize(term);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(claims ? "claims (three more lookups each; most are absent)" : "entities");
  state.counters["found"] = benchmark::Counter(static_cast<double>(found),
                                               benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_Decode)->Arg(0)->Arg(1);

// TripleKey: the 24-byte index key of one permutation.
void BM_TripleKey(benchmark::State& state) {
  const Triple t{TermId::Dense(IdTag::kEntity, 1), TermId::Dense(IdTag::kEntity, 2),
                 TermId::Dense(IdTag::kEntity, 3)};
  const auto perm = static_cast<Permutation>(state.range(0));
  for (auto _ : state) {
    std::string key = TripleKey(perm, t);
    benchmark::DoNotOptimize(key);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TripleKey)->Arg(0)->Arg(1)->Arg(2);

// Sorting state.range(0) index keys by bytes, as a bulk-load run is sorted
// before it is written: items/s = keys/s. Subjects are skewed (a few
// entities have most triples), so many keys share their first 16 bytes.
void BM_SortTripleKeys(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937 rng(11);
  std::vector<TermId> terms;
  for (int i = 0; i < 5000; ++i) terms.push_back(TermId::Dense(IdTag::kEntity, 1 + i));
  std::string arena;
  std::vector<std::string_view> keys;
  constexpr size_t kKey = 3 * TermId::kSize;
  arena.reserve(n * kKey);
  for (size_t i = 0; i < n; ++i) {
    const size_t s = std::min<size_t>(rng() % 5000, rng() % 5000);
    arena += TripleKey(Permutation::kSpo, {terms[s], terms[rng() % 40], terms[rng() % 5000]});
  }
  for (size_t i = 0; i < n; ++i) keys.emplace_back(arena.data() + i * kKey, kKey);
  std::vector<std::string_view> work;
  for (auto _ : state) {
    state.PauseTiming();
    work = keys;
    state.ResumeTiming();
    std::sort(work.begin(), work.end());
    benchmark::DoNotOptimize(work.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_SortTripleKeys)->Arg(1 << 16)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

// Snapshot::IdOf: a term's id through the term index (inline terms need
// none).
void BM_IdOf(benchmark::State& state, const Term& term) {
  const ScanFixture& f = Fixture();
  if (!f.status().ok()) {
    state.SkipWithError(std::string(f.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    auto id = f.snapshot().IdOf(term);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_IdOf, entity, Term::Entity("North Korea"));
BENCHMARK_CAPTURE(BM_IdOf, short_string, Term::String("arty"));

}  // namespace
}  // namespace kg::bench

int main(int argc, char** argv) {
  for (const kg::bench::ScanCase& scan : kg::bench::kScanCases) {
    benchmark::RegisterBenchmark(scan.name, kg::bench::ScanPattern, scan)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  kg::bench::FixtureSlot().reset();  // close and remove the scan store
  return 0;
}
