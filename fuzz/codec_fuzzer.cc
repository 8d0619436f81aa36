// Fuzzes the stored-record decoders of kg/codec.h on arbitrary bytes, as a
// damaged store would hand them over, and the key and value parsers of
// kg/keys.h and kg/term_id.h that read the same store.
//
// Invariant beyond "no crash" (the codec promises DataLoss, never a crash):
// what a decoder accepts re-encodes to bytes that decode and re-encode to
// the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "kg/codec.h"
#include "kg/keys.h"
#include "kg/term.h"
#include "kg/term_id.h"

namespace {

template <typename Decode, typename Encode>
void Check(const char* name, std::string_view input, Decode decode, Encode encode) {
  auto record = decode(input);
  if (!record.ok()) {
    if (record.status().code() != absl::StatusCode::kDataLoss) {
      kg::fuzz::Violation(std::string(name) + " failed with a code other than DataLoss",
                          record.status().ToString(), input);
    }
    return;
  }
  const std::string bytes = encode(*record);
  auto again = decode(bytes);
  if (!again.ok()) {
    kg::fuzz::Fail(std::string(name) + ": its own encoding does not decode",
                   again.status().ToString());
  }
  if (encode(*again) != bytes) {
    kg::fuzz::Fail(std::string(name) + ": encode(decode(encode(r))) != encode(r)", "");
  }
}

void WriteSeed(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
}

// With $KG_FUZZ_WRITE_SEEDS=DIR, writes one valid encoding of each record,
// key and value kind to DIR (scripts/fuzz.sh builds the seed corpus so).
void WriteSeeds(const std::string& dir) {
  const std::string iran = std::string(kg::TermId::Dense(kg::IdTag::kEntity, 2).bytes());
  const std::string drone = std::string(kg::TermId::Dense(kg::IdTag::kEntity, 4).bytes());
  const std::string doc = std::string(kg::TermId::Dense(kg::IdTag::kDocument, 1).bytes());
  kg::EvidenceRecord e;
  e.quote = "Iran supplied Shahed drones";
  e.span = {true, 12, 39};
  e.agent_id = iran;
  e.via_ids = {doc};
  e.hedge = 2;
  e.stance = 1;
  e.negated = true;
  e.qualifiers = {{"time", drone}};
  WriteSeed(dir, "evidence", kg::EncodeEvidence(e));
  WriteSeed(dir, "evidence-empty", kg::EncodeEvidence({}));
  kg::DocumentRecord d;
  d.id = "report-2025";
  d.title = "A report";
  d.publisher = "Publisher";
  d.authors = {"A. Author", "B. Author"};
  d.has_date = true;
  d.year = 2025;
  d.month = 3;
  d.day = 14;
  d.url = "https://example.org/r";
  d.type = "Report";
  d.text = "Ünïcode text: Iran supplied Shahed drones.";
  d.sha256 = std::string(32, '\x5a');
  d.links = {{1, doc, "cited", {true, 0, 5}}};
  d.next_ordinal = 7;
  WriteSeed(dir, "document", kg::EncodeDocument(d));
  WriteSeed(dir, "document-empty", kg::EncodeDocument({}));
  WriteSeed(dir, "entity", kg::EncodeEntity({"Iran", {"Tehran", "IR"}, "Country"}));
  const kg::TermId s = kg::TermId::Dense(kg::IdTag::kEntity, 2);
  const kg::TermId p = kg::TermId::Dense(kg::IdTag::kEntity, 3);
  const kg::TermId o = kg::TermId::Dense(kg::IdTag::kEntity, 4);
  WriteSeed(dir, "triple-key", kg::TripleKey(kg::Permutation::kSpo, {s, p, o}));
  WriteSeed(dir, "evidence-key", kg::EvidenceKey(kg::TermId::Dense(kg::IdTag::kClaim, 5), kg::TermId::Dense(kg::IdTag::kDocument, 1), 3));
  WriteSeed(dir, "stats", kg::EncodePredicateStats({10, 4, 7}));
  WriteSeed(dir, "dictionary", kg::DictionaryValue(kg::Term::Entity("ShahedDrone")));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("KG_FUZZ_WRITE_SEEDS"); dir != nullptr) WriteSeeds(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Check("DecodeEvidence", input, kg::DecodeEvidence, kg::EncodeEvidence);
  Check("DecodeDocument", input, kg::DecodeDocument, kg::EncodeDocument);
  Check("DecodeEntity", input, kg::DecodeEntity, kg::EncodeEntity);

  for (auto perm : {kg::Permutation::kSpo, kg::Permutation::kPos, kg::Permutation::kOsp}) {
    if (auto t = kg::ParseTripleKey(perm, input); t && kg::TripleKey(perm, *t) != input) {
      kg::fuzz::Fail("TripleKey(ParseTripleKey(k)) != k", std::string(kg::PermutationName(perm)));
    }
  }
  (void)kg::ParseEvidenceKey(input);
  (void)kg::ParseDocEvidenceKey(input);
  (void)kg::ParseTextKey(input);
  if (auto stats = kg::DecodePredicateStats(input)) {
    if (kg::DecodePredicateStats(kg::EncodePredicateStats(*stats)) != stats) {
      kg::fuzz::Fail("PredicateStats do not round-trip", "");
    }
  }
  (void)kg::ParseDictionaryValue(input);
  if (auto id = kg::TermId::FromBytes(input)) (void)kg::DecodeInline(*id);
  return 0;
}
