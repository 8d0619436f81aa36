// The subcommands of the `kg` binary, as functions that tests can call.
// Each returns the process exit code: 0 ok, 1 error in data or store.
#ifndef KG_CLI_COMMANDS_H_
#define KG_CLI_COMMANDS_H_

#include <ostream>
#include <string>

namespace kg::cli {

inline constexpr char kDefaultDbPath[] = "kg.db";

int RunDemo(const std::string& db, std::ostream& out, std::ostream& err);
int RunCheck(const std::string& db, std::ostream& out, std::ostream& err);
int RunStats(const std::string& db, std::ostream& out, std::ostream& err);

}  // namespace kg::cli

#endif  // KG_CLI_COMMANDS_H_
