// Runs a planned MATCH: executes the plan (executor.h) and projects, groups,
// aggregates, orders, de-duplicates and slices its rows into a Result.
#include "query/match_runner.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "query/executor.h"
#include "query/expr.h"
#include "query/parser.h"

namespace kg::query {
namespace {

void CollectAggregates(const ExprAst& e, std::vector<const ExprAst*>& out) {
  if (IsAggregateCall(e)) {
    out.push_back(&e);
    return;
  }
  for (const ExprPtr& c : e.children) CollectAggregates(*c, out);
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
    for (const ReturnItem& r : m_.returns) grouped |= HasAggregate(*r.expr);
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
    bool added = false;  // sum: a number was added, and `unit` is its unit
    std::string unit;    // "" for numbers without a unit
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
        if (!HasAggregate(*r.expr)) keys.push_back(r.expr.get());
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
        const FunctionId f = plan_.bindings.functions.at(aggs[i]);
        if (f == FunctionId::kCount) values[aggs[i]] = Value::Int(s.count);
        if (f == FunctionId::kSum) {
          if (s.fractional) {
            char buf[64];
            std::snprintf(buf, sizeof(buf), "%.15g", s.fsum + static_cast<double>(s.sum));
            // A sum of quantities is a quantity in their unit.
            auto d = s.unit.empty() ? Term::Decimal(buf) : Term::Quantity(buf, s.unit);
            values[aggs[i]] = d.ok() ? Value::Of(*d) : Value::Text(buf);
          } else {
            values[aggs[i]] = Value::Int(s.sum);
          }
        }
        if (f == FunctionId::kMin || f == FunctionId::kMax) values[aggs[i]] = s.best;
      }
      KG_ASSIGN_OR_RETURN(OutRow out, Project(g.rep, &values));
      KG_ASSIGN_OR_RETURN(bool go_on, Add(std::move(out), false));
      (void)go_on;
    }
    return absl::OkStatus();
  }

  // Adds a row to an aggregate (the binder checked its arguments).
  absl::Status Accumulate(const ExprAst& agg, const Row& row, AggState& s) {
    const FunctionId f = plan_.bindings.functions.at(&agg);
    if (agg.children[0]->kind == ExprAst::Kind::kStar) {
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
      if (f == FunctionId::kSum) KG_RETURN_IF_ERROR(AddToSum(agg, item, s));
      if (f == FunctionId::kMin || f == FunctionId::kMax) {
        if (s.best.is_null()) {
          s.best = item;
        } else {
          KG_ASSIGN_OR_RETURN(int c, ctx_.Compare(item, s.best));
          if ((f == FunctionId::kMin && c < 0) || (f == FunctionId::kMax && c > 0)) s.best = item;
        }
      }
    }
    return absl::OkStatus();
  }

  // Quantities add up only in one unit: adding "soldiers" to "workers", or
  // to a number without a unit, is an error rather than a meaningless total.
  absl::Status AddToSum(const ExprAst& agg, const Value& item, AggState& s) {
    KG_ASSIGN_OR_RETURN(std::optional<Term> t, ctx_.AsTerm(item));
    const bool quantity = t && t->kind() == TermKind::kQuantity;
    if (quantity || (t && (t->kind() == TermKind::kInteger || t->kind() == TermKind::kDecimal))) {
      const std::string unit = quantity ? t->extra() : "";
      if (s.added && unit != s.unit) {
        auto quoted = [](const std::string& u) { return StrCat("\"", u, "\""); };
        std::string a = s.unit, b = unit;
        if (b < a) std::swap(a, b);
        return absl::InvalidArgumentError(At(
            agg.pos, a.empty() ? StrCat("SUM() cannot add a number without a unit to a quantity in ",
                                        quoted(b))
                               : StrCat("SUM() cannot add quantities in different units: ",
                                        quoted(a), " and ", quoted(b),
                                        " (GROUP BY the unit to sum each one)")));
      }
      s.unit = unit;
      s.added = true;
    }
    if (item.kind == Value::Kind::kInt) {
      s.sum += item.number;
    } else if (t && t->kind() == TermKind::kInteger) {
      s.sum += t->integer();
    } else if (t && (t->kind() == TermKind::kDecimal || quantity)) {
      s.fsum += std::strtod(t->text().c_str(), nullptr);
      s.fractional = true;
    } else {
      return absl::InvalidArgumentError(At(agg.pos, "SUM() adds numbers only"));
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

}  // namespace

absl::StatusOr<Result> RunMatch(Context& ctx, const MatchAst& match, const MatchPlan& plan) {
  return MatchRunner(ctx, match, plan).Run();
}

}  // namespace kg::query
