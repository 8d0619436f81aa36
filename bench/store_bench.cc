// Store micro-benchmarks: writing documents with claims and evidence, and
// scanning each of the 8 triple patterns, plus term encoding.
#include <filesystem>
#include <random>

#include "benchmark/benchmark.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg::bench {
namespace {

constexpr int kEntities = 1000;
constexpr int kPredicates = 20;

std::string TempPath(std::string_view name) {
  return (std::filesystem::temp_directory_path() / StrCat("kg-store-bench-", getpid(), "-", name)).string();
}

// A document whose text is one sentence per claim, each quoted exactly.
DocumentWrite MakeDocument(int index, int claims, std::mt19937& rng) {
  DocumentWrite w;
  w.document.id = StrCat("doc-", index);
  w.document.title = "generated";
  std::string& text = w.document.text;
  for (int c = 0; c < claims; ++c) {
    const int s = rng() % kEntities, p = rng() % kPredicates, o = rng() % kEntities;
    const std::string sentence = StrCat("Entity ", s, " relates (", p, ") to entity ", o, ".");
    const uint64_t start = CountCodePoints(text);
    text += sentence;
    text += " ";
    ClaimEvidence ce;
    ce.claim = Term::Claim(Term::Entity(StrCat("E", s)), Term::Entity(StrCat("p", p)),
                           Term::Entity(StrCat("E", o)));
    ce.evidence.quote = sentence;
    ce.evidence.span = Span{start, start + CountCodePoints(sentence)};
    ce.evidence.agent = Term::Entity(StrCat("Agent", rng() % 50));
    ce.evidence.hedge = static_cast<Hedge>(rng() % std::size(kAllHedges));
    ce.evidence.qualifiers = {{"time", Term::Integer(2000 + c % 25)}};
    w.claims.push_back(std::move(ce));
  }
  return w;
}

void BM_WriteDocument(benchmark::State& state) {
  const int claims = static_cast<int>(state.range(0));
  const bool sync = state.range(1) != 0;
  const std::string path = TempPath(StrCat("write-", claims, sync ? "-sync" : "-nosync"));
  std::filesystem::remove_all(path);
  {
    StoreOptions o;
    o.sync_writes = sync;
    auto store = Store::Open(path, o);
    if (!store.ok()) {
      state.SkipWithError(std::string(store.status().message()).c_str());
      return;
    }
    std::mt19937 rng(42);
    int index = 0;
    for (auto _ : state) {
      state.PauseTiming();
      DocumentWrite w = MakeDocument(index++, claims, rng);
      state.ResumeTiming();
      if (!(*store)->WriteDocument(w).ok()) {
        state.SkipWithError("write failed");
        return;
      }
    }
    state.SetItemsProcessed(state.iterations() * claims);
  }
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_WriteDocument)
    ->ArgNames({"claims", "sync"})
    ->Args({10, 0})
    ->Args({100, 0})
    ->Args({1000, 0})
    ->Args({100, 1})
    ->Unit(benchmark::kMillisecond);

// One shared store of 200 documents x 1000 claims, built on first use.
struct ScanFixture {
  std::string path = TempPath("scan");
  std::unique_ptr<Store> store;
  Triple sample;
  ScanFixture() {
    std::filesystem::remove_all(path);
    StoreOptions o;
    o.sync_writes = false;
    store = *Store::Open(path, o);
    std::mt19937 rng(7);
    for (int d = 0; d < 200; ++d) {
      DocumentWrite w = MakeDocument(d, 1000, rng);
      if (d == 0) {
        const Term& c = w.claims[0].claim;
        sample = {IdOf(c.subject()), IdOf(c.predicate()), IdOf(c.object())};
      }
      (void)store->WriteDocument(w);
    }
  }
  ~ScanFixture() {
    store.reset();
    std::filesystem::remove_all(path);
  }
};

ScanFixture& Fixture() {
  static ScanFixture* fixture = new ScanFixture();
  return *fixture;
}

void BM_Scan(benchmark::State& state) {
  ScanFixture& f = Fixture();
  const int mask = static_cast<int>(state.range(0));  // bit 4: s, 2: p, 1: o
  TriplePattern q;
  if (mask & 4) q.s = f.sample.s;
  if (mask & 2) q.p = f.sample.p;
  if (mask & 1) q.o = f.sample.o;
  constexpr size_t kLimit = 10000;  // the unbound pattern stops here
  auto snap = f.store->NewSnapshot();
  size_t rows = 0;
  for (auto _ : state) {
    size_t n = 0;
    for (TripleCursor c = snap->Scan(q); c.Valid() && n < kLimit; c.Next()) {
      benchmark::DoNotOptimize(c.triple());
      ++n;
    }
    rows += n;
    state.counters["rows"] = static_cast<double>(n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
  state.SetLabel(StrCat((mask & 4) ? "s" : "?", (mask & 2) ? "p" : "?", (mask & 1) ? "o" : "?", " via ",
                        PermutationName(PlanScan(q).perm)));
}
BENCHMARK(BM_Scan)->DenseRange(0, 7)->Unit(benchmark::kMicrosecond);

void BM_IdOf(benchmark::State& state) {
  const Term terms[] = {Term::Entity("NorthKorea"), Term::String("short"),
                        Term::Claim(Term::Entity("Iran"), Term::Entity("supplied"), Term::Entity("ShahedDrone"))};
  const Term& t = terms[state.range(0)];
  for (auto _ : state) benchmark::DoNotOptimize(IdOf(t));
  state.SetLabel(std::string(TermKindName(t.kind())));
}
BENCHMARK(BM_IdOf)->DenseRange(0, 2);

}  // namespace
}  // namespace kg::bench

BENCHMARK_MAIN();
