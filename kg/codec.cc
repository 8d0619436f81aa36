// The one place cereal is used. cereal reports errors by throwing; every
// exception is caught here and turned into absl::DataLossError.
#include "kg/codec.h"

#include <sstream>

#include "kg/str_cat.h"
#include "cereal/archives/portable_binary.hpp"

// Strings and vectors in cereal's own format (a size tag, then the bytes or
// the elements), but loaded without trusting the size tag: a damaged record
// could otherwise ask for an allocation of any size before the read fails
// (the codec fuzzer found this: "requested allocation size 0x4030c515…").
// Every element takes at least one byte of the record, so no size may
// exceed what is left of it.
namespace kg::codec_internal {

// A streambuf over a fixed byte range, so decoding does not copy the value.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }
  size_t left() const { return static_cast<size_t>(egptr() - gptr()); }
};

thread_local const ViewBuf* decoding = nullptr;  // set by Decode for its record

inline void CheckSize(cereal::size_type size) {
  const size_t left = decoding != nullptr ? decoding->left() : 0;
  if (size > left) {
    throw cereal::Exception(StrCat("a length of ", size, " exceeds the ", left,
                                   " bytes left in the record"));
  }
}

}  // namespace kg::codec_internal

namespace cereal {
template <class Archive>
void CEREAL_SAVE_FUNCTION_NAME(Archive& ar, const std::string& str) {
  ar(make_size_tag(static_cast<size_type>(str.size())));
  ar(binary_data(str.data(), str.size()));
}
template <class Archive>
void CEREAL_LOAD_FUNCTION_NAME(Archive& ar, std::string& str) {
  size_type size;
  ar(make_size_tag(size));
  kg::codec_internal::CheckSize(size);
  str.resize(static_cast<std::size_t>(size));
  ar(binary_data(str.data(), static_cast<std::size_t>(size)));
}
template <class Archive, class T>
void CEREAL_SAVE_FUNCTION_NAME(Archive& ar, const std::vector<T>& vector) {
  static_assert(!std::is_arithmetic_v<T>, "cereal writes those as binary data");
  ar(make_size_tag(static_cast<size_type>(vector.size())));
  for (const T& v : vector) ar(v);
}
template <class Archive, class T>
void CEREAL_LOAD_FUNCTION_NAME(Archive& ar, std::vector<T>& vector) {
  static_assert(!std::is_arithmetic_v<T>, "cereal reads those as binary data");
  size_type size;
  ar(make_size_tag(size));
  kg::codec_internal::CheckSize(size);
  vector.resize(static_cast<std::size_t>(size));
  for (T& v : vector) ar(v);
}
}  // namespace cereal

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

template <typename T>
absl::StatusOr<T> Decode(std::string_view bytes, std::string_view what) {
  if (bytes.empty() || bytes[0] != kRecordVersion) {
    return absl::DataLossError(StrCat(
        what, " record has unknown version byte (",
        bytes.empty() ? -1 : static_cast<int>(static_cast<uint8_t>(bytes[0])),
        ")"));
  }
  codec_internal::ViewBuf buf(bytes.substr(1));
  std::istream is(&buf);
  T record;
  struct Scope {
    explicit Scope(const codec_internal::ViewBuf* b) { codec_internal::decoding = b; }
    ~Scope() { codec_internal::decoding = nullptr; }
  } scope(&buf);
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
