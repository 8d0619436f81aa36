// Nanopublications (https://nanopub.net): a head graph naming an assertion
// graph, a provenance graph and a publication-info graph. kg imports each
// nanopublication as one document whose claims are the assertion's
// statements, with the provenance of the assertion as their evidence and
// the document's links (prov:wasDerivedFrom, prov:hadPrimarySource, ...), and
// the publication info as the document's metadata; and it exports a
// document's claims with their evidence as nanopublications. The mapping is
// in schemas/rdf-mapping.md ("Nanopublications").
#ifndef KG_INGEST_RDF_NANOPUB_H_
#define KG_INGEST_RDF_NANOPUB_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "kg/rdf.h"
#include "kg/model.h"
#include "kg/store.h"

namespace kg::ingest {

inline constexpr std::string_view kNpNs = "http://www.nanopub.org/nschema#";

// Whether `quads` hold a nanopublication (a `rdf:type np:Nanopublication`).
bool HasNanopub(const std::vector<RdfQuad>& quads);

// The nanopublications of a dataset (all statements of one file, in file
// order), each as the write of its document, after checking the validity
// rules of the nanopublication test suite: one head per nanopublication
// with exactly one np:hasAssertion, np:hasProvenance and
// np:hasPublicationInfo; the four graphs distinct, present, non-empty and
// each written as one block; no statement outside them; the provenance about
// the assertion and the publication info about the nanopublication; and
// literals of XSD types well formed. InvalidArgument names the rule that
// fails and the nanopublication. Trusty URIs and signatures are not checked.
absl::StatusOr<std::vector<DocumentWrite>> NanopubsToDocuments(
    const std::vector<RdfQuad>& quads);

// Writes the claims `doc_id` holds as TriG nanopublications, one per piece
// of evidence: the claim as the assertion, the evidence (document, quote,
// agent, hedge, stance) as its provenance, and kg as the publisher in the
// publication info. Nanopublication IRIs are
// https://w3id.org/kg/np/<document>/<ordinal>/ -- not trusty URIs.
absl::Status ExportNanopubs(const Snapshot& snap, const std::string& doc_id,
                            std::ostream& out);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_NANOPUB_H_
