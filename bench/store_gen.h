// Generated documents for the store and query micro-benchmarks: claims
// between kEntities entities ("Entity 0" .. "Entity 999") over
// kPredicates, each quoted by its own sentence, drawn from a seeded
// std::mt19937 so every run sees the same data.
#ifndef KG_BENCH_STORE_GEN_H_
#define KG_BENCH_STORE_GEN_H_

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "kg/model.h"

namespace kg::bench {

inline constexpr int kEntities = 1000;
inline constexpr int kAgents = 50;
inline constexpr std::string_view kPredicates[] = {
    "supplies",  "funds",      "trains",          "arms",        "hosts",
    "sanctions", "attacks",    "negotiates_with", "allies_with", "owns",
    "employs",   "exports_to", "imports_from",    "borders",     "supports",
    "opposes",   "recognises", "invests_in",      "advises",     "operates_in"};
inline constexpr int kPredicateCount = static_cast<int>(std::size(kPredicates));

// "Entity <i>".
std::string EntityName(uint32_t i);

// One document of `claims` claims, each drawn from `rng`. The text is one
// sentence per claim (with a non-ASCII dash, so code-point and byte offsets
// differ); each claim's evidence quotes exactly its sentence, with an agent,
// a hedge and a `time` qualifier.
DocumentWrite MakeDocument(std::string id, int claims, std::mt19937& rng);

}  // namespace kg::bench

#endif  // KG_BENCH_STORE_GEN_H_
