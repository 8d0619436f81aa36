#include "shacl/validator.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "kg/str_cat.h"
#include "shacl/values.h"

namespace kg::shacl {
namespace {

// Nodes in first-seen order, each once.
class NodeSet {
 public:
  bool Add(NodeId n) {
    if (!seen_.insert(n).second) return false;
    nodes_.push_back(n);
    return true;
  }
  bool Contains(NodeId n) const { return seen_.contains(n); }
  const std::vector<NodeId>& nodes() const { return nodes_; }
  std::vector<NodeId> Take() { return std::move(nodes_); }

 private:
  absl::flat_hash_set<NodeId> seen_;
  std::vector<NodeId> nodes_;
};

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// SPARQL langMatches (RFC 4647 basic filtering).
bool LangMatches(std::string_view tag, std::string_view range) {
  if (tag.empty()) return false;
  if (range == "*") return true;
  const std::string t = Lower(tag), r = Lower(range);
  return t == r || (t.size() > r.size() && t.starts_with(r) && t[r.size()] == '-');
}

class Validator {
 public:
  Validator(const Graph& data, const Shapes& shapes)
      : g_(data), shapes_(shapes), pool_(data.pool()) {
    for (std::string_view k : {"BlankNode", "IRI", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral",
                               "IRIOrLiteral"}) {
      node_kinds_[pool_.Iri(StrCat(kShNs, k))] = std::string(k);
    }
  }

  Report Run() {
    Report report;
    report.pool = shapes_.pool;
    for (size_t i = 0; i < shapes_.shapes.size(); ++i) {
      const Shape& s = shapes_.shapes[i];
      if (s.deactivated || !s.has_targets()) continue;
      for (NodeId focus : FocusNodes(s)) ValidateShape(static_cast<int>(i), focus, &report.results);
    }
    return report;
  }

 private:
  std::vector<NodeId> FocusNodes(const Shape& s) {
    NodeSet out;
    for (NodeId n : s.target_nodes) out.Add(n);
    for (NodeId c : s.target_classes) {
      for (NodeId n : g_.InstancesOf(c)) out.Add(n);
    }
    if (!s.target_subjects_of.empty() || !s.target_objects_of.empty()) {
      absl::flat_hash_set<NodeId> subjects_of(s.target_subjects_of.begin(), s.target_subjects_of.end());
      absl::flat_hash_set<NodeId> objects_of(s.target_objects_of.begin(), s.target_objects_of.end());
      for (const IdTriple& t : g_.triples()) {
        if (subjects_of.contains(t.p)) out.Add(t.s);
        if (objects_of.contains(t.p)) out.Add(t.o);
      }
    }
    return out.Take();
  }

  // The nodes `path` reaches from any of `from` (following it backwards
  // when `inverse`).
  std::vector<NodeId> Eval(const Path& path, const std::vector<NodeId>& from, bool inverse) {
    NodeSet out;
    switch (path.kind) {
      case Path::Kind::kPredicate:
        for (NodeId x : from) {
          for (NodeId y : inverse ? g_.Subjects(path.predicate, x) : g_.Objects(x, path.predicate)) {
            out.Add(y);
          }
        }
        break;
      case Path::Kind::kInverse:
        return Eval(path.parts[0], from, !inverse);
      case Path::Kind::kSequence: {
        std::vector<NodeId> cur = from;
        for (size_t i = 0; i < path.parts.size(); ++i) {
          cur = Eval(path.parts[inverse ? path.parts.size() - 1 - i : i], cur, inverse);
        }
        return cur;
      }
      case Path::Kind::kAlternative:
        for (const Path& part : path.parts) {
          for (NodeId y : Eval(part, from, inverse)) out.Add(y);
        }
        break;
      case Path::Kind::kZeroOrOne:
        for (NodeId x : from) out.Add(x);
        for (NodeId y : Eval(path.parts[0], from, inverse)) out.Add(y);
        break;
      case Path::Kind::kZeroOrMore:
      case Path::Kind::kOneOrMore: {
        std::vector<NodeId> frontier = from;
        if (path.kind == Path::Kind::kZeroOrMore) {
          for (NodeId x : from) out.Add(x);
        }
        while (!frontier.empty()) {
          std::vector<NodeId> next;
          for (NodeId y : Eval(path.parts[0], frontier, inverse)) {
            if (out.Add(y)) next.push_back(y);
          }
          frontier = std::move(next);
        }
        break;
      }
    }
    return out.Take();
  }

  bool Conforms(int shape, NodeId node) {
    const uint64_t key = (static_cast<uint64_t>(shape) << 32) | node;
    if (auto it = conforms_.find(key); it != conforms_.end()) return it->second;
    std::vector<ValidationResult> results;
    ValidateShape(shape, node, &results);
    const bool ok = results.empty();
    conforms_[key] = ok;
    return ok;
  }

  void ValidateShape(int index, NodeId focus, std::vector<ValidationResult>* out) {
    const Shape& shape = shapes_.shapes[index];
    if (shape.deactivated) return;
    const uint64_t key = (static_cast<uint64_t>(index) << 32) | focus;
    if (!active_.insert(key).second) return;  // recursion: cut here
    std::vector<NodeId> values;
    if (shape.path) {
      values = Eval(*shape.path, {focus}, false);
    } else {
      values = {focus};
    }
    for (const Constraint& c : shape.constraints) Check(shape, c, focus, values, out);
    active_.erase(key);
  }

  void Check(const Shape& shape, const Constraint& c, NodeId focus,
             const std::vector<NodeId>& values, std::vector<ValidationResult>* out) {
    auto report = [&](std::optional<NodeId> value) {
      ValidationResult& r = out->emplace_back();
      r.focus = focus;
      r.path = shape.path;
      r.value = value;
      r.source_shape = shape.node;
      r.component = c.component;
      r.severity = shape.severity;
      r.messages = shape.messages;
    };
    auto each = [&](auto&& ok) {
      for (NodeId v : values) {
        if (!ok(v)) report(v);
      }
    };
    auto compare = [&](auto&& accept) {
      each([&](NodeId v) {
        std::optional<int> cmp = CompareValues(pool_.term(v), pool_.term(c.value));
        return cmp.has_value() && accept(*cmp);
      });
    };
    switch (c.component) {
      case Component::kClass:
        each([&](NodeId v) { return g_.IsInstanceOf(v, c.value); });
        break;
      case Component::kDatatype: {
        const std::string& dt = pool_.term(c.value).value;
        each([&](NodeId v) {
          const RdfTerm& t = pool_.term(v);
          return t.is_literal() && t.datatype == dt && IsWellFormed(dt, t.value);
        });
        break;
      }
      case Component::kNodeKind: {
        const std::string& kind = node_kinds_[c.value];
        each([&](NodeId v) {
          const RdfTerm& t = pool_.term(v);
          const std::string_view k = t.is_iri() ? "IRI" : t.is_blank_node() ? "BlankNode"
                                                        : t.is_literal()    ? "Literal"
                                                                            : "";
          return !k.empty() && kind.find(k) != std::string::npos;
        });
        break;
      }
      case Component::kMinCount:
        if (static_cast<int64_t>(values.size()) < c.count) report(std::nullopt);
        break;
      case Component::kMaxCount:
        if (static_cast<int64_t>(values.size()) > c.count) report(std::nullopt);
        break;
      case Component::kMinExclusive: compare([](int cmp) { return cmp > 0; }); break;
      case Component::kMinInclusive: compare([](int cmp) { return cmp >= 0; }); break;
      case Component::kMaxExclusive: compare([](int cmp) { return cmp < 0; }); break;
      case Component::kMaxInclusive: compare([](int cmp) { return cmp <= 0; }); break;
      case Component::kMinLength:
      case Component::kMaxLength:
        each([&](NodeId v) {
          const RdfTerm& t = pool_.term(v);
          if (!t.is_iri() && !t.is_literal()) return false;
          const int64_t n = static_cast<int64_t>(CodePoints(t.value));
          return c.component == Component::kMinLength ? n >= c.count : n <= c.count;
        });
        break;
      case Component::kPattern:
        each([&](NodeId v) {
          const RdfTerm& t = pool_.term(v);
          if (!t.is_iri() && !t.is_literal()) return false;
          return RE2::PartialMatch(t.value, *c.regex);
        });
        break;
      case Component::kLanguageIn:
        each([&](NodeId v) {
          const RdfTerm& t = pool_.term(v);
          if (!t.is_literal()) return false;
          return std::any_of(c.nodes.begin(), c.nodes.end(), [&](NodeId range) {
            return LangMatches(t.language, pool_.term(range).value);
          });
        });
        break;
      case Component::kUniqueLang: {
        std::vector<std::string> order;
        absl::flat_hash_map<std::string, int> seen;
        for (NodeId v : values) {
          const RdfTerm& t = pool_.term(v);
          if (!t.is_literal() || t.language.empty()) continue;
          if (++seen[Lower(t.language)] == 2) order.push_back(Lower(t.language));
        }
        for (size_t i = 0; i < order.size(); ++i) report(std::nullopt);
        break;
      }
      case Component::kEquals: {
        const std::vector<NodeId> other = g_.Objects(focus, c.value);
        for (NodeId v : values) {
          if (std::find(other.begin(), other.end(), v) == other.end()) report(v);
        }
        for (NodeId o : other) {
          if (std::find(values.begin(), values.end(), o) == values.end()) report(o);
        }
        break;
      }
      case Component::kDisjoint: {
        const std::vector<NodeId> other = g_.Objects(focus, c.value);
        each([&](NodeId v) { return std::find(other.begin(), other.end(), v) == other.end(); });
        break;
      }
      case Component::kLessThan:
      case Component::kLessThanOrEquals: {
        const bool or_equal = c.component == Component::kLessThanOrEquals;
        for (NodeId v : values) {
          for (NodeId o : g_.Objects(focus, c.value)) {
            std::optional<int> cmp = CompareValues(pool_.term(v), pool_.term(o));
            if (!cmp || *cmp > 0 || (*cmp == 0 && !or_equal)) report(v);
          }
        }
        break;
      }
      case Component::kNot:
        each([&](NodeId v) { return !Conforms(c.shapes[0], v); });
        break;
      case Component::kNode:
        each([&](NodeId v) { return Conforms(c.shapes[0], v); });
        break;
      case Component::kAnd:
        each([&](NodeId v) {
          return std::all_of(c.shapes.begin(), c.shapes.end(), [&](int s) { return Conforms(s, v); });
        });
        break;
      case Component::kOr:
        each([&](NodeId v) {
          return std::any_of(c.shapes.begin(), c.shapes.end(), [&](int s) { return Conforms(s, v); });
        });
        break;
      case Component::kXone:
        each([&](NodeId v) {
          return std::count_if(c.shapes.begin(), c.shapes.end(),
                               [&](int s) { return Conforms(s, v); }) == 1;
        });
        break;
      case Component::kProperty:
        for (NodeId v : values) ValidateShape(c.shapes[0], v, out);
        break;
      case Component::kQualifiedMinCount:
      case Component::kQualifiedMaxCount: {
        int64_t n = 0;
        for (NodeId v : values) {
          if (!Conforms(c.shapes[0], v)) continue;
          if (std::any_of(c.siblings.begin(), c.siblings.end(), [&](int s) { return Conforms(s, v); })) {
            continue;
          }
          ++n;
        }
        if (c.component == Component::kQualifiedMinCount ? n < c.count : n > c.count) {
          report(std::nullopt);
        }
        break;
      }
      case Component::kClosed:
        for (NodeId v : values) {
          for (const IdTriple& t : g_.Out(v)) {
            if (std::find(c.nodes.begin(), c.nodes.end(), t.p) != c.nodes.end()) continue;
            report(t.o);
            Path p;
            p.predicate = t.p;
            out->back().path = std::move(p);
          }
        }
        break;
      case Component::kHasValue:
        if (std::find(values.begin(), values.end(), c.value) == values.end()) report(std::nullopt);
        break;
      case Component::kIn:
        each([&](NodeId v) { return std::find(c.nodes.begin(), c.nodes.end(), v) != c.nodes.end(); });
        break;
    }
  }

  const Graph& g_;
  const Shapes& shapes_;
  TermPool& pool_;
  absl::flat_hash_map<NodeId, std::string> node_kinds_;
  absl::flat_hash_set<uint64_t> active_;             // (shape, focus) being validated
  absl::flat_hash_map<uint64_t, bool> conforms_;     // (shape, node) -> conforms
};

}  // namespace

Report Validate(const Graph& data, const Shapes& shapes) { return Validator(data, shapes).Run(); }

}  // namespace kg::shacl
