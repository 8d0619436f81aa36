// `kg check --shacl` and `kg import --shacl`: validate data against a SHACL Core shapes file
// (docs/shacl.md) and write the validation report. The data is either a
// kg store (its claims as RDF triples, as the SPARQL endpoint shows them)
// or an RDF file checked before it is imported.
#ifndef KG_CLI_SHACL_COMMAND_H_
#define KG_CLI_SHACL_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace kg::cli {

// Validates the claims of the store at `db` (opened read-only) against the
// shapes in `shapes_file` (Turtle, TriG, N-Triples or N-Quads) and writes
// the report to `out` as `format`: "ttl" (a sh:ValidationReport in Turtle)
// or "json" ({"conforms":..,"results":[..]}). Returns 0 when the data
// conforms, 1 when it does not, 2 on bad input -- an unreadable or
// ill-formed shapes file ("file:line:col: error: ..." for syntax errors),
// a shape using a feature outside the supported subset, an unknown format,
// a store that cannot be opened -- with the error on `err`.
int RunShaclCheckStore(const std::string& db, const std::string& shapes_file,
                       const std::string& format, std::ostream& out, std::ostream& err);

// The same for the RDF file `data_file` (.nt, .nq, .ttl, .trig, optionally
// compressed; named graphs are merged into one data graph), so a file can
// be checked before `kg import`. A syntax error in it exits 2 with its
// position.
int RunShaclCheckFile(const std::string& data_file, const std::string& shapes_file,
                      const std::string& format, std::ostream& out, std::ostream& err);

// The same for several files against shapes read once, as `kg import
// --shacl` checks its inputs: 0 when every file conforms (nothing written
// to `out`); 1 at the first that does not, with its report on `out` and its
// name in `*nonconforming`; 2 on bad input.
int RunShaclCheckFiles(const std::vector<std::string>& data_files,
                       const std::string& shapes_file, const std::string& format,
                       std::ostream& out, std::ostream& err, std::string* nonconforming);

}  // namespace kg::cli

#endif  // KG_CLI_SHACL_COMMAND_H_
