// The first half of the write path: validating a document and resolving it
// to terms and encoded records (Prepare), without touching the store. The
// second half, applying what was prepared, is in store_write.cc.
#include <limits>

#include "absl/container/flat_hash_set.h"

#include "kg/str_cat.h"
#include "kg/verdict.h"
#include "kg/codec.h"
#include "kg/db_internal.h"
#include "kg/prepared.h"
#include "kg/sha256.h"
#include "kg/status_macros.h"
#include "kg/utf8.h"

namespace kg {
namespace {

constexpr int kMaxClaimNesting = 32;

absl::Status ValidateText(std::string_view what, std::string_view text,
                          bool allow_empty) {
  if (!allow_empty && text.empty()) {
    return absl::InvalidArgumentError(StrCat(what, " is empty"));
  }
  if (auto bad = FindInvalidUtf8(text)) {
    return absl::InvalidArgumentError(
        StrCat(what, " is not valid UTF-8 (byte ", *bad, ")"));
  }
  return absl::OkStatus();
}


absl::Status ValidateLanguageTag(std::string_view lang) {
  // BCP 47 shape: letters, then '-'-separated alphanumeric subtags; RDF 1.2
  // adds an optional "--ltr" / "--rtl" base direction.
  std::string_view tag = lang;
  if (const size_t dir = tag.find("--"); dir != std::string_view::npos) {
    const std::string_view d = tag.substr(dir + 2);
    if (d != "ltr" && d != "rtl") {
      return absl::InvalidArgumentError(StrCat(
          "language tag '", lang, "' has direction '", d, "' (expected ltr or rtl)"));
    }
    tag = tag.substr(0, dir);
  }
  bool first = true;
  size_t start = 0;
  while (start <= tag.size()) {
    size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view sub = tag.substr(start, end - start);
    bool ok = !sub.empty() && sub.size() <= 8;
    for (char c : sub) {
      const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool digit = c >= '0' && c <= '9';
      if (!(alpha || (!first && digit))) ok = false;
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          StrCat("invalid language tag '", lang, "'"));
    }
    first = false;
    start = end + 1;
  }
  return absl::OkStatus();
}

// Checks `t`; errors name the offending field but not where the term is
// (the caller prefixes that, only on error: building the place of every
// term of a million-triple import cost more than checking it).
absl::Status ValidateTerm(const Term& t, int depth = 0) {
  switch (t.kind()) {
    case TermKind::kEntity:
      return ValidateName("entity name", t.text());
    case TermKind::kIri:
      return ValidateName("IRI", t.text());
    case TermKind::kDocument:
      return ValidateName("document id", t.text());
    case TermKind::kString:
      KG_RETURN_IF_ERROR(ValidateText("string", t.text(), true));
      if (!t.extra().empty()) return ValidateLanguageTag(t.extra());
      return absl::OkStatus();
    case TermKind::kQuantity:
      return ValidateName("quantity unit", t.extra());
    case TermKind::kBlankNode:
      return ValidateName("blank node label", t.text());
    case TermKind::kTypedLiteral:
      KG_RETURN_IF_ERROR(ValidateText("literal", t.text(), true));
      return ValidateName("datatype IRI", t.extra());
    case TermKind::kClaim:
      if (depth >= kMaxClaimNesting) {
        return absl::InvalidArgumentError(
            StrCat("claims nested more than ", kMaxClaimNesting, " deep"));
      }
      KG_RETURN_IF_ERROR(ValidateTerm(t.subject(), depth + 1));
      KG_RETURN_IF_ERROR(ValidateTerm(t.predicate(), depth + 1));
      return ValidateTerm(t.object(), depth + 1);
    default:
      return absl::OkStatus();
  }
}

// `s` with the place it happened in front; OK stays OK.
absl::Status At(const absl::Status& s, std::string_view where) {
  if (s.ok()) return s;
  return absl::Status(s.code(), StrCat(where, ": ", s.message()));
}

// A document resolved to ids and encoded records, ready to apply.
class Preparer {
 public:
  explicit Preparer(const Document& doc)
      : index_(doc.text), text_code_points_(index_.size()) {}

  absl::Status CheckSpan(const std::optional<Span>& span, std::string_view quote,
                         std::string_view where) const {
    KG_RETURN_IF_ERROR(ValidateText(StrCat(where, ": quote"), quote, true));
    if (!span) return absl::OkStatus();
    if (span->start > span->end || span->end > text_code_points_) {
      return absl::InvalidArgumentError(StrCat(
          where, ": span [", span->start, ",", span->end,
          ") is outside the document text (", text_code_points_,
          " code points)"));
    }
    const std::string_view actual = *index_.Slice(span->start, span->end);
    if (actual != quote) {
      return absl::InvalidArgumentError(StrCat(
          where, ": quote \"", quote, "\" does not match the text at [",
          span->start, ",", span->end, "): \"", actual, "\""));
    }
    return absl::OkStatus();
  }

 private:
  CodePointIndex index_;
  uint64_t text_code_points_;
};

SpanRecord ToSpanRecord(const std::optional<Span>& span) {
  SpanRecord r;
  if (span) {
    r.present = true;
    r.start = span->start;
    r.end = span->end;
  }
  return r;
}

// `first_ordinal`: ordinal of the first piece of evidence (non-zero when
// appending to a document).
}  // namespace

absl::Status ValidateName(std::string_view what, std::string_view name) {
  KG_RETURN_IF_ERROR(ValidateText(what, name, /*allow_empty=*/false));
  if (name.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError(StrCat(what, " contains a NUL byte"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTermForWrite(const Term& t) { return ValidateTerm(t); }

absl::StatusOr<Prepared> Prepare(const DocumentWrite& w, uint32_t first_ordinal) {
  const Document& d = w.document;
  KG_RETURN_IF_ERROR(ValidateName("document id", d.id));
  const std::string label = StrCat("document ", d.id);
  KG_RETURN_IF_ERROR(ValidateText(StrCat(label, ": text"), d.text, true));
  for (const auto& [what, value] :
       {std::pair<std::string_view, const std::string*>{"title", &d.title},
        {"publisher", &d.publisher}, {"url", &d.url}, {"type", &d.type}}) {
    KG_RETURN_IF_ERROR(ValidateText(StrCat(label, ": ", what), *value, true));
  }
  for (const auto& author : d.authors) {
    KG_RETURN_IF_ERROR(ValidateName(StrCat(label, ": author"), author));
  }
  if (d.date) {
    auto date = Term::DateOf(*d.date);
    if (!date.ok()) {
      return absl::InvalidArgumentError(StrCat(label, ": ", date.status().message()));
    }
  }
  const size_t total = w.claims.size() + d.links.size();
  if (total > std::numeric_limits<uint32_t>::max() - first_ordinal) {
    return absl::InvalidArgumentError(StrCat(label, ": too many claims"));
  }

  Prepared p;
  const Term doc_term = Term::Document(d.id);
  p.doc = p.AddTerm(doc_term);
  Preparer checker(d);

  // `place()` spells out where the evidence is, for errors only.
  auto add_evidence = [&](const Term& claim, const Evidence& ev, uint32_t ordinal,
                          const auto& place) -> absl::Status {
    if (claim.kind() != TermKind::kClaim) {
      return absl::InvalidArgumentError(StrCat(
          place(), ": expected a claim (subject predicate object), got ",
          TermKindName(claim.kind()), " ", claim.ToString()));
    }
    if (absl::Status s = ValidateTerm(claim); !s.ok()) return At(s, place());
    if (absl::Status s = checker.CheckSpan(ev.span, ev.quote, ""); !s.ok()) {
      return checker.CheckSpan(ev.span, ev.quote, place());
    }
    if (absl::Status s = CheckVerdict(ev); !s.ok()) return At(s, place());
    Prepared::Ev e;
    EvidenceRecord& rec = e.record;
    rec.quote = ev.quote;
    rec.span = ToSpanRecord(ev.span);
    if (ev.agent) {
      if (absl::Status s = ValidateTerm(*ev.agent); !s.ok()) return At(s, StrCat(place(), ": agent"));
      e.agent = p.AddTerm(*ev.agent);
    }
    for (const Term& v : ev.via) {
      if (absl::Status s = ValidateTerm(v); !s.ok()) return At(s, StrCat(place(), ": via"));
      e.via.push_back(p.AddTerm(v));
    }
    rec.hedge = static_cast<uint8_t>(ev.hedge);
    rec.stance = static_cast<uint8_t>(ev.stance);
    rec.negated = ev.negated;
    for (const Qualifier& q : ev.qualifiers) {
      if (absl::Status s = ValidateName("qualifier key", q.key); !s.ok()) return At(s, place());
      if (absl::Status s = ValidateTerm(q.value); !s.ok()) {
        return At(s, StrCat(place(), ": qualifier ", q.key));
      }
      rec.qualifiers.push_back({q.key, ""});
      e.qualifier_values.push_back(p.AddTerm(q.value));
    }
    e.claim = p.AddTerm(claim);
    e.s = p.parts[e.claim][0];
    e.p = p.parts[e.claim][1];
    e.o = p.parts[e.claim][2];
    e.ordinal = ordinal;
    p.evidence.push_back(std::move(e));
    return absl::OkStatus();
  };

  uint32_t ordinal = first_ordinal;
  for (const ClaimEvidence& ce : w.claims) {
    KG_RETURN_IF_ERROR(add_evidence(ce.claim, ce.evidence, ordinal, [&] {
      return StrCat(label, ": claim #", ordinal + 1, " ", ce.claim.ToString());
    }));
    ++ordinal;
  }

  DocumentRecord& rec = p.doc_record;
  for (size_t j = 0; j < d.links.size(); ++j) {
    const DocumentLink& link = d.links[j];
    const std::string where = StrCat(label, ": link #", j + 1, " (",
                                           RelationName(link.relation), ")");
    const TermKind k = link.target.kind();
    if (k != TermKind::kDocument && k != TermKind::kEntity && k != TermKind::kIri) {
      return absl::InvalidArgumentError(StrCat(
          where, ": target must be a document, entity or IRI, got ",
          TermKindName(k)));
    }
    Evidence ev;
    ev.quote = link.quote;
    ev.span = link.span;
    const Term claim = Term::Claim(doc_term, Term::Entity(RelationName(link.relation)),
                                   link.target);
    KG_RETURN_IF_ERROR(add_evidence(claim, ev, ordinal++, [&] { return where; }));
    rec.links.push_back({static_cast<uint8_t>(link.relation), "", link.quote,
                         ToSpanRecord(link.span)});
    p.link_targets.push_back(p.Find(link.target));
  }

  rec.id = d.id;
  rec.title = d.title;
  rec.publisher = d.publisher;
  rec.authors = d.authors;
  if (d.date) {
    rec.has_date = true;
    rec.year = d.date->year;
    rec.month = d.date->month;
    rec.day = d.date->day;
  }
  rec.url = d.url;
  rec.type = d.type;
  rec.text = d.text;
  rec.sha256 = Sha256::HexDigest(d.text);
  rec.next_ordinal = ordinal;

  for (const Entity& e : w.entities) {
    KG_RETURN_IF_ERROR(ValidateName(StrCat(label, ": entity name"), e.name));
    for (const auto& alias : e.aliases) {
      KG_RETURN_IF_ERROR(ValidateName(
          StrCat(label, ": alias of ", e.name), alias));
    }
    p.AddTerm(Term::Entity(e.name));
  }
  p.entities = w.entities;
  return p;
}

}  // namespace kg

namespace kg {
namespace {

// The key of `t` in Prepared::index: its inline id, its dictionary value, or
// for a claim the positions of its parts (added first).
std::string TermKey(const Prepared& p, const Term& t,
                    const std::array<TermRef, 3>& parts) {
  if (auto id = InlineId(t)) return StrCat("i", id->bytes());
  if (t.kind() != TermKind::kClaim) return DictionaryValue(t);
  std::string key(1, static_cast<char>(IdTag::kClaim));
  for (TermRef r : parts) PutFixed32BE(&key, r);
  return key;
}

}  // namespace

TermRef Prepared::AddTerm(const Term& t) {
  std::array<TermRef, 3> claim_parts{kNoTerm, kNoTerm, kNoTerm};
  if (t.kind() == TermKind::kClaim) {
    claim_parts = {AddTerm(t.subject()), AddTerm(t.predicate()), AddTerm(t.object())};
  }
  std::string key = TermKey(*this, t, claim_parts);
  auto [it, inserted] = index.try_emplace(key, static_cast<TermRef>(terms.size()));
  if (inserted) {
    terms.push_back(t);
    parts.push_back(claim_parts);
    // A leaf dictionary term's key is its dictionary value: ResolveIds needs
    // it again.
    values.push_back(t.kind() == TermKind::kClaim || key[0] == 'i' ? std::string() : std::move(key));
  }
  return it->second;
}

TermRef Prepared::Find(const Term& t) const {
  std::array<TermRef, 3> claim_parts{kNoTerm, kNoTerm, kNoTerm};
  if (t.kind() == TermKind::kClaim) {
    claim_parts = {Find(t.subject()), Find(t.predicate()), Find(t.object())};
    for (TermRef r : claim_parts) {
      if (r == kNoTerm) return kNoTerm;
    }
  }
  auto it = index.find(TermKey(*this, t, claim_parts));
  return it == index.end() ? kNoTerm : it->second;
}

absl::Status ResolveIds(Prepared& p, IdSource& source) {
  p.ids.resize(p.terms.size());
  p.new_terms.clear();
  for (size_t i = 0; i < p.terms.size(); ++i) {
    const Term& t = p.terms[i];
    if (auto id = InlineId(t)) {
      p.ids[i] = *id;
      continue;
    }
    std::string value = t.kind() == TermKind::kClaim
                            ? ClaimDictionaryValue(p.ids[p.parts[i][0]], p.ids[p.parts[i][1]],
                                                   p.ids[p.parts[i][2]])
                            : std::move(p.values[i]);
    bool added = false;
    KG_ASSIGN_OR_RETURN(p.ids[i], source.IdFor(value, &added));
    if (added) p.new_terms.emplace_back(p.ids[i], std::move(value));
  }
  return absl::OkStatus();
}

bool Prepared::IsPlain(const Ev& ev) {
  const EvidenceRecord& r = ev.record;
  return r.quote.empty() && !r.span.present && ev.agent == kNoTerm && ev.via.empty() &&
         r.hedge == 0 && r.stance == 0 && !r.negated && r.qualifiers.empty();
}

std::string Prepared::EncodeEvidenceValue(const Ev& ev) const {
  std::string out;
  PutVarint64(&out, kNoTransaction);
  if (IsPlain(ev)) return out;
  EvidenceRecord rec = ev.record;
  if (ev.agent != kNoTerm) rec.agent_id = std::string(ids[ev.agent].bytes());
  for (TermRef v : ev.via) rec.via_ids.emplace_back(ids[v].bytes());
  for (size_t i = 0; i < rec.qualifiers.size(); ++i) {
    rec.qualifiers[i].value_id = std::string(ids[ev.qualifier_values[i]].bytes());
  }
  out += EncodeEvidence(rec);
  return out;
}

DocumentRecord Prepared::ResolvedDocumentRecord() const {
  DocumentRecord rec = doc_record;
  for (size_t i = 0; i < rec.links.size(); ++i) {
    rec.links[i].target_id = std::string(ids[link_targets[i]].bytes());
  }
  return rec;
}

EvidenceLayout LayOutEvidence(const Prepared& p) {
  EvidenceLayout out;
  absl::flat_hash_set<TermId> fresh;  // claims this write numbered, until first used
  for (const auto& [id, value] : p.new_terms) {
    if (id.is_claim()) fresh.insert(id);
  }
  std::vector<size_t> run;  // evidence indexes of the run being built
  auto flush = [&] {
    if (run.size() >= 2) {
      const Prepared::Ev& first = p.evidence[run.front()];
      out.runs.push_back({p.id(first.claim), static_cast<uint32_t>(run.size()), p.doc_id(),
                          first.ordinal});
    } else {
      out.keyed.insert(out.keyed.end(), run.begin(), run.end());
    }
    run.clear();
  };
  for (size_t i = 0; i < p.evidence.size(); ++i) {
    const Prepared::Ev& ev = p.evidence[i];
    const TermId claim = p.id(ev.claim);
    const bool plain = fresh.erase(claim) > 0 && Prepared::IsPlain(ev);
    if (!plain) {
      flush();
      out.keyed.push_back(i);
      continue;
    }
    if (!run.empty()) {
      const Prepared::Ev& last = p.evidence[run.back()];
      if (p.id(last.claim).number() + 1 != claim.number() || last.ordinal + 1 != ev.ordinal) flush();
    }
    run.push_back(i);
  }
  flush();
  std::sort(out.keyed.begin(), out.keyed.end());
  return out;
}

absl::StatusOr<EvidenceRecord> DecodeEvidenceValue(std::string_view value) {
  uint64_t tx = 0;
  if (!GetVarint64(&value, &tx)) return absl::DataLossError("evidence value without its transaction");
  if (value.empty()) return EvidenceRecord{};
  return DecodeEvidence(value);
}

std::string EncodeDocumentValue(const DocumentRecord& record, uint64_t added_tx) {
  std::string out;
  PutVarint64(&out, added_tx);
  out += EncodeDocument(record);
  return out;
}

absl::StatusOr<DocumentRecord> DecodeDocumentValue(std::string_view value) {
  uint64_t tx = 0;
  if (!GetVarint64(&value, &tx)) return absl::DataLossError("document value without its transaction");
  return DecodeDocument(value);
}

}  // namespace kg
