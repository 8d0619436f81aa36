#include "tests/support/rdf_isomorphism.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ingest/rdf/ntriples.h"

namespace kg::testing {
namespace {

using kg::RdfQuad;
using kg::RdfTerm;
using Rename = std::function<std::string(const std::string&)>;

bool HasBlank(const RdfTerm& t) {
  if (t.is_blank_node()) return true;
  if (t.is_triple_term() && t.triple != nullptr) {
    return HasBlank(t.triple->s) || HasBlank(t.triple->p) ||
           HasBlank(t.triple->o);
  }
  return false;
}

RdfTerm Renamed(const RdfTerm& t, const Rename& rename) {
  if (t.is_blank_node()) return RdfTerm::BlankNode(rename(t.value));
  if (t.is_triple_term() && t.triple != nullptr) {
    return RdfTerm::TripleTerm(Renamed(t.triple->s, rename),
                               Renamed(t.triple->p, rename),
                               Renamed(t.triple->o, rename));
  }
  return t;
}

std::string Key(const RdfQuad& q, const Rename& rename) {
  RdfQuad r{Renamed(q.s, rename), Renamed(q.p, rename), Renamed(q.o, rename),
            std::nullopt};
  if (q.graph) r.graph = Renamed(*q.graph, rename);
  return ingest::CanonicalNQuad(r);
}

void Blanks(const RdfTerm& t, std::set<std::string>* out) {
  if (t.is_blank_node()) out->insert(t.value);
  if (t.is_triple_term() && t.triple != nullptr) {
    Blanks(t.triple->s, out);
    Blanks(t.triple->p, out);
    Blanks(t.triple->o, out);
  }
}

struct Side {
  std::set<std::string> ground;
  std::vector<RdfQuad> rest;  // statements with blank nodes, deduplicated
  std::vector<std::string> blanks;
  std::map<std::string, size_t> color;
};

Side Prepare(const std::vector<RdfQuad>& quads) {
  Side s;
  std::set<std::string> seen, blanks;
  const Rename same = [](const std::string& b) { return b; };
  for (const RdfQuad& q : quads) {
    const bool blank = HasBlank(q.s) || HasBlank(q.p) || HasBlank(q.o) ||
                       (q.graph && HasBlank(*q.graph));
    const std::string key = Key(q, same);
    if (!blank) {
      s.ground.insert(key);
    } else if (seen.insert(key).second) {
      s.rest.push_back(q);
      Blanks(q.s, &blanks);
      Blanks(q.o, &blanks);
      if (q.graph) Blanks(*q.graph, &blanks);
    }
  }
  s.blanks.assign(blanks.begin(), blanks.end());
  return s;
}

// Colors every blank node by the statements around it: each round, a node's
// color is the hash of the sorted statements it is in, written with itself
// as "self" and the other blank nodes as their colors of the last round.
void Refine(Side* s, int rounds) {
  for (const std::string& b : s->blanks) s->color[b] = 0;
  for (int r = 0; r < rounds; ++r) {
    std::map<std::string, std::vector<std::string>> around;
    for (const RdfQuad& q : s->rest) {
      std::set<std::string> in;
      Blanks(q.s, &in);
      Blanks(q.o, &in);
      if (q.graph) Blanks(*q.graph, &in);
      for (const std::string& b : in) {
        around[b].push_back(Key(q, [&](const std::string& x) {
          return x == b ? std::string("self")
                        : "c" + std::to_string(s->color[x]);
        }));
      }
    }
    std::map<std::string, size_t> next;
    for (auto& [b, list] : around) {
      std::sort(list.begin(), list.end());
      std::string all;
      for (const std::string& k : list) all += k;
      next[b] = std::hash<std::string>()(all);
    }
    s->color = std::move(next);
  }
}

bool Search(const Side& a, const Side& b, const std::set<std::string>& target,
            size_t i, std::map<std::string, std::string>* map,
            std::set<std::string>* used) {
  if (i == a.blanks.size()) {
    for (const RdfQuad& q : a.rest) {
      if (!target.contains(
              Key(q, [&](const std::string& x) { return map->at(x); })))
        return false;
    }
    return true;
  }
  const std::string& from = a.blanks[i];
  for (const std::string& to : b.blanks) {
    if (used->contains(to) || a.color.at(from) != b.color.at(to)) continue;
    (*map)[from] = to;
    used->insert(to);
    if (Search(a, b, target, i + 1, map, used)) return true;
    used->erase(to);
    map->erase(from);
  }
  return false;
}

}  // namespace

bool Isomorphic(const std::vector<RdfQuad>& a, const std::vector<RdfQuad>& b,
                std::string* why) {
  Side x = Prepare(a), y = Prepare(b);
  for (const std::string& k : x.ground) {
    if (!y.ground.contains(k)) {
      *why = "only in the first: " + k;
      return false;
    }
  }
  for (const std::string& k : y.ground) {
    if (!x.ground.contains(k)) {
      *why = "only in the second: " + k;
      return false;
    }
  }
  if (x.rest.size() != y.rest.size() || x.blanks.size() != y.blanks.size()) {
    *why = "statements with blank nodes: " + std::to_string(x.rest.size()) +
           " vs " + std::to_string(y.rest.size()) +
           "; blank nodes: " + std::to_string(x.blanks.size()) + " vs " +
           std::to_string(y.blanks.size());
    return false;
  }
  const int rounds =
      static_cast<int>(std::min<size_t>(x.blanks.size(), 64)) + 1;
  Refine(&x, rounds);
  Refine(&y, rounds);
  std::multiset<size_t> cx, cy;
  for (auto& [b, c] : x.color) cx.insert(c);
  for (auto& [b, c] : y.color) cy.insert(c);
  if (cx != cy) {
    *why = "the blank nodes' neighbourhoods differ";
    return false;
  }
  std::set<std::string> target;
  const Rename same = [](const std::string& s) { return s; };
  for (const RdfQuad& q : y.rest) target.insert(Key(q, same));
  // Rarest colors first: fewer candidates near the root of the search.
  std::map<size_t, int> count;
  for (auto& [b, c] : x.color) ++count[c];
  std::stable_sort(x.blanks.begin(), x.blanks.end(),
                   [&](const std::string& p, const std::string& q) {
                     return count[x.color[p]] < count[x.color[q]];
                   });
  std::map<std::string, std::string> map;
  std::set<std::string> used;
  if (Search(x, y, target, 0, &map, &used)) return true;
  *why = "no renaming of blank nodes maps one onto the other";
  return false;
}

}  // namespace kg::testing
