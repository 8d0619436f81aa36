// RunSparql (sparql.h): parse, plan and run on one snapshot, then shape the
// solutions into the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE).
#include "query/sparql.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/context.h"
#include "query/sparql_parser.h"
#include "query/sparql_plan.h"

namespace kg::query {
namespace {

using sparql::PTerm;

std::string TripleKey(const std::array<Term, 3>& t) {
  return StrCat(static_cast<int>(t[0].kind()), t[0].ToString(), "\x01", t[1].ToString(), "\x01",
                static_cast<int>(t[2].kind()), t[2].ToString());
}

bool ValidTriple(const std::array<Term, 3>& t) {
  const auto subject = t[0].kind();
  const auto predicate = t[1].kind();
  return (subject == TermKind::kIri || subject == TermKind::kEntity ||
          subject == TermKind::kDocument || subject == TermKind::kBlankNode) &&
         (predicate == TermKind::kIri || predicate == TermKind::kEntity);
}

class GraphBuilder {
 public:
  void Add(std::array<Term, 3> t) {
    if (!ValidTriple(t)) return;
    if (seen_.insert(TripleKey(t)).second) triples_.push_back(std::move(t));
  }
  std::vector<std::array<Term, 3>> Take() { return std::move(triples_); }

 private:
  absl::flat_hash_set<std::string> seen_;
  std::vector<std::array<Term, 3>> triples_;
};

// The value of a template term in one solution; nullopt if unbound.
std::optional<Term> Instantiate(const PTerm& t, const std::vector<std::string>& vars,
                                const std::vector<std::optional<Term>>& row, uint64_t solution) {
  switch (t.kind) {
    case PTerm::Kind::kConst: return t.term;
    case PTerm::Kind::kVar: {
      if (t.var.starts_with("_:") || t.var.find('.') != std::string::npos) {
        // A blank node of the template: a fresh one per solution.
        return Term::BlankNode(StrCat("c", solution, "_", t.var.substr(2)));
      }
      for (size_t k = 0; k < vars.size(); ++k) {
        if (vars[k] == t.var) return row[k];
      }
      return std::nullopt;
    }
    case PTerm::Kind::kTriple: {
      std::optional<Term> parts[3];
      for (int k = 0; k < 3; ++k) {
        parts[k] = Instantiate((*t.parts)[k], vars, row, solution);
        if (!parts[k]) return std::nullopt;
      }
      return Term::Claim(*parts[0], *parts[1], *parts[2]);
    }
  }
  return std::nullopt;
}

// DESCRIBE: the triples with the resource as subject, and those of the
// blank nodes and claims they lead to (a concise bounded description).
absl::Status Describe(Context& ctx, const Term& resource, GraphBuilder& out,
                      absl::flat_hash_set<std::string>& done) {
  if (!done.insert(StrCat(static_cast<int>(resource.kind()), resource.ToString())).second) {
    return absl::OkStatus();
  }
  KG_ASSIGN_OR_RETURN(std::optional<TermId> id, ctx.snap().Find(resource));
  if (!id) return absl::OkStatus();
  TriplePattern q;
  q.s = *id;
  std::vector<Term> next;
  TripleCursor c = ctx.snap().Scan(q);
  for (; c.Valid(); c.Next()) {
    KG_RETURN_IF_ERROR(ctx.Tick());
    KG_ASSIGN_OR_RETURN(Term s, ctx.Decode(c.triple().s));
    KG_ASSIGN_OR_RETURN(Term p, ctx.Decode(c.triple().p));
    KG_ASSIGN_OR_RETURN(Term o, ctx.Decode(c.triple().o));
    if (o.kind() == TermKind::kBlankNode) next.push_back(o);
    out.Add({std::move(s), std::move(p), std::move(o)});
  }
  KG_RETURN_IF_ERROR(c.status());
  for (const Term& n : next) KG_RETURN_IF_ERROR(Describe(ctx, n, out, done));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SparqlResult> RunSparql(Store* store, std::string_view text,
                                       const QueryOptions& options, const SparqlOptions& sparql) {
  KG_ASSIGN_OR_RETURN(sparql::Query q, sparql::ParseSparql(text, sparql.base));
  std::unique_ptr<Snapshot> snap = store->NewSnapshot();
  Context ctx(*snap, options);
  SparqlResult result;
  const bool explain = sparql.explain || q.explain;
  if (q.form == sparql::Query::Form::kAsk) q.limit = 1;
  KG_ASSIGN_OR_RETURN(sparql::Dataset dataset,
                      sparql::DatasetOf(ctx, q, sparql.default_graphs, sparql.named_graphs));
  KG_ASSIGN_OR_RETURN(sparql::Solutions solutions, sparql::Evaluate(ctx, q, dataset, explain));
  if (explain) {
    result.form = SparqlResult::Form::kSelect;
    result.vars = {"step", "operator", "pattern", "index", "estimate"};
    for (const auto& row : solutions.explain) {
      std::vector<std::optional<Term>> cells;
      for (const std::string& s : row) cells.push_back(Term::String(s));
      result.rows.push_back(std::move(cells));
    }
    for (const auto& row : solutions.explain) {
      result.explain += StrCat(row[0], "\t", row[1], "\t", row[2], "\t", row[3], "\t", row[4], "\n");
    }
    return result;
  }
  switch (q.form) {
    case sparql::Query::Form::kSelect:
      result.form = SparqlResult::Form::kSelect;
      result.vars = std::move(solutions.vars);
      result.rows = std::move(solutions.rows);
      break;
    case sparql::Query::Form::kAsk:
      result.form = SparqlResult::Form::kAsk;
      result.boolean = !solutions.rows.empty();
      break;
    case sparql::Query::Form::kConstruct: {
      result.form = SparqlResult::Form::kGraph;
      GraphBuilder graph;
      uint64_t n = 0;
      for (const auto& row : solutions.rows) {
        ++n;
        for (const sparql::Triple& t : q.construct) {
          auto s = Instantiate(t.s, solutions.vars, row, n);
          auto p = Instantiate(t.p, solutions.vars, row, n);
          auto o = Instantiate(t.o, solutions.vars, row, n);
          if (s && p && o) graph.Add({*s, *p, *o});
        }
      }
      result.triples = graph.Take();
      break;
    }
    case sparql::Query::Form::kDescribe: {
      result.form = SparqlResult::Form::kGraph;
      GraphBuilder graph;
      absl::flat_hash_set<std::string> done;
      std::vector<Term> resources;
      for (const PTerm& t : q.describe) {
        if (t.kind == PTerm::Kind::kConst) resources.push_back(t.term);
      }
      for (const auto& row : solutions.rows) {
        for (size_t k = 0; k < solutions.vars.size(); ++k) {
          bool wanted = q.select_all;
          for (const PTerm& t : q.describe) {
            wanted |= t.kind == PTerm::Kind::kVar && t.var == solutions.vars[k];
          }
          if (wanted && row[k]) resources.push_back(*row[k]);
        }
      }
      for (const Term& r : resources) KG_RETURN_IF_ERROR(Describe(ctx, r, graph, done));
      result.triples = graph.Take();
      break;
    }
  }
  return result;
}

absl::Status CheckSparqlSyntax(std::string_view text, const SparqlOptions& sparql) {
  return sparql::ParseSparql(text, sparql.base).status();
}

}  // namespace kg::query
