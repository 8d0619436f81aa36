#include "cli/browse.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "ingest/json_export.h"
#include "kg/closest_name.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "kg/verdict.h"
#include "kg/utf8.h"
#include "query/query.h"
#include "query/result_json.h"

namespace kg::cli {
namespace {

using ingest::JsonString;
using query::Cell;
using query::JsonRows;
using query::Result;

constexpr const char* kRelations[] = {"cites", "reports", "quotes", "derived_from"};

Cell Text(std::string s) { return query::TextCell(std::move(s)); }
Cell Number(uint64_t n) { return query::NumberCell(static_cast<int64_t>(n)); }
Cell List(std::vector<std::string> items) {
  Cell c = query::ListCell(std::move(items));
  if (c.items.empty()) c.type = Cell::Type::kNull;
  return c;
}

std::unique_ptr<Store> OpenForReading(const std::string& db, std::ostream& err) {
  return OpenStore(db, /*create=*/false, err);
}

int Fail(const absl::Status& s, std::ostream& err) {
  err << "kg: " << s.message() << "\n";
  return 1;
}

// A Result in one of the query formats.
void Print(const Result& r, const BrowseOptions& o, std::ostream& out) {
  RenderOptions ro;
  ro.format = ParseFormat(o.format).value_or(Format::kTable);
  ro.width = OutputWidth(o.width);
  Render(r, ro, out);
}

std::string JsonStrings(const std::vector<std::string>& v) {
  return query::CellJson(query::ListCell(v));
}

std::string Oneline(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

std::string DocName(const std::string& id) { return StrCat("doc:", id); }

// What a stored document says: the claims it gives evidence for and that
// evidence, apart from the statements about the document itself (its
// citation links, mentions and metadata, stored as claims with the document
// as subject), counted as `about_itself`. kg docs and kg show count alike.
struct DocumentCounts {
  uint64_t claims = 0, evidence = 0, about_itself = 0;
};

absl::StatusOr<DocumentCounts> CountDocument(const Snapshot& snap, const std::string& id,
                                             const std::vector<EvidenceEntry>& evidence) {
  DocumentCounts n;
  absl::flat_hash_set<TermId> claims;
  auto self_id = snap.IdOf(Term::Document(id));
  if (!self_id.ok()) return self_id.status();
  const TermId self = *self_id;
  for (const EvidenceEntry& e : evidence) {
    auto triple = snap.ClaimTriple(e.claim);
    if (!triple.ok()) return triple.status();
    if (triple->s == self) {
      ++n.about_itself;
      continue;
    }
    claims.insert(e.claim);
    ++n.evidence;
  }
  n.claims = claims.size();
  return n;
}

// A yes/no cell: text for people, a JSON boolean for programs.
Cell YesNo(bool yes, std::string text) {
  Cell c = Text(std::move(text));
  c.json = yes ? "true" : "false";
  return c;
}

}  // namespace

std::string StripDocPrefix(const std::string& id) {
  return id.rfind("doc:", 0) == 0 ? id.substr(4) : id;
}

// ---------------------------------------------------------------- kg docs

int RunDocs(const std::string& db, const BrowseOptions& options, std::ostream& out,
            std::ostream& err) {
  auto store = OpenForReading(db, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto ids = snap->ListDocuments();
  if (!ids.ok()) return Fail(ids.status(), err);
  Result r;
  r.columns = {"document", "title",    "publisher",   "date",
               "stored",   "claims",   "evidence",    "about itself"};
  std::set<std::string> stored(ids->begin(), ids->end());
  std::set<std::string> cited;
  for (const std::string& id : *ids) {
    auto doc = snap->GetDocument(id);
    if (!doc.ok()) return Fail(doc.status(), err);
    if (!doc->has_value()) continue;  // removed since the listing: same snapshot, cannot happen
    auto evidence = snap->EvidenceInDocument(id);
    if (!evidence.ok()) return Fail(evidence.status(), err);
    for (const EvidenceEntry& e : *evidence) {
      for (const Term& v : e.evidence.via) {
        if (v.kind() == TermKind::kDocument && !stored.contains(v.text())) cited.insert(v.text());
      }
    }
    auto counts = CountDocument(*snap, id, *evidence);
    if (!counts.ok()) return Fail(counts.status(), err);
    const Document& d = **doc;
    r.rows.push_back({Text(DocName(id)), Text(Oneline(d.title)), Text(d.publisher),
                      Text(d.date ? FormatDate(*d.date) : ""), YesNo(true, "yes"),
                      Number(counts->claims), Number(counts->evidence),
                      Number(counts->about_itself)});
  }
  for (const char* relation : kRelations) {
    TriplePattern q;
    auto p = snap->IdOf(Term::Entity(relation));
    if (!p.ok()) return Fail(p.status(), err);
    q.p = *p;
    TripleCursor c = snap->Scan(q);
    for (; c.Valid(); c.Next()) {
      auto target = snap->Decode(c.triple().o);
      if (!target.ok()) return Fail(target.status(), err);
      if (target->kind() == TermKind::kDocument && !stored.contains(target->text())) {
        cited.insert(target->text());
      }
    }
    if (!c.status().ok()) return Fail(c.status(), err);
  }
  for (const std::string& id : cited) {
    r.rows.push_back({Text(DocName(id)), Text(""), Text(""), Text(""),
                      YesNo(false, "no (cited only)"), Number(0), Number(0), Number(0)});
  }
  r.summary = StrCat(stored.size(), " stored, ", cited.size(), " known only from citations");
  if (options.format == "json") {
    out << "{\"documents\":" << JsonRows(r) << ",\"stored\":" << stored.size()
        << ",\"cited_only\":" << cited.size() << "}\n";
  } else {
    BrowseOptions o = options;
    if (o.format == "text") o.format = "table";
    Print(r, o, out);
  }
  return 0;
}

// ---------------------------------------------------------------- kg show

namespace {

struct Excerpt {
  uint64_t start = 0, end = 0;  // the span asked for, in code points
  uint64_t from = 0, to = 0;    // with its context
  std::string before, inside, after;
};

std::optional<Excerpt> Around(const std::string& text, uint64_t start, uint64_t end,
                              uint64_t context) {
  const uint64_t n = CountCodePoints(text);
  if (start > end || end > n) return std::nullopt;
  Excerpt x;
  x.start = start;
  x.end = end;
  x.from = start > context ? start - context : 0;
  x.to = n - end > context ? end + context : n;  // no overflow for a huge context
  auto before = SliceCodePoints(text, x.from, start);
  auto inside = SliceCodePoints(text, start, end);
  auto after = SliceCodePoints(text, end, x.to);
  if (!before || !inside || !after) return std::nullopt;
  x.before = std::string(*before);
  x.inside = std::string(*inside);
  x.after = std::string(*after);
  return x;
}

struct LinkRow {
  std::string direction, relation, other, quote;
};

}  // namespace

int RunShow(const std::string& db, const std::string& id_arg, const ShowOptions& options,
            std::ostream& out, std::ostream& err) {
  const std::string id = StripDocPrefix(id_arg);
  auto store = OpenForReading(db, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto doc = snap->GetDocument(id);
  if (!doc.ok()) return Fail(doc.status(), err);
  const Term self = Term::Document(id);
  std::vector<LinkRow> links;
  if (doc->has_value()) {
    for (const DocumentLink& l : (*doc)->links) {
      links.push_back({"out", std::string(RelationName(l.relation)), l.target.ToString(),
                       Oneline(l.quote)});
    }
  }
  for (const char* relation : kRelations) {
    TriplePattern q;
    auto p = snap->IdOf(Term::Entity(relation));
    auto o = snap->IdOf(self);
    if (!p.ok() || !o.ok()) return Fail(p.ok() ? o.status() : p.status(), err);
    q.p = *p;
    q.o = *o;
    TripleCursor c = snap->Scan(q);
    for (; c.Valid(); c.Next()) {
      auto source = snap->Decode(c.triple().s);
      if (!source.ok()) return Fail(source.status(), err);
      links.push_back({"in", relation, source->ToString(), ""});
    }
    if (!c.status().ok()) return Fail(c.status(), err);
  }
  if (!doc->has_value() && links.empty()) {
    auto all = snap->ListDocuments();
    std::vector<std::string_view> names;
    if (all.ok()) names.assign(all->begin(), all->end());
    const std::string_view near = ClosestName(id, names);
    err << "kg: no document doc:" << id << " is stored or cited"
        << (near.empty() ? std::string() : StrCat("; did you mean doc:", near, "?"))
        << " (kg docs lists them)\n";
    return 1;
  }
  const Document empty;
  const Document& d = doc->has_value() ? **doc : empty;
  // The excerpts asked for.
  std::vector<Excerpt> excerpts;
  if (!options.around.empty()) {
    unsigned long long a = 0, b = 0;
    char tail = 0;
    if (std::sscanf(options.around.c_str(), "%llu:%llu%c", &a, &b, &tail) != 2 || a > b) {
      err << "kg: --around wants START:END in code points (e.g. 19060:19126), got '"
          << options.around << "'\n";
      return 2;
    }
    auto x = Around(d.text, a, b, options.context);
    if (!x) {
      err << "kg: --around " << options.around << " is outside the text of doc:" << id << " ("
          << CountCodePoints(d.text) << " code points)\n";
      return 1;
    }
    excerpts.push_back(*std::move(x));
  }
  if (!options.quote.empty()) {
    for (size_t at = d.text.find(options.quote); at != std::string::npos;
         at = d.text.find(options.quote, at + 1)) {
      const uint64_t start = CountCodePoints(std::string_view(d.text).substr(0, at));
      auto x = Around(d.text, start, start + CountCodePoints(options.quote), options.context);
      if (x) excerpts.push_back(*std::move(x));
    }
    if (excerpts.empty()) {
      err << "kg: the text of doc:" << id << " does not contain \"" << options.quote << "\"\n";
      return 1;
    }
  }
  auto evidence = snap->EvidenceInDocument(id);
  if (!evidence.ok()) return Fail(evidence.status(), err);
  auto counts = CountDocument(*snap, id, *evidence);
  if (!counts.ok()) return Fail(counts.status(), err);

  const std::string date = d.date ? FormatDate(*d.date) : "";
  if (options.output.format == "json") {
    out << "{\"document\":" << JsonString(DocName(id))
        << ",\"stored\":" << (doc->has_value() ? "true" : "false")
        << ",\"title\":" << JsonString(d.title) << ",\"publisher\":" << JsonString(d.publisher)
        << ",\"authors\":" << JsonStrings(d.authors)
        << ",\"date\":" << (date.empty() ? "null" : JsonString(date))
        << ",\"url\":" << JsonString(d.url) << ",\"type\":" << JsonString(d.type)
        << ",\"sha256\":" << JsonString(d.sha256)
        << ",\"text_code_points\":" << CountCodePoints(d.text)
        << ",\"claims\":" << counts->claims << ",\"evidence\":" << counts->evidence
        << ",\"about_itself\":" << counts->about_itself
        << ",\"links\":[";
    for (size_t i = 0; i < links.size(); ++i) {
      out << (i ? "," : "") << "{\"direction\":" << JsonString(links[i].direction)
          << ",\"relation\":" << JsonString(links[i].relation)
          << ",\"document\":" << JsonString(links[i].other)
          << ",\"quote\":" << JsonString(links[i].quote) << "}";
    }
    out << "],\"excerpts\":[";
    for (size_t i = 0; i < excerpts.size(); ++i) {
      const Excerpt& x = excerpts[i];
      out << (i ? "," : "") << "{\"start\":" << x.start << ",\"end\":" << x.end
          << ",\"from\":" << x.from << ",\"to\":" << x.to
          << ",\"before\":" << JsonString(x.before) << ",\"text\":" << JsonString(x.inside)
          << ",\"after\":" << JsonString(x.after) << "}";
    }
    out << "]";
    if (options.text) out << ",\"text\":" << JsonString(d.text);
    out << "}\n";
    return 0;
  }
  if (options.output.format != "text") {
    Result r;
    r.columns = {"direction", "relation", "document", "quote"};
    for (const LinkRow& l : links) {
      r.rows.push_back({Text(l.direction), Text(l.relation), Text(l.other), Text(l.quote)});
    }
    r.summary = StrCat("citations of doc:", id);
    Print(r, options.output, out);
    return 0;
  }
  out << "doc:" << id << (doc->has_value() ? "" : "  (not stored: known only from citations)")
      << "\n";
  auto field = [&](const char* name, const std::string& value) {
    if (!value.empty()) out << "  " << name << ": " << value << "\n";
  };
  field("title", Oneline(d.title));
  field("publisher", d.publisher);
  std::string authors;
  for (const std::string& a : d.authors) authors += (authors.empty() ? "" : "; ") + a;
  field("authors", authors);
  field("date", date);
  field("type", d.type);
  field("url", d.url);
  if (doc->has_value()) {
    field("text", StrCat(CountCodePoints(d.text), " code points, sha256 ", d.sha256));
    field("claims", StrCat(counts->claims, " (", counts->evidence, " pieces of evidence; ",
                           counts->about_itself, " more about the document itself: its links, "
                           "mentions and metadata)"));
  }
  for (const char* direction : {"out", "in"}) {
    size_t n = 0;
    for (const LinkRow& l : links) n += l.direction == direction;
    out << (std::string_view(direction) == "out" ? "cites, reports, quotes, derives from ("
                                                 : "cited, reported, quoted or derived by (")
        << n << "):\n";
    for (const LinkRow& l : links) {
      if (l.direction != direction) continue;
      out << "  " << l.relation << " " << l.other;
      if (!l.quote.empty()) out << "  \"" << l.quote << "\"";
      out << "\n";
    }
  }
  for (const Excerpt& x : excerpts) {
    out << "\ntext [" << x.from << "," << x.to << ") around [" << x.start << "," << x.end
        << "), the span between >>> and <<<:\n"
        << x.before << ">>>" << x.inside << "<<<" << x.after << "\n";
  }
  if (options.text) out << "\n" << d.text << (d.text.empty() || d.text.back() != '\n' ? "\n" : "");
  return 0;
}

// ---------------------------------------------------------------- kg entity and kg claims

namespace {

// Suggests a declared entity for a name that resolves to none.
std::string NoSuchEntity(const Snapshot& snap, const std::string& name) {
  std::string message = StrCat("no entity or alias is named '", name, "'");
  auto all = snap.ListEntities();
  if (!all.ok()) return message;
  std::vector<std::string_view> names;
  for (const Entity& e : *all) {
    names.push_back(e.name);
    for (const std::string& a : e.aliases) names.push_back(a);
  }
  const std::string_view near = ClosestName(name, names);
  if (!near.empty()) message += StrCat("; did you mean '", near, "'?");
  return message;
}

std::string PrimaryOf(const EvidenceEntry& e) {
  const Evidence& ev = e.evidence;
  return ev.agent ? ev.agent->ToString() : !ev.via.empty() ? ev.via.back().ToString()
                                                           : DocName(e.document_id);
}

std::vector<std::string> QualifiersOf(const Evidence& ev) {
  std::vector<std::string> q;
  for (const Qualifier& x : ev.qualifiers) q.push_back(StrCat(x.key, "=", x.value.ToString()));
  return q;
}

// A row of kClaimColumns: one piece of evidence for `claim`.
std::vector<Cell> EvidenceRow(const Term& claim, const EvidenceEntry& e) {
  const Evidence& ev = e.evidence;
  std::vector<std::string> via;
  for (const Term& v : ev.via) via.push_back(v.ToString());
  // A verdict rates the claim: no hedge or stance, and not a source.
  if (std::optional<Verdict> v = VerdictOf(ev)) {
    return {Text(claim.ToString()), Text(DocName(e.document_id)), Text(""),
            Text(StrCat("verdict: ", RatingName(v->rating))), Text(v->reviewer.ToString()),
            List({}), Text(""), Text(Oneline(ev.quote)), List(QualifiersOf(ev))};
  }
  return {Text(claim.ToString()), Text(DocName(e.document_id)),
          Text(std::string(HedgeName(ev.hedge))),
          Text(ev.negated ? "negates" : std::string(StanceName(ev.stance))),
          Text(ev.agent ? ev.agent->ToString() : ""), List(via), Text(PrimaryOf(e)),
          Text(Oneline(ev.quote)), List(QualifiersOf(ev))};
}

// One row per piece of evidence of every claim with `id` as subject or
// object (role "subject"/"object"), appended to `r`.
absl::Status ClaimRows(const Snapshot& snap, const TermId& id, bool with_role, Result& r,
                       uint64_t* claims) {
  for (bool as_subject : {true, false}) {
    TriplePattern q;
    (as_subject ? q.s : q.o) = id;
    TripleCursor c = snap.Scan(q);
    for (; c.Valid(); c.Next()) {
      const Triple& t = c.triple();
      if (!as_subject && t.s == id) continue;  // listed with the subjects
      auto claim_id = snap.ClaimIdOf(t);
      if (!claim_id.ok()) return claim_id.status();
      const TermId claim = *claim_id;
      auto term = snap.Decode(claim);
      if (!term.ok()) return term.status();
      auto evidence = snap.EvidenceFor(claim);
      if (!evidence.ok()) return evidence.status();
      ++*claims;
      for (const EvidenceEntry& e : *evidence) {
        std::vector<Cell> row = EvidenceRow(*term, e);
        if (with_role) row.insert(row.begin(), Text(as_subject ? "subject" : "object"));
        r.rows.push_back(std::move(row));
      }
    }
    if (!c.status().ok()) return c.status();
  }
  return absl::OkStatus();
}

// The entities `name` names (canonical or alias); reports none on `err`
// with a suggestion.
std::optional<std::vector<TermId>> ResolveEntity(const Snapshot& snap, const std::string& name,
                                                 std::ostream& err) {
  auto ids = snap.Resolve(name);
  if (!ids.ok()) {
    Fail(ids.status(), err);
    return std::nullopt;
  }
  if (ids->empty()) {
    err << "kg: " << NoSuchEntity(snap, name) << "\n";
    return std::nullopt;
  }
  return *std::move(ids);
}

const std::vector<std::string> kClaimColumns = {"claim", "document", "hedge", "stance", "agent",
                                                "via", "primary source", "quote", "qualifiers"};

}  // namespace

int RunClaims(const std::string& db, const std::string& name, const BrowseOptions& options,
              std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(db, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto ids = ResolveEntity(*snap, name, err);
  if (!ids) return 1;
  Result r;
  r.columns = kClaimColumns;
  uint64_t claims = 0;
  for (const TermId& id : *ids) {
    if (absl::Status s = ClaimRows(*snap, id, /*with_role=*/false, r, &claims); !s.ok()) {
      return Fail(s, err);
    }
  }
  r.summary = StrCat(claims, " claim(s) about ", name);
  if (options.format != "text") {
    Print(r, options, out);
    return 0;
  }
  // The text form: each claim, then its evidence, indented.
  std::string last;
  for (const auto& row : r.rows) {
    if (row[0].text != last) out << "claim " << row[0].text << "\n";
    last = row[0].text;
    out << "  evidence in " << row[1].text << " hedge=" << row[2].text << " stance=" << row[3].text;
    if (!row[4].text.empty()) out << " agent=" << row[4].text;
    for (const std::string& v : row[5].items) out << " via=" << v;
    if (!row[7].text.empty()) out << "\n    \"" << row[7].text << "\"";
    out << "\n    primary source: " << row[6].text << "\n";
    for (const std::string& q : row[8].items) out << "    " << q << "\n";
  }
  out << r.summary << "\n";
  return 0;
}

int RunEntity(const std::string& db, const std::string& name, const BrowseOptions& options,
              std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(db, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto ids = ResolveEntity(*snap, name, err);
  if (!ids) return 1;
  std::string json;
  // csv and tree: one table of every row, with the entity and its role
  // (subject, object, or agent: what it says).
  Result all;
  all.columns = kClaimColumns;
  all.columns.insert(all.columns.begin(), {"entity", "role"});
  for (const TermId& id : *ids) {
    auto term = snap->Decode(id);
    auto entity = snap->GetEntity(id);
    if (!term.ok()) return Fail(term.status(), err);
    if (!entity.ok()) return Fail(entity.status(), err);
    const std::string canonical = term->ToString();
    const std::vector<std::string> aliases =
        entity->has_value() ? (*entity)->aliases : std::vector<std::string>();
    const std::string type = entity->has_value() ? (*entity)->type : "";
    Result claims;
    claims.columns = kClaimColumns;
    claims.columns.insert(claims.columns.begin(), "role");
    uint64_t n = 0;
    if (absl::Status s = ClaimRows(*snap, id, /*with_role=*/true, claims, &n); !s.ok()) {
      return Fail(s, err);
    }
    // What this source says: evidence whose agent is the entity. There is
    // no index by agent; this reads every document's evidence once.
    Result said;
    said.columns = kClaimColumns;
    auto docs = snap->ListDocuments();
    if (!docs.ok()) return Fail(docs.status(), err);
    absl::flat_hash_set<TermId> said_claims;
    for (const std::string& d : *docs) {
      auto evidence = snap->EvidenceInDocument(d);
      if (!evidence.ok()) return Fail(evidence.status(), err);
      for (const EvidenceEntry& e : *evidence) {
        if (!e.evidence.agent) continue;
        auto agent = snap->IdOf(*e.evidence.agent);
        if (!agent.ok()) return Fail(agent.status(), err);
        if (!(*agent == id)) continue;
        auto claim = snap->Decode(e.claim);
        if (!claim.ok()) return Fail(claim.status(), err);
        said_claims.insert(e.claim);
        said.rows.push_back(EvidenceRow(*claim, e));
      }
    }
    claims.summary = StrCat(n, " claim(s) with ", canonical, " as subject or object");
    said.summary = StrCat(said_claims.size(), " claim(s) attributed to ", canonical, " (agent)");
    for (const auto& row : claims.rows) {
      all.rows.push_back(row);
      all.rows.back().insert(all.rows.back().begin(), Text(canonical));
    }
    for (const auto& row : said.rows) {
      all.rows.push_back(row);
      all.rows.back().insert(all.rows.back().begin(), {Text(canonical), Text("agent")});
    }
    if (options.format == "csv" || options.format == "tree") continue;
    if (options.format == "json") {
      json += StrCat(json.empty() ? "" : ",", "{\"entity\":", JsonString(canonical),
                     ",\"aliases\":", JsonStrings(aliases), ",\"type\":",
                     type.empty() ? std::string("null") : JsonString(type),
                     ",\"claims\":", JsonRows(claims), ",\"claim_count\":", n,
                     ",\"agent_of\":", JsonRows(said), ",\"agent_of_count\":", said_claims.size(),
                     "}");
      continue;
    }
    std::string alias_text;
    for (const std::string& a : aliases) alias_text += (alias_text.empty() ? "" : ", ") + a;
    out << "entity " << canonical << "\n  type: " << (type.empty() ? "(none)" : type)
        << "\n  aliases: " << (alias_text.empty() ? "(none)" : alias_text) << "\n\n"
        << "claims about " << canonical << ":\n";
    BrowseOptions o = options;
    if (o.format == "text") o.format = "table";
    Print(claims, o, out);
    out << "\nwhat " << canonical << " says (evidence with it as the agent):\n";
    Print(said, o, out);
  }
  if (options.format == "json") {
    // One shape whatever the data: a name may name several entities.
    out << "{\"name\":" << JsonString(name) << ",\"entities\":[" << json << "]}\n";
  } else if (options.format == "csv" || options.format == "tree") {
    all.summary = StrCat("'", name, "' names ", ids->size(), " entit",
                         ids->size() == 1 ? "y" : "ies");
    Print(all, options, out);
  } else if (ids->size() > 1) {
    out << "\n'" << name << "' names " << ids->size() << " entities\n";
  }
  return 0;
}

// ---------------------------------------------------------------- kg stats

int RunStats(const std::string& db, bool storage, const BrowseOptions& options,
             std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(db, err);
  if (!store) return 1;
  auto snap = store->NewSnapshot();
  auto totals = snap->Totals();
  auto preds = snap->AllPredicateStats();
  if (!totals.ok()) return Fail(totals.status(), err);
  if (!preds.ok()) return Fail(preds.status(), err);
  // Sources: everything the documents cite, report, quote or derive from
  // (documents, URLs, agents), counted once each.
  absl::flat_hash_set<TermId> sources;
  for (const char* relation : kRelations) {
    TriplePattern q;
    auto p = snap->IdOf(Term::Entity(relation));
    if (!p.ok()) return Fail(p.status(), err);
    q.p = *p;
    TripleCursor c = snap->Scan(q);
    for (; c.Valid(); c.Next()) sources.insert(c.triple().o);
    if (!c.status().ok()) return Fail(c.status(), err);
  }
  Result per_predicate;
  per_predicate.columns = {"predicate", "triples", "subjects", "objects"};
  for (const auto& [p, st] : *preds) {
    auto term = snap->Decode(p);
    per_predicate.rows.push_back({Text(term.ok() ? term->ToString() : p.ToHex()),
                                  Number(st.triples), Number(st.distinct_subjects),
                                  Number(st.distinct_objects)});
  }
  Result families;
  families.columns = {"column family", "bytes in table files", "MiB", "keys", "bytes per key"};
  if (storage) {
    auto use = store->StorageUse();
    if (!use.ok()) return Fail(use.status(), err);
    uint64_t bytes = 0, keys = 0;
    for (const auto& u : *use) bytes += u.file_bytes, keys += u.estimated_keys;
    auto row = [&](const std::string& name, uint64_t b, uint64_t k) {
      char mib[32], per_key[32];
      std::snprintf(mib, sizeof mib, "%.1f", b / 1048576.0);
      std::snprintf(per_key, sizeof per_key, "%.1f", k == 0 ? 0.0 : double(b) / double(k));
      Cell m = Text(mib), pk = Text(per_key);
      m.type = pk.type = Cell::Type::kNumber;
      families.rows.push_back({Text(name), Number(b), m, Number(k), pk});
    };
    for (const auto& u : *use) row(u.name, u.file_bytes, u.estimated_keys);
    row("total", bytes, keys);
  }
  if (options.format == "json") {
    out << "{\"documents\":" << totals->documents << ",\"claims\":" << totals->triples
        << ",\"evidence\":" << totals->evidence << ",\"sources\":" << sources.size()
        << ",\"predicates\":" << totals->predicates
        << ",\"per_predicate\":" << JsonRows(per_predicate);
    if (storage) out << ",\"storage\":" << JsonRows(families);
    out << "}\n";
    return 0;
  }
  if (options.format != "text") {
    Result t;
    t.columns = {"total", "count"};
    t.rows = {{Text("documents"), Number(totals->documents)},
              {Text("claims"), Number(totals->triples)},
              {Text("evidence"), Number(totals->evidence)},
              {Text("sources"), Number(sources.size())},
              {Text("predicates"), Number(totals->predicates)}};
    Print(t, options, out);
    if (options.format == "csv") out << "\r\n";
    Print(per_predicate, options, out);
    if (storage) {
      if (options.format == "csv") out << "\r\n";
      Print(families, options, out);
    }
    return 0;
  }
  out << "documents  " << totals->documents << "\nclaims     " << totals->triples
      << "\nevidence   " << totals->evidence << "\nsources    " << sources.size()
      << "\npredicates " << totals->predicates << "\n\npredicate\ttriples\tsubjects\tobjects\n";
  for (const auto& row : per_predicate.rows) {
    out << row[0].text << "\t" << row[1].text << "\t" << row[2].text << "\t" << row[3].text
        << "\n";
  }
  if (storage) {
    out << "\ncolumn family\tbytes in table files\tMiB\tkeys\tbytes per key\n";
    for (const auto& row : families.rows) {
      out << row[0].text << "\t" << row[1].text << "\t" << row[2].text << "\t" << row[3].text
          << "\t" << row[4].text << "\n";
    }
  }
  return 0;
}

}  // namespace kg::cli
