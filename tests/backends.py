#!/usr/bin/env python3
"""Both backends on the same inputs: every golden success case that
compiles is compiled again with --backend cilium, and must compile (a lock
is never needed for it) to a tree that passes the schema check.

  backends.py VENDORC
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(os.path.dirname(HERE), "golden")
sys.path.insert(0, HERE)
import schema  # noqa: E402


def compile_cases():
    for name in sorted(os.listdir(GOLDEN)):
        case = os.path.join(GOLDEN, name)
        args_file = os.path.join(case, "args")
        args = open(args_file).read().split() if os.path.exists(args_file) else ["compile", "--now", "2026-11-24"]
        status = open(os.path.join(case, "expected.status")).read().strip()
        if name.startswith("ok-") and args[0] == "compile" and status == "0" and "-o" not in args:
            yield name, case, args


def main(vendorc):
    passed = failed = 0
    for name, case, args in compile_cases():
        with tempfile.TemporaryDirectory() as tmp:
            work = os.path.join(tmp, name)
            shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected*", "args"))
            out = os.path.join(tmp, "cilium-out")
            result = subprocess.run([vendorc] + args + ["--backend", "cilium", "-o", out], cwd=work,
                                    capture_output=True, text=True)
            problems = [] if result.returncode == 0 else ["exit %d: %s" % (result.returncode, result.stderr)]
            if not problems:
                problems, _ = schema.check_tree(out)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for problem in problems:
            print("    " + problem)
        failed += bool(problems)
        passed += not problems
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
