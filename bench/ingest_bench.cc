// Ingest throughput on generated annotated documents: parsing and resolving
// alone, and parse + resolve + atomic store write.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "bench/annotated_gen.h"
#include "benchmark/benchmark.h"
#include "ingest/annotated/ingest.h"
#include "ingest/annotated/vocabulary.h"
#include "kg/store.h"

namespace kg::bench {
namespace {

ingest::Vocabulary MakeVocabulary(const GenOptions& o) {
  ingest::Vocabulary v = ingest::Vocabulary::Core();
  const std::string text = GenerateVocabulary(o);
  ingest::Diagnostics diag("vocab.kgv", text);
  ingest::ParsedFile parsed = ingest::ParseAnnotated(text, &diag);
  v.AddDirectives(parsed.directives, &diag);
  return v;
}

void BM_ParseAndResolve(benchmark::State& state) {
  GenOptions o;
  o.claims_per_doc = static_cast<int>(state.range(0));
  const ingest::Vocabulary vocab = MakeVocabulary(o);
  std::vector<std::string> docs;
  for (int i = 0; i < 16; ++i) docs.push_back(GenerateDocument(o, i));
  size_t i = 0, bytes = 0, claims = 0;
  for (auto _ : state) {
    const std::string& doc = docs[i++ % docs.size()];
    auto w = ingest::ParseDocument("gen.kga", doc, vocab);
    if (!w.ok()) {
      state.SkipWithError("generated document failed to parse");
      return;
    }
    bytes += doc.size();
    claims += w->claims.size() + w->document.links.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(claims));
}
BENCHMARK(BM_ParseAndResolve)->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_IngestIntoStore(benchmark::State& state) {
  GenOptions o;
  o.claims_per_doc = static_cast<int>(state.range(0));
  const bool sync = state.range(1) != 0;
  const ingest::Vocabulary vocab = MakeVocabulary(o);
  const std::string dir = (std::filesystem::temp_directory_path() /
                           absl::StrCat("kg-ingest-bench-", getpid(), "-", state.range(0), "-", sync))
                              .string();
  std::filesystem::remove_all(dir);
  size_t bytes = 0, claims = 0;
  {
    StoreOptions so;
    so.sync_writes = sync;
    auto store = Store::Open(dir, so);
    if (!store.ok()) {
      state.SkipWithError("cannot open store");
      return;
    }
    int index = 0;
    for (auto _ : state) {
      const std::string doc = GenerateDocument(o, index++);
      auto w = ingest::ParseDocument("gen.kga", doc, vocab);
      if (!w.ok() || !(*store)->WriteDocument(*w).ok()) {
        state.SkipWithError("ingest failed");
        return;
      }
      bytes += doc.size();
      claims += w->claims.size() + w->document.links.size();
    }
  }
  std::filesystem::remove_all(dir);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(claims));
}
BENCHMARK(BM_IngestIntoStore)
    ->ArgNames({"claims_per_doc", "sync"})
    ->Args({200, 0})
    ->Args({200, 1})
    ->Args({2000, 0})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kg::bench

BENCHMARK_MAIN();
