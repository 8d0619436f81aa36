// What the peer scripts of bench/query_bench.sh share: reading an N-Triples
// file in line-aligned chunks, splitting a line into its three terms the way
// query_bench_util.py does, and timing statements in the output format of
// query_bench ("q1  rows=R  median_ms=M  p90_ms=P ...").
import fs from "node:fs";

// Exits with status 1 after printing "SCRIPT: message" to stderr.
export function die(script, message) {
  console.error(`${script}: ${message}`);
  process.exit(1);
}

// Yields the file as Buffers of about `bytes` bytes, each ending at a newline
// (the last one ends where the file does).
export function* lineChunks(path, bytes = 1 << 24) {
  const fd = fs.openSync(path, "r");
  const buf = Buffer.allocUnsafe(bytes);
  let carry = Buffer.alloc(0);
  try {
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      const end = chunk.lastIndexOf(10);
      if (end < 0) {
        carry = Buffer.from(chunk);
        continue;
      }
      yield chunk.subarray(0, end + 1);
      carry = Buffer.from(chunk.subarray(end + 1));
    }
    if (carry.length) yield carry;
  } finally {
    fs.closeSync(fd);
  }
}

// Calls emit(s, p, o) for every triple line of the file, the terms in
// N-Triples syntax. Subject and predicate are IRIs or blank nodes (no
// spaces); the object is the rest up to the final " ." (literals may contain
// spaces). Blank lines and comment lines are skipped.
export function forEachTriple(path, emit) {
  for (const chunk of lineChunks(path)) {
    const text = chunk.toString("utf8");
    let pos = 0;
    while (pos < text.length) {
      let nl = text.indexOf("\n", pos);
      if (nl < 0) nl = text.length;
      const line = text.slice(pos, nl);
      pos = nl + 1;
      if (line[0] === "#" || line.trim() === "") continue;
      const a = line.indexOf(" ");
      const b = a < 0 ? -1 : line.indexOf(" ", a + 1);
      const rest = b < 0 ? "" : line.slice(b + 1).trimEnd();
      if (!rest.endsWith(".")) throw new Error(`not an N-Triples line: ${JSON.stringify(line)}`);
      emit(line.slice(0, a), line.slice(a + 1, b), rest.slice(0, -1).trimEnd());
    }
  }
}

function percentile(sortedMs, q) {
  const rank = Math.max(1, Math.ceil(q * sortedMs.length));
  return sortedMs[Math.min(rank, sortedMs.length) - 1];
}

// Runs each statement warmup + reps times through `run` (an async function
// of the statement index returning the number of rows read) and prints one
// line per statement. Fails when a statement's row count changes between runs.
export async function timeStatements(script, count, reps, warmup, run) {
  for (let i = 0; i < count; i++) {
    const ms = [];
    let rows = null;
    for (let r = 0; r < warmup + reps; r++) {
      const start = performance.now();
      const n = await run(i);
      const elapsed = performance.now() - start;
      if (rows !== null && n !== rows) die(script, `q${i + 1}: row count changed between runs (${rows}, ${n})`);
      rows = n;
      if (r >= warmup) ms.push(elapsed);
    }
    ms.sort((x, y) => x - y);
    const mid = ms.length >> 1;
    const median = ms.length % 2 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
    console.log(`q${i + 1}  rows=${rows}  median_ms=${median.toFixed(4)}  p90_ms=${percentile(ms, 0.9).toFixed(4)}` +
                `  min_ms=${ms[0].toFixed(4)}  max_ms=${ms[ms.length - 1].toFixed(4)}  reps=${reps}`);
  }
}

// Peak resident set size of this process so far, in KiB.
export function peakRssKb() {
  return process.resourceUsage().maxRSS;
}

// Parses "REPS WARMUP STATEMENT..." from argv, as query_bench_util.py does.
export function timingArgs(script, args) {
  const reps = Number(args[0]);
  const warmup = Number(args[1]);
  if (!Number.isInteger(reps) || reps < 1 || !Number.isInteger(warmup) || warmup < 0 || args.length < 3) {
    die(script, "expected REPS WARMUP STATEMENT...");
  }
  return { reps, warmup, statements: args.slice(2) };
}

// Loads N-Triples file `nt` into an oxigraph Store and returns the seconds it
// took. Oxigraph runs in WebAssembly, whose memory ends at 4 GiB: a load that
// traps there exits 3 with a message rather than a stack.
export function loadOxigraph(script, store, nt) {
  const start = performance.now();
  try {
    store.load(lineChunks(nt), { format: "application/n-triples" });
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    const seconds = ((performance.now() - start) / 1000).toFixed(0);
    console.error(`${script}: the load trapped after ${seconds} s at a peak RSS of ` +
                  `${(peakRssKb() / 1024).toFixed(0)} MB (${e.message}), most likely out of ` +
                  "WebAssembly's 4 GiB of memory");
    process.exit(3);
  }
  return (performance.now() - start) / 1000;
}
