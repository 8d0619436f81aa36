"""npm packages for the Python tests that drive a Node.js program (a SPARQL
client, Oxigraph, puppeteer-core), each pinned by the package-lock.json of
its own directory.

    from npm_packages import npm_ci
    why_not = npm_ci(directory, "client_test")   # None: installed
"""
import os
import shutil
import subprocess


def npm_ci(directory, who, min_node=20, fail_hard=False):
    """Installs `directory`'s locked packages with `npm ci` when its
    node_modules is missing or older than its package-lock.json. None when
    they are installed, else why not: no node or npm, a Node.js older than
    `min_node`, or a failed `npm ci` (no registry) -- which raises
    RuntimeError instead when `fail_hard`."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return "no %s (Node.js >= %d and npm run it)" % ("node" if not node else "npm", min_node)
    version = subprocess.run([node, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0] or 0) < min_node:
        return "Node.js %s is older than %d" % (version, min_node)
    # npm ci writes node_modules/.package-lock.json: older than the lock file
    # means the lock file changed since.
    stamp = os.path.join(directory, "node_modules", ".package-lock.json")
    lock = os.path.join(directory, "package-lock.json")
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(lock):
        return None
    print("%s: installing the locked npm packages: npm ci --no-audit --no-fund in %s" %
          (who, directory), flush=True)
    try:
        r = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=directory,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    except subprocess.TimeoutExpired:
        why = "npm ci took over 10 minutes"
        if fail_hard:
            raise RuntimeError(why)
        return why
    if r.returncode != 0:
        output = r.stdout.decode(errors="replace")
        if fail_hard:
            raise RuntimeError("npm ci failed:\n" + output[-3000:])
        lines = output.strip().splitlines()
        first = [l for l in lines if l.startswith("npm error")][:3] or lines[-3:]
        return "npm ci failed (exit %d): %s" % (r.returncode, " / ".join(first))
    return None
