// Dictionary-encoded SQLite through better-sqlite3, for bench/query_bench.sh.
//
//   sqlite_dict.mjs load NT DB                 prints "SECONDS TRIPLES"
//   sqlite_dict.mjs time DB REPS WARMUP SQL... query_bench's output format
//
// load: terms(id INTEGER PRIMARY KEY, term TEXT UNIQUE) holds every distinct
// term in N-Triples syntax, ids in order of first appearance;
// triples(s, p, o INTEGER) refers to it. The file is read and encoded in
// memory first, then both tables are filled in one transaction
// (journal_mode=OFF, synchronous=OFF), then the UNIQUE index on term and the
// three covering indexes spo(s,p,o), pos(p,o,s), osp(o,s,p) are built. The
// time covers all of it. No ANALYZE, as for the strings table: with
// statistics SQLite (3.40 to 3.53) puts a bloom filter on the recursive step
// of q3, a scan of the whole table per step (0.6 ms -> 170 ms at 1M triples);
// query_bench_util.py fixes the join orders of q2 and q3 with CROSS JOIN.
//
// time: one read-only connection; each statement is prepared once and read
// with .raw().all().
import fs from "node:fs";
import Database from "better-sqlite3";
import { die, forEachTriple, timeStatements, timingArgs } from "./common.mjs";

const SCRIPT = "sqlite_dict.mjs";

// Term -> id in order of first appearance. A V8 Map holds at most 2^24
// entries, so the terms are spread over several by a hash of their last
// characters (where IRIs of one kind differ).
class TermIds {
  constructor() {
    this.maps = Array.from({ length: 64 }, () => new Map());
    this.size = 0;
  }

  id(term) {
    let h = term.length;
    for (let i = Math.max(0, term.length - 6); i < term.length; i++) h = (h * 31 + term.charCodeAt(i)) | 0;
    const map = this.maps[h & 63];
    let id = map.get(term);
    if (id === undefined) {
      id = ++this.size;
      map.set(term, id);
    }
    return id;
  }

  // [term, id] pairs in id order.
  *inIdOrder() {
    const terms = new Array(this.size);
    for (const map of this.maps) for (const [term, id] of map) terms[id - 1] = term;
    for (let i = 0; i < terms.length; i++) yield [terms[i], i + 1];
  }
}

function load(nt, dbPath) {
  const start = performance.now();
  const terms = new TermIds();
  let ids = new Int32Array(1 << 20);
  let n = 0;
  const push = (id) => {
    if (n === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[n++] = id;
  };
  forEachTriple(nt, (s, p, o) => {
    push(terms.id(s));
    push(terms.id(p));
    push(terms.id(o));
  });

  fs.rmSync(dbPath, { force: true });
  const db = new Database(dbPath);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1000000");  // 1 GB page cache while loading
  db.exec("CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL);" +
          "CREATE TABLE triples(s INTEGER NOT NULL, p INTEGER NOT NULL, o INTEGER NOT NULL)");
  db.exec("BEGIN");
  const insertTerm = db.prepare("INSERT INTO terms(id, term) VALUES (?, ?)");
  for (const [term, id] of terms.inIdOrder()) insertTerm.run(id, term);
  const insertTriple = db.prepare("INSERT INTO triples(s, p, o) VALUES (?, ?, ?)");
  for (let k = 0; k < n; k += 3) insertTriple.run(ids[k], ids[k + 1], ids[k + 2]);
  // term's UNIQUE constraint as an index built after the fill (one sort
  // instead of an insert per term in random order).
  db.exec("CREATE UNIQUE INDEX terms_term ON terms(term);" +
          "CREATE INDEX spo ON triples(s, p, o);" +
          "CREATE INDEX pos ON triples(p, o, s);" +
          "CREATE INDEX osp ON triples(o, s, p)");
  db.exec("COMMIT");
  db.close();
  console.log(`${((performance.now() - start) / 1000).toFixed(2)} ${n / 3}`);
}

async function time(dbPath, args) {
  const { reps, warmup, statements } = timingArgs(SCRIPT, args);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const prepared = statements.map((sql) => db.prepare(sql).raw());
  await timeStatements(SCRIPT, prepared.length, reps, warmup, async (i) => prepared[i].all().length);
  db.close();
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "load" && args.length === 2) {
  load(args[0], args[1]);
} else if (cmd === "time" && args.length >= 4) {
  await time(args[0], args.slice(1));
} else if (cmd === "version") {
  const db = new Database(":memory:");
  console.log(db.prepare("SELECT sqlite_version()").pluck().get());
  db.close();
} else {
  die(SCRIPT, "usage: load NT DB | time DB REPS WARMUP SQL... | version");
}
