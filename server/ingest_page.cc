#include "server/ingest_page.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "kg/json.h"
#include "kg/str_cat.h"
#include "kg/utf8.h"
#include "server/workbench.h"

namespace kg::server {

namespace {

constexpr auto kSessionLife = std::chrono::hours(12);  // since last use
constexpr auto kHeldLife = std::chrono::minutes(30);
constexpr size_t kMaxSessions = 1000;
constexpr size_t kMaxHeld = 16;
constexpr char kCookie[] = "kg_write";

// 128 random bits as hex: an id nobody can guess (std::random_device reads
// the kernel's generator on Linux).
std::string RandomId() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) id += absl::StrFormat("%08x", random());
  return id;
}

}  // namespace

Writer::Writer(std::string db, std::string token, Store* follower)
    : db_(std::move(db)), token_(std::move(token)), follower_(follower) {}

bool Writer::TokenMatches(std::string_view candidate) const {
  // Every byte of the token is compared whatever the candidate is, so the
  // time taken tells nothing of how much of it was right.
  unsigned diff = candidate.size() != token_.size() ? 1 : 0;
  for (size_t i = 0; i < token_.size(); ++i) {
    const char c = i < candidate.size() ? candidate[i] : 0;
    diff |= static_cast<unsigned char>(c ^ token_[i]);
  }
  return diff == 0 && !token_.empty();
}

void Writer::Expire(Clock::time_point now) {
  std::erase_if(sessions_, [now](const auto& s) { return s.second <= now; });
  std::erase_if(held_, [now](const auto& h) { return h.second.expires <= now; });
}

std::string Writer::NewSession() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Clock::now();
  Expire(now);
  if (sessions_.size() >= kMaxSessions) {  // the one closest to expiry goes
    sessions_.erase(std::min_element(sessions_.begin(), sessions_.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
  std::string id = RandomId();
  sessions_[id] = now + kSessionLife;
  return id;
}

bool Writer::SessionValid(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Clock::now();
  Expire(now);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  it->second = now + kSessionLife;
  return true;
}

void Writer::EndSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
  std::erase_if(held_, [&id](const auto& h) { return h.second.session == id; });
}

std::string Writer::Hold(const std::string& session, Held file) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Clock::now();
  Expire(now);
  if (held_.size() >= kMaxHeld) {  // the oldest goes
    held_.erase(std::min_element(held_.begin(), held_.end(), [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    }));
  }
  std::string id = RandomId();
  held_[id] = HeldFile{session, std::move(file), now + kHeldLife};
  return id;
}

std::optional<Writer::Held> Writer::Take(const std::string& session, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Expire(Clock::now());
  auto it = held_.find(id);
  if (it == held_.end() || it->second.session != session) return std::nullopt;
  Held file = std::move(it->second.file);
  held_.erase(it);
  return file;
}

absl::StatusOr<ingest::UploadReport> Writer::Check(std::string_view name,
                                                  std::string_view content) {
  return ingest::LoadUpload(*follower_, name, content, /*dry_run=*/true);
}

absl::StatusOr<ingest::UploadReport> Writer::Load(std::string_view name,
                                                 std::string_view content) {
  std::lock_guard<std::mutex> lock(load_mu_);
  absl::StatusOr<ingest::UploadReport> report;
  {
    StoreOptions options;
    options.create_if_missing = false;
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db_, options);
    if (!store.ok()) return store.status();
    report = ingest::LoadUpload(**store, name, content, /*dry_run=*/false);
  }  // closed: the lock is free for kg ingest again
  if (report.ok() && report->written) {
    if (absl::Status s = follower_->CatchUp(); !s.ok()) return s;
  }
  return report;
}

namespace {

// ---- the JSON API ----------------------------------------------------------

std::string ReportJson(std::string_view name, const ingest::UploadReport& r, bool check) {
  std::vector<std::string> documents, replaced, problems;
  for (const std::string& d : r.documents) documents.push_back(JsonString(d));
  for (const std::string& d : r.replaced) replaced.push_back(JsonString(d));
  for (const ingest::UploadProblem& p : r.problems) {
    problems.push_back(StrCat("{\"line\":", p.line, ",\"column\":", p.col, ",\"message\":",
                              JsonString(p.message), ",\"error\":", p.error ? "true" : "false",
                              "}"));
  }
  auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += StrCat(i ? "," : "", items[i]);
    return out + "]";
  };
  return StrCat("{\"name\":", JsonString(name), ",\"kind\":", JsonString(r.kind),
                ",\"ok\":", r.ok() ? "true" : "false", ",\"dry_run\":", check ? "true" : "false",
                ",\"written\":", r.written ? "true" : "false", ",\"documents\":", list(documents),
                ",\"replaced\":", list(replaced), ",\"items\":", r.items,
                ",\"problems\":", list(problems), "}\n");
}

// 403 when the server is read-only.
constexpr char kReadOnly[] =
    "kg serve is read-only: start it with --write-token-file FILE to load files over HTTP";

// Status 409 for a store another process is writing; the others as usual.
int LoadFailureStatus(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) ? 409 : HttpStatusOf(s.code());
}

}  // namespace

void IngestApi(const Service& service, const Call& call, httplib::Response& res) {
  if (service.writer == nullptr) return SetError(res, 403, kReadOnly);
  if (call.request.method != "POST") {
    res.set_header("Allow", "POST, OPTIONS");
    return SetError(res, 405, "POST the file to /ingest?name=FILE");
  }
  const std::string auth = call.request.get_header_value("Authorization");
  if (!auth.starts_with("Bearer ") ||
      !service.writer->TokenMatches(std::string_view(auth).substr(7))) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"kg serve\"");
    return SetError(res, 401,
                    "a write needs the server's write token: Authorization: Bearer TOKEN");
  }
  const std::string name = Param(call, "name").value_or("");
  if (name.empty()) {
    return SetError(res, 400, "give the file's name: /ingest?name=FILE.kga (or .kgv, .nt, .nq, "
                              ".ttl, .trig): its extension says how to read it");
  }
  if (absl::Status kind = ingest::UploadKind(name).status(); !kind.ok()) {
    return SetError(res, 415, std::string(kind.message()));
  }
  const std::string check = Param(call, "check").value_or("");
  const bool dry_run = check == "1" || check == "true";
  absl::StatusOr<ingest::UploadReport> report =
      dry_run ? service.writer->Check(name, call.body) : service.writer->Load(name, call.body);
  if (!report.ok()) return SetError(res, LoadFailureStatus(report.status()), std::string(report.status().message()));
  res.status = report->ok() ? 200 : 422;
  res.set_content(ReportJson(name, *report, dry_run), "application/json");
}

namespace {

// ---- the page --------------------------------------------------------------

constexpr char kIngestStyle[] =
    "<style>table.listing{border:none;font:14px/1.4 ui-monospace,monospace;width:100%}"
    "table.listing td,table.listing th{border:none;padding:0 .4rem;white-space:pre-wrap;"
    "overflow-wrap:anywhere}table.listing th{color:#555;text-align:right;width:3rem;"
    "user-select:none}tr.bad{background:#fdecea}tr.bad th{color:#000;font-weight:bold}"
    ".err{font-family:system-ui,sans-serif;border-left:4px solid #b00;padding-left:.4rem;"
    "margin:.1rem 0 .3rem}.err strong{color:#900}tr.gap th{text-align:center}"
    ".ok{border-left:4px solid #2a7;padding-left:.6rem}</style>";

std::string CookieSession(const httplib::Request& req) {
  for (absl::string_view part : absl::StrSplit(req.get_header_value("Cookie"), ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, kCookie) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

// Whether a POST comes from a page of this server: a browser names the
// page's origin in Origin (no header: not a browser, or an old one).
bool SameOrigin(const httplib::Request& req) {
  if (!req.has_header("Origin")) return true;
  const std::string origin = req.get_header_value("Origin");
  const std::string host = req.get_header_value("Host");
  return !host.empty() && (origin == StrCat("http://", host) || origin == StrCat("https://", host));
}

std::string FileForm(bool signed_in) {
  return StrCat(
      "<form method=\"post\" action=\"/ui/ingest\" enctype=\"multipart/form-data\">",
      signed_in ? ""
                : "<p><label for=\"token\">Write token (asked once per browser session; the "
                  "server was started with it)</label><br><input type=\"password\" id=\"token\" "
                  "name=\"token\" autocomplete=\"off\" required></p>",
      "<p><label for=\"file\">File: an annotated document (.kga), a vocabulary (.kgv), or RDF "
      "(.nt, .nq, .ttl, .trig)</label><br><input type=\"file\" id=\"file\" name=\"file\" "
      "accept=\".kga,.kgv,.nt,.nq,.ttl,.trig,.gz,.bz2\" required></p>"
      "<p><button type=\"submit\" name=\"action\" value=\"check\">Check</button> "
      "<button type=\"submit\" name=\"action\" value=\"load\">Check and load</button></p>"
      "<p class=\"meta\">A file is checked whole before anything of it is written: one with "
      "an error writes nothing.</p></form>",
      signed_in ? "<form method=\"post\" action=\"/ui/signout\"><button type=\"submit\">Forget "
                  "the token in this browser</button></form>"
                : "");
}

// `line` with the code point at 1-based column `col` marked (the end of the
// line when it is past it), escaped.
std::string MarkedColumn(std::string_view line, int col) {
  const std::optional<size_t> at = CodePointToByte(line, col > 0 ? col - 1 : 0);
  if (!at || *at >= line.size()) return StrCat(HtmlEscape(line), "<mark>\u2002</mark>");
  size_t end = *at + 1;
  while (end < line.size() && IsUtf8Continuation(line[end])) ++end;
  return StrCat(HtmlEscape(line.substr(0, *at)), "<mark>", HtmlEscape(line.substr(*at, end - *at)),
                "</mark>", HtmlEscape(line.substr(end)));
}

// The file's lines, each error under its line (its column marked); a long
// file shows only the lines around its errors.
std::string Listing(std::string_view name, std::string_view content,
                    const std::vector<ingest::UploadProblem>& problems) {
  std::vector<std::string_view> lines;
  for (absl::string_view line : absl::StrSplit(absl::string_view(content.data(), content.size()), '\n')) {
    lines.emplace_back(line.data(), line.size());
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::map<int, std::vector<const ingest::UploadProblem*>> at_line;
  for (const auto& p : problems) {
    if (p.line > 0) at_line[p.line].push_back(&p);
  }
  constexpr size_t kWholeFile = 300;  // lines shown in full up to this
  constexpr int kContext = 2;
  std::set<int> shown;
  if (lines.size() <= kWholeFile) {
    for (size_t i = 1; i <= lines.size(); ++i) shown.insert(static_cast<int>(i));
  } else {
    for (const auto& [line, list] : at_line) {
      for (int i = line - kContext; i <= line + kContext; ++i) {
        if (i >= 1 && i <= static_cast<int>(lines.size())) shown.insert(i);
      }
    }
  }
  if (shown.empty()) return "";
  std::string out = StrCat("<h2>", HtmlEscape(name), "</h2>",
                           lines.size() > kWholeFile
                               ? StrCat("<p class=\"meta\">", lines.size(),
                                        " lines; the lines around each error:</p>")
                               : "",
                           "<table class=\"listing\">");
  int last = 0;
  for (int n : shown) {
    if (n != last + 1) out += "<tr class=\"gap\"><th>\u22ee</th><td></td></tr>";
    last = n;
    std::string_view text = lines[n - 1];
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    auto it = at_line.find(n);
    if (it == at_line.end()) {
      out += StrCat("<tr id=\"L", n, "\"><th>", n, "</th><td>", HtmlEscape(text), "</td></tr>");
      continue;
    }
    out += StrCat("<tr id=\"L", n, "\" class=\"bad\"><th>", n, "</th><td>",
                  MarkedColumn(text, it->second.front()->col));
    for (const ingest::UploadProblem* p : it->second) {
      out += StrCat("<div class=\"err\" role=\"note\"><strong>", p->error ? "error" : "note",
                    "</strong> at column ", p->col, ": ", HtmlEscape(p->message), "</div>");
    }
    out += "</td></tr>";
  }
  return out + "</table>";
}

std::string ProblemList(const std::vector<ingest::UploadProblem>& problems) {
  size_t errors = 0;
  for (const auto& p : problems) errors += p.error ? 1 : 0;
  std::string out = StrCat("<section id=\"problems\" role=\"alert\"><h2>", errors,
                           errors == 1 ? " error" : " errors",
                           ": nothing was written</h2><ol>");
  for (const auto& p : problems) {
    const std::string where =
        p.line > 0 ? StrCat("<a href=\"#L", p.line, "\">line ", p.line, ", column ", p.col, "</a>: ")
                   : "";
    out += StrCat("<li>", p.error ? "" : "(note) ", where, HtmlEscape(p.message), "</li>");
  }
  return out + "</ol></section>";
}

// What was (or, checked, would be) loaded.
std::string Outcome(const ingest::UploadReport& r, bool loaded) {
  std::string docs;
  for (size_t i = 0; i < r.documents.size() && i < 100; ++i) {
    const std::string& id = r.documents[i];
    const bool replaces = std::find(r.replaced.begin(), r.replaced.end(), id) != r.replaced.end();
    docs += StrCat("<li>", loaded ? DocLink(id) : StrCat("doc:", HtmlEscape(id)),
                   replaces ? (loaded ? " (replaced the stored version)"
                                      : " (replaces the stored version)")
                            : "",
                   "</li>");
  }
  if (r.documents.size() > 100) docs += StrCat("<li>and ", r.documents.size() - 100, " more</li>");
  const bool annotated = r.kind == "annotated document" || r.kind == "vocabulary";
  return StrCat(
      "<section id=\"outcome\" class=\"ok\" role=\"status\"><h2>",
      loaded ? "Loaded" : "No errors: ready to load", "</h2><p>", HtmlEscape(r.kind), ": ",
      r.items, annotated ? " piece(s) of evidence" : " statement(s)", ", ", r.documents.size(),
      " document(s)", loaded ? "" : " would be written", ".</p>",
      docs.empty() ? "" : StrCat("<ul>", docs, "</ul>"), "</section>");
}

}  // namespace

void WorkbenchIngest(const Service& service, const Call& call, httplib::Response& res) {
  Writer* writer = service.writer;
  if (writer == nullptr) {
    return SetPage(service, res, 403, "Ingest", "",
                   "<h1>Ingest</h1><p role=\"alert\">This server is read-only. Start it with "
                   "<code>kg serve --write-token-file FILE</code> to load files from this "
                   "page.</p>");
  }
  std::string session = CookieSession(call.request);
  bool signed_in = !session.empty() && writer->SessionValid(session);
  auto page = [&](int status, std::string_view body) {
    SetPage(service, res, status, "Ingest", "",
            StrCat(kIngestStyle, "<h1>Ingest</h1>", body));
  };
  if (call.request.method != "POST") return page(200, FileForm(signed_in));
  if (!SameOrigin(call.request)) {
    return page(403, "<p role=\"alert\">Refused: the form was sent from another site.</p>");
  }
  if (!signed_in) {
    if (!writer->TokenMatches(Param(call, "token").value_or(""))) {
      return page(403, StrCat("<p role=\"alert\" id=\"denied\">That is not the write token: "
                              "nothing was written.</p>",
                              FileForm(false)));
    }
    session = writer->NewSession();
    signed_in = true;
    res.set_header("Set-Cookie",
                   StrCat(kCookie, "=", session, "; Path=/; HttpOnly; SameSite=Strict"));
  }
  const std::string action = Param(call, "action").value_or("check");
  if (action != "check" && action != "load") {
    return page(400, StrCat("<p role=\"alert\">action must be check or load</p>", FileForm(true)));
  }
  Writer::Held file;
  if (auto held = Param(call, "upload")) {
    std::optional<Writer::Held> taken = writer->Take(session, *held);
    if (!taken) {
      return page(410, StrCat("<p role=\"alert\">That checked file is no longer held (files are "
                              "kept 30 minutes): choose it again.</p>",
                              FileForm(true)));
    }
    file = *std::move(taken);
  } else {
    auto part = std::find_if(call.parts.begin(), call.parts.end(),
                             [](const httplib::MultipartFormData& p) { return p.name == "file"; });
    if (part == call.parts.end() || part->filename.empty()) {
      return page(400, StrCat("<p role=\"alert\">Choose a file.</p>", FileForm(true)));
    }
    file = {part->filename, part->content};
  }
  if (absl::Status kind = ingest::UploadKind(file.name).status(); !kind.ok()) {
    return page(415, StrCat("<p role=\"alert\">", HtmlEscape(std::string(kind.message())), "</p>",
                            FileForm(true)));
  }
  const bool load = action == "load";
  absl::StatusOr<ingest::UploadReport> report =
      load ? writer->Load(file.name, file.content) : writer->Check(file.name, file.content);
  if (!report.ok()) {
    return page(LoadFailureStatus(report.status()),
                StrCat("<p role=\"alert\">Nothing was written: ",
                       HtmlEscape(std::string(report.status().message())), "</p>", FileForm(true)));
  }
  const std::string heading =
      StrCat("<p class=\"meta\">", HtmlEscape(file.name), " (", file.content.size(),
             " bytes), ", load ? "sent to check and load" : "sent to check", "</p>");
  if (!report->ok()) {
    return page(422, StrCat(heading, ProblemList(report->problems),
                            Listing(file.name, file.content, report->problems),
                            "<h2>Try again</h2>", FileForm(true)));
  }
  if (load) {
    return page(200, StrCat(heading, Outcome(*report, true), "<h2>Another file</h2>",
                            FileForm(true)));
  }
  const std::string id = writer->Hold(session, std::move(file));
  page(200, StrCat(heading, Outcome(*report, false),
                   "<form method=\"post\" action=\"/ui/ingest\"><input type=\"hidden\" "
                   "name=\"upload\" value=\"", id, "\"><input type=\"hidden\" name=\"action\" "
                   "value=\"load\"><p><button type=\"submit\" id=\"load\">Load it</button></p>"
                   "</form><h2>Another file</h2>",
                   FileForm(true)));
}

void WorkbenchSignOut(const Service& service, const Call& call, httplib::Response& res) {
  if (service.writer == nullptr) return SetError(res, 403, kReadOnly);
  if (!SameOrigin(call.request)) return SetError(res, 403, "refused: sent from another site");
  const std::string session = CookieSession(call.request);
  if (!session.empty()) service.writer->EndSession(session);
  res.set_header("Set-Cookie", StrCat(kCookie, "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
  res.status = 303;
  res.set_header("Location", "/ui/ingest");
}

}  // namespace kg::server
