// Builds DocumentWrites for tests: each claim's quote is a sentence appended
// to the document text, so spans are always right unless a test breaks them.
#ifndef KG_TESTS_SUPPORT_DOC_BUILDER_H_
#define KG_TESTS_SUPPORT_DOC_BUILDER_H_

#include <string>

#include "kg/model.h"
#include "kg/store.h"

namespace kg::testing {

// The id `snap` gives `term` (a test failure, and a zero id, if reading
// fails).
TermId IdIn(const Snapshot& snap, const Term& term);
// The id `snap` gives the claim (s, p, o).
TermId ClaimIn(const Snapshot& snap, const TermId& s, const TermId& p, const TermId& o);

class DocBuilder {
 public:
  explicit DocBuilder(std::string id);

  // Appends "<quote> " to the text and a claim (s p o) quoting it.
  DocBuilder& Claim(const Term& s, const Term& p, const Term& o,
                    const std::string& quote, Hedge hedge = Hedge::kAsserted);
  // Shorthand: entities named s, p, o; the quote is "s p o."
  DocBuilder& Claim(const std::string& s, const std::string& p,
                    const std::string& o);
  DocBuilder& Link(Relation relation, const Term& target);
  DocBuilder& Entity(const std::string& name, std::vector<std::string> aliases);
  // Direct access for tests that tweak fields.
  DocumentWrite& write() { return write_; }
  DocumentWrite Build() const { return write_; }

 private:
  DocumentWrite write_;
};

}  // namespace kg::testing

#endif  // KG_TESTS_SUPPORT_DOC_BUILDER_H_
