// Whether two RDF datasets are isomorphic (RDF 1.1 Concepts, section 3.6,
// extended to graphs names and RDF 1.2 triple terms): equal up to a
// one-to-one renaming of blank nodes. Duplicate statements count once.
// Meant for test-sized data: blank nodes are told apart by iterated hashing
// of their neighbourhoods, and the rest is a backtracking search.
#ifndef KG_TESTS_SUPPORT_RDF_ISOMORPHISM_H_
#define KG_TESTS_SUPPORT_RDF_ISOMORPHISM_H_

#include <string>
#include <vector>

#include "kg/rdf.h"

namespace kg::testing {

// True if `a` and `b` are isomorphic; otherwise false, with `*why` saying
// how they differ (a statement of one that the other lacks, when it can).
bool Isomorphic(const std::vector<kg::RdfQuad>& a,
                const std::vector<kg::RdfQuad>& b, std::string* why);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_RDF_ISOMORPHISM_H_
