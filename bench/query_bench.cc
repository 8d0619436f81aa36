// query_bench: latency of query statements through the public API
// (kg::query::Session::Run) on an existing store, opened read-only.
//
//   query_bench --db DIR [--reps N] [--warmup W] [--timeout S] [--block-cache-mb MB]
//               [--term-cache-mb MB] [--sparql [--results json|xml|csv|tsv]] [--follower]
//               [--pause-ms MS]
//               [--import FILE.nt --compression lz4|zstd|none --block-kb K
//                --bloom-bits B] STATEMENT...
//
// Each STATEMENT (our query language, ended by ';') is run W times untimed
// (default 1: the first run is discarded so caches are warm), then N times
// timed (default 20), one statement after the other. Prints, per statement,
// one line
//
//   q<i>  rows=<R>  median_ms=<M>  p90_ms=<P>  min_ms=<L>  max_ms=<H>  reps=<N>
//
// where R is the number of rows of the statement's (last) result, after a
// first line "open  ms=<T>": how long Store::Open took (not part of any
// query's time). A run that fails prints the error and exits with status 1.
// Used by bench/query_bench.sh.
//
// With --sparql, each STATEMENT is a SPARQL query, run through
// kg::query::RunSparql (as `kg serve` runs it, with its base IRI); its line
// then ends with "results_ms=<W>", the median time of writing the result
// in the --results format (default json: SPARQL JSON; WriteSparqlResults,
// as /sparql answers), not part of median_ms. With --follower the store is
// opened as `kg serve` opens it, as a follower (StoreOptions::follower_dir,
// in a temporary directory), not read-only. --pause-ms sleeps that long
// before each run (not timed), as a server waits between requests, to see
// what a run without warm caches costs. bench/README.md ("SPARQL over
// HTTP") compares these with the same queries over HTTP.
//
// With --import, DIR must not exist: the N-Triples file is first bulk-loaded
// into it with the given file layout (kg::StorageTuning; the defaults are
// the store's), which prints "import  s=<S>  disk_mb=<D>", and the store is
// then reopened read-only for the queries. bench/options_bench.sh uses this
// to measure the RocksDB options of schemas/storage-format.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <filesystem>

#include "absl/time/time.h"
#include "ingest/rdf/rdf_import.h"
#include "kg/store.h"
#include "query/query.h"
#include "query/sparql.h"

namespace {

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --db DIR [--reps N=20] [--warmup W=1] [--timeout SECONDS=300] "
               "[--block-cache-mb MB] [--term-cache-mb MB] "
               "[--sparql [--results json|xml|csv|tsv]] [--follower] [--pause-ms MS] "
               "[--import FILE.nt [--compression lz4|zstd|none] "
               "[--block-kb K] [--bloom-bits B]] STATEMENT...\n",
               argv0);
  return 2;
}

// Nearest-rank percentile of sorted values, 0 < q <= 1.
double Percentile(const std::vector<double>& sorted, double q) {
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  if (rank == 0) rank = 1;
  return sorted[std::min(rank, sorted.size()) - 1];
}

double MsBetween(std::chrono::steady_clock::time_point start,
                 std::chrono::steady_clock::time_point stop) {
  return std::chrono::duration<double, std::milli>(stop - start).count();
}

double Median(const std::vector<double>& sorted) {
  const size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db;
  long reps = 20;
  long warmup = 1;
  double timeout_s = 300;
  long block_cache_mb = -1;  // the store's default
  bool sparql = false;
  bool follower = false;
  double pause_ms = 0;
  kg::query::SparqlResultsFormat results_format = kg::query::SparqlResultsFormat::kJson;
  std::string import;
  kg::StorageTuning tuning;
  std::vector<std::string> statements;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--db") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      db = v;
    } else if (a == "--reps") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      reps = std::atol(v);
    } else if (a == "--warmup") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      warmup = std::atol(v);
    } else if (a == "--timeout") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      timeout_s = std::atof(v);
    } else if (a == "--import") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      import = v;
    } else if (a == "--compression") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      const std::string_view c = v;
      // One compression at every level (the default is LZ4 above ZSTD).
      if (c == "lz4") {
        tuning.compression = kg::StorageTuning::Compression::kLz4;
      } else if (c == "zstd") {
        tuning.compression = kg::StorageTuning::Compression::kZstd;
      } else if (c == "none") {
        tuning.compression = kg::StorageTuning::Compression::kNone;
      } else {
        return Usage(argv[0]);
      }
      tuning.bottommost_compression = tuning.compression;
    } else if (a == "--block-kb") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      tuning.block_size_kb = std::atol(v);
    } else if (a == "--bloom-bits") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      tuning.bloom_bits_per_key = std::atoi(v);
    } else if (a == "--term-cache-mb") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      tuning.term_cache_mb = std::atol(v);
    } else if (a == "--block-cache-mb") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      block_cache_mb = std::atol(v);
    } else if (a == "--sparql") {
      sparql = true;
    } else if (a == "--follower") {
      follower = true;
    } else if (a == "--pause-ms") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      pause_ms = std::atof(v);
    } else if (a == "--results") {
      const char* v = value();
      if (!v) return Usage(argv[0]);
      const std::string_view f = v;
      if (f == "json") {
        results_format = kg::query::SparqlResultsFormat::kJson;
      } else if (f == "xml") {
        results_format = kg::query::SparqlResultsFormat::kXml;
      } else if (f == "csv") {
        results_format = kg::query::SparqlResultsFormat::kCsv;
      } else if (f == "tsv") {
        results_format = kg::query::SparqlResultsFormat::kTsv;
      } else {
        return Usage(argv[0]);
      }
    } else if (a == "-h" || a == "--help") {
      Usage(argv[0]);
      return 0;
    } else {
      statements.emplace_back(a);
    }
  }
  if (db.empty() || statements.empty() || reps < 1 || warmup < 0) return Usage(argv[0]);

  if (!import.empty()) {
    if (std::filesystem::exists(db)) {
      std::cerr << "query_bench: --import needs a new store directory; " << db << " exists\n";
      return 1;
    }
    kg::StoreOptions write_options;
    write_options.tuning = tuning;
    auto store = kg::Store::Open(db, write_options);
    if (!store.ok()) {
      std::cerr << "query_bench: cannot create " << db << ": " << store.status() << "\n";
      return 1;
    }
    kg::ingest::RdfImportOptions io;
    io.bulk = kg::ingest::RdfImportOptions::Bulk::kOn;
    const auto start = std::chrono::steady_clock::now();
    auto summary = kg::ingest::ImportRdf(**store, {import}, io, std::cerr);
    store->reset();  // closed: its files are final
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!summary.ok() || !summary->ok()) {
      std::cerr << "query_bench: import of " << import << " failed: "
                << (summary.ok() ? "bad lines" : summary.status().ToString()) << "\n";
      return 1;
    }
    uint64_t bytes = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(db)) {
      if (e.is_regular_file()) bytes += e.file_size();
    }
    std::printf("import  s=%.2f  disk_mb=%.1f\n", secs, static_cast<double>(bytes) / (1 << 20));
    std::fflush(stdout);
  }

  kg::StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.read_only = true;
  std::string follower_dir;
  if (follower) {
    follower_dir = (std::filesystem::temp_directory_path() / "kg-query-bench-XXXXXX").string();
    if (mkdtemp(follower_dir.data()) == nullptr) {
      std::cerr << "query_bench: cannot create a temporary directory\n";
      return 1;
    }
    store_options.follower_dir = follower_dir;
  }
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
  } remove_follower{follower_dir};
  store_options.tuning = tuning;
  if (block_cache_mb >= 0) store_options.tuning.block_cache_mb = block_cache_mb;
  const auto open_start = std::chrono::steady_clock::now();
  auto store = kg::Store::Open(db, store_options);
  const auto open_stop = std::chrono::steady_clock::now();
  if (!store.ok()) {
    std::cerr << "query_bench: cannot open " << db << ": " << store.status() << "\n";
    return 1;
  }
  // Opening read-only replays the write-ahead log, so it can take long.
  std::printf("open  ms=%.1f\n",
              std::chrono::duration<double, std::milli>(open_stop - open_start).count());
  std::fflush(stdout);
  kg::query::Session session(store->get());
  kg::query::QueryOptions options;
  options.timeout = absl::Seconds(timeout_s);

  for (size_t q = 0; q < statements.size(); ++q) {
    const std::string& text = statements[q];
    size_t rows = 0;
    std::vector<double> ms, results_ms;
    ms.reserve(static_cast<size_t>(reps));
    for (long r = 0; r < warmup + reps; ++r) {
      if (pause_ms > 0) {
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(pause_ms));
      }
      const auto start = std::chrono::steady_clock::now();
      absl::Status status;
      size_t n = 0;
      if (sparql) {
        kg::query::SparqlOptions sparql_options;
        sparql_options.base = "http://127.0.0.1/sparql";
        auto result = kg::query::RunSparql(store->get(), text, options, sparql_options);
        const auto ran = std::chrono::steady_clock::now();
        status = result.status();
        if (result.ok()) {
          n = result->rows.size();
          const std::string written = kg::query::WriteSparqlResults(*result, results_format);
          if (r >= warmup) results_ms.push_back(MsBetween(ran, std::chrono::steady_clock::now()));
        }
        if (r >= warmup) ms.push_back(MsBetween(start, ran));
      } else {
        auto results = session.Run(text, options);
        const auto stop = std::chrono::steady_clock::now();
        status = results.status();
        if (results.ok()) n = results->empty() ? 0 : results->back().rows.size();
        if (r >= warmup) ms.push_back(MsBetween(start, stop));
      }
      if (!status.ok()) {
        std::cerr << "query_bench: q" << q + 1 << " failed: " << status << "\n  " << text << "\n";
        return 1;
      }
      if (r > 0 && n != rows) {
        std::cerr << "query_bench: q" << q + 1 << " row count changed between runs (" << rows
                  << " then " << n << ")\n";
        return 1;
      }
      rows = n;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("q%zu  rows=%zu  median_ms=%.4f  p90_ms=%.4f  min_ms=%.4f  max_ms=%.4f  reps=%ld",
                q + 1, rows, Median(ms), Percentile(ms, 0.9), ms.front(), ms.back(), reps);
    if (sparql) {
      std::sort(results_ms.begin(), results_ms.end());
      std::printf("  results_ms=%.4f", Median(results_ms));
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
}
