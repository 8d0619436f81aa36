#include "ingest/json_export.h"

#include "kg/status_macros.h"
#include "kg/str_cat.h"

namespace kg::ingest {
namespace {

std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) StrAppend(&out, i ? "," : "", items[i]);
  return out + "]";
}

std::string SpanFields(const std::optional<Span>& span) {
  if (!span) return "";
  return StrCat(",\"start\":", span->start, ",\"end\":", span->end);
}

absl::Status ExportDocument(const Snapshot& snap, const std::string& id, std::ostream& out) {
  KG_ASSIGN_OR_RETURN(std::optional<Document> doc, snap.GetDocument(id));
  if (!doc) return absl::NotFoundError(StrCat("no document '", id, "'"));
  std::vector<std::string> authors, links;
  for (const auto& a : doc->authors) authors.push_back(JsonString(a));
  for (const auto& l : doc->links) {
    links.push_back(StrCat("{\"relation\":", JsonString(RelationName(l.relation)),
                           ",\"target\":", JsonTerm(l.target), ",\"quote\":", JsonString(l.quote),
                           SpanFields(l.span), "}"));
  }
  out << "{\"type\":\"document\",\"id\":" << JsonString(doc->id)
      << ",\"title\":" << JsonString(doc->title) << ",\"publisher\":" << JsonString(doc->publisher)
      << ",\"authors\":" << JsonArray(authors)
      << ",\"date\":" << (doc->date ? JsonString(FormatDate(*doc->date)) : "null")
      << ",\"url\":" << JsonString(doc->url) << ",\"document_type\":" << JsonString(doc->type)
      << ",\"sha256\":" << JsonString(doc->sha256) << ",\"links\":" << JsonArray(links)
      << ",\"text\":" << JsonString(doc->text) << "}\n";
  KG_ASSIGN_OR_RETURN(auto evidence, snap.EvidenceInDocument(id));
  // Evidence in the order the document gave it.
  std::sort(evidence.begin(), evidence.end(),
            [](const EvidenceEntry& a, const EvidenceEntry& b) { return a.ordinal < b.ordinal; });
  for (const EvidenceEntry& e : evidence) {
    KG_ASSIGN_OR_RETURN(Term claim, snap.Decode(e.claim));
    const Evidence& ev = e.evidence;
    std::vector<std::string> via, qualifiers;
    for (const Term& v : ev.via) via.push_back(JsonTerm(v));
    for (const Qualifier& q : ev.qualifiers) {
      qualifiers.push_back(StrCat("{\"key\":", JsonString(q.key), ",\"value\":", JsonTerm(q.value), "}"));
    }
    out << "{\"type\":\"evidence\",\"document\":" << JsonString(id) << ",\"ordinal\":" << e.ordinal
        << ",\"claim\":" << JsonTerm(claim) << ",\"quote\":" << JsonString(ev.quote)
        << SpanFields(ev.span) << ",\"agent\":" << (ev.agent ? JsonTerm(*ev.agent) : "null")
        << ",\"via\":" << JsonArray(via) << ",\"hedge\":" << JsonString(HedgeName(ev.hedge))
        << ",\"stance\":" << JsonString(StanceName(ev.stance))
        << ",\"negated\":" << (ev.negated ? "true" : "false")
        << ",\"qualifiers\":" << JsonArray(qualifiers) << "}\n";
  }
  return absl::OkStatus();
}

}  // namespace


std::string JsonTerm(const Term& t) {
  switch (t.kind()) {
    case TermKind::kEntity: return StrCat("{\"entity\":", JsonString(t.text()), "}");
    case TermKind::kIri: return StrCat("{\"iri\":", JsonString(t.text()), "}");
    case TermKind::kDocument: return StrCat("{\"document\":", JsonString(t.text()), "}");
    case TermKind::kString:
      return t.extra().empty()
                 ? StrCat("{\"string\":", JsonString(t.text()), "}")
                 : StrCat("{\"string\":", JsonString(t.text()), ",\"lang\":", JsonString(t.extra()), "}");
    case TermKind::kInteger: return StrCat("{\"integer\":", t.integer(), "}");
    case TermKind::kDecimal: return StrCat("{\"decimal\":", JsonString(t.text()), "}");
    case TermKind::kDate: return StrCat("{\"date\":", JsonString(FormatDate(t.date())), "}");
    case TermKind::kQuantity:
      return StrCat("{\"quantity\":", JsonString(t.text()), ",\"unit\":", JsonString(t.extra()), "}");
    case TermKind::kClaim:
      return StrCat("{\"claim\":{\"s\":", JsonTerm(t.subject()), ",\"p\":", JsonTerm(t.predicate()),
                    ",\"o\":", JsonTerm(t.object()), "}}");
    case TermKind::kBlankNode: return StrCat("{\"blank\":", JsonString(t.text()), "}");
    case TermKind::kTypedLiteral:
      return StrCat("{\"literal\":", JsonString(t.text()), ",\"datatype\":", JsonString(t.extra()), "}");
  }
  return "null";
}

absl::Status ExportJsonLines(const Snapshot& snap, const std::optional<std::string>& doc_id,
                             std::ostream& out) {
  if (doc_id) return ExportDocument(snap, *doc_id, out);
  KG_ASSIGN_OR_RETURN(auto ids, snap.ListDocuments());
  for (const std::string& id : ids) KG_RETURN_IF_ERROR(ExportDocument(snap, id, out));
  KG_ASSIGN_OR_RETURN(auto entities, snap.ListEntities());
  std::sort(entities.begin(), entities.end(),
            [](const Entity& a, const Entity& b) { return a.name < b.name; });
  for (const Entity& e : entities) {
    std::vector<std::string> aliases;
    for (const auto& a : e.aliases) aliases.push_back(JsonString(a));
    out << "{\"type\":\"entity\",\"name\":" << JsonString(e.name) << ",\"aliases\":"
        << JsonArray(aliases) << ",\"entity_type\":" << JsonString(e.type) << "}\n";
  }
  if (!out) return absl::UnavailableError("write to the export output failed");
  return absl::OkStatus();
}

}  // namespace kg::ingest
