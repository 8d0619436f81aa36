#include "shacl/shapes.h"

#include <deque>

#include "absl/container/flat_hash_set.h"
#include "ingest/rdf/ntriples.h"
#include "kg/rdf_mapping.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "shacl/values.h"

namespace kg::shacl {
namespace {

constexpr int kMaxPathDepth = 64;

struct ComponentName {
  Component component;
  std::string_view local;  // without "ConstraintComponent"
};

constexpr ComponentName kComponentNames[] = {
    {Component::kClass, "Class"},
    {Component::kDatatype, "Datatype"},
    {Component::kNodeKind, "NodeKind"},
    {Component::kMinCount, "MinCount"},
    {Component::kMaxCount, "MaxCount"},
    {Component::kMinExclusive, "MinExclusive"},
    {Component::kMinInclusive, "MinInclusive"},
    {Component::kMaxExclusive, "MaxExclusive"},
    {Component::kMaxInclusive, "MaxInclusive"},
    {Component::kMinLength, "MinLength"},
    {Component::kMaxLength, "MaxLength"},
    {Component::kPattern, "Pattern"},
    {Component::kLanguageIn, "LanguageIn"},
    {Component::kUniqueLang, "UniqueLang"},
    {Component::kEquals, "Equals"},
    {Component::kDisjoint, "Disjoint"},
    {Component::kLessThan, "LessThan"},
    {Component::kLessThanOrEquals, "LessThanOrEquals"},
    {Component::kNot, "Not"},
    {Component::kAnd, "And"},
    {Component::kOr, "Or"},
    {Component::kXone, "Xone"},
    {Component::kNode, "Node"},
    {Component::kProperty, "Property"},
    {Component::kQualifiedMinCount, "QualifiedMinCount"},
    {Component::kQualifiedMaxCount, "QualifiedMaxCount"},
    {Component::kClosed, "Closed"},
    {Component::kHasValue, "HasValue"},
    {Component::kIn, "In"},
};

std::string Show(const TermPool& pool, NodeId n) { return ingest::CanonicalTerm(pool.term(n)); }

// The parameters that take a single shape, and the component each makes.
struct ShapeParameter {
  std::string_view local;
  Component component;
};
constexpr ShapeParameter kShapeParameters[] = {
    {"node", Component::kNode}, {"not", Component::kNot}, {"property", Component::kProperty}};
constexpr ShapeParameter kShapeListParameters[] = {
    {"and", Component::kAnd}, {"or", Component::kOr}, {"xone", Component::kXone}};

// Parameters whose value is any node compared with value nodes.
constexpr ShapeParameter kValueParameters[] = {
    {"class", Component::kClass},
    {"hasValue", Component::kHasValue},
    {"minExclusive", Component::kMinExclusive},
    {"minInclusive", Component::kMinInclusive},
    {"maxExclusive", Component::kMaxExclusive},
    {"maxInclusive", Component::kMaxInclusive},
    {"equals", Component::kEquals},
    {"disjoint", Component::kDisjoint},
};
// ... of property shapes only.
constexpr ShapeParameter kPropertyValueParameters[] = {
    {"lessThan", Component::kLessThan},
    {"lessThanOrEquals", Component::kLessThanOrEquals},
};

// SHACL features outside the subset: a shape using one is refused.
constexpr std::string_view kUnsupportedParameters[] = {"sparql", "target", "rule", "js",
                                                       "expression"};

class Parser {
 public:
  Parser(const Graph& graph, std::string_view source)
      : g_(graph), pool_(graph.pool()), source_(source) {}

  absl::StatusOr<Shapes> Run() {
    out_.pool = g_.shared_pool();
    const NodeId component_class = Sh("ConstraintComponent");
    if (const std::vector<NodeId> custom = g_.InstancesOf(component_class); !custom.empty()) {
      return absl::UnimplementedError(StrCat(source_, ": custom constraint component ",
                                             Show(pool_, custom[0]),
                                             " (only SHACL Core is supported)"));
    }
    // Every node that is a shape by its type or its targets, in graph order.
    const NodeId node_shape = Sh("NodeShape"), property_shape = Sh("PropertyShape");
    absl::flat_hash_set<NodeId> typed;
    for (NodeId cls : {node_shape, property_shape}) {
      for (NodeId n : g_.InstancesOf(cls)) typed.insert(n);
    }
    const NodeId targets[] = {Sh("targetNode"), Sh("targetClass"), Sh("targetSubjectsOf"),
                              Sh("targetObjectsOf")};
    for (const IdTriple& t : g_.triples()) {
      const bool target = std::find(std::begin(targets), std::end(targets), t.p) != std::end(targets);
      if (target || typed.contains(t.s)) Ref(t.s);
    }
    while (!pending_.empty()) {
      const int i = pending_.front();
      pending_.pop_front();
      KG_ASSIGN_OR_RETURN(Shape shape, ParseShape(out_.shapes[i].node));
      out_.shapes[i] = std::move(shape);
    }
    return std::move(out_);
  }

 private:
  NodeId Sh(std::string_view local) { return pool_.Iri(StrCat(kShNs, local)); }

  // The index of the shape at `node`, queued for parsing if new.
  int Ref(NodeId node) {
    auto [it, added] = out_.index.try_emplace(node, static_cast<int>(out_.shapes.size()));
    if (added) {
      out_.shapes.emplace_back().node = node;
      pending_.push_back(it->second);
    }
    return it->second;
  }

  absl::Status Error(NodeId shape, std::string_view message) {
    return absl::InvalidArgumentError(
        StrCat(source_, ": shape ", Show(pool_, shape), ": ", message));
  }

  std::vector<NodeId> Values(NodeId shape, std::string_view local) {
    return g_.Objects(shape, Sh(local));
  }

  bool IsTrue(NodeId n) {
    const RdfTerm& t = pool_.term(n);
    return t.is_literal() && t.value == "true" && t.datatype == StrCat(kXsdNs, "boolean");
  }

  absl::StatusOr<int64_t> Count(NodeId shape, std::string_view local, NodeId n) {
    const RdfTerm& t = pool_.term(n);
    // xsd:integer or one of its kinds, >= 0, and small enough for int64_t.
    const bool integer = t.is_literal() && t.datatype.starts_with(kXsdNs) &&
                         IsWellFormed(StrCat(kXsdNs, "integer"), t.value) &&
                         IsWellFormed(t.datatype, t.value) && t.value[0] != '-' &&
                         t.value.size() < 19;
    if (!integer) {
      return Error(shape, StrCat("sh:", local, " needs a non-negative integer, not ", Show(pool_, n)));
    }
    return std::strtoll(t.value.c_str(), nullptr, 10);
  }

  absl::StatusOr<std::vector<NodeId>> ListOf(NodeId shape, std::string_view local, NodeId head) {
    auto items = g_.List(head);
    if (!items.ok()) return Error(shape, StrCat("sh:", local, ": ", items.status().message()));
    return std::move(items).value();
  }

  absl::StatusOr<std::shared_ptr<const RE2>> Regex(NodeId shape, NodeId pattern,
                                                   std::optional<NodeId> flags) {
    const RdfTerm& p = pool_.term(pattern);
    if (!p.is_literal()) return Error(shape, StrCat("sh:pattern needs a string, not ", Show(pool_, pattern)));
    std::string f = flags ? pool_.term(*flags).value : "";
    std::string text = p.value;
    RE2::Options options;
    options.set_log_errors(false);
    std::string prefix;
    for (char c : f) {
      switch (c) {
        case 'i': options.set_case_sensitive(false); break;
        case 's': options.set_dot_nl(true); break;
        case 'm': prefix = "(?m)"; break;
        case 'q': text = RE2::QuoteMeta(text); break;
        case 'x': {  // drop white space outside character classes
          std::string kept;
          int in_class = 0;
          for (size_t i = 0; i < text.size(); ++i) {
            const char ch = text[i];
            if (ch == '\\' && i + 1 < text.size()) {
              kept += text.substr(i++, 2);
              continue;
            }
            if (ch == '[') ++in_class;
            if (ch == ']' && in_class > 0) --in_class;
            if (in_class == 0 && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')) continue;
            kept += ch;
          }
          text = std::move(kept);
          break;
        }
        default:
          return Error(shape, StrCat("sh:flags: unknown flag '", std::string(1, c), "' in \"", f,
                                     "\" (expected i, s, m, x or q)"));
      }
    }
    auto re = std::make_shared<const RE2>(prefix + text, options);
    if (!re->ok()) {
      return Error(shape, StrCat("sh:pattern \"", p.value, "\" is not a valid regular expression: ",
                                 re->error()));
    }
    return re;
  }

  absl::StatusOr<Shape> ParseShape(NodeId node) {
    Shape s;
    s.node = node;
    for (std::string_view local : kUnsupportedParameters) {
      if (!Values(node, local).empty()) {
        return absl::UnimplementedError(
            StrCat(source_, ": shape ", Show(pool_, node), " uses sh:", local,
                   " (SPARQL-based and SHACL-AF features are not supported)"));
      }
    }
    const std::vector<NodeId> paths = Values(node, "path");
    if (paths.size() > 1) return Error(node, "more than one sh:path");
    if (!paths.empty()) {
      auto path = ParsePath(g_, paths[0]);
      if (!path.ok()) return Error(node, StrCat("sh:path: ", path.status().message()));
      s.path = std::move(path).value();
    }
    const bool property = s.path.has_value();
    s.target_nodes = Values(node, "targetNode");
    s.target_classes = Values(node, "targetClass");
    s.target_subjects_of = Values(node, "targetSubjectsOf");
    s.target_objects_of = Values(node, "targetObjectsOf");
    const NodeId rdfs_class = pool_.Iri("http://www.w3.org/2000/01/rdf-schema#Class");
    if (g_.IsInstanceOf(node, rdfs_class) &&
        (g_.IsInstanceOf(node, Sh("NodeShape")) || g_.IsInstanceOf(node, Sh("PropertyShape")))) {
      s.target_classes.push_back(node);  // implicit class target
    }
    for (NodeId d : Values(node, "deactivated")) s.deactivated = s.deactivated || IsTrue(d);
    const std::vector<NodeId> severity = Values(node, "severity");
    s.severity = severity.empty() ? Sh("Violation") : severity[0];
    s.messages = Values(node, "message");

    auto add = [&](Component c) -> Constraint& {
      s.constraints.emplace_back().component = c;
      return s.constraints.back();
    };
    for (const ShapeParameter& p : kValueParameters) {
      for (NodeId v : Values(node, p.local)) add(p.component).value = v;
    }
    if (property) {
      for (const ShapeParameter& p : kPropertyValueParameters) {
        for (NodeId v : Values(node, p.local)) add(p.component).value = v;
      }
    }
    for (NodeId v : Values(node, "datatype")) {
      if (!pool_.term(v).is_iri()) return Error(node, StrCat("sh:datatype needs an IRI, not ", Show(pool_, v)));
      add(Component::kDatatype).value = v;
    }
    for (NodeId v : Values(node, "nodeKind")) {
      static constexpr std::string_view kKinds[] = {"BlankNode", "IRI", "Literal", "BlankNodeOrIRI",
                                                    "BlankNodeOrLiteral", "IRIOrLiteral"};
      bool known = false;
      for (std::string_view k : kKinds) known = known || v == Sh(k);
      if (!known) return Error(node, StrCat("sh:nodeKind ", Show(pool_, v), " is not a SHACL node kind"));
      add(Component::kNodeKind).value = v;
    }
    struct CountParameter {
      std::string_view local;
      Component component;
      bool property_only;
    };
    static constexpr CountParameter kCounts[] = {{"minCount", Component::kMinCount, true},
                                                 {"maxCount", Component::kMaxCount, true},
                                                 {"minLength", Component::kMinLength, false},
                                                 {"maxLength", Component::kMaxLength, false}};
    for (const CountParameter& p : kCounts) {
      if (p.property_only && !property) continue;
      for (NodeId v : Values(node, p.local)) {
        KG_ASSIGN_OR_RETURN(const int64_t n, Count(node, p.local, v));
        add(p.component).count = n;
      }
    }
    const std::vector<NodeId> flags = Values(node, "flags");
    for (NodeId v : Values(node, "pattern")) {
      KG_ASSIGN_OR_RETURN(auto re, Regex(node, v, flags.empty() ? std::nullopt
                                                                : std::optional<NodeId>(flags[0])));
      Constraint& c = add(Component::kPattern);
      c.value = v;
      c.regex = std::move(re);
    }
    for (NodeId v : Values(node, "in")) {
      KG_ASSIGN_OR_RETURN(auto items, ListOf(node, "in", v));
      add(Component::kIn).nodes = std::move(items);
    }
    for (NodeId v : Values(node, "languageIn")) {
      KG_ASSIGN_OR_RETURN(auto items, ListOf(node, "languageIn", v));
      for (NodeId i : items) {
        if (!pool_.term(i).is_literal()) {
          return Error(node, StrCat("sh:languageIn needs strings, not ", Show(pool_, i)));
        }
      }
      add(Component::kLanguageIn).nodes = std::move(items);
    }
    if (property) {
      for (NodeId v : Values(node, "uniqueLang")) {
        if (IsTrue(v)) add(Component::kUniqueLang);
      }
    }
    for (const ShapeParameter& p : kShapeParameters) {
      for (NodeId v : Values(node, p.local)) {
        if (pool_.term(v).is_literal()) {
          return Error(node, StrCat("sh:", p.local, " needs a shape, not ", Show(pool_, v)));
        }
        add(p.component).shapes = {Ref(v)};
      }
    }
    for (const ShapeParameter& p : kShapeListParameters) {
      for (NodeId v : Values(node, p.local)) {
        KG_ASSIGN_OR_RETURN(auto items, ListOf(node, p.local, v));
        std::vector<int> refs;
        for (NodeId i : items) refs.push_back(Ref(i));
        add(p.component).shapes = std::move(refs);
      }
    }
    if (property) KG_RETURN_IF_ERROR(Qualified(node, s));
    for (NodeId v : Values(node, "closed")) {
      if (!IsTrue(v)) continue;
      Constraint& c = add(Component::kClosed);
      for (NodeId prop : Values(node, "property")) {
        for (NodeId path : g_.Objects(prop, Sh("path"))) {
          if (pool_.term(path).is_iri()) c.nodes.push_back(path);
        }
      }
      for (NodeId list : Values(node, "ignoredProperties")) {
        KG_ASSIGN_OR_RETURN(auto items, ListOf(node, "ignoredProperties", list));
        c.nodes.insert(c.nodes.end(), items.begin(), items.end());
      }
    }
    return s;
  }

  absl::Status Qualified(NodeId node, Shape& s) {
    const std::vector<NodeId> qvs = Values(node, "qualifiedValueShape");
    if (qvs.empty()) return absl::OkStatus();
    bool disjoint = false;
    for (NodeId d : Values(node, "qualifiedValueShapesDisjoint")) disjoint = disjoint || IsTrue(d);
    for (NodeId q : qvs) {
      std::vector<int> siblings;
      if (disjoint) {
        for (NodeId parent : g_.Subjects(Sh("property"), node)) {
          for (NodeId sibling : g_.Objects(parent, Sh("property"))) {
            for (NodeId other : g_.Objects(sibling, Sh("qualifiedValueShape"))) {
              if (other != q) siblings.push_back(Ref(other));
            }
          }
        }
      }
      const int shape = Ref(q);
      for (auto [local, component] : {std::pair{"qualifiedMinCount", Component::kQualifiedMinCount},
                                      std::pair{"qualifiedMaxCount", Component::kQualifiedMaxCount}}) {
        for (NodeId v : Values(node, local)) {
          KG_ASSIGN_OR_RETURN(const int64_t n, Count(node, local, v));
          Constraint& c = s.constraints.emplace_back();
          c.component = component;
          c.count = n;
          c.shapes = {shape};
          c.siblings = siblings;
        }
      }
    }
    return absl::OkStatus();
  }

  const Graph& g_;
  TermPool& pool_;
  std::string source_;
  Shapes out_;
  std::deque<int> pending_;
};

absl::StatusOr<Path> ParsePathAt(const Graph& g, NodeId node, std::vector<NodeId>& stack) {
  TermPool& pool = g.pool();
  const RdfTerm& t = pool.term(node);
  if (t.is_iri()) {
    Path p;
    p.predicate = node;
    return p;
  }
  if (!t.is_blank_node()) {
    return absl::InvalidArgumentError(StrCat(Show(pool, node), " is not a property path"));
  }
  if (std::find(stack.begin(), stack.end(), node) != stack.end() || stack.size() > kMaxPathDepth) {
    return absl::InvalidArgumentError(StrCat("the path at ", Show(pool, node), " refers to itself"));
  }
  stack.push_back(node);
  Path p;
  auto operand = [&](NodeId n) -> absl::Status {
    KG_ASSIGN_OR_RETURN(Path part, ParsePathAt(g, n, stack));
    p.parts.push_back(std::move(part));
    return absl::OkStatus();
  };
  if (g.Object(node, g.rdf_first())) {
    KG_ASSIGN_OR_RETURN(std::vector<NodeId> items, g.List(node));
    p.kind = Path::Kind::kSequence;
    for (NodeId i : items) KG_RETURN_IF_ERROR(operand(i));
    if (p.parts.size() == 1) {
      Path only = std::move(p.parts[0]);
      stack.pop_back();
      return only;
    }
  } else {
    struct Unary {
      std::string_view local;
      Path::Kind kind;
    };
    static constexpr Unary kUnary[] = {{"inversePath", Path::Kind::kInverse},
                                       {"alternativePath", Path::Kind::kAlternative},
                                       {"zeroOrMorePath", Path::Kind::kZeroOrMore},
                                       {"oneOrMorePath", Path::Kind::kOneOrMore},
                                       {"zeroOrOnePath", Path::Kind::kZeroOrOne}};
    int found = 0;
    for (const Unary& u : kUnary) {
      const std::vector<NodeId> v = g.Objects(node, pool.Iri(StrCat(kShNs, u.local)));
      if (v.empty()) continue;
      if (v.size() > 1 || ++found > 1) {
        return absl::InvalidArgumentError(
            StrCat("the path at ", Show(pool, node), " has more than one path operator"));
      }
      p.kind = u.kind;
      if (u.kind == Path::Kind::kAlternative) {
        KG_ASSIGN_OR_RETURN(std::vector<NodeId> items, g.List(v[0]));
        if (items.size() < 2) {
          return absl::InvalidArgumentError(
              StrCat("sh:alternativePath at ", Show(pool, node), " needs a list of two or more paths"));
        }
        for (NodeId i : items) KG_RETURN_IF_ERROR(operand(i));
      } else {
        KG_RETURN_IF_ERROR(operand(v[0]));
      }
    }
    if (found == 0) {
      return absl::InvalidArgumentError(StrCat(Show(pool, node), " is not a property path"));
    }
  }
  if (p.kind == Path::Kind::kSequence && p.parts.empty()) {
    return absl::InvalidArgumentError("a sequence path needs at least one member");
  }
  stack.pop_back();
  return p;
}

}  // namespace

std::string ComponentIri(Component c) {
  for (const ComponentName& n : kComponentNames) {
    if (n.component == c) return StrCat(kShNs, n.local, "ConstraintComponent");
  }
  return "";
}

std::string PathToString(const Path& path, const TermPool& pool) {
  auto join = [&](std::string_view sep) {
    std::string out = "(";
    for (size_t i = 0; i < path.parts.size(); ++i) {
      if (i > 0) out += sep;
      out += PathToString(path.parts[i], pool);
    }
    return out + ")";
  };
  switch (path.kind) {
    case Path::Kind::kPredicate: return StrCat("<", pool.term(path.predicate).value, ">");
    case Path::Kind::kInverse: return StrCat("^", PathToString(path.parts[0], pool));
    case Path::Kind::kSequence: return join("/");
    case Path::Kind::kAlternative: return join("|");
    case Path::Kind::kZeroOrMore: return StrCat("(", PathToString(path.parts[0], pool), ")*");
    case Path::Kind::kOneOrMore: return StrCat("(", PathToString(path.parts[0], pool), ")+");
    case Path::Kind::kZeroOrOne: return StrCat("(", PathToString(path.parts[0], pool), ")?");
  }
  return "";
}

absl::StatusOr<Path> ParsePath(const Graph& graph, NodeId node) {
  std::vector<NodeId> stack;
  return ParsePathAt(graph, node, stack);
}

absl::StatusOr<Shapes> ParseShapes(const Graph& graph, std::string_view source) {
  return Parser(graph, source).Run();
}

}  // namespace kg::shacl
