// `kg sparql` (commands.h): one SPARQL query, its result as a table for
// people, SPARQL JSON / XML / CSV / TSV results for programs, or a graph as
// Turtle or N-Triples.
#include <sstream>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "ingest/rdf/rdf_export.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "query/sparql.h"

namespace kg::cli {
namespace {

// A term as a person reads it in a table: kg's namespaces as prefixes
// (kge:Iran, kgd:wsj-2025, kg:claimed), other IRIs in <>, literals in
// Turtle's short forms.
std::string TermText(const Term& t) {
  const RdfTerm r = ToRdf(t);
  switch (r.kind) {
    case RdfTerm::Kind::kIri:
      for (auto [prefix, ns] : {std::pair{"kge:", kKgEntityNs}, std::pair{"kgd:", kKgDocNs},
                                std::pair{"kg:", kKgVocabNs}}) {
        if (std::string_view(r.value).starts_with(ns)) {
          return StrCat(prefix, std::string_view(r.value).substr(ns.size()));
        }
      }
      return StrCat("<", r.value, ">");
    case RdfTerm::Kind::kBlankNode: return StrCat("_:", r.value);
    case RdfTerm::Kind::kTripleTerm:
      return StrCat("<<( ", TermText(t.subject()), " ", TermText(t.predicate()), " ",
                    TermText(t.object()), " )>>");
    case RdfTerm::Kind::kLiteral: break;
  }
  if (t.kind() == TermKind::kInteger || t.kind() == TermKind::kDecimal) return r.value;
  std::string out = StrCat("\"", r.value, "\"");
  if (!r.language.empty()) {
    StrAppend(&out, "@", r.language);
    if (r.direction == BaseDirection::kLtr) out += "--ltr";
    if (r.direction == BaseDirection::kRtl) out += "--rtl";
  } else if (!r.datatype.empty() && r.datatype != kXsdString) {
    constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
    if (std::string_view(r.datatype).starts_with(kXsd)) {
      StrAppend(&out, "^^xsd:", std::string_view(r.datatype).substr(kXsd.size()));
    } else {
      StrAppend(&out, "^^<", r.datatype, ">");
    }
  }
  return out;
}

query::Result AsTable(const query::SparqlResult& r) {
  query::Result table;
  if (r.form == query::SparqlResult::Form::kAsk) {
    table.columns = {"boolean"};
    table.rows.push_back({query::TextCell(r.boolean ? "true" : "false")});
    return table;
  }
  table.columns = r.vars;
  for (const auto& row : r.rows) {
    std::vector<query::Cell> cells;
    for (const auto& v : row) {
      // An explained plan's cells are plain text.
      cells.push_back(!v ? query::Cell()
                      : r.explain.empty() ? query::TermCell(TermText(*v))
                                          : query::TextCell(v->text()));
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace

int RunSparqlQuery(const std::string& db, const std::string& text,
                   const SparqlCommandOptions& options, std::ostream& out, std::ostream& err) {
  static constexpr std::string_view kFormats[] = {"", "table", "json", "xml", "csv", "tsv", "ttl", "nt"};
  if (std::find(std::begin(kFormats), std::end(kFormats), options.format) == std::end(kFormats)) {
    err << "kg: unknown format '" << options.format << "' (table, json, xml, csv, tsv, ttl or nt)\n";
    return 2;
  }
  auto store = OpenStore(db, /*create=*/false, err);
  if (!store) return 1;
  query::QueryOptions qo;
  qo.max_rows = options.max_rows;
  qo.timeout = absl::Seconds(options.timeout_seconds);
  query::SparqlOptions so;
  so.base = options.base;
  auto result = query::RunSparql(store.get(), text, qo, so);
  if (!result.ok()) {
    PrintQueryError(text, result.status(), err);
    return 1;
  }
  const bool graph = result->form == query::SparqlResult::Form::kGraph;
  const std::string& f = options.format;
  if (graph) {
    if (f != "" && f != "ttl" && f != "nt") {
      err << "kg: a CONSTRUCT or DESCRIBE result is a graph: --format ttl or nt, not " << f << "\n";
      return 2;
    }
    ingest::WriteTriples(result->triples, f != "nt", out);
    return 0;
  }
  if (f == "ttl" || f == "nt") {
    err << "kg: a SELECT or ASK result is a table: --format table, json, xml, csv or tsv, not "
        << f << "\n";
    return 2;
  }
  if (f == "" || f == "table") {
    RenderOptions ro;
    ro.width = OutputWidth(options.width);
    Render(AsTable(*result), ro, out);
    return 0;
  }
  const query::SparqlResultsFormat format = f == "json"  ? query::SparqlResultsFormat::kJson
                                            : f == "xml" ? query::SparqlResultsFormat::kXml
                                            : f == "csv" ? query::SparqlResultsFormat::kCsv
                                                         : query::SparqlResultsFormat::kTsv;
  const std::string text_out = query::WriteSparqlResults(*result, format);
  out << text_out;
  if (!text_out.empty() && text_out.back() != '\n') out << "\n";
  return 0;
}

}  // namespace kg::cli
