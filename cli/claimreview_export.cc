// placeholder while the ClaimReview exporter is written (not committed as is)
#include "cli/commands.h"
namespace kg::cli {
int RunExportClaimReview(const std::string&, const std::string&, const std::string&,
                         std::ostream&, std::ostream& err) {
  err << "kg: ClaimReview export is not built yet\n";
  return 1;
}
}  // namespace kg::cli
