#!/usr/bin/env python3
"""Bad input through the `kg` binary: each case gets an error naming the file,
line and column, exits 1, and leaves the store exactly as it was.

    tests/reliability/bad_input_test.py --kg build/cli/kg [--corpus examples/corpus]

A store is loaded with the sample corpus first; after every case its full
JSON-lines export must be byte-identical to the export before the case, and
`kg check` must pass. Cases (reader: what is fed):

  annotated  invalid UTF-8 in the text            -> FILE:3:6 invalid UTF-8
  annotated  a NUL byte in the text               -> FILE:3:6 NUL byte
  annotated  100,000 nested [[ markup              -> positioned errors, no crash
  annotated  one 100 MB line                       -> positioned error
  annotated  a directory of binary junk (.kga)     -> one positioned error per file
  N-Triples  invalid UTF-8 in a literal            -> FILE:2:...
  N-Triples  a 100 MB literal, then a bad line     -> FILE:2:23, nothing loaded
             (normal and bulk path)
  N-Quads    binary junk                            -> FILE:1:...
  brat       an annotation past the end of the text -> FILE.ann:2:9
  N-Triples  a 10 GB file, one bad line near its end -> FILE:LINE:50 (LINE past 10
             million, bytes past 4 GiB), nothing loaded (normal and bulk path);
             skipped when the disk has less than 14 GB free
  annotated  a 10 GB file                          -> refused before reading: one
                                                      document is at most 1 GiB
Exit 0 when every case held; prints one line per case.
"""
import argparse
import bz2
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--big-mb", type=int, default=int(os.environ.get("KG_BAD_INPUT_MB", "100")),
                    help="size of the long-line cases (the sanitizer run uses less)")
    ap.add_argument("--huge-gb", type=int, default=int(os.environ.get("KG_HUGE_GB", "10")),
                    help="size of the huge N-Triples file (0: skip; skipped when the disk "
                         "lacks room)")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "examples", "corpus"))
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-bad-input-")
    failures = 0
    try:
        db = os.path.join(work, "db")
        r = run([kg, "ingest", "--db", db, args.corpus])
        if r.returncode != 0:
            sys.exit("loading the sample corpus failed: " + r.stderr.decode(errors="replace"))

        def export():
            e = run([kg, "export", "--db", db, "--format", "jsonl"])
            assert e.returncode == 0, e.stderr
            return e.stdout

        before = export()
        assert before.count(b"\n") > 100

        def case(name, cmd, expect, empty_db=None):
            """`expect`: regexes that must each match a line of stderr. With
            `empty_db`, the command ran against that new store, which must
            then hold nothing, instead of the corpus store."""
            nonlocal failures
            start = time.monotonic()
            r = run(cmd)
            secs = time.monotonic() - start
            err = r.stderr.decode("utf-8", errors="replace")
            problems = []
            if r.returncode != 1:
                problems.append("exit %d, expected 1" % r.returncode)
            for pattern in expect:
                if not re.search(pattern, err, re.M):
                    problems.append("no line matches %r" % pattern)
            if empty_db is not None:
                if os.path.exists(os.path.join(empty_db, "CURRENT")):
                    e = run([kg, "export", "--db", empty_db, "--format", "jsonl"])
                    if e.returncode != 0 or e.stdout.strip():
                        problems.append("the new store is not empty")
            elif export() != before:
                problems.append("the store changed")
            c = run([kg, "check", "--db", db])
            if c.returncode != 0:
                problems.append("kg check failed")
            print("bad_input_test: %-48s %5.1f s  %s" % (name, secs, "ok" if not problems else
                                                 "FAILED: " + "; ".join(problems) +
                                                 "\n  stderr: " + err[:600]))
            failures += bool(problems)

        def put(name, data):
            path = os.path.join(work, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            return path

        doc = b"@doc bad\n@title T\nSome %s text [[Iran supplied ShahedDrone]]{#c0}.\n" \
              b"@claim c0: Iran supplied ShahedDrone\n"
        p = put("utf8.kga", doc % b"\xff\xfe")
        case("annotated: invalid UTF-8", [kg, "ingest", "--db", db, p],
             [r"utf8\.kga:3:6: error: invalid UTF-8"])
        p = put("nul.kga", doc % b"\x00")
        case("annotated: NUL byte", [kg, "ingest", "--db", db, p],
             [r"nul\.kga:3:6: error: NUL byte"])
        p = put("nested.kga", b"@doc nested\n@title T\n" + b"[[" * 100000 + b"x" + b"]]" * 100000 + b"\n")
        case("annotated: 100,000 nested [[", [kg, "ingest", "--db", db, p],
             [r"nested\.kga:3:\d+: error: "])
        big = args.big_mb * 1_000_000
        p = put("longline.kga", b"@doc long\n@title T\n" + b"word " * (big // 5) + b"[[x\n")
        case("annotated: a %d MB line" % args.big_mb, [kg, "ingest", "--db", db, p],
             [r"longline\.kga:3:\d+: error: "])
        rng = random.Random(5)
        junk = [put("junk/j%d.kga" % i, bytes(rng.randrange(256) for _ in range(4000)))
                for i in range(4)]
        case("annotated: a directory of binary junk", [kg, "ingest", "--db", db,
                                                       os.path.join(work, "junk")],
             [r"junk/j%d\.kga:\d+:\d+: error: " % i for i in range(4)])

        good = b"<http://x.org/a> <http://x.org/b> \"ok\" .\n"
        p = put("utf8.nt", good + b"<http://x.org/a> <http://x.org/b> \"\xc3\x28\" .\n")
        case("N-Triples: invalid UTF-8", [kg, "import", "--db", db, "--format", "nt", p],
             [r"utf8\.nt:2:\d+: "])
        p = put("long.nt", b"<http://x.org/a> <http://x.org/b> \"" + b"x" * big +
                b"\" .\n<http://x.org/a> <http://x.org/b> oops .\n")
        case("N-Triples: %d MB literal, then a bad line" % args.big_mb,
             [kg, "import", "--db", db, "--format", "nt", "--bulk", "off", p],
             [r"long\.nt:2:35: error: expected IRI"])
        fresh = os.path.join(work, "fresh.db")
        case("N-Triples: the same, bulk path, new store",
             [kg, "import", "--db", fresh, "--format", "nt", "--bulk", "on", p],
             [r"long\.nt:2:35: error: expected IRI", r"bulk import: nothing was loaded"],
             empty_db=fresh)
        p = put("junk.nq", bytes(rng.randrange(256) for _ in range(20000)))
        case("N-Quads: binary junk", [kg, "import", "--db", db, "--format", "nq", p],
             [r"junk\.nq:\d+:\d+: "])
        ttl = b"@prefix x: <http://x.org/> .\nx:a x:b \"ok\" .\n"
        p = put("long.ttl", ttl + b"x:a x:b \"\"\"" + b"line\n" * (big // 5) + b"\"\" .\n")
        case("Turtle: a %d MB string never closed" % args.big_mb,
             [kg, "import", "--db", db, p],
             [r"long\.ttl:3:9: error: expected the end of the string opened here"])
        p = put("deep.ttl", ttl + b"x:a x:b " + b"[ x:c " * 100000 + b"\n")
        case("Turtle: 100,000 nested [", [kg, "import", "--db", db, p],
             [r"deep\.ttl:3:\d+: error: expected at most 256 nested"])
        many = ttl + b"".join(b"x:a%d x:b \"%d\" .\n" % (i, i * 7919) for i in range(50000))
        p = put("cut.ttl.gz", gzip.compress(many)[:-5000])
        case("Turtle: a truncated .gz", [kg, "import", "--db", db, p],
             [r"cut\.ttl\.gz:\d+:\d+: error: expected readable input"])
        p = put("cut.trig.bz2", bz2.compress(many.replace(b" .\n", b" .\n", 1))[:-3000])
        case("TriG: a truncated .bz2", [kg, "import", "--db", db, p],
             [r"cut\.trig\.bz2:\d+:\d+: error: expected readable input"])
        fresh_ttl = os.path.join(work, "fresh-ttl.db")
        p = put("bad-late.ttl", ttl * 200000 + b"x:a x:b x:c ; x:d .\n")
        case("Turtle: a bad statement at the end, bulk path, new store",
             [kg, "import", "--db", fresh_ttl, "--bulk", "on", p],
             [r"bad-late\.ttl:400001:19: error: expected an object", r"bulk import: nothing was loaded"],
             empty_db=fresh_ttl)
        put("brat/b.txt", b"Iran supplied drones.\n")
        put("brat/b.ann", b"T1\tSupplier 0 4\tIran\nT2\tItem 500 510\tdrones\n")
        case("brat: annotation past the end of the text",
             [kg, "import", "--db", db, "--format", "brat", os.path.join(work, "brat", "b.txt")],
             [r"b\.ann:2:9: error: span 500-510 is past the end"])

        # A file past 4 GiB with one bad line near its end. Most of it is
        # comment lines (so the run takes seconds, not the hours of loading
        # billions of statements); one statement in every MiB.
        free_gb = shutil.disk_usage(work).free / 2**30
        if args.huge_gb <= 0:
            print("bad_input_test: N-Triples: a huge file: SKIPPED (--huge-gb 0)")
        elif free_gb < args.huge_gb + 4:
            print("bad_input_test: N-Triples: a %d GB file: SKIPPED (%.1f GB free on %s; "
                  "--huge-gb / KG_HUGE_GB sets the size)" % (args.huge_gb, free_gb, work))
        else:
            p = os.path.join(work, "huge.nt")
            start = time.monotonic()
            comment = b"# " + b"x" * 997 + b"\n"
            lines = 1
            with open(p, "wb") as f:
                f.write(good)
                for i in range(args.huge_gb * 1024):
                    f.write(b"<http://x.org/s%d> <http://x.org/p> \"filler %d\" .\n" % (i, i))
                    f.write(comment * 1023)
                    lines += 1024
                f.write(comment * 7)
                f.write(b"<http://x.org/a> <http://x.org/b> \"unterminated .\n")
                f.write(good)
            bad_line = lines + 7 + 1
            size = os.path.getsize(p)
            assert size > 4 * 2**30
            print("bad_input_test: (wrote %s: %d bytes, %d lines, in %.1f s)" %
                  (p, size, bad_line + 1, time.monotonic() - start))
            case("N-Triples: a %d GB file, bad line %d" % (args.huge_gb, bad_line),
                 [kg, "import", "--db", db, "--format", "nt", p],
                 [r"huge\.nt:%d:50: error: expected '\"'" % bad_line])
            fresh = os.path.join(work, "fresh-huge.db")
            case("N-Triples: the same, bulk path, new store",
                 [kg, "import", "--db", fresh, "--format", "nt", "--bulk", "on", p],
                 [r"huge\.nt:%d:50: error: expected '\"'" % bad_line,
                  r"bulk import: nothing was loaded"], empty_db=fresh)
            os.remove(p)
        # Files read whole as one document have a size limit, checked
        # before anything is read (a sparse file: no disk used).
        p = os.path.join(work, "huge.kga")
        with open(p, "wb") as f:
            f.truncate(10 * 2**30)
        case("annotated: a 10 GB file", [kg, "ingest", "--db", db, p],
             [r"huge\.kga: error: the file is 10737418240 bytes; one document may be at most"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("bad_input_test: %d case(s) failed" % failures)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
