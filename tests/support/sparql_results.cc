#include "tests/support/sparql_results.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "ingest/rdf/rdf_reader.h"
#include "kg/iri.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "nlohmann/json.hpp"
#include "tests/support/rdfxml.h"
#include "tests/support/srx.h"

namespace kg::testing {
namespace {

using kg::RdfQuad;
using kg::RdfTerm;

constexpr std::string_view kRs =
    "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";

absl::Status Invalid(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

std::string Xsd(std::string_view local) { return StrCat(kXsdNs, local); }

// --- JSON --------------------------------------------------------------

absl::StatusOr<RdfTerm> JsonTerm(const nlohmann::json& v) {
  if (!v.is_object() || !v.contains("type"))
    return absl::InvalidArgumentError("a value without a type");
  const std::string type = v["type"].get<std::string>();
  if (type == "triple") {
    const nlohmann::json& t = v["value"];
    RdfTerm parts[3];
    const char* names[3] = {"subject", "predicate", "object"};
    for (int i = 0; i < 3; ++i) {
      if (!t.contains(names[i]))
        return absl::InvalidArgumentError("a triple without its " +
                                          std::string(names[i]));
      auto part = JsonTerm(t[names[i]]);
      if (!part.ok()) return part.status();
      parts[i] = *std::move(part);
    }
    return RdfTerm::TripleTerm(parts[0], parts[1], parts[2]);
  }
  const std::string value = v.value("value", "");
  if (type == "uri") return RdfTerm::Iri(value);
  if (type == "bnode") return RdfTerm::BlankNode(value);
  if (type == "literal" || type == "typed-literal") {
    if (v.contains("xml:lang"))
      return RdfTerm::LangLiteral(value, v["xml:lang"].get<std::string>());
    return RdfTerm::Literal(value, v.value("datatype", ""));
  }
  return absl::InvalidArgumentError("unknown value type " + type);
}

// --- TSV ---------------------------------------------------------------

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// One TSV field in Turtle term syntax.
absl::StatusOr<RdfTerm> TsvTerm(std::string_view f) {
  auto bad = [&](std::string_view what) {
    return absl::InvalidArgumentError(StrCat(what, ": ", f));
  };
  if (f.starts_with("<") && f.ends_with(">"))
    return RdfTerm::Iri(std::string(f.substr(1, f.size() - 2)));
  if (f.starts_with("_:")) return RdfTerm::BlankNode(std::string(f.substr(2)));
  if (f.starts_with("<<(")) return bad("triple terms in TSV are not read");
  if (f == "true" || f == "false")
    return RdfTerm::Literal(std::string(f), Xsd("boolean"));
  if (f.starts_with("\"") || f.starts_with("'")) {
    const char quote = f[0];
    std::string lex;
    size_t i = 1;
    for (; i < f.size() && f[i] != quote; ++i) {
      if (f[i] != '\\') {
        lex.push_back(f[i]);
        continue;
      }
      if (++i >= f.size()) return bad("a dangling escape");
      switch (f[i]) {
        case 't':
          lex.push_back('\t');
          break;
        case 'n':
          lex.push_back('\n');
          break;
        case 'r':
          lex.push_back('\r');
          break;
        case 'b':
          lex.push_back('\b');
          break;
        case 'f':
          lex.push_back('\f');
          break;
        case '"':
        case '\'':
        case '\\':
          lex.push_back(f[i]);
          break;
        case 'u':
        case 'U': {
          const size_t n = f[i] == 'u' ? 4 : 8;
          if (i + n >= f.size()) return bad("a short \\u escape");
          AppendUtf8(&lex, static_cast<char32_t>(std::stoul(
                               std::string(f.substr(i + 1, n)), nullptr, 16)));
          i += n;
          break;
        }
        default:
          return bad("an unknown escape");
      }
    }
    if (i >= f.size()) return bad("an unterminated string");
    const std::string_view rest = f.substr(i + 1);
    if (rest.empty()) return RdfTerm::Literal(lex);
    if (rest.starts_with("@"))
      return RdfTerm::LangLiteral(lex, std::string(rest.substr(1)));
    if (rest.starts_with("^^<") && rest.ends_with(">")) {
      return RdfTerm::Literal(lex,
                              std::string(rest.substr(3, rest.size() - 4)));
    }
    return bad("unexpected text after a string");
  }
  // A bare number: INTEGER, DECIMAL or DOUBLE of Turtle.
  size_t i = f.starts_with("+") || f.starts_with("-") ? 1 : 0;
  size_t digits = 0, frac = 0;
  for (; i < f.size() && IsDigit(f[i]); ++i) ++digits;
  bool dot = false, exp = false;
  if (i < f.size() && f[i] == '.') {
    dot = true;
    for (++i; i < f.size() && IsDigit(f[i]); ++i) ++frac;
  }
  if (i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
    exp = true;
    ++i;
    if (i < f.size() && (f[i] == '+' || f[i] == '-')) ++i;
    const size_t start = i;
    while (i < f.size() && IsDigit(f[i])) ++i;
    if (i == start) return bad("a malformed number");
  }
  if (i != f.size() || digits + frac == 0 || (dot && !exp && frac == 0))
    return bad("not a term");
  return RdfTerm::Literal(std::string(f), Xsd(exp   ? "double"
                                              : dot ? "decimal"
                                                    : "integer"));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

// --- CSV (RFC 4180) ------------------------------------------------------

absl::StatusOr<std::vector<std::vector<std::string>>> CsvRecords(
    const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, in_record = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      in_record = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      in_record = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      in_record = false;
    } else {
      field.push_back(c);
      in_record = true;
    }
  }
  if (quoted) return absl::InvalidArgumentError("an unterminated quoted field");
  if (in_record) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

// --- result-set graphs -----------------------------------------------------

std::string NodeKey(const RdfTerm& t) {
  return t.is_blank_node() ? StrCat("_:", t.value) : StrCat("<", t.value, ">");
}

// nlohmann::json's accessors throw on a wrong type: ReadSrj catches.
absl::StatusOr<SparqlResultTable> ReadSrjOrThrow(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text.ok()) return text.status();
  const nlohmann::json doc =
      nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Invalid(path, "not a JSON object");
  SparqlResultTable table;
  if (doc.contains("head") && doc["head"].contains("vars")) {
    for (const auto& v : doc["head"]["vars"])
      table.vars.push_back(v.get<std::string>());
  }
  if (doc.contains("boolean")) {
    if (!doc["boolean"].is_boolean())
      return Invalid(path, "\"boolean\" is not a boolean");
    table.is_boolean = true;
    table.boolean = doc["boolean"].get<bool>();
    return table;
  }
  if (!doc.contains("results") || !doc["results"].contains("bindings")) {
    return Invalid(path, "neither results.bindings nor boolean");
  }
  for (const auto& b : doc["results"]["bindings"]) {
    SparqlSolution row;
    for (const auto& [var, value] : b.items()) {
      auto term = JsonTerm(value);
      if (!term.ok()) return Invalid(path, term.status().message());
      row[var] = *std::move(term);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// std::stoul / std::stol throw on malformed numbers: ReadExpectedResult
// catches.
absl::StatusOr<ExpectedResult> ReadExpectedOrThrow(const std::string& path) {
  ExpectedResult out;
  absl::StatusOr<SparqlResultTable> table = absl::UnimplementedError("");
  if (path.ends_with(".srx")) {
    table = ReadSrx(path);
  } else if (path.ends_with(".srj")) {
    table = ReadSrj(path);
  } else if (path.ends_with(".tsv")) {
    table = ReadTsv(path);
  } else if (path.ends_with(".ttl") || path.ends_with(".nt") ||
             path.ends_with(".rdf")) {
    auto quads = ReadRdfFile(path);
    if (!quads.ok()) return quads.status();
    auto rs = ResultSetFromGraph(*quads);
    if (!rs.ok()) return Invalid(path, rs.status().message());
    if (*rs) {
      out.table = **std::move(rs);
    } else {
      out.graph = *std::move(quads);
    }
    return out;
  } else {
    return Invalid(path, "unknown result format");
  }
  if (!table.ok()) return table.status();
  out.table = *std::move(table);
  return out;
}

}  // namespace

absl::StatusOr<std::string> ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<SparqlResultTable> ReadSrj(const std::string& path) {
  try {
    return ReadSrjOrThrow(path);
  } catch (const nlohmann::json::exception& e) {
    return Invalid(path, e.what());
  }
}

absl::StatusOr<SparqlResultTable> ParseTsv(const std::string& text) {
  const std::vector<std::string> lines = Lines(text);
  if (lines.empty()) return absl::InvalidArgumentError("no header line");
  SparqlResultTable table;
  for (const std::string& v : Split(lines[0], '\t')) {
    if (v.empty()) continue;
    if (v[0] != '?' && v[0] != '$')
      return absl::InvalidArgumentError("a header field without '?': " + v);
    table.vars.push_back(v.substr(1));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> fields = Split(lines[i], '\t');
    if (fields.size() != table.vars.size()) {
      return absl::InvalidArgumentError(
          StrCat("line ", i + 1, ": ", fields.size(), " fields for ",
                 table.vars.size(), " variables"));
    }
    SparqlSolution row;
    for (size_t c = 0; c < fields.size(); ++c) {
      if (fields[c].empty()) continue;
      auto term = TsvTerm(fields[c]);
      if (!term.ok())
        return absl::InvalidArgumentError(
            StrCat("line ", i + 1, ": ", term.status().message()));
      row[table.vars[c]] = *std::move(term);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<SparqlResultTable> ReadTsv(const std::string& path) {
  auto text = ReadFileText(path);
  if (!text.ok()) return text.status();
  auto table = ParseTsv(*text);
  if (!table.ok()) return Invalid(path, table.status().message());
  return table;
}

absl::StatusOr<SparqlResultTable> ParseCsv(const std::string& text) {
  auto records = CsvRecords(text);
  if (!records.ok()) return records.status();
  if (records->empty()) return absl::InvalidArgumentError("no header line");
  SparqlResultTable table;
  table.vars = records->front();
  for (size_t i = 1; i < records->size(); ++i) {
    const std::vector<std::string>& fields = (*records)[i];
    if (fields.size() != table.vars.size()) {
      return absl::InvalidArgumentError(
          StrCat("record ", i + 1, ": ", fields.size(), " fields for ",
                 table.vars.size(), " variables"));
    }
    SparqlSolution row;
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string& f = fields[c];
      if (f.empty()) continue;
      row[table.vars[c]] = f.starts_with("_:") ? RdfTerm::BlankNode(f.substr(2))
                                               : RdfTerm::Literal(f);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<std::optional<SparqlResultTable>> ResultSetFromGraph(
    const std::vector<RdfQuad>& quads) {
  // subject -> predicate local name (rs: only, and rdf:type) -> objects
  std::map<std::string, std::map<std::string, std::vector<RdfTerm>>> props;
  std::string result_set;
  for (const RdfQuad& q : quads) {
    std::string p;
    if (q.p.value.starts_with(kRs)) {
      p = q.p.value.substr(kRs.size());
    } else if (q.p.value == StrCat(kRdfNs, "type")) {
      p = "type";
      if (q.o.is_iri() && q.o.value == StrCat(kRs, "ResultSet"))
        result_set = NodeKey(q.s);
    } else {
      continue;
    }
    props[NodeKey(q.s)][p].push_back(q.o);
  }
  if (result_set.empty()) return std::nullopt;
  auto objects = [&](const std::string& s,
                     const std::string& p) -> const std::vector<RdfTerm>& {
    static const std::vector<RdfTerm> kNone;
    auto it = props.find(s);
    if (it == props.end()) return kNone;
    auto jt = it->second.find(p);
    return jt == it->second.end() ? kNone : jt->second;
  };
  SparqlResultTable table;
  if (const auto& b = objects(result_set, "boolean"); !b.empty()) {
    table.is_boolean = true;
    table.boolean = b.front().value == "true" || b.front().value == "1";
    return table;
  }
  for (const RdfTerm& v : objects(result_set, "resultVariable"))
    table.vars.push_back(v.value);
  std::vector<std::pair<long, SparqlSolution>> rows;
  for (const RdfTerm& s : objects(result_set, "solution")) {
    SparqlSolution row;
    for (const RdfTerm& b : objects(NodeKey(s), "binding")) {
      const auto& var = objects(NodeKey(b), "variable");
      const auto& value = objects(NodeKey(b), "value");
      if (var.size() != 1 || value.size() != 1) {
        return absl::InvalidArgumentError(
            "an rs:binding without one rs:variable and one rs:value");
      }
      row[var.front().value] = value.front();
    }
    long index = static_cast<long>(rows.size());
    if (const auto& i = objects(NodeKey(s), "index"); !i.empty()) {
      table.ordered = true;
      index = std::stol(i.front().value);
    }
    rows.emplace_back(index, std::move(row));
  }
  if (table.ordered) {
    std::stable_sort(
        rows.begin(), rows.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  for (auto& [index, row] : rows) table.rows.push_back(std::move(row));
  return table;
}

absl::StatusOr<std::vector<RdfQuad>> ReadRdfFile(const std::string& path) {
  if (path.ends_with(".rdf")) return ReadRdfXml(path);
  const auto syntax = ingest::RdfSyntaxFromName(path);
  if (!syntax) return Invalid(path, "unknown RDF syntax");
  auto source = ingest::OpenRdfReader(path, *syntax, FileIri(path));
  if (!source.ok()) return source.status();
  std::vector<RdfQuad> quads;
  RdfQuad q;
  while (source->reader->Next(&q)) quads.push_back(q);
  if (source->reader->error())
    return absl::InvalidArgumentError(source->reader->FormatError());
  return quads;
}

absl::StatusOr<ExpectedResult> ReadExpectedResult(const std::string& path) {
  // std::stoul / std::stol on malformed numbers in the files throw.
  try {
    return ReadExpectedOrThrow(path);
  } catch (const std::exception& e) {
    return Invalid(path, e.what());
  }
}

}  // namespace kg::testing
