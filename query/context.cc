#include "query/context.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_join.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::query {

Context::Context(const Snapshot& snap, const QueryOptions& options)
    : snap_(snap), options_(options), deadline_(absl::Now() + options.timeout) {}

absl::Status Context::CheckLimits() {
  if (options_.cancel != nullptr && options_.cancel->load()) {
    return absl::CancelledError("query cancelled");
  }
  if (absl::Now() > deadline_) {
    return absl::DeadlineExceededError(
        StrCat("query stopped: it ran longer than the timeout of ",
               absl::FormatDuration(options_.timeout),
               " (narrow the patterns, add a LIMIT, or raise the timeout)"));
  }
  return absl::OkStatus();
}

absl::Status Context::CountRow(uint64_t n) {
  rows_ += n;
  if (rows_ > options_.max_rows) {
    return absl::ResourceExhaustedError(
        StrCat("query stopped: more than ", options_.max_rows,
               " rows (the row cap; add a LIMIT or narrow the patterns)"));
  }
  return Tick();
}

absl::StatusOr<const Term*> Context::DecodeRef(const TermId& id) {
  auto it = terms_.find(id);
  if (it == terms_.end()) {
    KG_ASSIGN_OR_RETURN(Term t, snap_.Decode(id));
    it = terms_.emplace(id, std::move(t)).first;
  }
  return &it->second;
}

absl::StatusOr<Term> Context::Decode(const TermId& id) {
  KG_ASSIGN_OR_RETURN(const Term* t, DecodeRef(id));
  return *t;
}

absl::StatusOr<std::optional<Term>> Context::AsTerm(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kId: {
      KG_ASSIGN_OR_RETURN(Term t, Decode(v.id));
      return std::optional<Term>(std::move(t));
    }
    case Value::Kind::kTerm: return std::optional<Term>(*v.term);
    case Value::Kind::kInt: return std::optional<Term>(Term::Integer(v.number));
    case Value::Kind::kText: return std::optional<Term>(Term::String(*v.text));
    case Value::Kind::kSymbol:
      if (v.has_id) {
        KG_ASSIGN_OR_RETURN(Term t, Decode(v.id));
        return std::optional<Term>(std::move(t));
      }
      return std::optional<Term>(Term::Entity(*v.text));
    default: return std::optional<Term>();
  }
}

absl::StatusOr<std::optional<TermId>> Context::AsId(const Value& v) {
  if (v.kind == Value::Kind::kId) return std::optional<TermId>(v.id);
  if (v.kind == Value::Kind::kSymbol && v.has_id) return std::optional<TermId>(v.id);
  KG_ASSIGN_OR_RETURN(std::optional<Term> t, AsTerm(v));
  if (!t) return std::optional<TermId>();
  KG_ASSIGN_OR_RETURN(const TermId id, snap_.IdOf(*t));
  return std::optional<TermId>(id);
}

absl::StatusOr<const Document*> Context::GetDocument(const std::string& id) {
  auto it = documents_.find(id);
  if (it != documents_.end()) return it->second.get();
  KG_ASSIGN_OR_RETURN(std::optional<Document> doc, snap_.GetDocument(id));
  std::unique_ptr<Document> stored;
  if (doc) stored = std::make_unique<Document>(std::move(*doc));
  const Document* out = stored.get();
  documents_.emplace(id, std::move(stored));
  return out;
}

absl::StatusOr<Context::DocumentFacts> Context::DescribeDocument(const std::string& id) {
  DocumentFacts facts;
  KG_ASSIGN_OR_RETURN(const Document* doc, GetDocument(id));
  if (doc != nullptr) {
    facts.document = *doc;
    facts.stored = true;
    return facts;
  }
  facts.document.id = id;
  TriplePattern q;
  KG_ASSIGN_OR_RETURN(q.s, snap_.IdOf(Term::Document(id)));
  TripleCursor c = snap_.Scan(q);
  for (; c.Valid(); c.Next()) {
    KG_ASSIGN_OR_RETURN(Term p, Decode(c.triple().p));
    KG_ASSIGN_OR_RETURN(Term o, Decode(c.triple().o));
    if (p.kind() != TermKind::kEntity) continue;
    const std::string text = o.kind() == TermKind::kDate ? FormatDate(o.date()) : o.text();
    Document& d = facts.document;
    if (p.text() == "title") d.title = text;
    if (p.text() == "publisher") d.publisher = text;
    if (p.text() == "url") d.url = text;
    if (p.text() == "author") d.authors.push_back(text);
    if (p.text() == "date" && o.kind() == TermKind::kDate) d.date = o.date();
  }
  KG_RETURN_IF_ERROR(c.status());
  return facts;
}

absl::StatusOr<std::shared_ptr<const std::vector<EvidenceEntry>>> Context::EvidenceFor(
    const TermId& claim) {
  auto it = evidence_.find(claim);
  if (it != evidence_.end()) return it->second;
  KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> list, snap_.EvidenceFor(claim));
  auto shared = std::make_shared<const std::vector<EvidenceEntry>>(std::move(list));
  evidence_.emplace(claim, shared);
  return shared;
}

absl::StatusOr<std::string> Context::Display(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull: return std::string();
    case Value::Kind::kInt: return StrCat(v.number);
    case Value::Kind::kBool: return std::string(v.number ? "true" : "false");
    case Value::Kind::kText:
    case Value::Kind::kSymbol: return *v.text;
    case Value::Kind::kEvidence: {
      const EvidenceEntry& e = *v.evidence;
      return StrCat("evidence doc:", e.document_id, " #", e.ordinal);
    }
    case Value::Kind::kList: {
      std::vector<std::string> parts;
      for (const Value& item : *v.list) {
        KG_ASSIGN_OR_RETURN(std::string s, Display(item));
        parts.push_back(std::move(s));
      }
      return absl::StrJoin(parts, "; ");
    }
    case Value::Kind::kId: {
      KG_ASSIGN_OR_RETURN(const Term* t, DecodeRef(v.id));  // no copy: one per row adds up
      return t->ToString();
    }
    case Value::Kind::kTerm: return v.term->ToString();
  }
  return std::string();
}

absl::StatusOr<std::string> Context::PlainText(const Value& v) {
  if (v.kind == Value::Kind::kId || v.kind == Value::Kind::kTerm) {
    KG_ASSIGN_OR_RETURN(std::optional<Term> t, AsTerm(v));
    if (t && (t->kind() == TermKind::kString || t->kind() == TermKind::kEntity ||
        t->kind() == TermKind::kIri || t->kind() == TermKind::kTypedLiteral)) {
      return t->text();
    }
  }
  if (v.kind == Value::Kind::kEvidence) return v.evidence->evidence.quote;
  return Display(v);
}

absl::StatusOr<Cell> Context::ToCell(const Value& v) {
  Cell c;
  switch (v.kind) {
    case Value::Kind::kNull: c.type = Cell::Type::kNull; return c;
    case Value::Kind::kInt: c.type = Cell::Type::kNumber; break;
    case Value::Kind::kBool: c.type = Cell::Type::kBool; break;
    case Value::Kind::kText:
    case Value::Kind::kSymbol:
    case Value::Kind::kEvidence: c.type = Cell::Type::kText; break;
    case Value::Kind::kList:
      c.type = Cell::Type::kList;
      for (const Value& item : *v.list) {
        KG_ASSIGN_OR_RETURN(std::string s, Display(item));
        c.items.push_back(std::move(s));
      }
      break;
    case Value::Kind::kId:
    case Value::Kind::kTerm: c.type = Cell::Type::kTerm; break;
  }
  KG_ASSIGN_OR_RETURN(c.text, Display(v));
  return c;
}

absl::StatusOr<Context::SortKey> Context::SortKeyOf(const Value& v) {
  SortKey k;
  switch (v.kind) {
    case Value::Kind::kNull: return k;
    case Value::Kind::kInt:
    case Value::Kind::kBool:
      k.rank = 1;
      k.number = static_cast<double>(v.number);
      return k;
    case Value::Kind::kText:
    case Value::Kind::kSymbol:
      k.rank = 3;
      k.text = *v.text;
      return k;
    case Value::Kind::kId:
    case Value::Kind::kTerm: {
      KG_ASSIGN_OR_RETURN(std::optional<Term> t, AsTerm(v));
      if (!t) return k;
      switch (t->kind()) {
        case TermKind::kInteger:
          k.rank = 1;
          k.number = static_cast<double>(t->integer());
          return k;
        case TermKind::kDecimal:
        case TermKind::kQuantity:
          k.rank = 1;
          k.number = std::strtod(t->text().c_str(), nullptr);
          return k;
        case TermKind::kDate:
          k.rank = 2;
          k.number = static_cast<double>(DaysFromEpoch(t->date()));
          return k;
        case TermKind::kString:
          k.rank = 3;
          k.text = t->text();
          return k;
        default:
          k.rank = 4;
          k.text = t->ToString();
          return k;
      }
    }
    default: {
      k.rank = 4;
      KG_ASSIGN_OR_RETURN(k.text, Display(v));
      return k;
    }
  }
}

absl::StatusOr<int> Context::Compare(const Value& a, const Value& b) {
  KG_ASSIGN_OR_RETURN(SortKey ka, SortKeyOf(a));
  KG_ASSIGN_OR_RETURN(SortKey kb, SortKeyOf(b));
  if (ka.rank != kb.rank) return ka.rank < kb.rank ? -1 : 1;
  if (ka.number != kb.number) return ka.number < kb.number ? -1 : 1;
  const int c = ka.text.compare(kb.text);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

absl::StatusOr<bool> Context::Equal(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.is_null() || b.is_null()) return false;
  if (a.kind == K::kList || b.kind == K::kList) return false;  // callers expand lists
  if (a.kind == K::kEvidence || b.kind == K::kEvidence) {
    if (a.kind != b.kind) return false;
    const EvidenceEntry& x = *a.evidence;
    const EvidenceEntry& y = *b.evidence;
    return x.claim == y.claim && x.document_id == y.document_id && x.ordinal == y.ordinal;
  }
  if (a.kind == K::kBool || b.kind == K::kBool) {
    return a.kind == b.kind && a.number == b.number;
  }
  // A symbol equals text with its spelling, or the entity it names.
  if (a.kind == K::kSymbol || b.kind == K::kSymbol) {
    const Value& sym = a.kind == K::kSymbol ? a : b;
    const Value& other = a.kind == K::kSymbol ? b : a;
    if (other.kind == K::kSymbol) return *sym.text == *other.text;
    if (other.kind == K::kText) return *sym.text == *other.text;
    KG_ASSIGN_OR_RETURN(std::optional<Term> t, AsTerm(other));
    if (!t) return false;
    if (t->kind() == TermKind::kEntity) {
      if (sym.has_id) {
        KG_ASSIGN_OR_RETURN(const TermId id, snap_.IdOf(*t));
        return id == sym.id;
      }
      return t->text() == *sym.text;
    }
    if (t->kind() == TermKind::kString) return t->text() == *sym.text;
    return false;
  }
  if (a.kind == K::kId && b.kind == K::kId) return a.id == b.id;
  KG_ASSIGN_OR_RETURN(SortKey ka, SortKeyOf(a));
  KG_ASSIGN_OR_RETURN(SortKey kb, SortKeyOf(b));
  if (ka.rank == 1 && kb.rank == 1) return ka.number == kb.number;
  if (a.kind == K::kText || b.kind == K::kText) {
    // Text compares with a string literal's text.
    return ka.rank == 3 && kb.rank == 3 && ka.text == kb.text;
  }
  KG_ASSIGN_OR_RETURN(std::optional<TermId> ia, AsId(a));
  KG_ASSIGN_OR_RETURN(std::optional<TermId> ib, AsId(b));
  return ia && ib && *ia == *ib;
}

absl::StatusOr<std::string> Context::Key(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull: return std::string("\x00", 1);
    case Value::Kind::kId: return StrCat("i", v.id.bytes());
    case Value::Kind::kList: {
      std::string out = "l";
      for (const Value& item : *v.list) {
        KG_ASSIGN_OR_RETURN(std::string k, Key(item));
        out += StrCat(k.size(), ":", k);
      }
      return out;
    }
    case Value::Kind::kEvidence:
      return StrCat("e", v.evidence->claim.bytes(), v.evidence->document_id, "#",
                    v.evidence->ordinal);
    case Value::Kind::kTerm: {
      KG_ASSIGN_OR_RETURN(const TermId id, snap_.IdOf(*v.term));
      return StrCat("i", id.bytes());
    }
    case Value::Kind::kInt: return StrCat("n", v.number);
    case Value::Kind::kBool: return StrCat("b", v.number);
    case Value::Kind::kText:
    case Value::Kind::kSymbol: return StrCat("t", *v.text);
  }
  return std::string();
}

}  // namespace kg::query
