#!/usr/bin/env python3
"""The output swap is atomic: kill compile at many points, and the output
directory is always the old tree or the new one, never a mix; the hand-
written file in it always survives; a later compile cleans up what a
killed one left beside it.

  killswap.py VENDORC EXAMPLES_DIR [ROUNDS]
"""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def snapshot(tree):
    files = {}
    for base, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(base, name)
            files[os.path.relpath(path, tree)] = open(path, "rb").read()
    return files


def make_project(examples, root, copies):
    """The examples with each vendor copied many times, so a compile writes
    enough files to be killed in the middle of it."""
    shutil.copytree(examples, root, ignore=shutil.ignore_patterns("deploy"))
    vendors = os.path.join(root, "vendors")
    for name in os.listdir(vendors):
        text = open(os.path.join(vendors, name)).read()
        stem = name[:-len(".vendor")]
        for i in range(copies):
            copy = "%s-%d" % (stem, i)
            text_copy = text.replace("vendor %s {" % stem, "vendor %s {" % copy)
            text_copy = re.sub(r"runs in (\S+)", r"runs in \1-%d" % i, text_copy)
            open(os.path.join(vendors, copy + ".vendor"), "w").write(text_copy)


def compile_once(vendorc, project, now, kill_after=None):
    proc = subprocess.Popen([vendorc, "compile", "-c", os.path.join(project, "vendorc.yaml"),
                             "--now", now], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return proc.wait()
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def main(vendorc, examples, rounds):
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        make_project(examples, project, 20)
        out = os.path.join(project, "deploy", "vendor-access")
        os.makedirs(out)
        open(os.path.join(out, "README.md"), "w").write("hand-written, must survive\n")
        # Two states to swap between: expiry dates make them differ.
        compile_once(vendorc, project, "2026-11-24")
        old = snapshot(out)
        compile_once(vendorc, project, "2027-05-01")
        new = snapshot(out)
        assert old != new, "the two states should differ"
        failures = killed = 0
        start = time.time()
        for i in range(rounds):
            now = "2026-11-24" if i % 2 else "2027-05-01"
            before = snapshot(out)
            killed += compile_once(vendorc, project, now, kill_after=random.uniform(0, 0.15)) == -signal.SIGKILL
            after = snapshot(out)
            if after not in (old, new) or after.get("README.md") is None:
                failures += 1
                print("round %d: the output is neither tree (%d files)" % (i, len(after)))
        compile_once(vendorc, project, "2026-11-24")
        leftovers = [n for n in os.listdir(os.path.dirname(out)) if "vendorc-new" in n]
        if leftovers:
            failures += 1
            print("left beside the output after a clean compile: %s" % leftovers)
        print("%d runs, %d killed before they ended, in %.1f s" % (rounds, killed, time.time() - start))
        if killed < rounds // 4:
            failures += 1
            print("too few kills landed in the middle of a compile to mean anything")
        print("%d passed, %d failed" % (rounds - failures, failures))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 40))
