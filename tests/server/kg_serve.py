"""`kg serve` as a child process, for the Python tests beside this file.

    with KgServe(kg, db) as server:          # kg serve --db DB --port 0
        urllib.request.urlopen(server.base + "/health")

The first line of its standard output names the address; `base` is
"http://127.0.0.1:PORT". Its standard error (notes, and the access log
unless --access-log is given) goes to a temporary file, read by
`stderr()`. Leaving the block sends SIGTERM and waits for the exit (SIGKILL
after 15 s), so no server outlives its test.
"""
import os
import select
import signal
import subprocess
import tempfile


class KgServe:
    def __init__(self, kg, db, *extra):
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([kg, "serve", "--db", db, "--port", "0"] + list(extra),
                                     stdout=subprocess.PIPE, stderr=self.err)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        first = self.proc.stdout.readline().decode() if ready else ""
        if not first.startswith("kg serve: listening on http://"):
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("kg serve did not start: %r %r" % (first, self.stderr()))
        self.base = first.split(" on ")[1].split()[0].rstrip("/")
        self.port = int(self.base.rsplit(":", 1)[1])

    def stop(self):
        """SIGTERM, then SIGKILL if it has not exited after 15 s; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode

    def stderr(self):
        """What it has written to standard error so far."""
        self.err.seek(0)
        return self.err.read().decode(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_kg(kg, *args, timeout=300):
    """Runs `kg ARGS`; raises RuntimeError with its stderr when it fails."""
    r = subprocess.run([kg] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("kg %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                   r.stderr.decode(errors="replace")))
    return r.stdout.decode(errors="replace")


def write_token_file(directory):
    """A fresh random write token in DIRECTORY/token (mode 600), for
    `kg serve --write-token-file`: (token, path)."""
    token = os.urandom(16).hex()
    path = os.path.join(directory, "token")
    with open(path, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    return token, path
