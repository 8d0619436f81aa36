#!/usr/bin/env python3
"""Faults through the `kg` binary: damaged stores, a read-only store, a disk
that fills up. Each must give a clear error (exit 1 or 2, never a signal),
lose nothing that was reported as stored, and `kg check` must name what is
wrong.

    tests/reliability/faults_test.py --kg build/cli/kg [--corpus examples/corpus]

Cases:
  damaged store   CURRENT missing, CURRENT naming no MANIFEST, MANIFEST
                  truncated, an SST file missing, truncated, or with a
                  flipped byte in a data block: kg check and kg query fail
                  with a message naming the damaged file (or, for a flipped
                  byte, kg check reports the checksum mismatch and its file);
                  kg ingest refuses to write into the store.
  read-only       the store's files and directory not writable by the user
                  (as root: the commands run as `nobody` through setpriv):
                  kg query, kg check and kg export work; kg ingest and
                  kg import fail with a message naming the store; nothing
                  changes.
  disk full       a size-limited tmpfs (needs permission to mount; skipped
                  with a message otherwise): kg import on the normal path
                  stops with "No space left on device", every document in its
                  --commit-log is present and whole, kg check passes; after
                  space is freed the same command completes the store. The
                  bulk path into a new store stops with the same error and
                  leaves no store and no temporary files behind.
Exit 0 when every case held; prints one line per case.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


class Suite:
    def __init__(self, kg, work):
        self.kg = kg
        self.work = work
        self.failures = 0

    def report(self, name, problems, detail=""):
        print("faults_test: %-58s %s" % (name, "ok" if not problems else
                                         "FAILED: " + "; ".join(problems) +
                                         ("\n  " + detail[:800] if detail else "")))
        sys.stdout.flush()
        self.failures += bool(problems)

    def export(self, db, prefix=()):
        e = run(list(prefix) + [self.kg, "export", "--db", db, "--format", "jsonl"])
        return e

    @staticmethod
    def exit_problems(r, allowed=(1, 2)):
        if r.returncode < 0:
            return ["killed by signal %d" % -r.returncode]
        if r.returncode not in allowed:
            return ["exit %d, expected one of %s" % (r.returncode, allowed)]
        return []


# ---------------------------------------------------------------- damage


def sst_files(db):
    return sorted(f for f in os.listdir(db) if f.endswith(".sst"))


def store_files(db):
    """The store's files, without RocksDB's info logs (every open rotates
    them)."""
    return sorted(f for f in os.listdir(db) if not f.startswith("LOG"))


def largest_sst(db):
    return max(sst_files(db), key=lambda f: os.path.getsize(os.path.join(db, f)))


def damage_cases(s, pristine, probe_query):
    """Each case copies the pristine store, damages one file, and checks
    what kg check, kg query and kg ingest say."""
    kg = s.kg

    def truncate(path, keep):
        with open(path, "r+b") as f:
            f.truncate(keep)

    def flip(path, offset):
        with open(path, "r+b") as f:
            f.seek(offset)
            b = f.read(1)
            f.seek(offset)
            f.write(bytes([b[0] ^ 0x5A]))

    def current_manifest(db):
        with open(os.path.join(db, "CURRENT")) as f:
            return f.read().strip()

    cases = []
    cases.append(("CURRENT missing", lambda db: os.remove(os.path.join(db, "CURRENT")),
                  r"CURRENT", False, None))

    def bad_current(db):
        with open(os.path.join(db, "CURRENT"), "w") as f:
            f.write("MANIFEST-999999\n")
    cases.append(("CURRENT naming a MANIFEST that does not exist", bad_current,
                  r"MANIFEST-999999", False, None))
    def set_aside(db):
        """A MANIFEST that lost its tail no longer lists the newest table
        files; a writer must keep them (lost+found/), and kg check name them."""
        lost = os.path.join(db, "lost+found")
        if not os.path.isdir(lost) or not any(f.endswith(".sst") for f in os.listdir(lost)):
            return ["the table files the MANIFEST lost were not kept in lost+found/"]
        c = run([kg, "check", "--db", db])
        out = c.stdout.decode(errors="replace")
        if not re.search(r"lost\+found.*\d+\.sst", out):
            return ["kg check after the write does not name the files in lost+found/"]
        return []
    # RocksDB reads a MANIFEST cut short as one whose last write was torn by
    # a crash: the store opens at an earlier state. kg check must say so.
    cases.append(("MANIFEST truncated to half",
                  lambda db: truncate(os.path.join(db, current_manifest(db)),
                                      os.path.getsize(os.path.join(db, current_manifest(db))) // 2),
                  r"MANIFEST", True, set_aside))
    cases.append(("an SST file missing", lambda db: os.remove(os.path.join(db, largest_sst(db))),
                  r"\d+\.sst", False, None))
    cases.append(("an SST file truncated to half",
                  lambda db: truncate(os.path.join(db, largest_sst(db)),
                                      os.path.getsize(os.path.join(db, largest_sst(db))) // 2),
                  r"\d+\.sst", False, None))
    # A byte inside the first data block (an SST starts with its data
    # blocks): opening works, reading that block fails its checksum.
    cases.append(("an SST file with a flipped byte in a data block",
                  lambda db: flip(os.path.join(db, largest_sst(db)), 100),
                  r"\d+\.sst", True, None))

    import re
    for name, damage, names, writes_ok, after in cases:
        db = os.path.join(s.work, "damaged")
        shutil.rmtree(db, ignore_errors=True)
        shutil.copytree(pristine, db)
        damage(db)
        listing = store_files(db)
        problems = []
        detail = ""
        c = run([kg, "check", "--db", db])
        out = (c.stdout + c.stderr).decode(errors="replace")
        problems += ["kg check: " + p for p in s.exit_problems(c, allowed=(1,))]
        if not re.search(names, out):
            problems.append("kg check does not name the damaged file (%s)" % names)
        detail += "kg check: " + out.strip().replace("\n", "\n  ")
        q = run([kg, "query", "--db", db, probe_query])
        problems += ["kg query: " + p for p in s.exit_problems(q, allowed=(0, 1))]
        # (A MANIFEST cut short opens at an earlier state, which a query
        # cannot tell from the real one; kg check can.)
        if q.returncode == 1 and after is None and \
                not re.search(names, q.stderr.decode(errors="replace")):
            problems.append("kg query fails without naming the damaged file")
        i = run([kg, "ingest", "--db", db, os.path.join(s.work, "extra.kga")])
        if writes_ok:
            # The damage is where the write does not look: the write may
            # succeed, but no table file may vanish unseen.
            problems += ["kg ingest: " + p for p in s.exit_problems(i, allowed=(0, 1))]
        else:
            problems += ["kg ingest: " + p for p in s.exit_problems(i, allowed=(1,))]
            if i.returncode == 1 and not re.search(names, i.stderr.decode(errors="replace")):
                problems.append("kg ingest fails without naming the damaged file")
            if store_files(db) != listing:
                problems.append("kg ingest changed the damaged store's files: %s -> %s" %
                                (listing, store_files(db)))
        if after is not None:
            problems += after(db)
        s.report("damaged store: " + name, problems, detail)


# ------------------------------------------------------------- read-only


def read_only_cases(s, pristine, probe_query):
    kg = s.kg
    db = os.path.join(s.work, "readonly")
    shutil.rmtree(db, ignore_errors=True)
    shutil.copytree(pristine, db)
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            print("faults_test: read-only store: SKIPPED (running as root and setpriv is "
                  "missing, so the store cannot be made unwritable)")
            return
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        # nobody must be able to reach the binary, the store and the inputs.
        os.chmod(s.work, 0o755)
        for root, dirs, files in os.walk(db):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o555)
            for f in files:
                os.chmod(os.path.join(root, f), 0o444)
        probe = run(prefix + [kg, "--help"])
        if probe.returncode != 0:
            print("faults_test: read-only store: SKIPPED (user nobody cannot run %s: %s)" %
                  (kg, probe.stderr.decode(errors="replace").strip()[:200]))
            return
    for root, dirs, files in os.walk(db):
        for f in files:
            os.chmod(os.path.join(root, f), 0o444)
    os.chmod(db, 0o555)
    before = s.export(pristine)
    assert before.returncode == 0

    problems = []
    q = run(prefix + [kg, "query", "--db", db, probe_query])
    problems += ["kg query: " + p for p in s.exit_problems(q, allowed=(0,))]
    c = run(prefix + [kg, "check", "--db", db])
    problems += ["kg check: " + p for p in s.exit_problems(c, allowed=(0,))]
    e = s.export(db, prefix)
    if e.returncode != 0 or e.stdout != before.stdout:
        problems.append("kg export differs from the store's export before")
    s.report("read-only store: kg query, kg check, kg export work", problems,
             (q.stderr + c.stderr + e.stderr).decode(errors="replace"))

    extra = os.path.join(s.work, "extra.kga")
    nq = os.path.join(s.work, "extra.nq")
    for name, cmd in [("kg ingest", [kg, "ingest", "--db", db, extra]),
                      ("kg import", [kg, "import", "--db", db, "--format", "nq", nq])]:
        r = run(prefix + cmd)
        err = r.stderr.decode(errors="replace")
        problems = s.exit_problems(r, allowed=(1,))
        if db not in err or not ("ermission" in err or "read-only" in err):
            problems.append("the message names neither the store nor the permission problem")
        if "open for writing by" in err:
            problems.append("a read-only store is reported as locked by another writer")
        e = s.export(db, prefix)
        if e.stdout != before.stdout:
            problems.append("the store changed")
        s.report("read-only store: %s is refused" % name, problems, err)
    # Leave the directory removable.
    for root, dirs, files in os.walk(db):
        os.chmod(root, 0o755)


# ------------------------------------------------------------- disk full


def nquads(docs, claims_per_doc):
    """An N-Quads file of `docs` graphs, each a document with
    `claims_per_doc` statements."""
    lines = []
    for d in range(docs):
        g = "<http://example.org/doc/d%04d>" % d
        for c in range(claims_per_doc):
            lines.append('<http://example.org/e/s%d> <http://example.org/p/p%d> '
                         '"value %d of document %d, with enough words to take some room" %s .\n'
                         % (c % 97, c % 13, c, d, g))
    return "".join(lines)


def documents_in(s, db):
    """document id -> its export lines (sorted), or None if the export fails."""
    e = s.export(db)
    if e.returncode != 0:
        return None
    docs = {}
    for line in e.stdout.decode().splitlines():
        rec = json.loads(line)
        doc = rec.get("document") or rec.get("id") or ""
        docs.setdefault(str(doc), []).append(line)
    return {k: sorted(v) for k, v in docs.items()}


def disk_full_cases(s):
    kg = s.kg
    mnt = os.path.join(s.work, "small-disk")
    os.makedirs(mnt)
    size_mb = 96
    r = run(["mount", "-t", "tmpfs", "-o", "size=%dm" % size_mb, "tmpfs", mnt])
    if r.returncode != 0:
        print("faults_test: disk full: SKIPPED (cannot mount a size-limited tmpfs here: %s)" %
              r.stderr.decode(errors="replace").strip()[:200])
        return
    try:
        data = os.path.join(s.work, "docs.nq")
        with open(data, "w") as f:
            f.write(nquads(400, 120))
        ref = os.path.join(s.work, "reference")
        r = run([kg, "import", "--db", ref, "--format", "nq", "--bulk", "off", data])
        assert r.returncode == 0, r.stderr
        reference = documents_in(s, ref)
        assert reference is not None and len(reference) >= 400, len(reference or {})

        # Normal path: fill the disk part-way through, with room only for
        # some of the documents.
        filler = os.path.join(mnt, "filler")
        db = os.path.join(mnt, "db")
        log = os.path.join(s.work, "commit.log")
        with open(filler, "wb") as f:
            f.write(b"\0" * ((size_mb - 10) << 20))
        start = time.monotonic()
        r = run([kg, "import", "--db", db, "--format", "nq", "--bulk", "off",
                 "--commit-log", log, data])
        secs = time.monotonic() - start
        err = r.stderr.decode(errors="replace")
        problems = s.exit_problems(r, allowed=(1,))
        if "No space left on device" not in err and "disk full" not in err.lower():
            problems.append("the error does not say the disk is full")
        c = run([kg, "check", "--db", db])
        problems += ["kg check: " + p for p in s.exit_problems(c, allowed=(0,))]
        present = documents_in(s, db) or {}
        logged = []
        if os.path.exists(log):
            with open(log) as f:
                logged = [l.strip() for l in f if l.strip()]
        if not logged:
            problems.append("nothing was committed before the disk filled (make the disk larger)")
        if len(present) >= len(reference):
            problems.append("the disk never filled (make it smaller)")
        for doc in logged:
            key = next((k for k in reference if k.endswith(doc) or doc.endswith(k)), None)
            if key is None or present.get(key) != reference[key]:
                problems.append("committed document %s is not whole" % doc)
                break
        partial = [k for k in present if present[k] != reference.get(k)]
        if partial:
            problems.append("%d document(s) partly present, e.g. %s" % (len(partial), partial[0]))
        s.report("disk full: kg import stops, committed documents whole (%d of %d, %.1f s)"
                 % (len(present), len(reference), secs), problems, err)

        # Space freed: the same command completes the store.
        os.remove(filler)
        r = run([kg, "import", "--db", db, "--format", "nq", "--bulk", "off", data])
        problems = s.exit_problems(r, allowed=(0,))
        if documents_in(s, db) != reference:
            problems.append("the store differs from the reference after the re-run")
        c = run([kg, "check", "--db", db])
        problems += ["kg check: " + p for p in s.exit_problems(c, allowed=(0,))]
        s.report("disk full: after freeing space the same import completes", problems,
                 r.stderr.decode(errors="replace"))

        # Bulk path into a new store: all or nothing, temporary files gone.
        shutil.rmtree(db)
        with open(filler, "wb") as f:
            f.write(b"\0" * ((size_mb - 6) << 20))
        before = sorted(os.listdir(mnt))
        r = run([kg, "import", "--db", db, "--format", "nq", "--bulk", "on", data])
        err = r.stderr.decode(errors="replace")
        problems = s.exit_problems(r, allowed=(1,))
        if "No space left on device" not in err and "disk full" not in err.lower():
            problems.append("the error does not say the disk is full")
        if os.path.exists(os.path.join(db, "CURRENT")):
            docs = documents_in(s, db)
            if docs:
                problems.append("the bulk load left %d documents" % len(docs))
        leftovers = sorted(set(os.listdir(mnt)) - set(before) - {"db"})
        if leftovers:
            problems.append("temporary files left behind: %s" % leftovers)
        s.report("disk full: the bulk path leaves nothing", problems, err)
    finally:
        run(["umount", mnt])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kg", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "examples", "corpus"))
    ap.add_argument("--only", choices=["damage", "readonly", "diskfull"])
    args = ap.parse_args()
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-faults-")
    s = Suite(kg, work)
    try:
        pristine = os.path.join(work, "pristine")
        r = run([kg, "ingest", "--db", pristine, args.corpus])
        if r.returncode != 0:
            sys.exit("loading the sample corpus failed: " + r.stderr.decode(errors="replace"))
        with open(os.path.join(work, "extra.kga"), "w") as f:
            f.write("@doc extra-fault-doc\n@title T\nSome [[Iran supplied ShahedDrone]]{#c0}.\n"
                    "@claim c0: Iran supplied ShahedDrone\n")
        with open(os.path.join(work, "extra.nq"), "w") as f:
            f.write(nquads(2, 3))
        probe_query = "MATCH ?x supplied ?what RETURN COUNT(*);"
        if args.only in (None, "damage"):
            damage_cases(s, pristine, probe_query)
        if args.only in (None, "readonly"):
            read_only_cases(s, pristine, probe_query)
        if args.only in (None, "diskfull"):
            disk_full_cases(s)
    finally:
        for root, dirs, files in os.walk(work):
            os.chmod(root, 0o755)
        shutil.rmtree(work, ignore_errors=True)
    if s.failures:
        print("faults_test: %d case(s) FAILED" % s.failures)
        return 1
    print("faults_test: every case held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
