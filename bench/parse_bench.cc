// Parse rate of kg's RDF readers on real files, without the store: the
// N-Triples reader and the Turtle reader on the same statements (the
// generated corpus and its serdi Turtle conversion; bench/import_bench.sh
// --turtle passes them). Files come from the environment:
//   KG_PARSE_NT=claims.nt KG_PARSE_TTL=claims.ttl build/bench/parse_bench
// Each run reads the whole file once; items/s is statements per second.
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"
#include "ingest/rdf/rdf_reader.h"

namespace kg::ingest {
namespace {

void BM_ParseFile(benchmark::State& state, RdfSyntax syntax, const char* env) {
  const char* path = std::getenv(env);
  if (path == nullptr || *path == '\0') {
    state.SkipWithError((std::string(env) + " is not set").c_str());
    return;
  }
  int64_t statements = 0;
  for (auto _ : state) {
    auto source = OpenRdfReader(path, syntax);
    if (!source.ok()) {
      state.SkipWithError(std::string(source.status().message()).c_str());
      return;
    }
    RdfQuad q;
    int64_t n = 0;
    while (source->reader->Next(&q)) ++n;
    if (source->reader->error()) {
      state.SkipWithError(source->reader->FormatError().c_str());
      return;
    }
    statements += n;
  }
  state.SetItemsProcessed(statements);
}

BENCHMARK_CAPTURE(BM_ParseFile, ntriples, RdfSyntax::kNTriples, "KG_PARSE_NT")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(BM_ParseFile, turtle, RdfSyntax::kTurtle, "KG_PARSE_TTL")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace kg::ingest

BENCHMARK_MAIN();
