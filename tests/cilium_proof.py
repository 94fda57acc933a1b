#!/usr/bin/env python3
"""Every golden success case that compiles is also compiled and proved with
the cilium backend: `vendorc check --backend cilium` (same clock, same
inputs) must pass, except where the case's catalog defeats what that
backend adds, which check must then report with the code given below.

  cilium_proof.py VENDORC GOLDEN_ROOT
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

DEFAULT_NOW = ["--now", "2026-11-24"]

# Cases whose catalog holds a NetworkPolicy that admits the vendor's pods to
# the resolvers on port 53 with no DNS rule: Cilium then lets every lookup
# through (an L4 rule voids a similar rule's L7 part), so the vendor can
# resolve names it does not declare. check says so.
EXPECTED_FINDINGS = {
    "ok-catalog-policy-declared-dns": "verify-vendor-lookup",
}

# Options of the case's own command line that check takes as they are.
DROPPED_WITH_VALUE = ("-o", "--backend", "--verify")


def check_args(case_dir):
    path = os.path.join(case_dir, "args")
    words = open(path).read().split() if os.path.exists(path) else ["compile"] + DEFAULT_NOW
    if words[0] not in ("compile", "check"):
        return None
    kept, skip = [], False
    for word in words[1:]:
        if skip:
            skip = False
        elif word in DROPPED_WITH_VALUE:
            skip = True
        else:
            kept.append(word)
    if "--now" not in kept:
        kept += DEFAULT_NOW
    return ["check", "--backend", "cilium", "--diagnostics=json"] + kept


def succeeded(case_dir):
    path = os.path.join(case_dir, "expected.status")
    return not os.path.exists(path) or open(path).read().strip() == "0"


def codes_of(stderr):
    codes = []
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        for diag in record if isinstance(record, list) else [record]:
            if isinstance(diag, dict) and diag.get("severity") == "error":
                codes.append(diag.get("code"))
    return codes


def prove(vendorc, case_dir, args):
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.join(scratch, "case")
        shutil.copytree(case_dir, work)
        result = subprocess.run([vendorc] + args, cwd=work, capture_output=True, text=True)
    return result.returncode, codes_of(result.stderr), result.stderr


def main(argv):
    vendorc, golden_root = os.path.abspath(argv[1]), argv[2]
    passed = failed = 0
    for name in sorted(os.listdir(golden_root)):
        case_dir = os.path.join(golden_root, name)
        args = check_args(case_dir) if name.startswith("ok-") and succeeded(case_dir) else None
        if args is None:
            continue
        status, codes, stderr = prove(vendorc, case_dir, args)
        expected = EXPECTED_FINDINGS.get(name)
        ok = (status == 1 and codes and set(codes) == {expected}) if expected else (status == 0 and not codes)
        print("%s %s" % ("ok  " if ok else "FAIL", name))
        if not ok:
            sys.stdout.write(stderr)
        passed += ok
        failed += not ok
    stale = sorted(set(EXPECTED_FINDINGS) - set(os.listdir(golden_root)))
    for name in stale:
        print("FAIL %s: listed in EXPECTED_FINDINGS but not a case" % name)
    failed += len(stale)
    print("%d proved with the cilium backend, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
