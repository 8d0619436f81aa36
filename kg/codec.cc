// The one place cereal is used. Records are written by cereal's portable
// binary archive and read back by RecordInputArchive, a cereal input archive
// of our own for the same format. cereal reports errors by throwing; every
// exception is caught here and turned into absl::DataLossError.
#include "kg/codec.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <sstream>
#include <type_traits>

#include "cereal/archives/portable_binary.hpp"
#include "cereal/cereal.hpp"
#include "cereal/types/string.hpp"
#include "cereal/types/vector.hpp"
#include "kg/str_cat.h"

namespace kg {
namespace {

// Reads what cereal::PortableBinaryOutputArchive writes -- a byte naming the
// byte order (1 = little-endian), then integers in that order, strings and
// vectors as a uint64 size tag followed by the bytes or the elements --
// straight from the record's bytes, without copying them into a stream.
//
// It knows how many bytes are left, and refuses a size tag larger than that
// before cereal's string and vector loaders resize anything: a damaged
// record could otherwise ask for an allocation of any size before the read
// fails (the codec fuzzer found "requested allocation size 0x4030c515…").
// The bound holds because every element of a stored string or vector takes
// at least one byte. cereal's own loaders for std::string and std::vector
// (cereal/types/) do the rest: they are found for this archive by cereal's
// usual lookup, through the three primitives below (arithmetic values,
// BinaryData and SizeTag).
class RecordInputArchive
    : public cereal::InputArchive<RecordInputArchive, cereal::AllowEmptyClassElision> {
 public:
  // Reads the byte-order byte. Throws cereal::Exception if `bytes` is empty.
  explicit RecordInputArchive(std::string_view bytes)
      : cereal::InputArchive<RecordInputArchive, cereal::AllowEmptyClassElision>(this),
        rest_(bytes) {
    constexpr uint8_t kNativeLittle = std::endian::native == std::endian::little;
    swap_ = static_cast<uint8_t>(Take(1)[0]) != kNativeLittle;
  }

  // Bytes not read yet.
  size_t left() const { return rest_.size(); }

  // Copies the next `size` bytes to `data`, reversing the bytes of each
  // `element_size`-byte element when the archive's byte order is not ours.
  void ReadBinary(void* data, size_t size, size_t element_size) {
    char* out = static_cast<char*>(data);
    std::memcpy(out, Take(size).data(), size);
    if (swap_ && element_size > 1) {
      for (size_t i = 0; i + element_size <= size; i += element_size) {
        std::reverse(out + i, out + i + element_size);
      }
    }
  }

  // A size tag: the number of bytes or elements that follow.
  cereal::size_type ReadSize() {
    cereal::size_type size;
    ReadBinary(&size, sizeof(size), sizeof(size));
    if (size > left()) {
      throw cereal::Exception(
          StrCat("a length of ", size, " exceeds the ", left(), " bytes left in the record"));
    }
    return size;
  }

 private:
  std::string_view Take(size_t n) {
    if (n > rest_.size()) {
      throw cereal::Exception(
          StrCat("a read of ", n, " bytes runs past the end of the record (", rest_.size(),
                 " bytes left)"));
    }
    const std::string_view taken = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return taken;
  }

  std::string_view rest_;
  bool swap_ = false;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(RecordInputArchive& ar,
                                                                    T& value) {
  ar.ReadBinary(&value, sizeof(T), sizeof(T));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(RecordInputArchive& ar, cereal::BinaryData<T>& data) {
  ar.ReadBinary(data.data, data.size, sizeof(std::remove_pointer_t<T>));
}

template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(RecordInputArchive& ar, cereal::SizeTag<T>& tag) {
  tag.size = ar.ReadSize();
}

}  // namespace

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
    // Writes the byte order first: the machine's, little-endian on every
    // machine kg runs on.
    cereal::PortableBinaryOutputArchive archive(os);
    archive(record);
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
  T record;
  try {
    RecordInputArchive archive(bytes.substr(1));
    archive(record);
    if (archive.left() != 0) {
      return absl::DataLossError(StrCat(what, " record has trailing bytes"));
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(
        StrCat(what, " record is malformed: ", e.what()));
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
