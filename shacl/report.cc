#include "shacl/report.h"

#include <sstream>

#include "ingest/rdf/rdf_export.h"
#include "ingest/rdf/turtle_writer.h"
#include "kg/json.h"
#include "kg/rdf_mapping.h"
#include "kg/str_cat.h"

namespace kg::shacl {
namespace {

RdfTerm Sh(std::string_view local) { return RdfTerm::Iri(StrCat(kShNs, local)); }
RdfTerm Rdf(std::string_view local) { return RdfTerm::Iri(StrCat(kRdfNs, local)); }

class TripleBuilder {
 public:
  explicit TripleBuilder(const TermPool& pool) : pool_(pool) {}

  void Add(RdfTerm s, RdfTerm p, RdfTerm o) {
    out_.push_back({std::move(s), std::move(p), std::move(o)});
  }
  RdfTerm Fresh(std::string_view kind) { return RdfTerm::BlankNode(StrCat("shacl-", kind, ++n_)); }

  // The SHACL syntax of `path`; its root node.
  RdfTerm PathNode(const Path& path) {
    if (path.kind == Path::Kind::kPredicate) return pool_.term(path.predicate);
    if (path.kind == Path::Kind::kSequence) return List(path.parts);
    const RdfTerm node = Fresh("p");
    switch (path.kind) {
      case Path::Kind::kInverse: Add(node, Sh("inversePath"), PathNode(path.parts[0])); break;
      case Path::Kind::kAlternative: Add(node, Sh("alternativePath"), List(path.parts)); break;
      case Path::Kind::kZeroOrMore: Add(node, Sh("zeroOrMorePath"), PathNode(path.parts[0])); break;
      case Path::Kind::kOneOrMore: Add(node, Sh("oneOrMorePath"), PathNode(path.parts[0])); break;
      case Path::Kind::kZeroOrOne: Add(node, Sh("zeroOrOnePath"), PathNode(path.parts[0])); break;
      default: break;
    }
    return node;
  }

  std::vector<RdfTriple> Take() { return std::move(out_); }

 private:
  RdfTerm List(const std::vector<Path>& items) {
    RdfTerm head = Rdf("nil");
    for (size_t i = items.size(); i-- > 0;) {
      const RdfTerm cell = Fresh("p");
      Add(cell, Rdf("first"), PathNode(items[i]));
      Add(cell, Rdf("rest"), head);
      head = cell;
    }
    return head;
  }

  const TermPool& pool_;
  std::vector<RdfTriple> out_;
  int n_ = 0;
};

std::vector<std::pair<std::string, std::string>> Prefixes() {
  auto prefixes = ingest::ExportPrefixes();
  prefixes.insert(prefixes.begin(), {"sh", std::string(kShNs)});
  return prefixes;
}

std::string PathText(const Path& path, const TermPool& pool, const ingest::TurtleWriter& w) {
  auto join = [&](std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < path.parts.size(); ++i) {
      StrAppend(&out, i > 0 ? sep : "", PathText(path.parts[i], pool, w));
    }
    return StrCat("(", out, ")");
  };
  auto unary = [&](std::string_view op) {
    const Path& p = path.parts[0];
    const std::string inner = PathText(p, pool, w);
    return p.kind == Path::Kind::kPredicate ? StrCat(inner, op) : StrCat("(", inner, ")", op);
  };
  switch (path.kind) {
    case Path::Kind::kPredicate: return w.Term(pool.term(path.predicate));
    case Path::Kind::kInverse: return StrCat("^", PathText(path.parts[0], pool, w));
    case Path::Kind::kSequence: return join("/");
    case Path::Kind::kAlternative: return join("|");
    case Path::Kind::kZeroOrMore: return unary("*");
    case Path::Kind::kOneOrMore: return unary("+");
    case Path::Kind::kZeroOrOne: return unary("?");
  }
  return "";
}

}  // namespace

std::vector<RdfTriple> ReportTriples(const Report& report) {
  const TermPool& pool = *report.pool;
  TripleBuilder b(pool);
  const RdfTerm root = RdfTerm::BlankNode("shacl-report");
  b.Add(root, Rdf("type"), Sh("ValidationReport"));
  b.Add(root, Sh("conforms"),
        RdfTerm::Literal(report.conforms() ? "true" : "false", StrCat(kXsdNs, "boolean")));
  for (const ValidationResult& r : report.results) {
    const RdfTerm node = b.Fresh("r");
    b.Add(root, Sh("result"), node);
    b.Add(node, Rdf("type"), Sh("ValidationResult"));
    b.Add(node, Sh("focusNode"), pool.term(r.focus));
    if (r.path) b.Add(node, Sh("resultPath"), b.PathNode(*r.path));
    if (r.value) b.Add(node, Sh("value"), pool.term(*r.value));
    b.Add(node, Sh("sourceShape"), pool.term(r.source_shape));
    b.Add(node, Sh("sourceConstraintComponent"), RdfTerm::Iri(ComponentIri(r.component)));
    b.Add(node, Sh("resultSeverity"), pool.term(r.severity));
    for (NodeId m : r.messages) b.Add(node, Sh("resultMessage"), pool.term(m));
  }
  return b.Take();
}

void WriteReportTurtle(const Report& report, std::ostream& out) {
  ingest::TurtleWriter w(out, /*trig=*/false, Prefixes());
  for (RdfTriple& t : ReportTriples(report)) {
    w.Write(RdfQuad{std::move(t.s), std::move(t.p), std::move(t.o), std::nullopt});
  }
  w.Finish();
}

void WriteReportJson(const Report& report, std::ostream& out) {
  const TermPool& pool = *report.pool;
  std::ostringstream ignored;
  const ingest::TurtleWriter w(ignored, false, Prefixes());
  auto term = [&](NodeId n) { return JsonString(w.Term(pool.term(n))); };
  out << "{\"conforms\":" << (report.conforms() ? "true" : "false") << ",\"results\":[";
  for (size_t i = 0; i < report.results.size(); ++i) {
    const ValidationResult& r = report.results[i];
    out << (i > 0 ? "," : "") << "\n{\"focusNode\":" << term(r.focus);
    if (r.path) out << ",\"resultPath\":" << JsonString(PathText(*r.path, pool, w));
    if (r.value) out << ",\"value\":" << term(*r.value);
    out << ",\"sourceShape\":" << term(r.source_shape)
        << ",\"sourceConstraintComponent\":" << JsonString(w.Term(RdfTerm::Iri(ComponentIri(r.component))))
        << ",\"resultSeverity\":" << term(r.severity);
    if (!r.messages.empty()) {
      out << ",\"resultMessage\":[";
      for (size_t k = 0; k < r.messages.size(); ++k) {
        out << (k > 0 ? "," : "") << JsonString(pool.term(r.messages[k]).value);
      }
      out << "]";
    }
    out << "}";
  }
  out << (report.results.empty() ? "]}\n" : "\n]}\n");
}

}  // namespace kg::shacl
