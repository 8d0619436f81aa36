// The mapping between kg terms and RDF terms (schemas/rdf-mapping.md):
// entities and documents become IRIs in kg's namespaces, native literals
// become XSD literals, claims become triple terms. Used by export and import
// so the two stay inverse to each other.
#ifndef KG_KG_RDF_MAPPING_H_
#define KG_KG_RDF_MAPPING_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "kg/rdf.h"
#include "kg/term.h"

namespace kg {

inline constexpr std::string_view kKgVocabNs = "https://w3id.org/kg/vocab#";
inline constexpr std::string_view kKgEntityNs = "https://w3id.org/kg/entity/";
inline constexpr std::string_view kKgDocNs = "https://w3id.org/kg/doc/";
inline constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
inline constexpr std::string_view kXsdNs = "http://www.w3.org/2001/XMLSchema#";
inline constexpr std::string_view kProvNs = "http://www.w3.org/ns/prov#";
inline constexpr std::string_view kDctNs = "http://purl.org/dc/terms/";

// kg vocabulary IRI: kKgVocabNs + local.
std::string KgIri(std::string_view local);

// Percent-encodes every byte outside [A-Za-z0-9._~-] (so '%' itself too).
std::string PercentEncode(std::string_view s);
// Inverse of PercentEncode; nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s);

// RDF 1.2 allows a triple term only in object position, so a claim used as
// a subject (at any depth) is written as a blank node that rdf:reifies it;
// `subject_claim` returns that node (and is responsible for emitting its
// rdf:reifies statement). Without it, claims in subject position are written
// as triple terms (not valid RDF 1.2; for display only).
using SubjectClaimFn = std::function<RdfTerm(const Term& claim)>;
RdfTerm ToRdf(const Term& term, const SubjectClaimFn& subject_claim = nullptr);

// Converts an RDF term to a kg term. Blank node labels are scoped: a label
// that does not already start with `blank_scope` + "." gets that prefix, so
// blank nodes of different documents never merge while a kg export
// re-imports with the same labels.
// `reified`, if given, maps blank node labels written for claims in subject
// position (see ToRdf) back to their triple terms.
absl::StatusOr<Term> FromRdf(const RdfTerm& term, std::string_view blank_scope,
                             const std::map<std::string, RdfTerm>* reified = nullptr);

// The name of document `doc_id` as an RDF graph (SPARQL's GRAPH): the IRI
// itself when the id is an absolute IRI (a named graph imported from
// N-Quads or TriG keeps its name), else the document (kgd:id).
Term GraphName(std::string_view doc_id);

// A blank-node-label-safe scope for a document id: "d", then the id with
// [A-Za-z0-9-] kept, '_' written "__" and any other byte "_xx" (lowercase
// hex). Reversible, so distinct ids always get distinct scopes; never
// contains '.', so "scope." starts no other document's labels.
std::string BlankScope(std::string_view doc_id);

}  // namespace kg

#endif  // KG_KG_RDF_MAPPING_H_
