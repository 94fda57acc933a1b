#!/usr/bin/env python3
"""vendorc import end to end: the hand-written policies of golden cases
imported into a project's vendors directory, byte-stable, refused by
compile until the expiry placeholder is set, and then compiled and proved
by check, with explain naming what the old policies granted; and import
--verify, which writes the same files only once it has proved each (the
classic mistakes' case too), and writes nothing when it cannot; and
docs/import.md and the README quote the goldens' outputs as they are.

  import.py VENDORC GOLDEN_ROOT
"""

import os
import shutil
import subprocess
import sys
import tempfile

NOW = "2026-11-24"
CASES = ("ok-import", "warn-import-inexpressible")
PROVED = CASES + ("warn-import-inexpressible-classic", "warn-import-inexpressible-cilium")


def run(vendorc, cwd, *args):
    return subprocess.run([vendorc] + list(args), cwd=cwd, capture_output=True, text=True)


def tree(root):
    return {name: open(os.path.join(root, name), "rb").read() for name in sorted(os.listdir(root))}


def check_case(vendorc, golden, case):
    problems = []
    top = tempfile.mkdtemp(prefix="vendorc-import-")
    try:
        project = copy_case(golden, case, top)
        vendors = os.path.join(project, "vendors")
        first = run(vendorc, project, "import", "policies.yaml")
        again = run(vendorc, project, "import", "policies.yaml", "-o", os.path.join(top, "again"))
        if first.returncode or again.returncode:
            return ["import exited %d/%d:\n%s" % (first.returncode, again.returncode, first.stderr)]
        made = {k: v for k, v in tree(vendors).items() if k.endswith(".vendor")}
        if not made or made != tree(os.path.join(top, "again")):
            problems.append("two imports differ, or wrote nothing: %s" % sorted(made))
        refused = run(vendorc, project, "check", "--now", NOW)
        if refused.returncode != 1 or "vendorc import's placeholder" not in refused.stderr:
            problems.append("check accepted the expiry placeholder (exit %d)" % refused.returncode)
        for name in made:
            path = os.path.join(vendors, name)
            text = open(path).read().replace("YYYY-MM-DD", "2027-01-31")
            open(path, "w").write(text)
        proved = run(vendorc, project, "check", "--now", NOW)
        if proved.returncode != 0:
            problems.append("check of the imported files exited %d:\n%s" % (proved.returncode, proved.stderr))
        explained = run(vendorc, project, "explain", "acme", "--now", NOW)
        for want in ("payments/api", "203.0.113.0/25", "monitoring/prometheus"):
            if want not in explained.stdout:
                problems.append("explain acme does not name %s:\n%s" % (want, explained.stdout))
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return problems


def copy_case(golden, case, top):
    project = os.path.join(top, "project")
    shutil.copytree(os.path.join(golden, case), project,
                    ignore=shutil.ignore_patterns("expected*", "args", "out"))
    return project


def check_verify(vendorc, golden, case):
    """--verify proves every file and writes what import writes."""
    top = tempfile.mkdtemp(prefix="vendorc-import-verify-")
    try:
        project = copy_case(golden, case, top)
        plain = run(vendorc, project, "import", "policies.yaml", "-o", os.path.join(top, "plain"))
        proved = run(vendorc, project, "import", "--verify", "policies.yaml", "-o", os.path.join(top, "proved"))
        if plain.returncode or proved.returncode:
            return ["import exited %d, import --verify %d:\n%s" % (plain.returncode, proved.returncode,
                                                                  proved.stderr)]
        made = tree(os.path.join(top, "plain"))
        problems = []
        if made != tree(os.path.join(top, "proved")):
            problems.append("import --verify wrote other files than import")
        verdicts = [line for line in proved.stdout.splitlines() if "(namespace " in line]
        if len(verdicts) != len(made) or not all(": proved: " in line for line in verdicts):
            problems.append("not every file proved:\n" + proved.stdout)
        return problems
    finally:
        shutil.rmtree(top, ignore_errors=True)


def check_unproved(vendorc, golden, case="err-import-changed"):
    """A file the proof refuses is not written, and the output directory
    is left as it was."""
    top = tempfile.mkdtemp(prefix="vendorc-import-refused-")
    try:
        project = copy_case(golden, case, top)
        out = os.path.join(top, "out")
        os.mkdir(out)
        result = run(vendorc, project, "--diagnostics", "json", "import", "--verify", "policies.yaml", "-o", out)
        problems = []
        if result.returncode != 1 or '"code":"import-changed"' not in result.stderr:
            problems.append("import --verify exited %d without import-changed:\n%s" % (result.returncode,
                                                                                      result.stderr))
        if os.listdir(out):
            problems.append("import --verify wrote %s after the proof failed" % os.listdir(out))
        return problems
    finally:
        shutil.rmtree(top, ignore_errors=True)


def check_locked_names(vendorc, golden, case="err-domain-not-locked-import"):
    """docs/import.md's way for names under the networkpolicy backend:
    import, vendorc lock, then import --verify into a scratch directory."""
    top = tempfile.mkdtemp(prefix="vendorc-import-lock-")
    try:
        project = copy_case(golden, case, top)
        run(vendorc, project, "import", "policies.yaml")
        with open(os.path.join(project, "hosts"), "w") as hosts:
            hosts.write("203.0.113.10 api.acme.io\n")
        locked = run(vendorc, project, "lock", "--hosts", "hosts", "--now", NOW)
        proved = run(vendorc, project, "import", "--verify", "policies.yaml", "-o", os.path.join(top, "proof"))
        if locked.returncode or proved.returncode or ": proved: " not in proved.stdout:
            return ["lock exited %d, import --verify %d:\n%s%s" % (locked.returncode, proved.returncode,
                                                                  proved.stdout, proved.stderr)]
        return []
    finally:
        shutil.rmtree(top, ignore_errors=True)


def check_quoted(vendorc, golden, case=None):
    """The worked examples are the goldens' outputs, byte for byte."""
    root = os.path.dirname(os.path.abspath(golden))
    docs = {name: open(os.path.join(root, name)).read() for name in ("docs/import.md", "README.md")}
    quotes = [("docs/import.md", "ok-import/policies.yaml"), ("docs/import.md", "ok-import/expected.stdout"),
              ("docs/import.md", "ok-import/expected/acme.vendor"),
              ("docs/import.md", "warn-import-inexpressible-classic/expected.stdout"),
              ("README.md", "ok-import/expected/acme.vendor")]
    problems = []
    for doc, quoted in quotes:
        text = open(os.path.join(golden, quoted)).read().rstrip("\n")
        if text not in docs[doc]:
            problems.append("%s does not quote golden/%s as it is" % (doc, quoted))
    return problems


def main():
    vendorc, golden = os.path.abspath(sys.argv[1]), sys.argv[2]
    failed = 0
    checks = [(case, check_case, case) for case in CASES]
    checks += [("--verify " + case, check_verify, case) for case in PROVED]
    checks.append(("--verify err-import-changed", check_unproved, "err-import-changed"))
    checks.append(("--verify after vendorc lock", check_locked_names, "err-domain-not-locked-import"))
    checks.append(("docs quote the goldens", check_quoted, None))
    for name, check, case in checks:
        problems = check(vendorc, golden, case)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(problems)
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
