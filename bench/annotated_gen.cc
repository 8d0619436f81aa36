#include "bench/annotated_gen.h"

#include <random>

#include "kg/str_cat.h"

namespace kg::bench {
namespace {

constexpr const char* kHedges[] = {"asserted", "reported", "claimed", "alleged",
                                   "estimated", "believed", "assessed"};
constexpr const char* kVerbs[] = {"says", "reports", "claims", "alleges", "estimates",
                                  "believes", "assesses"};

std::string EntityName(int i) { return StrCat("Entity", i); }
std::string PredicateName(int i) { return StrCat("rel_", i); }

}  // namespace

std::string GenerateVocabulary(const GenOptions& o) {
  std::string out = "%% generated vocabulary\n@type Country ; parent Agent\n";
  for (int p = 0; p < o.predicates; ++p) StrAppend(&out, "@predicate ", PredicateName(p), "\n");
  for (int e = 0; e < o.entities; ++e) {
    StrAppend(&out, "@entity ", EntityName(e), " ; type Country ; alias The Entity ", e, "\n");
  }
  return out;
}

std::string GenerateDocument(const GenOptions& o, int index) {
  std::mt19937_64 rng(o.seed * 1000003 + index);
  // Zipf-like skew: low entity numbers are mentioned far more often.
  auto entity = [&] {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<int>(o.entities * u * u * u) % o.entities;
  };
  std::string doc = StrCat("@doc gen-", index, "\n@title Generated report ", index,
                           "\n@publisher Generator Press\n@date 2025-0", 1 + index % 9,
                           "\n@type report\n");
  StrAppend(&doc, "@cites src: doc:gen-", index > 0 ? index - 1 : 1000000, "\n");
  StrAppend(&doc, "As [[an earlier report]]{#src} noted — “in short” — the following holds.\n");
  for (int c = 0; c < o.claims_per_doc; ++c) {
    const int s = entity(), obj = entity();
    const int p = static_cast<int>(rng() % o.predicates);
    const int h = static_cast<int>(rng() % std::size(kHedges));
    const int agent = entity();
    const bool wrap = c % 7 == 3;
    StrAppend(&doc, "The Entity ", agent, " ", kVerbs[h], " that [[", "The Entity ", s,
              " has a relation ’", p, "’ with", wrap ? "\n" : " ", "The Entity ", obj,
              "]]{#c", c, "} since ", 2000 + c % 25, ".\n");
    StrAppend(&doc, "@claim c", c, ": ", EntityName(s), " ", PredicateName(p), " ",
              EntityName(obj), " ; hedge ", kHedges[h], " ; agent ", EntityName(agent),
              " ; time ", 2000 + c % 25, " ; quantity ", c, " \"units\"\n");
  }
  return doc;
}

}  // namespace kg::bench
