#include "kg/txlog.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "kg/str_cat.h"

namespace kg {

namespace {

// A field without the separators: tabs and line breaks become spaces.
std::string Field(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string TxKey(uint64_t id) { return StrCat(kTxKeyPrefix, absl::StrFormat("%020u", id)); }

std::string TxDocKey(std::string_view document, uint64_t id) {
  return StrCat(kTxDocKeyPrefix, document, std::string(1, '\0'), absl::StrFormat("%020u", id));
}

std::string EncodeTx(const TxRecord& tx) {
  return StrCat(tx.unix_micros, "\t", Field(tx.user), "\t", Field(tx.command), "\t", tx.kind, "\t",
                Field(tx.document), "\t", tx.count);
}

absl::StatusOr<TxRecord> DecodeTx(std::string_view key, std::string_view value) {
  TxRecord tx;
  if (!key.starts_with(kTxKeyPrefix) ||
      !absl::SimpleAtoi(absl::string_view(key.data() + kTxKeyPrefix.size(),
                                          key.size() - kTxKeyPrefix.size()),
                        &tx.id)) {
    return absl::DataLossError(StrCat("malformed transaction key ", key));
  }
  std::vector<std::string> f =
      absl::StrSplit(absl::string_view(value.data(), value.size()), '\t');
  if (f.size() != 6 || !absl::SimpleAtoi(f[0], &tx.unix_micros) ||
      !absl::SimpleAtoi(f[5], &tx.count)) {
    return absl::DataLossError(StrCat("malformed transaction record ", tx.id));
  }
  tx.user = f[1];
  tx.command = f[2];
  tx.kind = f[3];
  tx.document = f[4];
  return tx;
}

}  // namespace kg
