// SHACL Core validation of a data graph against parsed shapes, and the
// validation report it produces (https://www.w3.org/TR/shacl/#validation-report).
#ifndef KG_SHACL_VALIDATOR_H_
#define KG_SHACL_VALIDATOR_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "shacl/graph.h"
#include "shacl/shapes.h"

namespace kg::shacl {

// One sh:ValidationResult. Nodes are ids in the report's pool.
struct ValidationResult {
  NodeId focus = 0;
  std::optional<Path> path;  // sh:resultPath
  std::optional<NodeId> value;
  NodeId source_shape = 0;
  Component component = Component::kClass;
  NodeId severity = 0;
  std::vector<NodeId> messages;  // sh:resultMessage: the shape's sh:message values
};

struct Report {
  std::shared_ptr<TermPool> pool;
  std::vector<ValidationResult> results;  // in the order validation found them
  // sh:conforms: true exactly when there are no results (of any severity).
  bool conforms() const { return results.empty(); }
};

// Validates `data` against `shapes`. REQUIRES: both use the same TermPool
// and `data` is Finish()ed. Every shape with targets that is not
// deactivated is checked against each of its focus nodes. Recursive shapes
// are cut where a shape is re-entered for the same focus node (that
// occurrence counts as conforming).
Report Validate(const Graph& data, const Shapes& shapes);

}  // namespace kg::shacl

#endif  // KG_SHACL_VALIDATOR_H_
