// Writes over HTTP, only when `kg serve` holds a write token
// (--write-token-file): everything else it serves stays read-only.
//
//   POST /ingest?name=FILE[&check=1]  the file as the body, with
//        "Authorization: Bearer TOKEN"; checked whole (check=1: only that),
//        then loaded; the report as JSON, errors with line and column
//   GET  /ui/ingest   the workbench's ingest page: a form for the token (once
//        per browser session) and a file
//   POST /ui/ingest   multipart/form-data: `token` (unless the session has
//        given it), `file`, `action` = check | load; or `upload` (a file
//        checked before, held by the server) with action=load. The page
//        shows the file's lines with each error under its line, or what was
//        loaded, with links to the documents
//   POST /ui/signout  ends the browser's session
//
// The token is compared in constant time and never written to a page, a
// log line or an error. A browser that gives it gets a session cookie
// (HttpOnly, SameSite=Strict, a random id that is not the token); POSTs to
// /ui/ from another origin are refused. Each load opens the store as its
// writer for the time of the load (so it waits for nobody: a `kg ingest`
// running meanwhile makes it answer 409), then catches the server's
// follower up so the next page shows what was loaded.
#ifndef KG_SERVER_INGEST_PAGE_H_
#define KG_SERVER_INGEST_PAGE_H_

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/upload.h"
#include "server/endpoints.h"

namespace kg::server {

class Writer {
 public:
  // `db`: the store's directory; `follower`: the server's own handle on it.
  Writer(std::string db, std::string token, Store* follower);

  // Whether `candidate` is the token (constant time in its length).
  bool TokenMatches(std::string_view candidate) const;

  // Browser sessions that gave the token: a new one's id, whether `id` is
  // one (and it is kept alive), and ending one.
  std::string NewSession();
  bool SessionValid(const std::string& id);
  void EndSession(const std::string& id);

  // A checked file held for `session` until it is loaded (or for 30
  // minutes): its id, and the file back (once) by that id.
  struct Held {
    std::string name;
    std::string content;
  };
  std::string Hold(const std::string& session, Held file);
  std::optional<Held> Take(const std::string& session, const std::string& id);

  // A dry run against the follower (no lock taken).
  absl::StatusOr<ingest::UploadReport> Check(std::string_view name, std::string_view content);
  // Loads the file (after checking it whole): opens the store for writing
  // (FailedPrecondition naming the other writer if another process holds
  // it), loads, closes, and catches the follower up. One load at a time.
  absl::StatusOr<ingest::UploadReport> Load(std::string_view name, std::string_view content);

 private:
  using Clock = std::chrono::steady_clock;
  struct HeldFile {
    std::string session;
    Held file;
    Clock::time_point expires;
  };
  // REQUIRES: mu_ held.
  void Expire(Clock::time_point now);

  const std::string db_;
  const std::string token_;
  Store* const follower_;
  std::mutex load_mu_;  // one load at a time
  std::mutex mu_;       // guards the maps below
  std::map<std::string, Clock::time_point> sessions_;  // id -> expiry
  std::map<std::string, HeldFile> held_;
};

// POST /ingest (the JSON API).
void IngestApi(const Service& service, const Call& call, httplib::Response& res);
// GET and POST /ui/ingest (the page).
void WorkbenchIngest(const Service& service, const Call& call, httplib::Response& res);
// POST /ui/signout.
void WorkbenchSignOut(const Service& service, const Call& call, httplib::Response& res);

}  // namespace kg::server

#endif  // KG_SERVER_INGEST_PAGE_H_
