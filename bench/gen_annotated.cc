// gen_annotated: writes a synthetic annotated corpus for ingest benchmarks.
//   gen_annotated OUT_DIR [DOCS] [CLAIMS_PER_DOC] [SEED]
// Writes OUT_DIR/vocab.kgv and OUT_DIR/gen-N.kga; deterministic for a seed.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/annotated_gen.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: gen_annotated OUT_DIR [DOCS=100] [CLAIMS_PER_DOC=200] [SEED=42]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int docs = argc > 2 ? std::atoi(argv[2]) : 100;
  kg::bench::GenOptions o;
  if (argc > 3) o.claims_per_doc = std::atoi(argv[3]);
  if (argc > 4) o.seed = std::strtoull(argv[4], nullptr, 10);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "vocab.kgv") << kg::bench::GenerateVocabulary(o);
  for (int i = 0; i < docs; ++i) {
    std::ofstream(dir / ("gen-" + std::to_string(i) + ".kga")) << kg::bench::GenerateDocument(o, i);
  }
  std::cout << "wrote " << docs << " documents of " << o.claims_per_doc << " claims to " << dir
            << "\n";
  return 0;
}
