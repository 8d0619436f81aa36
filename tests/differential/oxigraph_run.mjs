// Oxigraph's answers for tests/differential/differential_test.py: loads
// N-Triples files into one in-memory Store (the default graph) and runs each
// query of a list on it.
//
//   oxigraph_run.mjs run DATA.nt... < QUERIES.json
//       QUERIES.json: [{"name": N, "form": "select"|"ask"|"construct", "query": Q}, ...]
//       prints "load  seconds=S  triples=T", then one JSON object per line and
//       query: {"name": N, "ms": M, "body": B} with B the answer as SPARQL
//       JSON results (select, ask) or N-Triples (construct), or
//       {"name": N, "error": E} when Oxigraph refused or failed the query
//   oxigraph_run.mjs version
//
// The answers are serialised by Oxigraph itself, in the formats the test
// asks kg serve for, so one parser on the Python side reads both.
import fs from "node:fs";
import { createRequire } from "node:module";
import oxigraph from "oxigraph";

const FORMATS = {
  select: "application/sparql-results+json",
  ask: "application/sparql-results+json",
  construct: "application/n-triples",
};

function run(files) {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const start = performance.now();
  const store = new oxigraph.Store();
  for (const file of files) {
    store.load(fs.readFileSync(file, "utf8"), { format: "application/n-triples" });
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`load  seconds=${seconds.toFixed(2)}  triples=${store.size}`);
  for (const { name, form, query } of queries) {
    const t0 = performance.now();
    let line;
    try {
      const body = store.query(query, { results_format: FORMATS[form] });
      line = { name, ms: Math.round(performance.now() - t0), body };
    } catch (e) {
      line = { name, error: String(e && e.message ? e.message : e) };
    }
    console.log(JSON.stringify(line));
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "run" && args.length >= 1) {
  run(args);
} else if (cmd === "version") {
  console.log(createRequire(import.meta.url)("oxigraph/package.json").version);
} else {
  console.error("oxigraph_run.mjs: usage: run DATA.nt... < QUERIES.json | version");
  process.exit(2);
}
