#include "tests/support/store_dump.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "kg/keys.h"
#include "rocksdb/db.h"

namespace kg::testing {

std::map<std::string, std::map<std::string, std::string>> DumpStore(const std::string& path) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (int i = 0; i < kNumCfs; ++i) {
    cfs.emplace_back(std::string(CfName(static_cast<Cf>(i))), rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, cfs, &handles, &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::map<std::string, std::map<std::string, std::string>> out;
  if (!s.ok()) return out;
  for (int i = 1; i < kNumCfs; ++i) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[i]));
    auto& m = out[std::string(CfName(static_cast<Cf>(i)))];
    for (it->SeekToFirst(); it->Valid(); it->Next()) m[it->key().ToString()] = it->value().ToString();
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return out;
}

}  // namespace kg::testing
