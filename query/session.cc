// Session: runs each statement kind -- MATCH (its projection, grouping and
// ordering in match_runner.cc), TRACE, SOURCES OF, CONFLICTS ABOUT, SEARCH
// -- and EXPLAIN.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/json.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/binder.h"
#include "query/context.h"
#include "query/executor.h"
#include "query/expr.h"
#include "query/match_runner.h"
#include "query/parser.h"
#include "query/plan.h"
#include "query/provenance.h"
#include "query/query.h"
#include "query/verdicts.h"

namespace kg::query {

Cell TextCell(std::string s) {
  Cell c;
  c.type = s.empty() ? Cell::Type::kNull : Cell::Type::kText;
  c.text = std::move(s);
  return c;
}

Cell TermCell(std::string text) {
  Cell c;
  c.type = Cell::Type::kTerm;
  c.text = std::move(text);
  return c;
}

Cell NumberCell(int64_t n) {
  Cell c;
  c.type = Cell::Type::kNumber;
  c.text = StrCat(n);
  return c;
}

Cell ListCell(std::vector<std::string> items) {
  Cell c;
  c.type = Cell::Type::kList;
  for (size_t i = 0; i < items.size(); ++i) c.text += (i ? "; " : "") + items[i];
  c.items = std::move(items);
  return c;
}

Cell NestedListCell(const std::vector<std::vector<std::string>>& lists, std::string_view inner) {
  Cell c;
  c.type = Cell::Type::kList;
  c.json = "[";
  for (size_t i = 0; i < lists.size(); ++i) {
    std::string shown;
    c.json += i ? ",[" : "[";
    for (size_t k = 0; k < lists[i].size(); ++k) {
      shown += StrCat(k ? inner : "", lists[i][k]);
      c.json += StrCat(k ? "," : "", JsonString(lists[i][k]));
    }
    c.json += "]";
    c.text += StrCat(i ? "; " : "", shown);
    c.items.push_back(std::move(shown));
  }
  c.json += "]";
  return c;
}

std::string CellJson(const Cell& c) {
  if (!c.json.empty()) return c.json;
  switch (c.type) {
    case Cell::Type::kNull: return "null";
    case Cell::Type::kNumber:
    case Cell::Type::kBool: return c.text;
    case Cell::Type::kList: {
      std::string s = "[";
      for (size_t i = 0; i < c.items.size(); ++i) {
        s += StrCat(i ? "," : "", JsonString(c.items[i]));
      }
      return s + "]";
    }
    default: return JsonString(c.text);
  }
}

namespace {

Result ExplainResult(std::vector<std::vector<std::string>> rows) {
  Result r;
  r.columns = {"step", "operator", "pattern", "index", "estimate"};
  for (auto& row : rows) {
    std::vector<Cell> cells;
    for (auto& s : row) cells.push_back(TextCell(std::move(s)));
    r.rows.push_back(std::move(cells));
  }
  return r;
}

// The distinct claims a TRACE / SOURCES OF pattern matches, at most `limit`.
absl::StatusOr<std::vector<TermId>> MatchClaims(Context& ctx, const MatchPlan& plan, int slot,
                                                uint64_t limit) {
  std::vector<TermId> claims;
  absl::flat_hash_set<TermId> seen;
  Executor exec(ctx, plan);
  KG_RETURN_IF_ERROR(exec.Run([&](Row& row) -> absl::StatusOr<bool> {
    const TermId id = row[slot].id;
    if (claims.size() >= limit) return false;
    if (seen.insert(id).second) {
      KG_RETURN_IF_ERROR(ctx.CountRow());
      claims.push_back(id);
    }
    return claims.size() < limit;
  }));
  return claims;
}

void Flatten(const TraceNode& n, int depth, std::vector<std::vector<Cell>>& rows) {
  std::string hedge, quote;
  std::vector<std::string> details;
  for (const auto& [k, v] : n.fields) {
    if (k == "hedge") {
      hedge = v.text;
    } else if (k == "quote") {
      quote = v.text;
    } else {
      details.push_back(StrCat(k, "=", v.text));
    }
  }
  rows.push_back({NumberCell(depth), TextCell(n.kind), TextCell(n.label), TextCell(hedge),
                  TextCell(quote), ListCell(details)});
  for (const TraceNode& c : n.children) Flatten(c, depth + 1, rows);
}

std::vector<std::string> SourceNames(const std::vector<Term>& terms) {
  std::vector<std::string> out;
  for (const Term& t : terms) out.push_back(SourceName(t));
  return out;
}

// Chains as lists of source names; a chain that ends in a circular citation
// has its repeated document marked.
Cell ChainsCell(const std::vector<Chain>& chains) {
  std::vector<std::vector<std::string>> lists;
  for (const Chain& c : chains) {
    lists.push_back(SourceNames(c.terms));
    if (c.circular) lists.back().back() += " (circular citation)";
  }
  return NestedListCell(lists, " -> ");
}

// "2 independent source(s) support, 0 oppose; 1 circular citation(s) not counted"
std::string SourcesSummary(const SourceCounts& n) {
  return StrCat(n.supporting, " independent source(s) support, ", n.opposing, " oppose",
                n.circular > 0 ? StrCat("; ", n.circular, " circular citation(s) not counted")
                               : "");
}

void AddCounts(SourceCounts& total, const SourceCounts& n) {
  total.supporting += n.supporting;
  total.opposing += n.opposing;
  total.circular += n.circular;
}

class StatementRunner {
 public:
  StatementRunner(Context& ctx, const StatementAst& s) : ctx_(ctx), s_(s) {}

  absl::StatusOr<Result> Run() {
    switch (s_.kind) {
      case StatementAst::Kind::kMatch: {
        KG_ASSIGN_OR_RETURN(BoundMatch bound, BindMatch(ctx_, s_.match));
        KG_ASSIGN_OR_RETURN(MatchPlan plan, PlanMatch(ctx_, std::move(bound)));
        if (s_.explain) return ExplainResult(ExplainRows(plan.steps));
        return RunMatch(ctx_, s_.match, plan);
      }
      case StatementAst::Kind::kTrace: return Trace();
      case StatementAst::Kind::kSources: return Sources();
      case StatementAst::Kind::kConflicts: return Conflicts();
      case StatementAst::Kind::kSearch: return Search();
      case StatementAst::Kind::kVerdicts: return Verdicts();
    }
    return absl::InternalError("unknown statement");
  }

  // The claims the statement's claim pattern or phrase names.
  absl::StatusOr<std::vector<TermId>> MatchedClaims() { return Claims(nullptr); }

 private:
  absl::StatusOr<std::vector<TermId>> Claims(std::vector<std::vector<std::string>>* explain) {
    if (s_.by_quote) {
      if (explain != nullptr) {
        *explain = {{"1", "search", StrCat("phrase \"", s_.search_text, "\""),
                     "text index (token -> evidence)", ""}};
        return std::vector<TermId>();
      }
      auto found = ctx_.snap().SearchQuotes(s_.search_text, /*phrase=*/true,
                                            ctx_.options().max_rows + 1);
      if (absl::IsInvalidArgument(found.status())) {
        return absl::InvalidArgumentError(At(s_.pos, std::string(found.status().message())));
      }
      if (!found.ok()) return found.status();
      std::vector<EvidenceEntry> hits = *std::move(found);
      if (hits.size() > ctx_.options().max_rows) {
        KG_RETURN_IF_ERROR(ctx_.CountRow(hits.size()));
      }
      std::vector<TermId> claims;
      for (EvidenceEntry& e : hits) {
        if (claims.empty() || claims.back() != e.claim) claims.push_back(e.claim);
        // A verdict's quote (the claim as the reviewer wrote it) finds the
        // claim; then all of its evidence is traced.
        if (IsVerdict(e.evidence)) {
          quoted_.try_emplace(e.claim);
        } else {
          quoted_[e.claim].push_back(std::move(e));
        }
      }
      absl::erase_if(quoted_, [](const auto& kv) { return kv.second.empty(); });
      if (s_.limit && claims.size() > *s_.limit) claims.resize(*s_.limit);
      return claims;
    }
    int slot = -1;
    KG_ASSIGN_OR_RETURN(MatchPlan plan, PlanClaimPattern(ctx_, s_.claim, &slot));
    if (explain != nullptr) {
      *explain = ExplainRows(plan.steps);
      return std::vector<TermId>();
    }
    return MatchClaims(ctx_, plan, slot, s_.limit.value_or(UINT64_MAX));
  }

  absl::StatusOr<Result> Trace() {
    std::vector<std::vector<std::string>> plan_rows;
    KG_ASSIGN_OR_RETURN(std::vector<TermId> claims, Claims(s_.explain ? &plan_rows : nullptr));
    if (s_.explain) {
      plan_rows.push_back({StrCat(plan_rows.size() + 1), "trace",
                           "evidence -> document -> via -> agent -> primary source",
                           "evidence by claim; documents", ""});
      return ExplainResult(std::move(plan_rows));
    }
    Result r;
    r.columns = {"depth", "kind", "node", "hedge", "quote", "details"};
    TraceNode root;
    root.kind = "trace";
    root.label = s_.text;
    SourceCounts total;
    int64_t evidence = 0, verdicts = 0;
    for (const TermId& c : claims) {
      SourceCounts n_sources;
      KG_ASSIGN_OR_RETURN(TraceNode n, TraceClaim(ctx_, c, Only(c), &n_sources));
      AddCounts(total, n_sources);
      KG_ASSIGN_OR_RETURN(auto stored, ctx_.EvidenceFor(c));
      const std::vector<EvidenceEntry>& shown = Only(c) != nullptr ? *Only(c) : *stored;
      verdicts += CountVerdicts(*stored);
      evidence += static_cast<int64_t>(shown.size()) - CountVerdicts(shown);
      Flatten(n, 0, r.rows);
      root.children.push_back(std::move(n));
    }
    r.summary = claims.empty() ? "no stored claim matches" : StrCat(claims.size(), " claim(s) traced");
    r.counts = {{"claims", static_cast<int64_t>(claims.size())},
                {"evidence", evidence},
                {"supporting", total.supporting},
                {"opposing", total.opposing},
                {"circular", total.circular},
                {"verdicts", verdicts}};
    if (root.children.size() == 1) {
      r.trace = std::move(root.children[0]);
    } else {
      r.trace = std::move(root);
    }
    return r;
  }

  absl::StatusOr<Result> Sources() {
    std::vector<std::vector<std::string>> plan_rows;
    KG_ASSIGN_OR_RETURN(std::vector<TermId> claims, Claims(s_.explain ? &plan_rows : nullptr));
    if (s_.explain) {
      plan_rows.push_back({StrCat(plan_rows.size() + 1), "sources",
                           "walk each evidence chain to its root; group chains that share a source",
                           "evidence by claim; documents", ""});
      return ExplainResult(std::move(plan_rows));
    }
    Result r;
    r.columns = {"claim", "side", "source", "through", "evidence", "hedges", "chains"};
    SourceCounts total;
    int64_t n_verdicts = 0;
    std::vector<std::string> verdict_notes;
    for (const TermId& c : claims) {
      KG_ASSIGN_OR_RETURN(Term claim, ctx_.Decode(c));
      KG_ASSIGN_OR_RETURN(std::vector<RootSource> groups, RootsOf(ctx_, c, Only(c)));
      AddCounts(total, CountSources(groups));
      for (const RootSource& g : groups) {
        std::vector<std::string> hedges;
        for (const EvidenceEntry& e : g.evidence) {
          std::string h(HedgeName(e.evidence.hedge));
          if (std::find(hedges.begin(), hedges.end(), h) == hedges.end()) hedges.push_back(h);
        }
        r.rows.push_back({TermCell(claim.ToString()), TextCell(g.opposes ? "opposes" : "supports"),
                          ListCell(SourceNames(g.roots)), ListCell(SourceNames(g.through)),
                          NumberCell(static_cast<int64_t>(g.evidence.size())), ListCell(hedges),
                          ChainsCell(g.chains)});
      }
      // The verdicts next to the sources: who rated the claim, and how.
      KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(c));
      const std::vector<EvidenceEntry> found = VerdictsAmong(*all);
      n_verdicts += static_cast<int64_t>(found.size());
      for (const EvidenceEntry& e : found) {
        std::optional<Verdict> v = VerdictOf(e.evidence);
        if (!v) continue;
        std::vector<std::string> rating = {std::string(RatingName(v->rating))};
        if (!v->rating_text.empty()) rating.push_back(v->rating_text);
        r.rows.push_back({TermCell(claim.ToString()), TextCell("verdict"),
                          ListCell({SourceName(v->reviewer)}),
                          ListCell({StrCat("doc:", e.document_id)}), NumberCell(1),
                          ListCell(std::move(rating)), NestedListCell({}, " -> ")});
      }
      const std::string verdict_summary = VerdictSummary(found);
      if (!verdict_summary.empty()) verdict_notes.push_back(verdict_summary);
    }
    if (claims.empty()) {
      r.summary = "no stored claim matches";
    } else {
      r.summary = StrCat(claims.size() > 1 ? StrCat(claims.size(), " claims: ") : "",
                         SourcesSummary(total));
      for (const std::string& note : verdict_notes) StrAppend(&r.summary, "; ", note);
    }
    r.counts = {{"claims", static_cast<int64_t>(claims.size())},
                {"supporting", total.supporting},
                {"opposing", total.opposing},
                {"circular", total.circular},
                {"verdicts", n_verdicts}};
    return r;
  }

  absl::StatusOr<Result> Conflicts() {
    KG_ASSIGN_OR_RETURN(TermId about, ResolveConstant(ctx_, *s_.about));
    KG_ASSIGN_OR_RETURN(Term about_term, ctx_.Decode(about));
    const std::string about_text = about_term.ToString();
    if (s_.explain) {
      return ExplainResult({{"1", "scan", StrCat("(", about_text, " ?p ?o)"), "SPO (bound: s)", ""},
                            {"2", "scan", StrCat("(?s ?p ", about_text, ")"), "OSP (bound: o)", ""},
                            {"3", "evidence", "split each claim's evidence by side", "evidence by claim", ""}});
    }
    Result r;
    r.columns = {"claim", "side", "source", "document", "hedge", "quote", "chains"};
    absl::flat_hash_set<TermId> seen;
    int64_t compared = 0, disputed = 0, rated = 0;
    const bool capped = s_.limit.has_value();
    for (bool subject : {true, false}) {
      TriplePattern q;
      (subject ? q.s : q.o) = about;
      TripleCursor cur = ctx_.snap().Scan(q);
      for (; cur.Valid() && !(capped && static_cast<uint64_t>(disputed) >= *s_.limit);
           cur.Next()) {
        KG_RETURN_IF_ERROR(ctx_.Tick());
        const Triple& t = cur.triple();
        KG_ASSIGN_OR_RETURN(const TermId claim, ctx_.snap().ClaimIdOf(t));
        if (!seen.insert(claim).second) continue;
        ++compared;
        KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(claim));
        bool pro = false, con = false;
        for (const EvidenceEntry& e : *all) {
          if (!IsVerdict(e.evidence)) (Opposes(e.evidence) ? con : pro) = true;
        }
        const std::vector<EvidenceEntry> verdicts = VerdictsAmong(*all);
        const bool reviewers_disagree = ReviewersDisagree(verdicts);
        if ((!pro || !con) && !reviewers_disagree) continue;
        ++disputed;
        if (reviewers_disagree) ++rated;
        KG_ASSIGN_OR_RETURN(Term claim_term, ctx_.Decode(claim));
        for (bool opposing : {false, true}) {
          if (!pro || !con) break;  // only the reviewers disagree
          for (const EvidenceEntry& e : *all) {
            if (IsVerdict(e.evidence) || Opposes(e.evidence) != opposing) continue;
            KG_RETURN_IF_ERROR(ctx_.CountRow());
            KG_ASSIGN_OR_RETURN(std::vector<Chain> chains, ChainsOf(ctx_, e));
            std::vector<Term> roots;
            for (const Chain& c : chains) {
              if (std::find(roots.begin(), roots.end(), c.terms.back()) == roots.end()) {
                roots.push_back(c.terms.back());
              }
            }
            r.rows.push_back({TermCell(claim_term.ToString()),
                              TextCell(opposing ? "opposes" : "supports"),
                              ListCell(SourceNames(roots)), TextCell(StrCat("doc:", e.document_id)),
                              TextCell(std::string(HedgeName(e.evidence.hedge))),
                              TextCell(e.evidence.quote), ChainsCell(chains)});
          }
        }
        for (const EvidenceEntry& e : reviewers_disagree ? verdicts : std::vector<EvidenceEntry>()) {
          std::optional<Verdict> v = VerdictOf(e.evidence);
          if (!v) continue;
          KG_RETURN_IF_ERROR(ctx_.CountRow());
          r.rows.push_back({TermCell(claim_term.ToString()),
                            TextCell(StrCat("rated ", RatingName(v->rating))),
                            ListCell({SourceName(v->reviewer)}), TextCell(StrCat("doc:", e.document_id)),
                            TextCell(""), TextCell(e.evidence.quote), NestedListCell({}, " -> ")});
        }
      }
      KG_RETURN_IF_ERROR(cur.status());
    }
    r.summary = StrCat(disputed, " disputed claim(s) among the ", compared,
                       " claim(s) compared: every claim with ", about_text,
                       " as subject or object",
                       rated > 0 ? StrCat("; reviewers disagree on ", rated) : "");
    r.counts = {{"compared", compared}, {"disputed", disputed}, {"reviewers_disagree", rated}};
    return r;
  }

  absl::StatusOr<Result> Search() {
    if (s_.explain) {
      return ExplainResult({{"1", "search", StrCat(s_.search_words ? "all words of " : "phrase ", "\"", s_.search_text, "\""),
                             "text index (token -> evidence)", ""}});
    }
    std::vector<EvidenceEntry> hits;
    if (!s_.limit || *s_.limit > 0) {  // the index reads 0 as "no limit"
      auto found = ctx_.snap().SearchQuotes(s_.search_text, !s_.search_words,
                                            s_.limit.value_or(ctx_.options().max_rows + 1));
      if (absl::IsInvalidArgument(found.status())) {
        return absl::InvalidArgumentError(At(s_.pos, std::string(found.status().message())));
      }
      if (!found.ok()) return found.status();
      hits = *std::move(found);
    }
    if (hits.size() > ctx_.options().max_rows) {
      KG_RETURN_IF_ERROR(ctx_.CountRow(hits.size()));
    }
    Result r;
    r.columns = {"claim", "document", "hedge", "agent", "quote"};
    for (const EvidenceEntry& e : hits) {
      KG_ASSIGN_OR_RETURN(Term claim, ctx_.Decode(e.claim));
      r.rows.push_back({TermCell(claim.ToString()), TextCell(StrCat("doc:", e.document_id)),
                        TextCell(std::string(HedgeName(e.evidence.hedge))),
                        TextCell(e.evidence.agent ? e.evidence.agent->ToString() : ""),
                        TextCell(e.evidence.quote)});
    }
    r.summary = StrCat(hits.size(), " quote(s) match");
    return r;
  }

  absl::StatusOr<Result> Verdicts() {
    std::vector<std::vector<std::string>> plan_rows;
    KG_ASSIGN_OR_RETURN(std::vector<TermId> claims, Claims(s_.explain ? &plan_rows : nullptr));
    if (s_.explain) {
      plan_rows.push_back({StrCat(plan_rows.size() + 1), "verdicts",
                           "the verdicts among each claim's evidence", "evidence by claim", ""});
      return ExplainResult(std::move(plan_rows));
    }
    return VerdictsTable(ctx_, claims);
  }

  // TRACE/SOURCES OF "words": the evidence that matched, by claim.
  const std::vector<EvidenceEntry>* Only(const TermId& claim) const {
    auto it = quoted_.find(claim);
    return it == quoted_.end() ? nullptr : &it->second;
  }

  Context& ctx_;
  const StatementAst& s_;
  absl::flat_hash_map<TermId, std::vector<EvidenceEntry>> quoted_;
};

}  // namespace

Session::Session(Store* store) : store_(store) {}
Session::~Session() = default;

absl::Status Session::RunEach(std::string_view text, const QueryOptions& options,
                              const std::function<void(Result)>& on_result) {
  KG_ASSIGN_OR_RETURN(std::vector<StatementAst> statements, Parse(text));
  for (const StatementAst& s : statements) {
    std::unique_ptr<Snapshot> snap = store_->NewSnapshot();
    Context ctx(*snap, options);
    KG_ASSIGN_OR_RETURN(Result r, StatementRunner(ctx, s).Run());
    on_result(std::move(r));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Result>> Session::Run(std::string_view text,
                                                 const QueryOptions& options) {
  std::vector<Result> results;
  KG_RETURN_IF_ERROR(RunEach(text, options, [&](Result r) { results.push_back(std::move(r)); }));
  return results;
}

absl::Status CheckSyntax(std::string_view text) { return Parse(text).status(); }

absl::StatusOr<std::vector<Term>> FindClaims(Store* store, std::string_view claim,
                                             uint64_t limit) {
  const std::string text = StrCat("TRACE ", claim, " LIMIT ", limit, ";");
  auto statements = Parse(text);
  if (!statements.ok() || statements->size() != 1) {
    return absl::InvalidArgumentError(StrCat(
        "expected a claim '(subject predicate object)' or a quoted phrase, got '", claim, "'"));
  }
  std::unique_ptr<Snapshot> snap = store->NewSnapshot();
  Context ctx(*snap, QueryOptions{});
  KG_ASSIGN_OR_RETURN(std::vector<TermId> ids, StatementRunner(ctx, (*statements)[0]).MatchedClaims());
  std::vector<Term> out;
  for (const TermId& id : ids) {
    KG_ASSIGN_OR_RETURN(Term t, ctx.Decode(id));
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<ErrorPosition> PositionOf(std::string_view message) {
  ErrorPosition p;
  int used = 0;
  if (std::sscanf(std::string(message).c_str(), "%d:%d: %n", &p.line, &p.column, &used) != 2 ||
      used == 0 || p.line < 1 || p.column < 1) {
    return std::nullopt;
  }
  p.rest = message.substr(used);
  return p;
}

}  // namespace kg::query
