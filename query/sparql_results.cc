// WriteSparqlResults (sparql.h): a SELECT or ASK result in the W3C SPARQL
// 1.1 Query Results formats -- JSON (https://www.w3.org/TR/sparql11-results-json/),
// XML (https://www.w3.org/TR/rdf-sparql-XMLres/), CSV and TSV
// (https://www.w3.org/TR/sparql11-results-csv-tsv/) -- with the SPARQL 1.2
// additions: triple terms ({"type":"triple"} / <triple>) and the base
// direction of a directional language-tagged string ("its:dir").
//
// Terms are written as RDF through kg's mapping (kg/rdf_mapping.h): an
// entity is an IRI under https://w3id.org/kg/entity/, a date an xsd:date
// literal, a claim a triple term. xsd:string literals carry no datatype.
#include <string_view>

#include "kg/json.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "query/sparql.h"

namespace kg::query {
namespace {

constexpr std::string_view kItsNs = "http://www.w3.org/2005/11/its";

std::string_view DirectionName(BaseDirection d) {
  switch (d) {
    case BaseDirection::kLtr:
      return "ltr";
    case BaseDirection::kRtl:
      return "rtl";
    case BaseDirection::kNone:
      break;
  }
  return "";
}

// The datatype a results format writes for `t`, or "" for none: xsd:string
// and the language-tagged string types are implied.
std::string_view ShownDatatype(const RdfTerm& t) {
  if (!t.language.empty() || t.datatype.empty() || t.datatype == kXsdString ||
      t.datatype == kRdfLangString || t.datatype == kRdfDirLangString) {
    return "";
  }
  return t.datatype;
}

// ---- JSON ----

std::string JsonTerm(const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      return StrCat("{\"type\":\"uri\",\"value\":", JsonString(t.value), "}");
    case RdfTerm::Kind::kBlankNode:
      return StrCat("{\"type\":\"bnode\",\"value\":", JsonString(t.value), "}");
    case RdfTerm::Kind::kTripleTerm:
      return StrCat("{\"type\":\"triple\",\"value\":{\"subject\":", JsonTerm(t.triple->s),
                    ",\"predicate\":", JsonTerm(t.triple->p), ",\"object\":", JsonTerm(t.triple->o),
                    "}}");
    case RdfTerm::Kind::kLiteral:
      break;
  }
  std::string out = StrCat("{\"type\":\"literal\",\"value\":", JsonString(t.value));
  if (!t.language.empty()) {
    out += StrCat(",\"xml:lang\":", JsonString(t.language));
    if (t.direction != BaseDirection::kNone) {
      out += StrCat(",\"its:dir\":", JsonString(DirectionName(t.direction)));
    }
  }
  if (std::string_view dt = ShownDatatype(t); !dt.empty()) {
    out += StrCat(",\"datatype\":", JsonString(dt));
  }
  return out + "}";
}

// One binding per line, so that a large result reads well in a terminal.
std::string Json(const SparqlResult& r) {
  if (r.form == SparqlResult::Form::kAsk) {
    return StrCat("{\"head\":{},\"boolean\":", r.boolean ? "true" : "false", "}\n");
  }
  std::string out = "{\"head\":{\"vars\":[";
  for (size_t i = 0; i < r.vars.size(); ++i) out += StrCat(i ? "," : "", JsonString(r.vars[i]));
  out += "]},\"results\":{\"bindings\":[";
  for (size_t k = 0; k < r.rows.size(); ++k) {
    out += k ? ",\n{" : "\n{";
    bool first = true;
    for (size_t i = 0; i < r.vars.size() && i < r.rows[k].size(); ++i) {
      if (!r.rows[k][i]) continue;
      out += StrCat(first ? "" : ",", JsonString(r.vars[i]), ":", JsonTerm(ToRdf(*r.rows[k][i])));
      first = false;
    }
    out += "}";
  }
  return out + (r.rows.empty() ? "]}}\n" : "\n]}}\n");
}

// ---- XML ----

// `s` as XML character data, or as an attribute value with `attribute`.
// XML 1.0 cannot hold the other C0 control characters even as references:
// they become U+FFFD.
std::string XmlEscape(std::string_view s, bool attribute = false) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#13;";
        break;  // kept through end-of-line handling
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string XmlTerm(const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      return StrCat("<uri>", XmlEscape(t.value), "</uri>");
    case RdfTerm::Kind::kBlankNode:
      return StrCat("<bnode>", XmlEscape(t.value), "</bnode>");
    case RdfTerm::Kind::kTripleTerm:
      return StrCat("<triple><subject>", XmlTerm(t.triple->s), "</subject><predicate>",
                    XmlTerm(t.triple->p), "</predicate><object>", XmlTerm(t.triple->o),
                    "</object></triple>");
    case RdfTerm::Kind::kLiteral:
      break;
  }
  std::string out = "<literal";
  if (!t.language.empty()) {
    out += StrCat(" xml:lang=\"", XmlEscape(t.language, true), "\"");
    if (t.direction != BaseDirection::kNone) {
      out += StrCat(" its:dir=\"", DirectionName(t.direction), "\"");
    }
  }
  if (std::string_view dt = ShownDatatype(t); !dt.empty()) {
    out += StrCat(" datatype=\"", XmlEscape(dt, true), "\"");
  }
  return StrCat(out, ">", XmlEscape(t.value), "</literal>");
}

std::string Xml(const SparqlResult& r) {
  std::string out =
      "<?xml version=\"1.0\"?>\n"
      "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"";
  if (r.form == SparqlResult::Form::kAsk) {
    return StrCat(out, ">\n  <head/>\n  <boolean>", r.boolean ? "true" : "false",
                  "</boolean>\n</sparql>\n");
  }
  out += StrCat(" xmlns:its=\"", kItsNs, "\">\n  <head>\n");
  for (const std::string& v : r.vars)
    out += StrCat("    <variable name=\"", XmlEscape(v, true), "\"/>\n");
  out += "  </head>\n  <results>\n";
  for (const auto& row : r.rows) {
    out += "    <result>\n";
    for (size_t i = 0; i < r.vars.size() && i < row.size(); ++i) {
      if (!row[i]) continue;
      out += StrCat("      <binding name=\"", XmlEscape(r.vars[i], true), "\">",
                    XmlTerm(ToRdf(*row[i])), "</binding>\n");
    }
    out += "    </result>\n";
  }
  return out + "  </results>\n</sparql>\n";
}

// ---- TSV and CSV ----

// `t` in the SPARQL / Turtle syntax TSV uses: <iri>, _:label, "text"@en,
// "text"^^<datatype>, integers, decimals and booleans bare, triple terms as
// <<( s p o )>>.
std::string TsvTerm(const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri: {
      std::string out = "<";
      for (char c : t.value) {
        // Characters an IRIREF cannot hold, as UCHARs.
        if (static_cast<unsigned char>(c) <= 0x20 ||
            std::string_view("<>\"{}|^`\\").find(c) != std::string_view::npos) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          StrAppend(&out, "\\u00", kHex[(c >> 4) & 15], kHex[c & 15]);
        } else {
          out.push_back(c);
        }
      }
      return out + ">";
    }
    case RdfTerm::Kind::kBlankNode:
      return StrCat("_:", t.value);
    case RdfTerm::Kind::kTripleTerm:
      return StrCat("<<( ", TsvTerm(t.triple->s), " ", TsvTerm(t.triple->p), " ",
                    TsvTerm(t.triple->o), " )>>");
    case RdfTerm::Kind::kLiteral:
      break;
  }
  const std::string_view dt = ShownDatatype(t);
  auto all = [](std::string_view s, std::string_view set) {
    return !s.empty() && s.find_first_not_of(set) == std::string_view::npos;
  };
  std::string_view digits = t.value;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  const size_t dot = digits.find('.');
  if ((dt == StrCat(kXsdNs, "integer") && all(digits, "0123456789")) ||
      (dt == StrCat(kXsdNs, "decimal") && dot != std::string_view::npos &&
       all(digits.substr(dot + 1), "0123456789") &&
       (dot == 0 || all(digits.substr(0, dot), "0123456789"))) ||
      (dt == StrCat(kXsdNs, "boolean") && (t.value == "true" || t.value == "false"))) {
    return t.value;
  }
  std::string out = "\"";
  for (char c : t.value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
  out += "\"";
  if (!t.language.empty()) {
    out += StrCat("@", t.language);
    if (t.direction != BaseDirection::kNone) out += StrCat("--", DirectionName(t.direction));
  } else if (!dt.empty()) {
    out += StrCat("^^", TsvTerm(RdfTerm::Iri(std::string(dt))));
  }
  return out;
}

std::string Tsv(const SparqlResult& r) {
  if (r.form == SparqlResult::Form::kAsk) {
    return StrCat("?boolean\n", r.boolean ? "true" : "false", "\n");
  }
  std::string out;
  for (size_t i = 0; i < r.vars.size(); ++i) out += StrCat(i ? "\t?" : "?", r.vars[i]);
  out += "\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < r.vars.size(); ++i) {
      if (i) out += "\t";
      if (i < row.size() && row[i]) out += TsvTerm(ToRdf(*row[i]));
    }
    out += "\n";
  }
  return out;
}

// A CSV field (RFC 4180): quoted when it holds a quote, comma or line break.
std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string_view("\"\"") : std::string_view(&c, 1);
  return out + "\"";
}

// CSV loses the kind of a term: an IRI and a literal of the same text look
// alike, and literals lose language and datatype (the format's choice).
// Triple terms are written as in TSV.
std::string CsvTerm(const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
    case RdfTerm::Kind::kLiteral:
      return t.value;
    case RdfTerm::Kind::kBlankNode:
      return StrCat("_:", t.value);
    case RdfTerm::Kind::kTripleTerm:
      return TsvTerm(t);
  }
  return "";
}

std::string Csv(const SparqlResult& r) {
  if (r.form == SparqlResult::Form::kAsk) {
    return StrCat("boolean\r\n", r.boolean ? "true" : "false", "\r\n");
  }
  std::string out;
  for (size_t i = 0; i < r.vars.size(); ++i) out += StrCat(i ? "," : "", CsvField(r.vars[i]));
  out += "\r\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < r.vars.size(); ++i) {
      if (i) out += ",";
      if (i < row.size() && row[i]) out += CsvField(CsvTerm(ToRdf(*row[i])));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

std::string WriteSparqlResults(const SparqlResult& result, SparqlResultsFormat format) {
  switch (format) {
    case SparqlResultsFormat::kJson:
      return Json(result);
    case SparqlResultsFormat::kXml:
      return Xml(result);
    case SparqlResultsFormat::kCsv:
      return Csv(result);
    case SparqlResultsFormat::kTsv:
      return Tsv(result);
  }
  return "";
}

}  // namespace kg::query
