#!/usr/bin/env python3
"""A bounded load test of `kg serve`: N clients for T seconds on 127.0.0.1.

    bench/serve_load.py [--kg build/cli/kg] [--db DIR] [--clients 8] [--seconds 30]

Starts `kg serve --port 0` on the store (by default a temporary one with
examples/corpus ingested; --db must hold the sample corpus's names too,
since the requests ask about them) and runs N client threads, each with its
own keep-alive HTTP/1.1 connection (http.client), sending a fixed mix of
requests in turn until T seconds have passed: SPARQL SELECTs by GET and by
POST, among them the README's two questions (docs/sparql.md), and kg's
SOURCES OF by GET and POST on /query.

Every response must be a 200 with the very body the request got once
before the load started (on the sample corpus those first answers are also
checked for the README's answers: UkrainianOfficials; 2 independent
sources). Reports requests/s and p50/p99 latency, per request and in all,
the errors (a connection that failed, a status other than 200) and wrong
answers (exit 1 if there was any), and the CPU time the server and the
clients used. The clients run in this one Python process, on the same
cores as the server: on a small machine they take a share of its CPU, so
the figures are a floor for the server.
"""
import argparse
import http.client
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KGE = "https://w3id.org/kg/entity/"

PREFIXES = ("PREFIX kg: <https://w3id.org/kg/vocab#>\nPREFIX kge: <https://w3id.org/kg/entity/>\n")
README_1 = PREFIXES + """SELECT ?quote ?hedge ?document ?source WHERE {
  <<( ?s ?p ?o )>> kg:evidence ?e .
  ?e kg:quote ?quote ; kg:hedge ?hedge ; kg:document ?document ; kg:root ?source .
  FILTER(CONTAINS(?quote, "half of Russia"))
}"""
README_2 = PREFIXES + """SELECT ?n ?root WHERE {
  <<( kge:Iran kge:supplied kge:ShahedDrone )>> kg:independentSources ?n ; kg:root ?root .
}"""
IRAN = "SELECT ?what WHERE { <%sIran> <%ssupplied> ?what }" % (KGE, KGE)


def get(path, **params):
    return ("GET", path + "?" + urllib.parse.urlencode(params), None, {})


def post(path, body, content_type):
    return ("POST", path, body.encode(), {"Content-Type": content_type})


# (name, request, check of the first answer on the sample corpus)
MIX = [
    ("sparql GET Iran supplied ?what", get("/sparql", query=IRAN),
     lambda b: {r["what"]["value"] for r in json.loads(b)["results"]["bindings"]} ==
     {KGE + "Drones", KGE + "ShahedDrone"}),
    ("sparql POST README question 2", post("/sparql", README_2, "application/sparql-query"),
     lambda b: sorted((r["n"]["value"], r["root"]["value"].rsplit("/", 1)[1])
                      for r in json.loads(b)["results"]["bindings"]) ==
     [("2", "atlantic-council-2025"), ("2", "wsj-crink-2025")]),
    ("sparql GET README question 1", get("/sparql", query=README_1),
     lambda b: [r["source"]["value"] for r in json.loads(b)["results"]["bindings"]] ==
     [KGE + "UkrainianOfficials"]),
    ("query GET SOURCES OF (Iran ...)", get("/query", q="SOURCES OF (Iran supplied ShahedDrone)"),
     lambda b: json.loads(b)["counts"]["supporting"] == 2),
    ("query POST SOURCES OF \"half of ...\"",
     post("/query", "SOURCES OF \"half of Russia's munitions\";", "text/plain"),
     lambda b: json.loads(b)["rows"][0]["source"] == ["UkrainianOfficials"]),
]


class Server:
    """`kg serve` on a free port of 127.0.0.1; its access log in `log`."""

    def __init__(self, kg, db, log, threads):
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [kg, "serve", "--db", db, "--port", "0", "--access-log", log, "--threads",
             str(threads)], stdout=subprocess.PIPE, stderr=self.err)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        first = self.proc.stdout.readline().decode() if ready else ""
        if not first.startswith("kg serve: listening on http://127.0.0.1:"):
            self.stop()
            self.err.seek(0)
            raise RuntimeError("kg serve did not start: %r %s" % (first, self.err.read().decode()))
        self.port = int(first.split(" on ")[1].split()[0].rstrip("/").rsplit(":", 1)[1])

    def cpu_seconds(self):
        """User + system CPU time the server has used (Linux /proc), or None."""
        try:
            with open("/proc/%d/stat" % self.proc.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def send(conn, request):
    method, path, body, headers = request
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


class Client(threading.Thread):
    """Sends the mix in turn, from request `start`, until `deadline`."""

    def __init__(self, port, start, deadline, want):
        super().__init__(daemon=True)
        self.port, self.next, self.deadline, self.want = port, start, deadline, want
        self.latencies = [[] for _ in MIX]  # seconds, per request of the mix
        self.errors, self.wrong, self.notes = 0, 0, []

    def note(self, what):
        if len(self.notes) < 5:
            self.notes.append(what)

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.deadline:
            i = self.next % len(MIX)
            self.next += 1
            start = time.monotonic()
            try:
                status, body = send(conn, MIX[i][1])
            except (OSError, http.client.HTTPException) as e:
                self.errors += 1
                self.note("%s: %s" % (MIX[i][0], e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            self.latencies[i].append(time.monotonic() - start)
            if status != 200:
                self.errors += 1
                self.note("%s: HTTP %d %r" % (MIX[i][0], status, body[:200]))
            elif body != self.want[i]:
                self.wrong += 1
                self.note("%s: a different answer: %r" % (MIX[i][0], body[:200]))
        conn.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kg", default=os.path.join(ROOT, "build", "cli", "kg"))
    ap.add_argument("--db", help="a store holding the sample corpus (default: a temporary "
                    "store with examples/corpus)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=0,
                    help="kg serve --threads (default: the clients, at least 8)")
    args = ap.parse_args()
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 600:
        ap.error("--clients must be 1..256 and --seconds 0..600")
    kg = os.path.abspath(args.kg)
    work = tempfile.mkdtemp(prefix="kg-serve-load-")
    server = None
    try:
        db = args.db
        if not db:
            db = os.path.join(work, "db")
            r = subprocess.run([kg, "ingest", "--db", db, os.path.join(ROOT, "examples", "corpus")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
            if r.returncode != 0:
                print("serve_load: cannot ingest the sample corpus: " + r.stderr.decode())
                return 1
        threads = args.threads or max(args.clients, 8)
        server = Server(kg, db, os.path.join(work, "access.log"), threads)

        # The answers every response must repeat, checked on the sample corpus.
        want = []
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for name, request, check in MIX:
            status, body = send(conn, request)
            ok = status == 200
            try:
                ok = ok and (args.db is not None or check(body))
            except (ValueError, KeyError, IndexError, TypeError):
                ok = False
            if not ok:
                print("serve_load: FAILED: %s: a wrong first answer: HTTP %d %r" % (
                    name, status, body[:500]))
                return 1
            want.append(body)
        conn.close()

        print("serve_load: %d clients x %g s against http://127.0.0.1:%d (kg serve --threads %d), "
              "store %s" % (args.clients, args.seconds, server.port, threads,
                            args.db or "examples/corpus"))
        server_cpu, own_cpu = server.cpu_seconds(), os.times()
        start = time.monotonic()
        deadline = start + args.seconds
        clients = [Client(server.port, i, deadline, want) for i in range(args.clients)]
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.seconds + 120)
        elapsed = time.monotonic() - start
        hung = sum(c.is_alive() for c in clients)
        if server_cpu is not None and server.cpu_seconds() is not None:
            server_cpu = server.cpu_seconds() - server_cpu
        now = os.times()
        own_cpu = now.user + now.system - own_cpu.user - own_cpu.system
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print("%-36s %9s %9s %8s %8s" % ("request", "count", "req/s", "p50 ms", "p99 ms"))
    everything = []
    for i, (name, _, _) in enumerate(MIX):
        lat = sorted(x for c in clients for x in c.latencies[i])
        everything += lat
        print("%-36s %9d %9.0f %8.2f %8.2f" % (name, len(lat), len(lat) / elapsed,
                                               percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3))
    everything.sort()
    errors = sum(c.errors for c in clients) + hung
    wrong = sum(c.wrong for c in clients)
    print("%-36s %9d %9.0f %8.2f %8.2f" % ("all", len(everything), len(everything) / elapsed,
                                           percentile(everything, 50) * 1e3,
                                           percentile(everything, 99) * 1e3))
    print("serve_load: %d requests in %.1f s: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, "
          "%d error(s), %d wrong answer(s)" % (len(everything), elapsed, len(everything) / elapsed,
                                               percentile(everything, 50) * 1e3,
                                               percentile(everything, 99) * 1e3, errors, wrong))
    served = "unknown" if server_cpu is None else "%.1f s (%.2f cores)" % (
        server_cpu, server_cpu / elapsed)
    print("serve_load: CPU: kg serve %s, the clients %.1f s (%.2f cores), of %d cores; "
          "load average %.2f %.2f %.2f" % ((served, own_cpu, own_cpu / elapsed, os.cpu_count()) +
                                           os.getloadavg()))
    for c in clients:
        for n in c.notes:
            print("    " + n)
    if hung:
        print("serve_load: %d client(s) still waiting for an answer at the end" % hung)
    if not everything:
        print("serve_load: FAILED: no request was answered")
        return 1
    return 1 if errors or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
