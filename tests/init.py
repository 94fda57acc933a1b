#!/usr/bin/env python3
"""vendorc init from nothing, as a newcomer uses it: in an empty directory
it makes a project that check accepts; init VENDOR adds a vendor, reviewed
today, that compiles once its placeholders (owner, ticket, justification)
are filled in (they warn until then, and check --strict fails on them);
init again refuses and changes nothing.

  init.py VENDORC
"""

import os
import subprocess
import sys
import tempfile

NOW = ["--now", "2026-11-24"]


def tree(top):
    """Every path below top with its bytes (None for a directory)."""
    state = {}
    for root, dirs, files in os.walk(top):
        for name in dirs:
            state[os.path.relpath(os.path.join(root, name), top)] = None
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                state[os.path.relpath(os.path.join(root, name), top)] = f.read()
    return state


def main(argv):
    vendorc = os.path.abspath(argv[1])
    problems = []
    with tempfile.TemporaryDirectory() as work:
        def vendorc_run(*args):
            return subprocess.run([vendorc, *args, "--diagnostics=json"], cwd=work,
                                  capture_output=True, text=True)

        def expect(what, result, status, text=None, stream="stderr"):
            if result.returncode != status or (text and text not in getattr(result, stream)):
                problems.append("%s: exit %d, wanted %d%s\n%s%s" % (
                    what, result.returncode, status, " and %r" % text if text else "",
                    result.stdout, result.stderr))

        expect("init in an empty directory", vendorc_run("init"), 0, "vendorc.lock", "stdout")
        for path in ("vendorc.yaml", "vendors", "cluster/README.md", "vendorc.lock"):
            if not os.path.exists(os.path.join(work, path)):
                problems.append("init made no %s" % path)
        expect("check of the skeleton", vendorc_run("check", *NOW), 0)
        expect("init acme", vendorc_run("init", "acme", *NOW), 0, "vendors/acme.vendor", "stdout")
        expect("check with the placeholders", vendorc_run("check", *NOW), 0, '"code":"placeholder"')
        expect("check --strict with the placeholders", vendorc_run("check", "--strict", *NOW), 1,
               '"code":"placeholder"')
        before = tree(work)
        expect("init again", vendorc_run("init"), 1, '"code":"init-exists"')
        expect("init acme again", vendorc_run("init", "acme", *NOW), 1, '"code":"vendor-duplicate"')
        if tree(work) != before:
            problems.append("a refused init changed the directory")
        path = os.path.join(work, "vendors", "acme.vendor")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("team@example.com", "secops@corp.example").replace("SEC-0000", "SEC-42")
                    .replace("why the vendor needs this access", "Ships the nightly reports"))
        result = vendorc_run("compile", *NOW)
        expect("compile once filled in", result, 0)
        if '"code":"placeholder"' in result.stderr:
            problems.append("placeholders warned after they were filled in:\n" + result.stderr)
        if not os.path.isfile(os.path.join(work, "deploy", "vendor-access", "namespace-vendor-acme.yaml")):
            problems.append("compile wrote no namespace-vendor-acme.yaml")
    for problem in problems:
        print("FAIL " + problem)
    print("init: %d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
