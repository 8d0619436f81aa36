// SHA-256 (FIPS 180-4). Used for document content hashes and, truncated, for
// the hashed term ids of the storage format. Tested against NIST vectors.
#ifndef KG_SHA256_H_
#define KG_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kg {

// Incremental hasher. Not thread-safe; cheap to create.
class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  void Update(std::string_view data);
  // Finishes the hash. The object must not be updated afterwards.
  Digest Finish();

  static Digest Hash(std::string_view data);
  static std::string HexDigest(std::string_view data);
  static std::string ToHex(const Digest& digest);

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace kg

#endif  // KG_SHA256_H_
