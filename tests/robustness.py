#!/usr/bin/env python3
"""What the environment can do to a run, on a scratch copy of examples/:

- standard output that cannot be written (/dev/full) is an I/O error,
  exit 3, for every command that prints, never success or a "yes";
- a FIFO left in the output directory does not hang compile, and stays;
- a compile killed between the two renames of the fallback swap leaves
  the old tree as .NAME.vendorc-new.PID.old and no output: the next
  compile puts it back first, so the hand-written files in it survive;
- the tree of a compile still running (its PID alive) is left alone, a
  dead one's is removed.

  robustness.py VENDORC EXAMPLES
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

NOW = "2026-11-24"
DEAD_PID = 4194399  # above Linux's largest pid_max (2^22): no such process


def run(vendorc, project, args, stdout=subprocess.PIPE, timeout=60):
    return subprocess.run([vendorc] + args + ["-c", os.path.join(project, "vendorc.yaml"),
                                              "--now", NOW],
                          cwd=project, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)


def check_full_stdout(vendorc, project):
    vendor = os.path.join(project, "vendors", "costlens.vendor")
    untidy = os.path.join(project, "untidy.vendor")
    with open(vendor) as f:
        text = f.read()
    with open(untidy, "w") as f:
        f.write(text.replace("    owner   ", "  owner "))
    commands = [["help"], ["--version"], ["fmt", vendor], ["fmt", "--check", untidy],
                ["plan", "-o", os.path.join(project, "elsewhere")], ["graph"], ["expiring"],
                ["explain", "costlens"], ["check", "--coverage"]]
    problems = []
    with open("/dev/full", "w") as full:
        for args in commands:
            result = run(vendorc, project, args, stdout=full)
            if result.returncode != 3 or b"cannot write standard output" not in result.stderr:
                problems.append("%s > /dev/full: exit %d, %r" % (" ".join(args), result.returncode,
                                                                result.stderr[-300:]))
    return problems


def check_fifo(vendorc, project, out):
    fifo = os.path.join(out, "pipe")
    os.mkfifo(fifo)
    try:
        result = run(vendorc, project, ["compile"], timeout=30)
    except subprocess.TimeoutExpired:
        return ["compile hangs on a FIFO in the output directory"]
    problems = []
    if result.returncode != 0:
        problems.append("compile with a FIFO in the output: exit %d, %r" % (result.returncode, result.stderr))
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        problems.append("the FIFO in the output directory did not stay")
    os.unlink(fifo)
    return problems


def check_leftovers(vendorc, project, out):
    parent, name = os.path.split(out)
    with open(os.path.join(out, "NOTES.md"), "w") as f:
        f.write("hand-written, must survive\n")
    old = os.path.join(parent, ".%s.vendorc-new.%d.old" % (name, DEAD_PID))
    os.rename(out, old)
    running = os.path.join(parent, ".%s.vendorc-new.%d" % (name, os.getpid()))
    dead = os.path.join(parent, ".%s.vendorc-new.%d" % (name, DEAD_PID - 1))
    for tree in (running, dead):
        os.makedirs(tree)
    result = run(vendorc, project, ["compile"])
    problems = []
    if result.returncode != 0:
        problems.append("compile after a killed swap: exit %d, %r" % (result.returncode, result.stderr))
    if not os.path.isfile(os.path.join(out, "NOTES.md")):
        problems.append("the hand-written file of the old tree was lost")
    if os.path.exists(old) or os.path.exists(dead):
        problems.append("a dead compile's tree was left: %s" % sorted(os.listdir(parent)))
    if not os.path.isdir(running):
        problems.append("the tree of a compile still running was removed")
    return problems


def main(vendorc, examples):
    vendorc = os.path.abspath(vendorc)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        shutil.copytree(examples, project, ignore=shutil.ignore_patterns("gitops"))
        out = os.path.join(project, "deploy", "vendor-access")
        for name, problems in (("stdout to /dev/full", check_full_stdout(vendorc, project)),
                               ("a FIFO in the output", check_fifo(vendorc, project, out)),
                               ("leftover trees", check_leftovers(vendorc, project, out))):
            failures += bool(problems)
            print("%s %s" % ("FAIL" if problems else "ok  ", name))
            for problem in problems:
                print("    " + problem)
    print("%d passed, %d failed" % (3 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
