// A scratch store holding the sample corpus (examples/corpus), for the
// harnesses that run queries against real data (query, sparql).
#ifndef KG_FUZZ_CORPUS_STORE_H_
#define KG_FUZZ_CORPUS_STORE_H_

#include "kg/store.h"

namespace kg::fuzz {

// Opens a scratch store and ingests examples/corpus into it; Fail()s if the
// corpus does not load cleanly. The store lives until the process ends.
Store* OpenCorpusStore();

}  // namespace kg::fuzz

#endif  // KG_FUZZ_CORPUS_STORE_H_
