#include "fuzz/corpus_store.h"

#include <sstream>

#include "fuzz/fuzz_support.h"
#include "ingest/annotated/ingest.h"

namespace kg::fuzz {

Store* OpenCorpusStore() {
  Store* store = OpenScratchStore().release();
  std::ostringstream err, progress;
  auto summary =
      ingest::IngestPaths(*store, {SourceDir() + "/examples/corpus"}, {}, err, progress);
  if (!summary.ok()) Fail("cannot ingest examples/corpus", summary.status().ToString());
  if (!summary->ok() || summary->documents_loaded == 0) {
    Fail("examples/corpus did not load cleanly", err.str());
  }
  return store;
}

}  // namespace kg::fuzz
