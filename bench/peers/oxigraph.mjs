// Oxigraph (the npm package: Rust compiled to WebAssembly) for
// bench/query_bench.sh: an in-memory Store, so loading and querying happen in
// one process.
//
//   oxigraph.mjs run NT REPS WARMUP SPARQL...
//       prints "load  seconds=S  rss_kb=K  triples=T" (the peak RSS of the
//       process when the load is done; T counts distinct triples), then one
//       line per query in query_bench's output format
//   oxigraph.mjs version
//
// Exits with status 3 when the load traps in WebAssembly: WebAssembly's
// 32-bit memory ends at 4 GiB, and an allocation that fails there aborts.
//
// The file goes to Store.load as an iterable of chunks (no one string holds
// it) with the default options: validating, in one transaction. SELECT
// queries return an array of bindings; its length is the row count.
import { createRequire } from "node:module";
import oxigraph from "oxigraph";
import { die, loadOxigraph, peakRssKb, timeStatements, timingArgs } from "./common.mjs";

const SCRIPT = "oxigraph.mjs";

async function run(nt, args) {
  const { reps, warmup, statements } = timingArgs(SCRIPT, args);
  const store = new oxigraph.Store();
  const seconds = loadOxigraph(SCRIPT, store, nt);
  console.log(`load  seconds=${seconds.toFixed(2)}  rss_kb=${peakRssKb()}  triples=${store.size}`);
  await timeStatements(SCRIPT, statements.length, reps, warmup, async (i) => {
    const rows = store.query(statements[i]);
    if (!Array.isArray(rows)) die(SCRIPT, `q${i + 1} is not a SELECT query`);
    return rows.length;
  });
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "run" && args.length >= 4) {
  await run(args[0], args.slice(1));
} else if (cmd === "version") {
  console.log(createRequire(import.meta.url)("oxigraph/package.json").version);
} else {
  die(SCRIPT, "usage: run NT REPS WARMUP SPARQL... | version");
}
