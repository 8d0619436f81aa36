#include "tests/support/doc_builder.h"

#include "kg/utf8.h"

#include "gtest/gtest.h"

namespace kg::testing {

TermId IdIn(const Snapshot& snap, const Term& term) {
  auto id = snap.IdOf(term);
  EXPECT_TRUE(id.ok()) << id.status();
  return id.ok() ? *id : TermId();
}

TermId ClaimIn(const Snapshot& snap, const TermId& s, const TermId& p, const TermId& o) {
  auto id = snap.ClaimIdOf(Triple{s, p, o});
  EXPECT_TRUE(id.ok()) << id.status();
  return id.ok() ? *id : TermId();
}

DocBuilder::DocBuilder(std::string id) {
  write_.document.id = std::move(id);
  write_.document.title = "Test document " + write_.document.id;
  write_.document.publisher = "Test Publisher";
  write_.document.type = "article";
}

DocBuilder& DocBuilder::Claim(const Term& s, const Term& p, const Term& o,
                              const std::string& quote, Hedge hedge) {
  std::string& text = write_.document.text;
  const uint64_t start = CountCodePoints(text);
  text += quote;
  const uint64_t end = CountCodePoints(text);
  text += " ";
  ClaimEvidence ce;
  ce.claim = Term::Claim(s, p, o);
  ce.evidence.quote = quote;
  ce.evidence.span = Span{start, end};
  ce.evidence.hedge = hedge;
  write_.claims.push_back(std::move(ce));
  return *this;
}

DocBuilder& DocBuilder::Claim(const std::string& s, const std::string& p,
                              const std::string& o) {
  return Claim(Term::Entity(s), Term::Entity(p), Term::Entity(o),
               s + " " + p + " " + o + ".");
}

DocBuilder& DocBuilder::Link(Relation relation, const Term& target) {
  write_.document.links.push_back({relation, target, "", std::nullopt});
  return *this;
}

DocBuilder& DocBuilder::Entity(const std::string& name,
                               std::vector<std::string> aliases) {
  write_.entities.push_back({name, std::move(aliases), ""});
  return *this;
}

}  // namespace kg::testing
