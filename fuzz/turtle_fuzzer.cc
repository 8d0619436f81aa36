// Fuzzes the Turtle / TriG reader (TurtleReader over an in-memory stream;
// the first byte picks the syntax), skipping bad statements the way
// `--keep-going` does, and the Turtle / TriG writer.
//
// Invariants beyond "no crash": every statement read is written back by
// TurtleWriter as text that reads again, without error, as the same
// statements (blank node labels as the reader maps them); and the reader
// always makes progress.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "ingest/rdf/ntriples.h"
#include "ingest/rdf/turtle.h"
#include "ingest/rdf/turtle_writer.h"

namespace {

using kg::RdfQuad;
using kg::RdfTerm;

// What the reader makes of a blank node label written in the file.
RdfTerm Relabel(const RdfTerm& t) {
  if (t.is_blank_node()) {
    std::string label = t.value;
    if (label.starts_with("genid-")) label.insert(6, "-");
    return RdfTerm::BlankNode(label);
  }
  if (t.is_triple_term() && t.triple != nullptr) {
    return RdfTerm::TripleTerm(Relabel(t.triple->s), Relabel(t.triple->p),
                               Relabel(t.triple->o));
  }
  return t;
}

std::string Canonical(const std::vector<RdfQuad>& quads, bool relabel) {
  std::string out;
  for (const RdfQuad& q : quads) {
    if (!relabel) {
      out += kg::ingest::CanonicalNQuad(q);
      continue;
    }
    RdfQuad r{Relabel(q.s), q.p, Relabel(q.o), std::nullopt};
    if (q.graph) r.graph = Relabel(*q.graph);
    out += kg::ingest::CanonicalNQuad(r);
  }
  return out;
}

std::vector<RdfQuad> ReadAll(std::string_view text, bool trig, bool* clean,
                             std::string* errors) {
  std::istringstream in{std::string(text)};
  kg::ingest::TurtleReader reader("fuzz.ttl", in, trig,
                                  "http://example.org/base/");
  std::vector<RdfQuad> quads;
  RdfQuad q;
  *clean = true;
  // Each round returns a statement or skips past an error, which consumes
  // input; the cap guards against a reader that stops making progress.
  size_t rounds = 0;
  for (; rounds <= 4 * text.size() + 8; ++rounds) {
    if (reader.Next(&q)) {
      quads.push_back(q);
      continue;
    }
    if (!reader.error()) return quads;
    *clean = false;
    if (errors != nullptr) *errors += reader.FormatError();
    (void)reader.status();
    reader.SkipLine();
    if (reader.error()) return quads;
  }
  kg::fuzz::Violation("the Turtle reader stops making progress", "", text);
  return quads;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool trig = (data[0] & 1) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  bool clean = true;
  const std::vector<RdfQuad> quads = ReadAll(input, trig, &clean, nullptr);
  std::ostringstream written;
  kg::ingest::TurtleWriter writer(written, true,
                                  {{"ex", "http://example.org/"}});
  for (const RdfQuad& q : quads) writer.Write(q);
  writer.Finish();
  bool again_clean = true;
  std::string errors;
  const std::vector<RdfQuad> back =
      ReadAll(written.str(), true, &again_clean, &errors);
  if (!again_clean) {
    kg::fuzz::Violation("what the Turtle writer wrote does not read back",
                        written.str() + errors, input);
  } else if (Canonical(back, false) != Canonical(quads, true)) {
    kg::fuzz::Violation(
        "what the Turtle writer wrote reads back as other statements",
        written.str(), input);
  }
  return 0;
}
