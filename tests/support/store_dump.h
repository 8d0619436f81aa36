// Every key and value of a closed store, read with RocksDB directly: tests
// that two ways of building a store give the same bytes.
#ifndef KG_TESTS_SUPPORT_STORE_DUMP_H_
#define KG_TESTS_SUPPORT_STORE_DUMP_H_

#include <map>
#include <string>

namespace kg::testing {

// Column family name -> key -> value, for every column family but the
// metadata one (`default`). The store must not be open for writing.
std::map<std::string, std::map<std::string, std::string>> DumpStore(const std::string& path);

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_STORE_DUMP_H_
