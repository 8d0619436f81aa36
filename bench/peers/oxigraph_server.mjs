// Oxigraph as a SPARQL endpoint over HTTP, for bench/sparql_http_bench.sh:
// the npm package (Rust compiled to WebAssembly) has no server, so this is
// the smallest one around its in-memory Store, on Node's http module
// (keep-alive connections, as Node's server keeps them by default).
//
//   oxigraph_server.mjs NT PORT
//
// Loads NT as oxigraph.mjs does (Store.load of the file in chunks, default
// options), listens on 127.0.0.1:PORT (0: a free port) and then prints one
// line:
//
//   listening  url=http://127.0.0.1:P/query  load_s=S  rss_kb=K  triples=T
//
// /query answers the query operation of the SPARQL 1.1 Protocol: GET
// ?query=..., POST application/sparql-query or form-encoded. SELECT and ASK
// results are written by Oxigraph (Store.query with results_format) as
// SPARQL XML, CSV or TSV when the Accept header names that type, else as
// SPARQL JSON; graphs as N-Triples. A query Oxigraph rejects is 400 with its
// message. Each answer carries "Server-Timing: query;dur=MS", the time
// Store.query took (running the query and writing the results), for the
// breakdown in bench/README.md. SIGTERM or
// SIGINT stops it. Exits with status 3 when the load runs out of
// WebAssembly's 4 GiB of memory (see oxigraph.mjs).
import http from "node:http";
import oxigraph from "oxigraph";
import { die, loadOxigraph, peakRssKb } from "./common.mjs";

const SCRIPT = "oxigraph_server.mjs";
const [nt, portArg] = process.argv.slice(2);
if (!nt || portArg === undefined || !Number.isInteger(Number(portArg))) die(SCRIPT, "usage: NT PORT");

const store = new oxigraph.Store();
const loadSeconds = loadOxigraph(SCRIPT, store, nt);

function send(res, status, type, body, ms = 0) {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body),
                          "Server-Timing": `query;dur=${ms.toFixed(3)}` });
  res.end(body);
}

const FORMATS = ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"];

function answer(req, res, query) {
  if (typeof query !== "string" || query === "") return send(res, 400, "text/plain", "no query\n");
  const accept = req.headers.accept ?? "";
  const format = FORMATS.find((f) => accept.includes(f)) ?? "application/sparql-results+json";
  let result;
  const start = performance.now();
  try {
    result = store.query(query, { results_format: format });
  } catch (e) {
    return send(res, 400, "text/plain", `${e.message ?? e}\n`);
  }
  // A graph (CONSTRUCT, DESCRIBE) comes back as quads, not in results_format.
  if (Array.isArray(result)) {
    return send(res, 200, "application/n-triples", result.map((q) => `${q.toString()} .\n`).join(""),
                performance.now() - start);
  }
  send(res, 200, format, String(result), performance.now() - start);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname !== "/query") return send(res, 404, "text/plain", "not found\n");
  if (req.method === "GET") return answer(req, res, url.searchParams.get("query"));
  if (req.method !== "POST") return send(res, 405, "text/plain", "GET or POST\n");
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim();
    if (type === "application/sparql-query") return answer(req, res, body);
    if (type === "application/x-www-form-urlencoded") return answer(req, res, new URLSearchParams(body).get("query"));
    send(res, 415, "text/plain", "POST application/sparql-query or a form\n");
  });
});
server.keepAliveTimeout = 60_000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
server.listen(Number(portArg), "127.0.0.1", () => {
  console.log(`listening  url=http://127.0.0.1:${server.address().port}/query  load_s=${loadSeconds.toFixed(2)}` +
              `  rss_kb=${peakRssKb()}  triples=${store.size}`);
});
