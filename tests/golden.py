#!/usr/bin/env python3
"""Golden tests for vendorc.

Each folder of golden/ is one case: an input project (vendorc.yaml and
whatever it names; its output directory is out/), plus
  args             the command line (default: compile --now 2026-11-24)
  expected.status  the exit status
  expected.stderr  the diagnostics, exactly
  expected/        out/ as it must be after the run (absent: out/ must not exist)
  stdin            optional: what the command reads on standard input (for
                   `fmt` without files); without it, standard input is empty
  commit           optional: the case folder is made a git repository with one
                   commit of all its files, this file's text the message, by
                   Jane Doe <jane@example.com> at 2026-11-14T09:30:00Z (for
                   `explain --at`); without it the scratch copy is in no git
                   work tree at all (git looks no further up than its folder)
The case runs in a scratch copy of its folder, so paths in diagnostics are
stable. Whatever the case, a failing run must leave out/ exactly as it was,
but for `lock` without --check, which writes the domains it could lock and reports the others.
A case named err-CODE, warn-CODE or note-CODE must also report diagnostic CODE.

  golden.py VENDORC CASE...   run cases (UPDATE_GOLDEN=1 rewrites their expected files)
  golden.py --list            the case names, for meson
  golden.py --tree            every case complete, every diagnostic code covered
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "golden")
DEFAULT_ARGS = "compile --now 2026-11-24"
EXPECTED = ("args", "stdin", "commit", "expected.status", "expected.stderr", "expected.stdout", "expected")
GIT_DATE = "2026-11-14T09:30:00Z"


def cases():
    return sorted(d for d in os.listdir(GOLDEN) if os.path.isdir(os.path.join(GOLDEN, d)))


def snapshot(tree):
    """Every file under tree with its bytes, or None when tree is absent."""
    if not os.path.isdir(tree):
        return None
    files = {}
    for base, dirs, names in os.walk(tree):
        dirs.sort()
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, tree)
            files[rel] = os.readlink(path) if os.path.islink(path) else open(path, "rb").read()
    return files


def git_env():
    """git that no configuration of the machine or the user changes, and
    that finds no repository above the scratch folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_NAME="Jane Doe", GIT_AUTHOR_EMAIL="jane@example.com",
               GIT_COMMITTER_NAME="Jane Doe", GIT_COMMITTER_EMAIL="jane@example.com",
               GIT_AUTHOR_DATE=GIT_DATE, GIT_COMMITTER_DATE=GIT_DATE)
    return env


def prepare(case_dir, scratch):
    shutil.copytree(case_dir, scratch, symlinks=True,
                    ignore=lambda d, names: [n for n in names if d == case_dir and n in EXPECTED])
    message = read(os.path.join(case_dir, "commit"))
    if message is None:
        return
    for args in (["-c", "init.defaultBranch=main", "init", "-q"], ["add", "-A"],
                 ["commit", "-q", "-F", os.path.join(case_dir, "commit")]):
        subprocess.run(["git", "-C", scratch] + args, env=git_env(), check=True)


def run(vendorc, scratch, args, stdin=b""):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH" and not k.startswith("GIT_")}
    env["LC_ALL"] = "C"
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(scratch)
    return subprocess.run([vendorc] + args, cwd=scratch, env=env, capture_output=True,
                          input=stdin, timeout=60)


def read(path, default=None):
    return open(path, "rb").read() if os.path.exists(path) else default


def write_expected(case_dir, result, after):
    open(os.path.join(case_dir, "expected.status"), "w").write("%d\n" % result.returncode)
    open(os.path.join(case_dir, "expected.stderr"), "wb").write(result.stderr)
    stdout_path = os.path.join(case_dir, "expected.stdout")
    if result.stdout:
        open(stdout_path, "wb").write(result.stdout)
    elif os.path.exists(stdout_path):
        os.remove(stdout_path)
    expected_tree = os.path.join(case_dir, "expected")
    shutil.rmtree(expected_tree, ignore_errors=True)
    for rel, data in (after or {}).items():
        path = os.path.join(expected_tree, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(data)


def compare(case_dir, result, after):
    problems = []
    status = int(read(os.path.join(case_dir, "expected.status"), b"-1"))
    if result.returncode != status:
        problems.append("exit status %d, expected %d" % (result.returncode, status))
    want_err = read(os.path.join(case_dir, "expected.stderr"), b"")
    if result.stderr != want_err:
        problems.append("stderr differs:\n--- expected\n%s--- got\n%s" % (
            want_err.decode(errors="replace"), result.stderr.decode(errors="replace")))
    want_out = read(os.path.join(case_dir, "expected.stdout"), b"")
    if result.stdout != want_out:
        problems.append("stdout differs:\n%s" % result.stdout.decode(errors="replace"))
    want_tree = snapshot(os.path.join(case_dir, "expected"))
    if (after or None) != (want_tree or None):
        names = sorted(set(after or {}) | set(want_tree or {}))
        diff = [n for n in names if (after or {}).get(n) != (want_tree or {}).get(n)]
        problems.append("out/ differs from expected/ in: %s" % ", ".join(diff or ["(presence)"]))
    return problems


def diagnostic_code(name):
    """err-CODE or err-CODE-WHAT: the longest diagnostic code the name starts with."""
    match = re.match(r"(err|warn|note)-(.+)$", name)
    if not match:
        return None
    rest = match.group(2)
    fitting = [c for c, _ in diagnostic_codes() if rest == c or rest.startswith(c + "-")]
    return max(fitting, key=len) if fitting else rest


def diagnostic_codes():
    header = open(os.path.join(ROOT, "include", "vendorc", "diag.h")).read()
    return re.findall(r'X\(\w+, "([a-z0-9-]+)", DIAG_(\w+)\)', header)


def case_args(case_dir):
    return read(os.path.join(case_dir, "args"), DEFAULT_ARGS.encode()).decode().split()


def report(results):
    """(name, problems) pairs: a line each, the problems under it; then
    the count. Returns the exit status: 1 on a failure or on no case."""
    passed = failed = 0
    for name, problems in results:
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for problem in problems:
            print("    " + problem.replace("\n", "\n    "))
        failed += bool(problems)
        passed += not problems
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


def run_case(vendorc, name):
    case_dir = os.path.join(GOLDEN, name)
    args = case_args(case_dir)
    stdin = read(os.path.join(case_dir, "stdin"), b"")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, name)
        prepare(case_dir, scratch)
        before = snapshot(os.path.join(scratch, "out"))
        result = run(vendorc, scratch, args, stdin)
        after = snapshot(os.path.join(scratch, "out"))
    problems = []
    if result.returncode not in (0, 1, 2, 3):
        problems.append("crashed: exit status %d" % result.returncode)
    writes_partly = args[0] == "lock" and "--check" not in args
    if result.returncode != 0 and after != before and not writes_partly:
        problems.append("a failing run changed out/")
    code = diagnostic_code(name)
    if code:
        with tempfile.TemporaryDirectory() as tmp:
            scratch = os.path.join(tmp, name)
            prepare(case_dir, scratch)
            json_run = run(vendorc, scratch, args + ["--diagnostics=json"], stdin)
        if ('"code":"%s"' % code).encode() not in json_run.stderr:
            problems.append("does not report diagnostic %s" % code)
    if os.environ.get("UPDATE_GOLDEN"):
        write_expected(case_dir, result, after)
    else:
        problems += compare(case_dir, result, after)
    return problems


def tree_check():
    codes = diagnostic_codes()
    names = set(cases())
    problems = []
    for code, severity in codes:
        prefix = {"WARNING": "warn", "NOTE": "note"}.get(severity, "err")
        if "%s-%s" % (prefix, code) not in names:
            problems.append("no golden case %s-%s for diagnostic %s" % (prefix, code, code))
    for name in sorted(names):
        for required in ("expected.status", "expected.stderr"):
            if not os.path.exists(os.path.join(GOLDEN, name, required)):
                problems.append("%s lacks %s" % (name, required))
    return problems


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(cases()))
        return 0
    if argv[1:] == ["--tree"]:
        problems = tree_check()
        print("\n".join(problems) or "golden tree complete: %d cases" % len(cases()))
        return 1 if problems else 0
    vendorc = os.path.abspath(argv[1])
    return report((name, run_case(vendorc, name)) for name in argv[2:] or cases())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
