#include "ingest/rdf/turtle_writer.h"

#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/ntriples_internal.h"
#include "kg/str_cat.h"
#include "re2/re2.h"

namespace kg::ingest {
namespace {

constexpr std::string_view kRdfType =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfReifies =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

// A local name written without escapes: ASCII letters, digits, '_' and '-'
// (not first), '.' inside. Anything else is written as a full IRI.
bool PlainLocalName(std::string_view s) {
  if (s.empty()) return true;
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  };
  if (!word(s.front()) || s.back() == '.') return false;
  for (const char c : s) {
    if (!word(c) && c != '-' && c != '.') return false;
  }
  return true;
}

void AppendLongString(std::string* out, std::string_view s) {
  out->append("\"\"\"");
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '"') {
      out->append("\\\"");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\n' || c == '\t') {
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7F) {
      StrAppend(out, "\\u", Hex(c, 4));
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->append("\"\"\"");
}

}  // namespace

TurtleWriter::TurtleWriter(
    std::ostream& out, bool trig,
    std::vector<std::pair<std::string, std::string>> prefixes)
    : out_(out), trig_(trig), prefixes_(std::move(prefixes)) {}

std::string TurtleWriter::Iri(const std::string& iri) const {
  for (const auto& [prefix, ns] : prefixes_) {
    if (iri.size() >= ns.size() && iri.compare(0, ns.size(), ns) == 0 &&
        PlainLocalName(std::string_view(iri).substr(ns.size()))) {
      return StrCat(prefix, ":", std::string_view(iri).substr(ns.size()));
    }
  }
  return CanonicalTerm(RdfTerm::Iri(iri));
}

std::string TurtleWriter::Literal(const RdfTerm& t) const {
  if (t.language.empty() && t.datatype.size() > kXsd.size() &&
      t.datatype.starts_with(kXsd)) {
    const std::string_view type =
        std::string_view(t.datatype).substr(kXsd.size());
    static const RE2 kInteger("[+-]?[0-9]+");
    static const RE2 kDecimal("[+-]?[0-9]*\\.[0-9]+");
    if ((type == "integer" && RE2::FullMatch(t.value, kInteger)) ||
        (type == "decimal" && RE2::FullMatch(t.value, kDecimal)) ||
        (type == "boolean" && (t.value == "true" || t.value == "false"))) {
      return t.value;
    }
  }
  std::string out;
  if (t.value.find('\n') != std::string::npos) {
    AppendLongString(&out, t.value);
  } else {
    out = CanonicalTerm(RdfTerm::Literal(t.value));
  }
  if (!t.language.empty()) {
    StrAppend(&out, "@", t.language);
    if (t.direction == BaseDirection::kLtr) out.append("--ltr");
    if (t.direction == BaseDirection::kRtl) out.append("--rtl");
  } else if (!t.datatype.empty() && t.datatype != kXsdString) {
    StrAppend(&out, "^^", Iri(t.datatype));
  }
  return out;
}

std::string TurtleWriter::Term(const RdfTerm& t) const {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      return Iri(t.value);
    case RdfTerm::Kind::kBlankNode:
      return StrCat("_:", t.value);
    case RdfTerm::Kind::kLiteral:
      return Literal(t);
    case RdfTerm::Kind::kTripleTerm:
      if (t.triple == nullptr) return "<<( )>>";
      return StrCat("<<( ", Term(t.triple->s), " ", Term(t.triple->p), " ",
                    Term(t.triple->o), " )>>");
  }
  return "";
}

void TurtleWriter::CloseAnnotation() {
  if (!reifier_) return;
  if (annotation_open_) out_ << " |}";
  reifier_.reset();
  annotation_predicate_.reset();
  annotation_open_ = false;
}

void TurtleWriter::EndStatement() {
  CloseAnnotation();
  if (!subject_) return;
  out_ << " .\n";
  subject_.reset();
  predicate_.reset();
  object_.reset();
}

void TurtleWriter::Write(const RdfQuad& q) {
  if (!started_) {
    for (const auto& [prefix, ns] : prefixes_) {
      out_ << "@prefix " << prefix << ": " << CanonicalTerm(RdfTerm::Iri(ns))
           << " .\n";
    }
    if (!prefixes_.empty()) out_ << "\n";
    started_ = true;
  }
  if (trig_ && (in_graph_ != q.graph.has_value() ||
                (q.graph && !(*q.graph == *graph_)))) {
    EndStatement();
    if (in_graph_) out_ << "}\n\n";
    in_graph_ = q.graph.has_value();
    graph_ = q.graph;
    if (in_graph_) out_ << Term(*graph_) << " {\n";
  }
  const std::string indent = in_graph_ ? "  " : "";
  const std::string predicate =
      q.p.is_iri() && q.p.value == kRdfType ? std::string("a") : Term(q.p);
  // What is said about the reifier of the triple just written goes in its
  // annotation block: s p o ~ _:r {| ... |}.
  if (reifier_) {
    if (q.s == *reifier_) {
      if (!annotation_open_) {
        out_ << " {|\n" << indent << "      " << predicate << " " << Term(q.o);
        annotation_open_ = true;
      } else if (annotation_predicate_ && *annotation_predicate_ == q.p) {
        out_ << ", " << Term(q.o);
      } else {
        out_ << " ;\n" << indent << "      " << predicate << " " << Term(q.o);
      }
      annotation_predicate_ = q.p;
      return;
    }
    CloseAnnotation();
  }
  // `_:r rdf:reifies <<( s p o )>>` right after s p o: the reifier of it.
  if (object_ && q.s.is_blank_node() && q.p.is_iri() && q.p.value == kRdfReifies &&
      q.o.is_triple_term() && q.o.triple != nullptr && q.o.triple->s == *subject_ &&
      q.o.triple->p == *predicate_ && q.o.triple->o == *object_) {
    out_ << " ~ " << Term(q.s);
    reifier_ = q.s;
    object_.reset();  // one reifier per triple written
    return;
  }
  if (subject_ && *subject_ == q.s) {
    if (predicate_ && *predicate_ == q.p) {
      out_ << ",\n" << indent << "    " << Term(q.o);
    } else {
      out_ << " ;\n" << indent << "  " << predicate << " " << Term(q.o);
      predicate_ = q.p;
    }
    object_ = q.o;
    return;
  }
  EndStatement();
  out_ << indent << Term(q.s) << " " << predicate << " " << Term(q.o);
  subject_ = q.s;
  predicate_ = q.p;
  object_ = q.o;
}

void TurtleWriter::Finish() {
  EndStatement();
  if (in_graph_) out_ << "}\n";
  in_graph_ = false;
}

}  // namespace kg::ingest
