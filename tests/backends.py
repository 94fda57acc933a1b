#!/usr/bin/env python3
"""Both backends on the same inputs: every golden success case that
compiles is compiled again with --backend cilium, and must compile (a lock
is never needed for it) to a tree that passes the schema check (in a
fleet, a tree per cluster).

  backends.py VENDORC
"""

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import golden  # noqa: E402
import schema  # noqa: E402


def compile_cases():
    for name in golden.cases():
        case = os.path.join(golden.GOLDEN, name)
        args = golden.case_args(case)
        status = open(os.path.join(case, "expected.status")).read().strip()
        if name.startswith("ok-") and args[0] == "compile" and status == "0" and "-o" not in args:
            yield name, case, args


def compile_with_cilium(vendorc, name, case, args):
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, name)
        golden.prepare(case, scratch)
        out = os.path.join(tmp, "cilium-out")
        result = golden.run(vendorc, scratch, args + ["--backend", "cilium", "-o", out])
        if result.returncode != 0:
            return ["exit %d: %s" % (result.returncode, result.stderr.decode(errors="replace"))]
        if os.path.exists(os.path.join(out, "kustomization.yaml")):
            return schema.check_tree(out)[0]
        # A fleet: -o DIR holds a tree per cluster.
        trees = sorted(os.path.join(out, d) for d in os.listdir(out))
        return [p for tree in trees for p in schema.check_tree(tree)[0]] or ([] if trees else ["%s: empty" % out])


def main(vendorc):
    return golden.report((name, compile_with_cilium(vendorc, name, case, args))
                         for name, case, args in compile_cases())


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
