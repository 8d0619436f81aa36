// The core vocabulary (schemas/vocab/core.kgv), compiled into kg.
#ifndef KG_INGEST_ANNOTATED_CORE_VOCABULARY_H_
#define KG_INGEST_ANNOTATED_CORE_VOCABULARY_H_

#include <string_view>

namespace kg::ingest {

std::string_view CoreVocabularyText();

}  // namespace kg::ingest

#endif  // KG_INGEST_ANNOTATED_CORE_VOCABULARY_H_
