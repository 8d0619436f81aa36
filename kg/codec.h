// Binary encodings of the records stored as RocksDB values (evidence,
// documents, entities). Terms inside records are stored as 8-byte TermIds;
// the store converts between these records and the model types.
//
// Each encoding starts with a one-byte record version; decoding checks it and
// every length, so bytes read back from a damaged store give DataLoss, never
// a crash.
#ifndef KG_CODEC_H_
#define KG_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace kg {

struct SpanRecord {
  bool present = false;
  uint64_t start = 0;
  uint64_t end = 0;
};

struct QualifierRecord {
  std::string key;
  std::string value_id;  // TermId bytes
};

struct EvidenceRecord {
  std::string quote;
  SpanRecord span;
  std::string agent_id;  // TermId bytes, empty if none
  std::vector<std::string> via_ids;
  uint8_t hedge = 0;
  uint8_t stance = 0;
  bool negated = false;
  std::vector<QualifierRecord> qualifiers;
};

struct LinkRecord {
  uint8_t relation = 0;
  std::string target_id;
  std::string quote;
  SpanRecord span;
};

struct DocumentRecord {
  std::string id;
  std::string title;
  std::string publisher;
  std::vector<std::string> authors;
  bool has_date = false;
  int32_t year = 0;
  uint8_t month = 0;
  uint8_t day = 0;
  std::string url;
  std::string type;
  std::string text;
  std::string sha256;
  std::vector<LinkRecord> links;
  uint32_t next_ordinal = 0;  // ordinal of the next piece of evidence appended
};

struct EntityRecord {
  std::string name;
  std::vector<std::string> aliases;
  std::string type;
};

std::string EncodeEvidence(const EvidenceRecord& record);
absl::StatusOr<EvidenceRecord> DecodeEvidence(std::string_view bytes);

std::string EncodeDocument(const DocumentRecord& record);
absl::StatusOr<DocumentRecord> DecodeDocument(std::string_view bytes);

std::string EncodeEntity(const EntityRecord& record);
absl::StatusOr<EntityRecord> DecodeEntity(std::string_view bytes);

}  // namespace kg

#endif  // KG_CODEC_H_
