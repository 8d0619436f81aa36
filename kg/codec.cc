// The one place cereal is used. cereal reports errors by throwing; every
// exception is caught here and turned into absl::DataLossError.
#include "kg/codec.h"

#include <sstream>

#include "kg/str_cat.h"
#include "cereal/archives/portable_binary.hpp"
#include "cereal/types/string.hpp"
#include "cereal/types/vector.hpp"

namespace kg {

template <class Archive>
void serialize(Archive& ar, SpanRecord& r) {
  ar(r.present, r.start, r.end);
}
template <class Archive>
void serialize(Archive& ar, QualifierRecord& r) {
  ar(r.key, r.value_id);
}
template <class Archive>
void serialize(Archive& ar, EvidenceRecord& r) {
  ar(r.quote, r.span, r.agent_id, r.via_ids, r.hedge, r.stance, r.negated,
     r.qualifiers);
}
template <class Archive>
void serialize(Archive& ar, LinkRecord& r) {
  ar(r.relation, r.target_id, r.quote, r.span);
}
template <class Archive>
void serialize(Archive& ar, DocumentRecord& r) {
  ar(r.id, r.title, r.publisher, r.authors, r.has_date, r.year, r.month, r.day,
     r.url, r.type, r.text, r.sha256, r.links, r.next_ordinal);
}
template <class Archive>
void serialize(Archive& ar, EntityRecord& r) {
  ar(r.name, r.aliases, r.type);
}

namespace {

constexpr char kRecordVersion = 1;

template <typename T>
std::string Encode(const T& record) {
  std::ostringstream os(std::ios::binary);
  os.put(kRecordVersion);
  {
    cereal::PortableBinaryOutputArchive archive(os);
    archive(const_cast<T&>(record));
  }
  return std::move(os).str();
}

// A streambuf over a fixed byte range, so decoding does not copy the value.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }
};

template <typename T>
absl::StatusOr<T> Decode(std::string_view bytes, std::string_view what) {
  if (bytes.empty() || bytes[0] != kRecordVersion) {
    return absl::DataLossError(StrCat(
        what, " record has unknown version byte (",
        bytes.empty() ? -1 : static_cast<int>(static_cast<uint8_t>(bytes[0])),
        ")"));
  }
  ViewBuf buf(bytes.substr(1));
  std::istream is(&buf);
  T record;
  try {
    cereal::PortableBinaryInputArchive archive(is);
    archive(record);
  } catch (const std::exception& e) {
    return absl::DataLossError(
        StrCat(what, " record is malformed: ", e.what()));
  }
  if (is.peek() != std::char_traits<char>::eof()) {
    return absl::DataLossError(StrCat(what, " record has trailing bytes"));
  }
  return record;
}

}  // namespace

std::string EncodeEvidence(const EvidenceRecord& r) { return Encode(r); }
absl::StatusOr<EvidenceRecord> DecodeEvidence(std::string_view b) {
  return Decode<EvidenceRecord>(b, "evidence");
}
std::string EncodeDocument(const DocumentRecord& r) { return Encode(r); }
absl::StatusOr<DocumentRecord> DecodeDocument(std::string_view b) {
  return Decode<DocumentRecord>(b, "document");
}
std::string EncodeEntity(const EntityRecord& r) { return Encode(r); }
absl::StatusOr<EntityRecord> DecodeEntity(std::string_view b) {
  return Decode<EntityRecord>(b, "entity");
}

}  // namespace kg
