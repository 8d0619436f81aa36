// Store micro-benchmarks: writing documents with claims and evidence
// (BM_WriteDocument_*), scanning each of the 8 bound/unbound triple patterns
// over a shared ~200k-triple store (BM_Scan_*), and term encoding (BM_IdOf).
// See bench/README.md for what each one measures and how to run it.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "kg/keys.h"
#include "kg/model.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/term.h"
#include "kg/term_id.h"
#include "kg/utf8.h"

namespace kg::bench {
namespace {

constexpr int kEntities = 1000;
constexpr int kAgents = 50;
constexpr std::string_view kPredicates[] = {
    "supplies",  "funds",      "trains",          "arms",        "hosts",
    "sanctions", "attacks",    "negotiates_with", "allies_with", "owns",
    "employs",   "exports_to", "imports_from",    "borders",     "supports",
    "opposes",   "recognises", "invests_in",      "advises",     "operates_in"};
constexpr int kPredicateCount = static_cast<int>(std::size(kPredicates));

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

std::string EntityName(uint32_t i) { return StrCat("Entity ", i); }

// One document of `claims` claims, each drawn from `rng`. The text is one
// sentence per claim (with a non-ASCII dash, so code-point and byte offsets
// differ); each claim's evidence quotes exactly its sentence.
DocumentWrite MakeDocument(std::string id, int claims, std::mt19937& rng) {
  DocumentWrite w;
  w.document.id = std::move(id);
  w.document.title = "Generated benchmark document";
  w.document.publisher = "kg bench";
  w.document.type = "report";
  std::string& text = w.document.text;
  uint64_t code_points = 0;  // CountCodePoints(text), kept incrementally
  w.claims.reserve(claims);
  for (int c = 0; c < claims; ++c) {
    const uint32_t s = rng() % kEntities;
    const uint32_t p = rng() % kPredicateCount;
    const uint32_t o = rng() % kEntities;
    const uint32_t agent = rng() % kAgents;
    const std::string sentence =
        StrCat(EntityName(s), " ", kPredicates[p], " ", EntityName(o),
               " \u2014 statement ", c, " of ", w.document.id, ".");
    const uint64_t length = CountCodePoints(sentence);
    ClaimEvidence ce;
    ce.claim =
        Term::Claim(Term::Entity(EntityName(s)), Term::Entity(kPredicates[p]),
                    Term::Entity(EntityName(o)));
    ce.evidence.quote = sentence;
    ce.evidence.span = Span{code_points, code_points + length};
    ce.evidence.agent = Term::Entity(StrCat("Agent ", agent));
    ce.evidence.hedge = kAllHedges[rng() % std::size(kAllHedges)];
    const Date when{static_cast<int32_t>(2000 + rng() % 25),
                    static_cast<uint8_t>(1 + rng() % 12), 0};
    ce.evidence.qualifiers = {{"time", *Term::DateOf(when)}};
    w.claims.push_back(std::move(ce));
    text += sentence;
    text += ' ';
    code_points += length + 1;
  }
  return w;
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
        sample_ = {IdOf(c.subject()), IdOf(c.predicate()), IdOf(c.object())};
      }
      status_ = store_->WriteDocument(w);
    }
    if (status_.ok()) snapshot_ = store_->NewSnapshot();
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

void BM_IdOf(benchmark::State& state, const Term& term) {
  for (auto _ : state) {
    TermId id = IdOf(term);
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_IdOf, entity, Term::Entity("North Korea"));
BENCHMARK_CAPTURE(BM_IdOf, short_string, Term::String("artillery"));
BENCHMARK_CAPTURE(BM_IdOf, claim,
                  Term::Claim(Term::Entity("North Korea"),
                              Term::Entity("supplies_munitions_to"),
                              Term::Entity("Russia")));

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
