// `kg serve`: an HTTP server over a kg store (cpp-httplib), with the
// endpoints of endpoints.h: /sparql (SPARQL 1.1 Protocol), /query (kg's
// language, JSON), /health, and / (what it offers); the workbench's pages
// (workbench.h); and, only when started with a write token, uploads
// (ingest_page.h). Without the token it is read-only.
//
// Every response carries Access-Control-Allow-Origin: *, and OPTIONS
// preflights are answered, so browser tools (YASGUI) can call it. Errors
// are JSON {"error": ...}; methods other than GET, HEAD, POST and OPTIONS
// (and POST to /health) get 405: nothing over HTTP but an upload with the
// token writes to the store.
//
// The store is opened as a follower (StoreOptions::follower_dir), as the
// shell does: queries run while `kg ingest` writes, and see what it has
// committed up to about a second before (the server catches up once a
// second).
//
// The access log has one line per request: UTC time, client address,
// method, path (without the query string), status, bytes of body sent,
// milliseconds, e.g.
//   2026-01-02T10:11:12.345Z 127.0.0.1 GET /health 200 87 0.3
//
// SIGTERM or SIGINT: stop accepting connections, finish the requests
// running, and return 0. A second signal cancels the queries still running
// (they answer 503).
#ifndef KG_SERVER_SERVER_H_
#define KG_SERVER_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace kg::server {

struct ServeOptions {
  // The store directory.
  std::string db;
  // Address to listen on. Default: 127.0.0.1 (this machine only)
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one. Default: 7878
  int port = 7878;
  // Wall-clock limit per query, in seconds. Default: 30
  double timeout_seconds = 30;
  // Row cap per query (QueryOptions::max_rows). Default: 1,000,000
  uint64_t max_rows = 1'000'000;
  // Largest request body accepted; larger ones get 413. Default: 1 MiB
  size_t max_request_bytes = size_t{1} << 20;
  // Worker threads, each serving one connection at a time; 0: cpp-httplib's
  // default (the number of cores - 1, at least 8). Default: 0
  int threads = 0;
  // File the access log is appended to; empty: the `err` stream of
  // RunServe. Default: empty
  std::string access_log;
  // The version /health reports. Default: "dev"
  std::string version = "dev";
  // When set, files may be loaded over HTTP by whoever gives this token
  // (ingest_page.h); the rest stays read-only. Default: empty (read-only)
  std::string write_token;
  // Largest upload (/ingest, /ui/ingest) accepted; larger ones get 413.
  // Default: 64 MiB
  size_t max_upload_bytes = size_t{64} << 20;
};

// Serves the store until SIGTERM or SIGINT. Writes one line to `out` once
// listening, "kg serve: listening on http://HOST:PORT/ (read-only)" (or
// "(uploads with the write token ...)"), and
// flushes it (with --port 0 it names the port picked); errors go to `err`.
// Returns the process exit code: 0 after a signal, 1 if the store cannot be
// opened or the address not bound.
// REQUIRES: called before the process starts other threads, so that every
// thread has SIGTERM and SIGINT blocked and the server's own waits for them.
int RunServe(const ServeOptions& options, std::ostream& out, std::ostream& err);

// The write token in `path`: its first line without surrounding white
// space, which must be at least 16 characters. nullopt after an error on
// `err`; a warning there when others than the owner may read the file.
std::optional<std::string> ReadWriteToken(const std::string& path, std::ostream& err);

}  // namespace kg::server

#endif  // KG_SERVER_SERVER_H_
