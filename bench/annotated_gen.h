// Generates synthetic annotated documents (.kga) and their vocabulary (.kgv)
// for ingest benchmarks: deterministic for a seed, any size.
#ifndef KG_BENCH_ANNOTATED_GEN_H_
#define KG_BENCH_ANNOTATED_GEN_H_

#include <cstdint>
#include <string>

namespace kg::bench {

struct GenOptions {
  int entities = 2000;
  int predicates = 40;
  int claims_per_doc = 200;
  uint64_t seed = 42;
};

// The vocabulary every generated document uses.
std::string GenerateVocabulary(const GenOptions& options);

// Document number `index`: prose sentences, each quoting one claim with
// attribution, hedge and qualifiers; some cross line breaks and contain
// curly quotes and dashes.
std::string GenerateDocument(const GenOptions& options, int index);

}  // namespace kg::bench

#endif  // KG_BENCH_ANNOTATED_GEN_H_
