#!/usr/bin/env python3
"""The one LeakSanitizer suppression (scripts/lsan.supp) hides exactly the
report it is for -- glibc's node for a thread_local's destructor, when the
leak check misses a thread's TLS -- and not a leak of our own.

use_tls=0 makes LeakSanitizer miss every thread's TLS, so the report the fuzz
runs saw under load appears every time here.

  lsan_suppression_test.py --program tests/tls_dtor_node --supp scripts/lsan.supp
"""
import argparse
import os
import subprocess
import sys


def run(program, args, lsan_options):
    env = dict(os.environ)
    env["LSAN_OPTIONS"] = lsan_options
    env["ASAN_OPTIONS"] = "detect_leaks=1"
    p = subprocess.run([program] + args, env=env, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", required=True)
    ap.add_argument("--supp", required=True)
    a = ap.parse_args()
    failures = []

    rc, err = run(a.program, [], "use_tls=0")
    if rc == 0 or "__cxa_thread_atexit_impl" not in err:
        failures.append(f"without the suppression, expected a leak report from "
                        f"__cxa_thread_atexit_impl; exit {rc}, stderr:\n{err}")

    rc, err = run(a.program, [], f"use_tls=0:suppressions={a.supp}:print_suppressions=0")
    if rc != 0:
        failures.append(f"with the suppression, expected no report; exit {rc}, stderr:\n{err}")

    rc, err = run(a.program, ["leak"], f"use_tls=0:suppressions={a.supp}:print_suppressions=0")
    if rc == 0 or "48 byte(s)" not in err:
        failures.append(f"with the suppression, a leak of our own (48 bytes) must still be "
                        f"reported; exit {rc}, stderr:\n{err}")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("ok: the suppression hides the thread_local destructor node and nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
