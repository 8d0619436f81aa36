// Session: runs each statement kind -- MATCH (with projection, grouping,
// ordering), TRACE, SOURCES OF, CONFLICTS ABOUT, SEARCH -- and EXPLAIN.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/context.h"
#include "query/executor.h"
#include "query/expr.h"
#include "query/parser.h"
#include "query/plan.h"
#include "query/provenance.h"
#include "query/query.h"

namespace kg::query {
namespace {

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

Cell NumberCell(uint64_t n) {
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

void CollectAggregates(const ExprAst& e, std::vector<const ExprAst*>& out) {
  if (IsAggregateCall(e)) {
    out.push_back(&e);
    return;
  }
  for (const ExprPtr& c : e.children) CollectAggregates(*c, out);
}

bool HasAggregates(const ExprAst& e) {
  std::vector<const ExprAst*> found;
  CollectAggregates(e, found);
  return !found.empty();
}

struct OutRow {
  std::vector<Value> values;
  std::vector<Value> keys;  // ORDER BY keys
};

class MatchRunner {
 public:
  MatchRunner(Context& ctx, const MatchAst& m, const MatchPlan& plan)
      : ctx_(ctx), m_(m), plan_(plan), eval_(ctx, plan.bindings) {}

  absl::StatusOr<Result> Run() {
    Result result;
    if (m_.return_all) {
      for (size_t i = 0; i < plan_.bindings.var_names.size(); ++i) {
        const std::string& name = plan_.bindings.var_names[i];
        if (name.empty() || name[0] == '_') continue;
        result.columns.push_back(name);
        star_slots_.push_back(static_cast<int>(i));
      }
    } else {
      for (const ReturnItem& r : m_.returns) result.columns.push_back(r.name);
    }
    columns_ = result.columns;
    bool grouped = !m_.group_by.empty();
    for (const ReturnItem& r : m_.returns) grouped |= HasAggregates(*r.expr);
    if (grouped && m_.return_all) {
      return absl::InvalidArgumentError(
          At(m_.group_by.empty() ? Pos{} : m_.group_by[0]->pos,
             "RETURN * cannot be combined with GROUP BY"));
    }
    for (const OrderItem& o : m_.order_by) {
      if (!grouped && HasAggregates(*o.expr)) {
        return absl::InvalidArgumentError(
            At(o.expr->pos, "ORDER BY an aggregate needs an aggregate in RETURN or GROUP BY"));
      }
    }
    Executor exec(ctx_, plan_);
    const bool streaming = !grouped && m_.order_by.empty();
    if (grouped) {
      KG_RETURN_IF_ERROR(RunGrouped(exec));
    } else {
      KG_RETURN_IF_ERROR(exec.Run([&](Row& row) -> absl::StatusOr<bool> {
        KG_ASSIGN_OR_RETURN(OutRow out, Project(row, nullptr));
        return Add(std::move(out), streaming);
      }));
    }
    if (!streaming) KG_RETURN_IF_ERROR(SortAndSlice());
    result.rows.reserve(rows_.size());
    for (const OutRow& r : rows_) {
      std::vector<Cell> cells;
      cells.reserve(r.values.size());
      for (const Value& v : r.values) {
        KG_ASSIGN_OR_RETURN(Cell c, ctx_.ToCell(v));
        cells.push_back(std::move(c));
      }
      result.rows.push_back(std::move(cells));
    }
    return result;
  }

 private:
  // The value an ORDER BY item names: a result column, or an expression.
  absl::StatusOr<Value> OrderKey(const ExprAst& e, const std::vector<Value>& values,
                                 const Row& row, const AggregateValues* aggs) {
    // `?x` is the variable when a pattern binds it, else the column named x;
    // a bare name is a column.
    const bool bound_var = e.kind == ExprAst::Kind::kTerm &&
                           e.term->kind == TermAst::Kind::kVar &&
                           plan_.bindings.vars.contains(e.term->text);
    if (e.kind == ExprAst::Kind::kTerm && !bound_var &&
        (e.term->kind == TermAst::Kind::kVar || e.term->kind == TermAst::Kind::kName)) {
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == e.term->text) return values[i];
      }
      if (e.term->kind == TermAst::Kind::kName) {
        return absl::InvalidArgumentError(
            At(e.pos, StrCat("ORDER BY ", e.term->text, ": no result column has that name")));
      }
    }
    return eval_.Eval(e, row, aggs);
  }

  absl::StatusOr<OutRow> Project(const Row& row, const AggregateValues* aggs) {
    OutRow out;
    if (m_.return_all) {
      for (int slot : star_slots_) out.values.push_back(row[slot]);
    } else {
      for (const ReturnItem& r : m_.returns) {
        KG_ASSIGN_OR_RETURN(Value v, eval_.Eval(*r.expr, row, aggs));
        out.values.push_back(std::move(v));
      }
    }
    for (const OrderItem& o : m_.order_by) {
      KG_ASSIGN_OR_RETURN(Value k, OrderKey(*o.expr, out.values, row, aggs));
      out.keys.push_back(std::move(k));
    }
    return out;
  }

  // Keeps a result row; false once a streaming LIMIT is reached.
  absl::StatusOr<bool> Add(OutRow out, bool streaming) {
    if (m_.distinct) {
      std::string key;
      for (const Value& v : out.values) {
        KG_ASSIGN_OR_RETURN(std::string k, ctx_.Key(v));
        key += StrCat(k.size(), ":", k);
      }
      if (!seen_.insert(std::move(key)).second) return true;
    }
    if (streaming && skipped_ < m_.offset) {
      ++skipped_;
      return true;
    }
    if (streaming && m_.limit && rows_.size() >= *m_.limit) return false;  // LIMIT 0
    KG_RETURN_IF_ERROR(ctx_.CountRow());
    rows_.push_back(std::move(out));
    return !(streaming && m_.limit && rows_.size() >= *m_.limit);
  }

  absl::Status SortAndSlice() {
    absl::Status error;
    std::stable_sort(rows_.begin(), rows_.end(), [&](const OutRow& a, const OutRow& b) {
      for (size_t i = 0; i < m_.order_by.size(); ++i) {
        auto c = ctx_.Compare(a.keys[i], b.keys[i]);
        if (!c.ok()) {
          error = c.status();
          return false;
        }
        if (*c != 0) return m_.order_by[i].descending ? *c > 0 : *c < 0;
      }
      return false;
    });
    KG_RETURN_IF_ERROR(error);
    const size_t from = std::min<size_t>(rows_.size(), m_.offset);
    size_t to = rows_.size();
    if (m_.limit) to = std::min<size_t>(to, from + *m_.limit);
    rows_ = std::vector<OutRow>(std::make_move_iterator(rows_.begin() + from),
                                std::make_move_iterator(rows_.begin() + to));
    return absl::OkStatus();
  }

  struct AggState {
    int64_t count = 0;
    Value best;
    int64_t sum = 0;
    double fsum = 0;
    bool fractional = false;
    absl::flat_hash_set<std::string> distinct;
  };
  struct Group {
    Row rep;
    std::vector<AggState> states;
  };

  absl::Status RunGrouped(Executor& exec) {
    std::vector<const ExprAst*> aggs;
    for (const ReturnItem& r : m_.returns) CollectAggregates(*r.expr, aggs);
    for (const OrderItem& o : m_.order_by) CollectAggregates(*o.expr, aggs);
    std::vector<const ExprAst*> keys;
    if (!m_.group_by.empty()) {
      for (const ExprPtr& g : m_.group_by) keys.push_back(g.get());
    } else {
      for (const ReturnItem& r : m_.returns) {
        if (!HasAggregates(*r.expr)) keys.push_back(r.expr.get());
      }
    }
    absl::flat_hash_map<std::string, size_t> index;
    std::vector<Group> groups;
    KG_RETURN_IF_ERROR(exec.Run([&](Row& row) -> absl::StatusOr<bool> {
      std::string key;
      for (const ExprAst* k : keys) {
        KG_ASSIGN_OR_RETURN(Value v, eval_.Eval(*k, row));
        KG_ASSIGN_OR_RETURN(std::string s, ctx_.Key(v));
        key += StrCat(s.size(), ":", s);
      }
      auto [it, inserted] = index.emplace(key, groups.size());
      if (inserted) {
        KG_RETURN_IF_ERROR(ctx_.CountRow());
        groups.push_back(Group{row, std::vector<AggState>(aggs.size())});
      }
      Group& g = groups[it->second];
      for (size_t i = 0; i < aggs.size(); ++i) {
        KG_RETURN_IF_ERROR(Accumulate(*aggs[i], row, g.states[i]));
      }
      return true;
    }));
    if (groups.empty() && keys.empty()) {
      groups.push_back(Group{Row(plan_.bindings.var_names.size()),
                             std::vector<AggState>(aggs.size())});
    }
    for (Group& g : groups) {
      AggregateValues values;
      for (size_t i = 0; i < aggs.size(); ++i) {
        const AggState& s = g.states[i];
        const std::string& f = aggs[i]->text;
        if (f == "count") values[aggs[i]] = Value::Int(s.count);
        if (f == "sum") {
          if (s.fractional) {
            char buf[64];
            std::snprintf(buf, sizeof(buf), "%.15g", s.fsum + static_cast<double>(s.sum));
            auto d = Term::Decimal(buf);
            values[aggs[i]] = d.ok() ? Value::Of(*d) : Value::Text(buf);
          } else {
            values[aggs[i]] = Value::Int(s.sum);
          }
        }
        if (f == "min" || f == "max") values[aggs[i]] = s.best;
      }
      KG_ASSIGN_OR_RETURN(OutRow out, Project(g.rep, &values));
      KG_ASSIGN_OR_RETURN(bool go_on, Add(std::move(out), false));
      (void)go_on;
    }
    return absl::OkStatus();
  }

  absl::Status Accumulate(const ExprAst& agg, const Row& row, AggState& s) {
    if (agg.children.size() != 1) {
      return absl::InvalidArgumentError(At(agg.pos, StrCat(agg.text, "() takes one argument")));
    }
    if (agg.children[0]->kind == ExprAst::Kind::kStar) {
      if (agg.text != "count") {
        return absl::InvalidArgumentError(At(agg.pos, StrCat(agg.text, "(*) is not defined; use COUNT(*)")));
      }
      ++s.count;
      return absl::OkStatus();
    }
    KG_ASSIGN_OR_RETURN(Value v, eval_.Eval(*agg.children[0], row));
    std::vector<Value> items = v.kind == Value::Kind::kList ? *v.list : std::vector<Value>{v};
    for (const Value& item : items) {
      if (item.is_null()) continue;
      if (agg.distinct) {
        KG_ASSIGN_OR_RETURN(std::string k, ctx_.Key(item));
        if (!s.distinct.insert(std::move(k)).second) continue;
      }
      ++s.count;
      if (agg.text == "sum") {
        KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx_.AsTerm(item));
        if (item.kind == Value::Kind::kInt) {
          s.sum += item.number;
        } else if (t && t->kind() == TermKind::kInteger) {
          s.sum += t->integer();
        } else if (t && (t->kind() == TermKind::kDecimal || t->kind() == TermKind::kQuantity)) {
          s.fsum += std::strtod(t->text().c_str(), nullptr);
          s.fractional = true;
        } else {
          return absl::InvalidArgumentError(At(agg.pos, "SUM() adds numbers only"));
        }
      }
      if (agg.text == "min" || agg.text == "max") {
        if (s.best.is_null()) {
          s.best = item;
        } else {
          KG_ASSIGN_OR_RETURN(int c, ctx_.Compare(item, s.best));
          if ((agg.text == "min" && c < 0) || (agg.text == "max" && c > 0)) s.best = item;
        }
      }
    }
    return absl::OkStatus();
  }

  Context& ctx_;
  const MatchAst& m_;
  const MatchPlan& plan_;
  Evaluator eval_;
  std::vector<std::string> columns_;
  std::vector<int> star_slots_;
  std::vector<OutRow> rows_;
  absl::flat_hash_set<std::string> seen_;
  uint64_t skipped_ = 0;
};

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
      hedge = v;
    } else if (k == "quote") {
      quote = v;
    } else {
      details.push_back(StrCat(k, "=", v));
    }
  }
  rows.push_back({NumberCell(depth), TextCell(n.kind), TextCell(n.label), TextCell(hedge),
                  TextCell(quote), ListCell(details)});
  for (const TraceNode& c : n.children) Flatten(c, depth + 1, rows);
}

class StatementRunner {
 public:
  StatementRunner(Context& ctx, const StatementAst& s) : ctx_(ctx), s_(s) {}

  absl::StatusOr<Result> Run() {
    switch (s_.kind) {
      case StatementAst::Kind::kMatch: {
        KG_ASSIGN_OR_RETURN(MatchPlan plan, PlanMatch(ctx_, s_.match));
        if (s_.explain) return ExplainResult(ExplainRows(plan));
        return MatchRunner(ctx_, s_.match, plan).Run();
      }
      case StatementAst::Kind::kTrace: return Trace();
      case StatementAst::Kind::kSources: return Sources();
      case StatementAst::Kind::kConflicts: return Conflicts();
      case StatementAst::Kind::kSearch: return Search();
    }
    return absl::InternalError("unknown statement");
  }

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
        quoted_[e.claim].push_back(std::move(e));
      }
      if (s_.limit && claims.size() > *s_.limit) claims.resize(*s_.limit);
      return claims;
    }
    int slot = -1;
    KG_ASSIGN_OR_RETURN(MatchPlan plan, PlanClaimPattern(ctx_, s_.claim, &slot));
    if (explain != nullptr) {
      *explain = ExplainRows(plan);
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
    for (const TermId& c : claims) {
      KG_ASSIGN_OR_RETURN(TraceNode n, TraceClaim(ctx_, c, Only(c)));
      Flatten(n, 0, r.rows);
      root.children.push_back(std::move(n));
    }
    r.summary = claims.empty() ? "no stored claim matches" : StrCat(claims.size(), " claim(s) traced");
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
                           "walk each evidence chain to its root; merge equal roots",
                           "evidence by claim; documents", ""});
      return ExplainResult(std::move(plan_rows));
    }
    Result r;
    r.columns = {"claim", "source", "side", "evidence", "hedges", "chains"};
    int supporting = 0, opposing = 0, circular = 0;
    for (const TermId& c : claims) {
      KG_ASSIGN_OR_RETURN(Term claim, ctx_.Decode(c));
      KG_ASSIGN_OR_RETURN(std::vector<RootSource> roots, RootsOf(ctx_, c, Only(c)));
      for (const RootSource& root : roots) {
        // A root reached only by citing in a circle is no primary source.
        if (root.cycle) {
          ++circular;
        } else {
          (root.opposes ? opposing : supporting)++;
        }
        std::vector<std::string> hedges, chains;
        for (const EvidenceEntry& e : root.evidence) {
          std::string h(HedgeName(e.evidence.hedge));
          if (std::find(hedges.begin(), hedges.end(), h) == hedges.end()) hedges.push_back(h);
        }
        for (const auto& chain : root.chains) {
          std::string text = ChainText(chain);
          if (root.cycle && chain.back() == root.root) text += " (circular citation)";
          chains.push_back(std::move(text));
        }
        r.rows.push_back({TermCell(claim.ToString()), TermCell(SourceName(root.root)), TextCell(root.opposes ? "opposes" : "supports"),
                          NumberCell(root.evidence.size()), ListCell(hedges), ListCell(chains)});
      }
    }
    r.summary = claims.empty()
                    ? "no stored claim matches"
                    : StrCat(supporting, " independent source(s) support, ", opposing, " oppose",
                             circular > 0 ? StrCat("; ", circular,
                                                   " chain(s) end in a circular citation")
                                          : "");
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
    r.columns = {"claim", "side", "source", "document", "agent", "hedge", "quote"};
    absl::flat_hash_set<TermId> seen;
    uint64_t disputed = 0;
    for (bool subject : {true, false}) {
      TriplePattern q;
      (subject ? q.s : q.o) = about;
      TripleCursor cur = ctx_.snap().Scan(q);
      for (; cur.Valid(); cur.Next()) {
        KG_RETURN_IF_ERROR(ctx_.Tick());
        const Triple& t = cur.triple();
        const TermId claim = ClaimId(t.s, t.p, t.o);
        if (!seen.insert(claim).second) continue;
        KG_ASSIGN_OR_RETURN(auto all, ctx_.EvidenceFor(claim));
        bool pro = false, con = false;
        for (const EvidenceEntry& e : *all) (Opposes(e.evidence) ? con : pro) = true;
        if (!pro || !con) continue;
        if (s_.limit && disputed >= *s_.limit) break;
        ++disputed;
        KG_ASSIGN_OR_RETURN(Term claim_term, ctx_.Decode(claim));
        for (bool opposing : {false, true}) {
          for (const EvidenceEntry& e : *all) {
            if (Opposes(e.evidence) != opposing) continue;
            KG_ASSIGN_OR_RETURN(std::vector<Term> chain, FullChain(ctx_, e));
            KG_RETURN_IF_ERROR(ctx_.CountRow());
            r.rows.push_back({TermCell(claim_term.ToString()),
                              TextCell(opposing ? "opposes" : "supports"),
                              TermCell(SourceName(chain.back())),
                              TextCell(StrCat("doc:", e.document_id)),
                              TextCell(e.evidence.agent ? e.evidence.agent->ToString() : ""),
                              TextCell(std::string(HedgeName(e.evidence.hedge))),
                              TextCell(e.evidence.quote)});
          }
        }
      }
      KG_RETURN_IF_ERROR(cur.status());
    }
    r.summary = StrCat(disputed, " disputed claim(s) about ", about_text);
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

}  // namespace kg::query
