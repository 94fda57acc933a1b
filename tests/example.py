#!/usr/bin/env python3
"""The example project compiles to exactly the output committed beside it.

  example.py VENDORC EXAMPLES_DIR

It compiles EXAMPLES_DIR/vendorc.yaml for the demo's fixed date into a
scratch directory and compares that tree, byte for byte, with the
project's committed output directory, and checks that `check --coverage`
on it reports all three kinds of finding its catalog holds (the example
exists to show them).
"""

import filecmp
import os
import subprocess
import sys
import tempfile

NOW = "2026-11-24"
OUTPUT = os.path.join("deploy", "vendor-access")
COVERAGE_SECTIONS = ["namespaces without a default-deny:", "workloads no policy selects:",
                     "vendor access that rests on catalog policies:"]


def differences(a, b):
    cmp = filecmp.dircmp(a, b)
    found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
    for sub, sub_cmp in cmp.subdirs.items():
        found += [os.path.join(sub, n) for n in differences(os.path.join(a, sub), os.path.join(b, sub))]
    return found


def coverage_problems(vendorc, examples):
    result = subprocess.run([vendorc, "check", "--coverage", "-c", os.path.join(examples, "vendorc.yaml"),
                             "--now", NOW], capture_output=True, text=True)
    missing = [s for s in COVERAGE_SECTIONS if s not in result.stdout.splitlines()]
    if result.returncode != 0 or missing:
        print("check --coverage (exit %d) lacks %s:\n%s" % (result.returncode, missing, result.stdout))
        return 1
    return 0


def main(vendorc, examples):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        result = subprocess.run([vendorc, "compile", "-c", os.path.join(examples, "vendorc.yaml"),
                                 "--now", NOW, "-o", out], capture_output=True, text=True)
        if result.returncode != 0:
            print("compile failed (%d):\n%s" % (result.returncode, result.stderr))
            return 1
        filecmp.clear_cache()
        diff = differences(out, os.path.join(examples, OUTPUT))
        if diff:
            print("examples output is stale in: %s\n(run `make demo` and commit the result)"
                  % ", ".join(sorted(diff)))
            return 1
    if coverage_problems(vendorc, examples):
        return 1
    print("examples: output up to date, coverage reports all three sections")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
