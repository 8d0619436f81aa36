// RunServe (server.h): opens the store as a follower, configures
// cpp-httplib's server (routes, CORS, limits, errors as JSON, the access
// log), and runs it until a signal. The endpoints themselves are in
// endpoints.cc and sparql_endpoint.cc.
#include "server/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kg/scratch_dir.h"
#include "kg/store.h"
#include "kg/str_cat.h"
#include "server/endpoints.h"
#include "server/ingest_page.h"
#include "server/workbench.h"

namespace kg::server {
namespace {

using Clock = std::chrono::steady_clock;

// The access log and the server's own notes, one whole line at a time from
// any thread.
class Log {
 public:
  Log(std::ostream& access, std::ostream& notes) : access_(access), notes_(notes) {}

  void Request(const httplib::Request& req, const httplib::Response& res, double ms) {
    const std::string line =
        StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ",
               req.remote_addr.empty() ? "-" : req.remote_addr, " ",
               req.method.empty() ? "-" : req.method, " ", Printable(req.path), " ", res.status,
               " ", res.body.size(), " ", absl::StrFormat("%.1f", ms), "\n");
    std::lock_guard<std::mutex> lock(mu_);
    access_ << line << std::flush;
  }

  void Note(std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    notes_ << line << "\n" << std::flush;
  }

 private:
  // A path with spaces and control characters %-escaped, so that a line
  // stays one line of space-separated fields.
  static std::string Printable(std::string_view path) {
    if (path.empty()) return "-";
    std::string out;
    for (char c : path) {
      const auto b = static_cast<unsigned char>(c);
      if (b <= 0x20 || b == 0x7f) {
        out += absl::StrFormat("%%%02X", b);
      } else {
        out.push_back(c);
      }
    }
    return out;
  }

  std::mutex mu_;
  std::ostream& access_;
  std::ostream& notes_;
};

// When the request this thread serves started (set by the pre-routing
// handler; a request refused before routing has none).
thread_local std::optional<Clock::time_point> t_request_start;

using Endpoint = void (*)(const Service&, const Call&, httplib::Response&);
struct Route {
  std::string_view path;
  Endpoint endpoint;
  bool post;  // takes POST as well as GET and HEAD
  bool upload = false;  // its body may be as large as --max-upload-bytes
};
// GET /: the workbench's search page for a browser, the service index (JSON)
// for everyone else.
void Home(const Service& service, const Call& call, httplib::Response& res) {
  if (WantsHtml(call.request)) return WorkbenchSearch(service, call, res);
  Index(service, call, res);
}

constexpr Route kRoutes[] = {
    {"/sparql", Sparql, true},  {"/sparql/", Sparql, true}, {"/query", Query, true},
    {"/health", Health, false}, {"/", Home, false},
    {"/ui/search", WorkbenchSearch, false}, {"/ui/claim", WorkbenchClaim, false},
    {"/ui/doc", WorkbenchDocument, false}, {"/ui/query", WorkbenchQuery, false},
    {"/ui/claim/download", WorkbenchClaimDownload, false},
    {"/ingest", IngestApi, true, true}, {"/ui/ingest", WorkbenchIngest, true, true},
    {"/ui/signout", WorkbenchSignOut, true}, {"/ui/log", WorkbenchLog, false},
};

const Route* FindRoute(std::string_view path) {
  for (const Route& r : kRoutes) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

std::string AllowedMethods(const Route& r) {
  return r.post ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS";
}

void NoSuchEndpoint(const httplib::Request& req, httplib::Response& res) {
  SetError(res, 404,
           StrCat("no such endpoint: ", req.path,
                  " (kg serve has /sparql, /query, /health and the workbench at / and /ui/)"));
}

// The request as the endpoints see it: Content-Type split into media type
// and charset, a form body's fields added to the URL's.
Call MakeCall(const httplib::Request& req, std::string body,
              std::vector<httplib::MultipartFormData> parts) {
  Call call{req, req.params, std::move(body), "", "", std::move(parts)};
  for (const httplib::MultipartFormData& part : call.parts) {
    if (part.filename.empty()) call.params.emplace(part.name, part.content);
  }
  const std::string content_type = req.get_header_value("Content-Type");
  bool first = true;
  for (absl::string_view part : absl::StrSplit(content_type, ';')) {
    const std::string p = absl::AsciiStrToLower(absl::StripAsciiWhitespace(part));
    if (first) {
      call.media_type = p;
      first = false;
    } else if (p.starts_with("charset=")) {
      call.charset = std::string(absl::StripAsciiWhitespace(absl::string_view(p).substr(8)));
      if (call.charset.size() >= 2 && call.charset.front() == '"' && call.charset.back() == '"') {
        call.charset = call.charset.substr(1, call.charset.size() - 2);
      }
    }
  }
  if (req.method == "POST" && call.media_type == "application/x-www-form-urlencoded") {
    httplib::detail::parse_query_text(call.body, call.params);
  }
  return call;
}

void Dispatch(const Service& service, const httplib::Request& req, httplib::Response& res,
              std::string body, std::vector<httplib::MultipartFormData> parts = {}) {
  const Route* route = FindRoute(req.path);
  if (route == nullptr) return NoSuchEndpoint(req, res);
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (!get && !(route->post && req.method == "POST")) {
    res.set_header("Allow", AllowedMethods(*route));
    return SetError(res, 405,
                    StrCat(req.method, " is not allowed on ", req.path,
                           " (allowed: ", AllowedMethods(*route), "); kg serve is read-only"));
  }
  route->endpoint(service, MakeCall(req, std::move(body), std::move(parts)), res);
}

// A CORS preflight, or a plain OPTIONS request.
void Preflight(const httplib::Request& req, httplib::Response& res) {
  const Route* route = FindRoute(req.path);
  if (route == nullptr && req.path != "*") return NoSuchEndpoint(req, res);
  const std::string methods = route ? AllowedMethods(*route) : "GET, HEAD, POST, OPTIONS";
  res.status = 204;
  res.set_header("Allow", methods);
  res.set_header("Access-Control-Allow-Methods", methods);
  res.set_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization");
  res.set_header("Access-Control-Max-Age", "86400");
}

bool IsUpload(const httplib::Request& req) {
  const Route* route = FindRoute(req.path);
  return route != nullptr && route->upload;
}

// The JSON body of an error cpp-httplib answers by itself (before any
// endpoint ran).
std::string LibraryErrorMessage(const httplib::Request& req, int status, size_t max_bytes) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 404:
      return StrCat("no such endpoint: ", req.path);
    case 413:
      return StrCat("request body larger than ", max_bytes, " bytes (kg serve ",
                    IsUpload(req) ? "--max-upload-bytes" : "--max-request-bytes", ")");
    case 414:
      return "request URI too long: POST the query instead";
    default:
      return StrCat("HTTP error ", status);
  }
}

// Sets up `server`: limits, socket options, the routes, CORS, errors as
// JSON and the access log. `service`, `o` and `log` must outlive it.
void Configure(httplib::Server& server, const Service& service, const ServeOptions& o, Log& log) {
  if (o.threads > 0) {
    const size_t n = o.threads;
    server.new_task_queue = [n] { return new httplib::ThreadPool(n); };
  }
  server.set_payload_max_length(std::max(o.max_request_bytes, o.max_upload_bytes));
  // cpp-httplib writes a response's headers and its body in two writes; with
  // Nagle's algorithm the body then waits for the client's delayed ACK of
  // the headers (40 ms on Linux) on a keep-alive connection.
  server.set_tcp_nodelay(true);
  // cpp-httplib closes a keep-alive connection after 5 requests by default,
  // so a client asking many queries paid a new TCP connection every fifth.
  server.set_keep_alive_max_count(10000);
  // SO_REUSEADDR (a restart binds while old connections linger) but not
  // cpp-httplib's SO_REUSEPORT, with which a second server on the same port
  // would start without an error and share the connections.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Bodies are read here, not by cpp-httplib, so that a form-encoded body
  // is not cut at its 8 KiB limit for forms, and a request without a body
  // does not wait to read one.
  auto with_body = [&service, &o](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
    std::string body;
    std::vector<httplib::MultipartFormData> parts;
    const size_t limit = IsUpload(req) ? o.max_upload_bytes : o.max_request_bytes;
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      bool too_large = false;
      size_t received = 0;
      auto take = [&](std::string* into, const char* data, size_t n) {
        received += n;
        too_large = received > limit;
        if (!too_large) into->append(data, n);
        return !too_large;
      };
      bool read = false;
      if (req.is_multipart_form_data()) {
        // A form with a file (the ingest page): its parts, each whole.
        read = reader(
            [&](const httplib::MultipartFormData& header) {
              parts.push_back(header);
              return true;
            },
            [&](const char* data, size_t n) {
              return !parts.empty() && take(&parts.back().content, data, n);
            });
      } else {
        read = reader([&](const char* data, size_t n) { return take(&body, data, n); });
      }
      if (too_large || res.status == 413) {
        return SetError(res, 413, LibraryErrorMessage(req, 413, limit));
      }
      if (!read) return SetError(res, 400, "cannot read the request body");
    }
    Dispatch(service, req, res, std::move(body), std::move(parts));
  };
  server.Get(".*", [&service](const httplib::Request& req, httplib::Response& res) {
    Dispatch(service, req, res, "");
  });
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);
  server.Options(".*", Preflight);
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [&o](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const int status = res.status;
        // A method no route takes (TRACE, CONNECT): cpp-httplib says 400.
        static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                        "PATCH", "DELETE", "OPTIONS"};
        if (status == 400 && !req.method.empty() &&
            std::find(std::begin(kMethods), std::end(kMethods), req.method) == std::end(kMethods)) {
          SetError(res, 405, StrCat(req.method, " is not allowed; kg serve is read-only"));
        } else {
          SetError(res, status,
                   LibraryErrorMessage(req, status,
                                       IsUpload(req) ? o.max_upload_bytes : o.max_request_bytes));
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
        std::string what = "unknown exception";
        try {
          if (e) std::rethrow_exception(e);
        } catch (const std::exception& x) {
          what = x.what();
        } catch (...) {
        }
        SetError(res, 500, StrCat("internal error: ", what));
      });
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
  });
  server.set_logger([&log](const httplib::Request& req, const httplib::Response& res) {
    double ms = 0;
    if (t_request_start) {
      ms = std::chrono::duration<double, std::milli>(Clock::now() - *t_request_start).count();
    }
    t_request_start.reset();
    log.Request(req, res, ms);
  });
}

// While it exists, a thread catches `store` up with its writer once a
// second (Store::CatchUp waits until no query holds a snapshot, so it does
// not run in the request threads).
class CatchUpLoop {
 public:
  CatchUpLoop(Store* store, Log& log)
      : thread_([this, store, &log] {
          std::string last_error;
          std::unique_lock<std::mutex> lock(mu_);
          while (!wake_.wait_for(lock, std::chrono::seconds(1), [&] { return done_; })) {
            lock.unlock();
            const absl::Status s = store->CatchUp();
            const std::string error = s.ok() ? "" : std::string(s.message());
            if (!error.empty() && error != last_error) {
              log.Note(StrCat("kg serve: cannot catch up with the writer: ", error));
            }
            last_error = error;
            lock.lock();
          }
        }) {}
  ~CatchUpLoop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// While it exists, a thread waits for `signals` (blocked in every thread):
// the first stops `server` (once it runs), the next ones set `cancel`.
class SignalWaiter {
 public:
  SignalWaiter(const sigset_t& signals, httplib::Server& server, std::atomic<bool>& cancel,
               Log& log)
      : thread_([this, &signals, &server, &cancel, &log] {
          bool stopping = false, stopped = false;
          while (!done_) {
            timespec tick{0, 100'000'000};
            const int sig = sigtimedwait(&signals, nullptr, &tick);
            if (sig == SIGINT || sig == SIGTERM) {
              const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
              if (!stopping) {
                stopping = true;
                log.Note(StrCat("kg serve: ", name,
                                ": stopping; finishing the requests running (again: cancel "
                                "them)"));
              } else {
                cancel = true;
                log.Note(StrCat("kg serve: ", name, ": cancelling the queries running"));
              }
            }
            if (stopping && !stopped && server.is_running()) {
              server.stop();
              stopped = true;
            }
          }
        }) {}
  ~SignalWaiter() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;  // last: starts once done_ exists
};

}  // namespace

std::optional<std::string> ReadWriteToken(const std::string& path, std::ostream& err) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    err << "kg serve: cannot read the write token from " << path << "\n";
    return std::nullopt;
  }
  std::string token(absl::StripAsciiWhitespace(line));
  if (token.size() < 16) {
    err << "kg serve: the write token in " << path
        << " is shorter than 16 characters; make one with e.g. "
           "head -c 24 /dev/urandom | base64 > " << path << "\n";
    return std::nullopt;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    err << "kg serve: warning: " << path
        << " may be read by other users than its owner (chmod 600 it)\n";
  }
  return token;
}

int RunServe(const ServeOptions& o, std::ostream& out, std::ostream& err) {
  // SIGINT and SIGTERM are blocked in this thread and so in every thread
  // started from here on (RocksDB's, the server's); SignalWaiter takes them.
  sigset_t signals, old_mask;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
  struct RestoreMask {
    const sigset_t& signals;
    const sigset_t& old;
    ~RestoreMask() {
      timespec now{0, 0};
      while (sigtimedwait(&signals, nullptr, &now) > 0) {
      }
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
  } restore{signals, old_mask};

  std::ofstream access_file;
  if (!o.access_log.empty()) {
    access_file.open(o.access_log, std::ios::app);
    if (!access_file) {
      err << "kg serve: cannot open the access log " << o.access_log << "\n";
      return 1;
    }
  }
  Log log(o.access_log.empty() ? err : access_file, err);

  // A follower of the store, as the shell opens it, with its own log files
  // in a private temporary directory.
  const ScratchDir follower("kg-serve-");
  if (follower.path().empty()) {
    err << "kg serve: cannot create a temporary directory\n";
    return 1;
  }
  StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.follower_dir = follower.path();
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(o.db, store_options);
  if (!store.ok()) {
    err << "kg serve: " << store.status().message() << "\n";
    return 1;
  }

  std::atomic<bool> cancel{false};
  Service service;
  service.store = store->get();
  service.limits.timeout = absl::Seconds(o.timeout_seconds);
  service.limits.max_rows = o.max_rows;
  service.limits.cancel = &cancel;
  service.store_path = o.db;
  service.version = o.version;
  std::optional<Writer> writer;
  if (!o.write_token.empty()) {
    writer.emplace(o.db, o.write_token, service.store);
    service.writer = &*writer;
  }

  httplib::Server server;
  Configure(server, service, o, log);
  int port = o.port;
  if (port == 0) {
    port = server.bind_to_any_port(o.host);
  } else if (!server.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port < 0) {
    err << "kg serve: cannot listen on " << o.host << ":" << o.port
        << " (is the port in use, or the address not this machine's?)\n";
    return 1;
  }
  const bool ipv6 = o.host.find(':') != std::string::npos;
  out << "kg serve: listening on http://" << (ipv6 ? "[" : "") << o.host << (ipv6 ? "]" : "") << ":"
      << port << "/ ("
      << (service.writer ? "uploads with the write token at /ui/ingest and /ingest" : "read-only")
      << ")" << std::endl;
  if (const std::string writer = Store::WriterOf(o.db); !writer.empty()) {
    log.Note(StrCat("kg serve: note: ", writer,
                    " is writing to this store; queries see what it has committed"));
  }

  bool listened = false;
  {
    CatchUpLoop catch_up(service.store, log);
    SignalWaiter signal_waiter(signals, server, cancel, log);
    listened = server.listen_after_bind();  // until SignalWaiter stops it
  }
  if (!listened) {
    err << "kg serve: the server stopped accepting connections on an error\n";
    return 1;
  }
  log.Note("kg serve: stopped");
  return 0;
}

}  // namespace kg::server
