// DuckDB through @duckdb/node-api, for bench/query_bench.sh.
//
//   duckdb.mjs load NT DB                  prints "SECONDS TRIPLES"
//   duckdb.mjs time DB REPS WARMUP SQL...  query_bench's output format
//   duckdb.mjs version
//
// load: one table triples(s, p, o VARCHAR) of terms in N-Triples syntax, the
// same rows as SQLite's strings table, so queries.py's SQL runs as it is (q3
// as WITH RECURSIVE). DuckDB itself reads the file (read_csv of whole lines)
// and splits each line at its first two spaces; the object is the rest
// without the final " .". No indexes (DuckDB's joins hash; its ART indexes
// serve constraints). The time covers reading, splitting, writing and the
// final CHECKPOINT, not the check beforehand that every line has the form the
// split assumes. DuckDB runs on every core.
//
// time: one read-only instance and connection; each statement is prepared
// once and read whole (runAndReadAll, getRows).
import fs from "node:fs";
import { DuckDBInstance, version } from "@duckdb/node-api";
import { die, timeStatements, timingArgs } from "./common.mjs";

const SCRIPT = "duckdb.mjs";

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";

async function load(nt, dbPath) {
  fs.rmSync(dbPath, { force: true });
  fs.rmSync(dbPath + ".wal", { force: true });
  const instance = await DuckDBInstance.create(dbPath);
  const con = await instance.connect();
  // Whole lines: a delimiter and no quoting that N-Triples never contains
  // unescaped. length()/substr() count characters, so the offsets agree.
  const lines = `read_csv(${quote(nt)}, columns = {'line': 'VARCHAR'}, header = false,
      delim = '\x1f', quote = '', escape = '', new_line = '\\n', auto_detect = false)`;
  const bad = await con.runAndReadAll(
      `SELECT count(*)::BIGINT, any_value(line) FROM ${lines}
       WHERE line NOT LIKE '#%' AND trim(line) <> '' AND NOT (line LIKE '% .' AND line LIKE '% % %')`);
  const [badCount, badLine] = bad.getRows()[0];
  if (badCount > 0n) {
    die(SCRIPT, `${badCount} lines do not end in " ." or have fewer than three terms, e.g. ${JSON.stringify(badLine)}`);
  }
  const start = performance.now();  // the check above is not part of the load
  await con.run(`CREATE TABLE triples AS
      SELECT s, p, substr(line, length(s) + length(p) + 3, length(line) - length(s) - length(p) - 4) AS o
      FROM (SELECT line, split_part(line, ' ', 1) AS s, split_part(line, ' ', 2) AS p FROM ${lines}
            WHERE line NOT LIKE '#%' AND trim(line) <> '')`);
  await con.run("CHECKPOINT");
  const seconds = (performance.now() - start) / 1000;
  const count = (await con.runAndReadAll("SELECT count(*)::BIGINT FROM triples")).getRows()[0][0];
  con.closeSync();
  instance.closeSync();
  console.log(`${seconds.toFixed(2)} ${count}`);
}

async function time(dbPath, args) {
  const { reps, warmup, statements } = timingArgs(SCRIPT, args);
  const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
  const con = await instance.connect();
  const prepared = [];
  for (const sql of statements) prepared.push(await con.prepare(sql));
  await timeStatements(SCRIPT, prepared.length, reps, warmup,
                       async (i) => (await prepared[i].runAndReadAll()).getRows().length);
  con.closeSync();
  instance.closeSync();
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "load" && args.length === 2) {
  await load(args[0], args[1]);
} else if (cmd === "time" && args.length >= 4) {
  await time(args[0], args.slice(1));
} else if (cmd === "version") {
  console.log(version());
} else {
  die(SCRIPT, "usage: load NT DB | time DB REPS WARMUP SQL... | version");
}
