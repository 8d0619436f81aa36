// Fuzzes the N-Triples / N-Quads reader (NQuadsReader over an in-memory
// stream) in both syntaxes, skipping bad lines the way `--keep-going` does,
// and the canonical writer.
//
// Invariants beyond "no crash": the canonical form of every statement read
// reads back as one equal statement with the same canonical form; and the
// bulk import's plain lane encodes every term of a plain statement exactly
// as the document lane's mapping (FromRdf) and the store's encoding do.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "ingest/rdf/ntriples.h"
#include "kg/rdf.h"
#include "kg/rdf_mapping.h"
#include "ingest/rdf/rdf_plain_lane.h"
#include "kg/bulk_load.h"

namespace {

using kg::ingest::NQuadsReader;
using kg::RdfQuad;

void RoundTrip(const RdfQuad& q, NQuadsReader::Syntax syntax, std::string_view input) {
  const std::string canonical = kg::ingest::CanonicalNQuad(q);
  std::istringstream in(canonical);
  NQuadsReader again("canonical", in, syntax);
  RdfQuad q2;
  if (!again.Next(&q2)) {
    kg::fuzz::Violation("canonical form does not read back",
                        canonical + again.FormatError(), input);
    return;
  }
  if (!(q2 == q) || kg::ingest::CanonicalNQuad(q2) != canonical) {
    kg::fuzz::Violation("canonical form reads back as a different statement",
                        canonical + kg::ingest::CanonicalNQuad(q2), input);
  }
  RdfQuad extra;
  if (again.Next(&extra)) {
    kg::fuzz::Violation("canonical form reads back as two statements", canonical, input);
  }
}

void CheckPlainEncoding(const RdfQuad& q, std::string_view input) {
  if (!kg::ingest::IsPlainStatement(q)) return;
  for (const kg::RdfTerm* t : {&q.s, &q.p, &q.o}) {
    auto term = kg::FromRdf(*t, "dfuzz");
    kg::PlainBatch slow, fast;
    if (!term.ok() || !kg::AppendPlainTerm(*term, &slow).ok()) continue;  // refused either way
    if (!kg::ingest::AppendPlainRdfTerm(*t, "dfuzz.", &fast).ok()) {
      kg::fuzz::Violation("the plain lane refuses a term the store accepts",
                          kg::ingest::CanonicalTerm(*t), input);
    } else if (fast.terms != slow.terms) {
      kg::fuzz::Violation("the plain lane encodes a term unlike the document lane",
                          kg::ingest::CanonicalTerm(*t), input);
    }
  }
}

void ReadAll(std::string_view input, NQuadsReader::Syntax syntax) {
  std::istringstream in{std::string(input)};
  NQuadsReader reader("fuzz.nq", in, syntax);
  RdfQuad q;
  // Every line is either a statement or an error, so the number of rounds
  // is bounded by the number of lines; the cap only guards against a reader
  // that stops making progress.
  for (size_t rounds = 0; rounds <= input.size() + 2; ++rounds) {
    if (reader.Next(&q)) {
      RoundTrip(q, syntax, input);
      CheckPlainEncoding(q, input);
      continue;
    }
    if (!reader.error()) return;
    (void)reader.FormatError();
    (void)reader.status();
    reader.SkipLine();
    if (reader.error()) return;  // a read error stays
  }
  kg::fuzz::Fail("NQuadsReader makes no progress", std::to_string(reader.line()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadAll(input, NQuadsReader::Syntax::kNTriples);
  ReadAll(input, NQuadsReader::Syntax::kNQuads);
  return 0;
}
