// Generated documents for the micro-benchmarks (see store_gen.h).
#include "bench/store_gen.h"

#include <iterator>
#include <utility>

#include "kg/str_cat.h"
#include "kg/term.h"
#include "kg/utf8.h"

namespace kg::bench {

std::string EntityName(uint32_t i) { return StrCat("Entity ", i); }

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

}  // namespace kg::bench
