// A SHACL Core shapes graph read into shapes: their targets, property
// paths and constraints (one per parameter value), with references to other
// shapes (sh:node, sh:property, sh:and, ...) as indexes into Shapes.
// SPARQL-based constraints and targets, and custom constraint components,
// are refused (Unimplemented).
#ifndef KG_SHACL_SHAPES_H_
#define KG_SHACL_SHAPES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "shacl/graph.h"

namespace kg::shacl {

inline constexpr std::string_view kShNs = "http://www.w3.org/ns/shacl#";

// A SHACL property path.
struct Path {
  enum class Kind { kPredicate, kInverse, kSequence, kAlternative, kZeroOrMore, kOneOrMore, kZeroOrOne };
  Kind kind = Kind::kPredicate;
  NodeId predicate = 0;     // kPredicate
  std::vector<Path> parts;  // the operand of unary kinds; the members of sequences and alternatives
};

// The path in SPARQL property path syntax with full IRIs
// ("^<p>/(<q>|<r>)*"); equal paths give equal strings.
std::string PathToString(const Path& path, const TermPool& pool);

// The path whose SHACL syntax starts at `node`. InvalidArgument if it is
// ill-formed (or cyclic).
absl::StatusOr<Path> ParsePath(const Graph& graph, NodeId node);

// The SHACL Core constraint components of the subset.
enum class Component : uint8_t {
  kClass, kDatatype, kNodeKind, kMinCount, kMaxCount, kMinExclusive, kMinInclusive,
  kMaxExclusive, kMaxInclusive, kMinLength, kMaxLength, kPattern, kLanguageIn, kUniqueLang,
  kEquals, kDisjoint, kLessThan, kLessThanOrEquals, kNot, kAnd, kOr, kXone, kNode, kProperty,
  kQualifiedMinCount, kQualifiedMaxCount, kClosed, kHasValue, kIn,
};

// "http://www.w3.org/ns/shacl#ClassConstraintComponent", ...
std::string ComponentIri(Component c);

struct Constraint {
  Component component = Component::kClass;
  // The parameter's node: the class, datatype, node kind, bound, property
  // (equals, disjoint, lessThan...), or sh:hasValue's value.
  NodeId value = 0;
  int64_t count = 0;          // minCount, maxCount, minLength, maxLength, qualified counts
  std::vector<NodeId> nodes;  // sh:in, sh:languageIn; sh:closed: the allowed predicates
  std::vector<int> shapes;    // not, node, property, qualifiedValueShape: one; and, or, xone: the list
  std::vector<int> siblings;  // qualified counts with sh:qualifiedValueShapesDisjoint true
  std::shared_ptr<const RE2> regex;  // sh:pattern with its sh:flags
};

struct Shape {
  NodeId node = 0;
  std::optional<Path> path;  // set exactly for property shapes
  std::vector<NodeId> target_nodes, target_classes, target_subjects_of, target_objects_of;
  bool deactivated = false;
  NodeId severity = 0;  // sh:Violation unless sh:severity says otherwise
  std::vector<NodeId> messages;
  std::vector<Constraint> constraints;

  bool has_targets() const {
    return !target_nodes.empty() || !target_classes.empty() || !target_subjects_of.empty() ||
           !target_objects_of.empty();
  }
};

struct Shapes {
  std::shared_ptr<TermPool> pool;
  std::vector<Shape> shapes;  // in the order the shapes graph names them
  absl::flat_hash_map<NodeId, int> index;  // shape node -> position in `shapes`
};

// The shapes of `graph` (Finish()ed): every node that is a sh:NodeShape or
// sh:PropertyShape or has a target, and every shape they reach. `source`
// names the graph in messages. InvalidArgument names the shape and the
// parameter for an ill-formed shape (a bad count, regex, list or path);
// Unimplemented for SHACL features outside the subset (sh:sparql,
// sh:target, custom constraint components).
absl::StatusOr<Shapes> ParseShapes(const Graph& graph, std::string_view source);

}  // namespace kg::shacl

#endif  // KG_SHACL_SHAPES_H_
