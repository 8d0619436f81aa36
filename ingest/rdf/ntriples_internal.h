// Character helpers that the N-Triples parser (ntriples.cc), the Turtle
// parser (turtle.cc) and the writers (rdf_io.cc, turtle_writer.cc) share.
#ifndef KG_INGEST_RDF_NTRIPLES_INTERNAL_H_
#define KG_INGEST_RDF_NTRIPLES_INTERNAL_H_

#include <cstdint>
#include <string>

namespace kg::ingest {

// `v` in `digits` upper-case hexadecimal digits, zero-padded.
std::string Hex(uint32_t v, int digits);

// Whether IRIREF excludes `c`, raw or escaped.
bool IsIriForbidden(char32_t c);

// The character classes of the N-Triples / Turtle grammars (PN_CHARS_BASE,
// PN_CHARS_U, PN_CHARS). Negative values (end of input) are in none.
bool IsPnCharsBase(int64_t c);
bool IsPnCharsU(int64_t c);
bool IsPnChars(int64_t c);

// The value of hexadecimal digit `c`, or -1.
int HexValue(int c);

// The character an ECHAR escape `\c` stands for (\t \b \n \r \f \" \'
// \\), or -1 when `c` does not make one.
int EcharValue(int c);

}  // namespace kg::ingest

#endif  // KG_INGEST_RDF_NTRIPLES_INTERNAL_H_
