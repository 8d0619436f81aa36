#include "kg/verify.h"

#include <optional>
#include <utility>

#include "kg/sha256.h"
#include "kg/status_macros.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"

namespace kg {

absl::StatusOr<VerifyReport> VerifyEvidence(const Snapshot& snap) {
  VerifyReport report;
  KG_ASSIGN_OR_RETURN(std::vector<std::string> ids, snap.ListDocuments());
  for (const std::string& id : ids) {
    ++report.documents;
    KG_ASSIGN_OR_RETURN(std::optional<Document> doc, snap.GetDocument(id));
    if (!doc) {
      report.problems.push_back({id, "", 0, 0, "listed but its record cannot be read"});
      continue;
    }
    if (Sha256::HexDigest(doc->text) != doc->sha256) {
      report.problems.push_back(
          {id, "", 0, 0,
           StrCat("text does not match its recorded SHA-256 ", doc->sha256, " (it hashes to ",
                  Sha256::HexDigest(doc->text), ")")});
    }
    const bool valid_text = !FindInvalidUtf8(doc->text).has_value();
    if (!valid_text) {
      report.problems.push_back({id, "", 0, 0, "text is not valid UTF-8"});
    }
    KG_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> evidence, snap.EvidenceInDocument(id));
    std::optional<CodePointIndex> index;
    if (valid_text) index.emplace(doc->text);
    for (const EvidenceEntry& e : evidence) {
      ++report.evidence;
      if (!e.evidence.span || !valid_text) continue;
      ++report.quotes_checked;
      const Span span = *e.evidence.span;
      std::optional<std::string_view> text = index->Slice(span.start, span.end);
      std::string message;
      if (!text) {
        message = StrCat("offsets ", span.start, "-", span.end, " lie outside the text (",
                         index->size(), " code points)");
      } else if (*text != e.evidence.quote) {
        message = StrCat("quote \"", e.evidence.quote, "\" does not match the text at ", span.start,
                         "-", span.end, ": \"", *text, "\"");
      } else {
        continue;
      }
      auto claim = snap.Decode(e.claim);
      report.problems.push_back({id, claim.ok() ? claim->ToString() : e.claim.ToHex(), span.start,
                                 span.end, std::move(message)});
    }
  }
  return report;
}

}  // namespace kg
