// The commands that browse a store without the query language: `kg docs`
// (the documents, stored and cited-only), `kg show doc:ID` (one document's
// metadata, citations in and out, and its text around a span or a quote),
// `kg entity NAME` (an entity's names, type and the claims it is in or is
// the agent of), `kg claims NAME` and `kg stats`. Each prints in the formats
// of `kg query` (table, json, csv, tree); `kg claims` and `kg stats` keep
// their own text form as the default.
#ifndef KG_CLI_BROWSE_H_
#define KG_CLI_BROWSE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace kg::cli {

struct BrowseOptions {
  // "text" (the command's own form, where it has one), table, json, csv or
  // tree. Default: text
  std::string format = "text";
  // Table width; see QueryCommandOptions::width. Default: auto
  std::optional<size_t> width;
};

int RunDocs(const std::string& db, const BrowseOptions& options, std::ostream& out,
            std::ostream& err);

struct ShowOptions {
  BrowseOptions output;
  // "START:END" in code points: print the text around that span.
  std::string around;
  // Print the text around each place this phrase occurs (exact match).
  std::string quote;
  // Print the document's whole stored text.
  bool text = false;
  // Code points of context either side of --around / --quote. Default: 300
  uint64_t context = 300;
};
// `id` may be "doc:X" or "X".
int RunShow(const std::string& db, const std::string& id, const ShowOptions& options,
            std::ostream& out, std::ostream& err);

int RunEntity(const std::string& db, const std::string& name, const BrowseOptions& options,
              std::ostream& out, std::ostream& err);

// Prints every claim whose subject or object is the entity `name` (or an
// alias of it), with each piece of evidence and its primary source.
int RunClaims(const std::string& db, const std::string& name, const BrowseOptions& options,
              std::ostream& out, std::ostream& err);

// With `storage`, also a table of each column family's size on disk and
// number of keys.
int RunStats(const std::string& db, bool storage, const BrowseOptions& options,
             std::ostream& out, std::ostream& err);

// "doc:x" -> "x"; anything else unchanged.
std::string StripDocPrefix(const std::string& id);

}  // namespace kg::cli

#endif  // KG_CLI_BROWSE_H_
