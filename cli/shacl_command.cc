#include "cli/shacl_command.h"

#include <functional>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "shacl/shacl.h"

namespace kg::cli {
namespace {

constexpr int kConforms = 0;
constexpr int kViolations = 1;
constexpr int kBadInput = 2;

bool KnownFormat(const std::string& format, std::ostream& err) {
  if (format == "ttl" || format == "json") return true;
  err << "kg: unknown report format '" << format << "' (expected ttl or json)\n";
  return false;
}

// Writes `report` and returns the exit code it means.
int Finish(const absl::StatusOr<shacl::Report>& report, const std::string& format,
           std::ostream& out, std::ostream& err) {
  if (!report.ok()) {
    // An empty message: already reported (the store could not be opened).
    if (!report.status().message().empty()) err << "kg: " << report.status().message() << "\n";
    return kBadInput;
  }
  if (format == "json") {
    shacl::WriteReportJson(*report, out);
  } else {
    shacl::WriteReportTurtle(*report, out);
  }
  return report->conforms() ? kConforms : kViolations;
}

// The report format checked and the shapes read, or nullopt after an error
// on `err`.
std::optional<shacl::Shapes> ReadShapes(const std::string& shapes_file, const std::string& format,
                                        std::ostream& err) {
  if (!KnownFormat(format, err)) return std::nullopt;
  absl::StatusOr<shacl::Shapes> shapes =
      shacl::ReadShapesFile(shapes_file, std::make_shared<shacl::TermPool>());
  if (!shapes.ok()) {
    err << "kg: " << shapes.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(shapes);
}

// The shared steps: the format, the shapes, then `validate` on them.
int Run(const std::string& shapes_file, const std::string& format, std::ostream& out,
        std::ostream& err,
        const std::function<absl::StatusOr<shacl::Report>(const shacl::Shapes&)>& validate) {
  std::optional<shacl::Shapes> shapes = ReadShapes(shapes_file, format, err);
  if (!shapes) return kBadInput;
  return Finish(validate(*shapes), format, out, err);
}

}  // namespace

int RunShaclCheckStore(const std::string& db, const std::string& shapes_file,
                       const std::string& format, std::ostream& out, std::ostream& err) {
  std::unique_ptr<Store> store;
  return Run(shapes_file, format, out, err,
             [&](const shacl::Shapes& shapes) -> absl::StatusOr<shacl::Report> {
               store = OpenStore(db, /*create=*/false, err);
               if (store == nullptr) return absl::FailedPreconditionError("");
               return shacl::ValidateStore(*store->NewSnapshot(), shapes);
             });
}

int RunShaclCheckFile(const std::string& data_file, const std::string& shapes_file,
                      const std::string& format, std::ostream& out, std::ostream& err) {
  return Run(shapes_file, format, out, err, [&](const shacl::Shapes& shapes) {
    return shacl::ValidateFile(data_file, shapes);
  });
}

int RunShaclCheckFiles(const std::vector<std::string>& data_files,
                       const std::string& shapes_file, const std::string& format,
                       std::ostream& out, std::ostream& err, std::string* nonconforming) {
  std::optional<shacl::Shapes> shapes = ReadShapes(shapes_file, format, err);
  if (!shapes) return kBadInput;
  for (const std::string& file : data_files) {
    std::ostringstream report;
    const int rc = Finish(shacl::ValidateFile(file, *shapes), format, report, err);
    if (rc == kConforms) continue;
    if (rc == kViolations) {
      out << report.str();
      *nonconforming = file;
    }
    return rc;
  }
  return kConforms;
}

}  // namespace kg::cli
