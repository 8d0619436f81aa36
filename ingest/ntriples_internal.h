// Character helpers that the N-Triples parser (ntriples.cc) and the
// canonical writer (rdf_io.cc) share.
#ifndef KG_INGEST_NTRIPLES_INTERNAL_H_
#define KG_INGEST_NTRIPLES_INTERNAL_H_

#include <cstdint>
#include <string>

namespace kg::ingest {

// `v` in `digits` upper-case hexadecimal digits, zero-padded.
std::string Hex(uint32_t v, int digits);

// Whether IRIREF excludes `c`, raw or escaped.
bool IsIriForbidden(char32_t c);

}  // namespace kg::ingest

#endif  // KG_INGEST_NTRIPLES_INTERNAL_H_
