#!/usr/bin/env python3
"""vendorc fmt keeps meaning and settles in one step.

  fmt.py VENDORC ROOT

For every *.vendor under ROOT/golden and ROOT/examples (each content once:
the golden cases hold many copies, and the answer is the bytes'):
- if it parses, fmt(fmt(x)) == fmt(x) (the second pass reads standard input);
- if it does not, fmt exits 1, prints nothing, and `fmt -w` leaves it as it was.
For every project there (each vendorc.yaml) that compiles: formatting every
vendor file of a scratch copy in place keeps each file's mode and leaves the
compiled output tree the same, byte for byte.
Also: standard input over the size limit is an error; -w through a symbolic
link formats the target and keeps the link; `vendorc init` writes a
canonical file.
"""

import os
import shutil
import subprocess
import sys
import tempfile

NOW = "2026-11-24"


def run(vendorc, args, cwd=None, data=None):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["LC_ALL"] = "C"
    return subprocess.run([vendorc] + args, cwd=cwd, env=env, input=data, capture_output=True,
                          timeout=60)


def files_under(root, suffix):
    for base, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(suffix):
                yield os.path.join(base, name)


def tree(root):
    found = {}
    for path in files_under(root, ""):
        found[os.path.relpath(path, root)] = open(path, "rb").read()
    return found


def check_file(vendorc, path, scratch):
    """Problems with formatting one vendor file."""
    first = run(vendorc, ["fmt", path])
    if first.returncode != 0:
        copy = os.path.join(scratch, "copy.vendor")
        shutil.copyfile(path, copy)
        written = run(vendorc, ["fmt", "-w", copy])
        problems = []
        if first.returncode != 1 or first.stdout:
            problems.append("does not parse, yet fmt exits %d with output" % first.returncode)
        if written.returncode != 1 or open(copy, "rb").read() != open(path, "rb").read():
            problems.append("does not parse, yet fmt -w exits %d or changes it" % written.returncode)
        return problems
    again = run(vendorc, ["fmt"], data=first.stdout)
    if again.returncode != 0 or again.stdout != first.stdout:
        return ["not idempotent: fmt(fmt(x)) != fmt(x):\n" + again.stdout.decode(errors="replace")
                + again.stderr.decode(errors="replace")]
    return []


def check_edges(vendorc, scratch):
    """Standard input over the size limit; -w through a symbolic link; the
    file `vendorc init` writes is canonical."""
    problems = []
    big = b"# padding\n" * (1024 * 1024 // 10 + 1)
    result = run(vendorc, ["fmt", "--diagnostics=json"], data=big)
    if result.returncode != 1 or result.stdout or b'"code":"file-too-large"' not in result.stderr:
        problems.append("standard input over 1 MiB: exit %d, %r" % (result.returncode, result.stderr[:200]))
    real = os.path.join(scratch, "real.vendor")
    link = os.path.join(scratch, "link.vendor")
    open(real, "w").write("vendor link {\n  expires 2027-03-31\n  runs in vendor-link\n}\n")
    os.symlink("real.vendor", link)
    result = run(vendorc, ["fmt", "-w", link])
    if result.returncode != 0 or not os.path.islink(link) or "    expires" not in open(real).read():
        problems.append("fmt -w through a link: exit %d, link kept %s, target formatted %s" % (
            result.returncode, os.path.islink(link), "    expires" in open(real).read()))
    project = os.path.join(scratch, "vendorc.yaml")
    open(project, "w").write("vendors: vendors/\noutput: out/\ncatalog: []\n")
    os.mkdir(os.path.join(scratch, "vendors"))
    run(vendorc, ["init", "new-vendor", "-c", project, "--now", NOW])
    result = run(vendorc, ["fmt", "--check", os.path.join(scratch, "vendors")])
    if result.returncode != 0:
        problems.append("the file `vendorc init` writes is not canonical: exit %d, %s" % (
            result.returncode, (result.stdout + result.stderr).decode(errors="replace")))
    return problems


def compile_tree(vendorc, project, out):
    result = run(vendorc, ["compile", "-c", project, "--now", NOW, "-o", out])
    return tree(out) if result.returncode == 0 else None


def check_project(vendorc, project_dir, project_rel, scratch):
    """Problems with the meaning of a project's files after fmt -w; None
    when it has no vendor file or does not compile in the first place."""
    copy = os.path.join(scratch, "project")
    shutil.copytree(project_dir, copy, symlinks=True)
    project = os.path.join(copy, project_rel)
    vendor_files = list(files_under(copy, ".vendor"))
    before = compile_tree(vendorc, project, os.path.join(scratch, "before"))
    if before is None or not vendor_files:
        return None
    for path in vendor_files:
        os.chmod(path, 0o640)
    written = run(vendorc, ["fmt", "-w"] + vendor_files)
    if written.returncode != 0:
        return ["fmt -w failed (%d): %s" % (written.returncode, written.stderr.decode(errors="replace"))]
    modes = {oct(os.stat(path).st_mode & 0o7777) for path in vendor_files}
    if modes != {oct(0o640)}:
        return ["fmt -w changed the files' mode 0o640 to %s" % ", ".join(sorted(modes))]
    after = compile_tree(vendorc, project, os.path.join(scratch, "after"))
    if after is None:
        return ["does not compile after fmt -w"]
    if after != before:
        names = sorted(set(before) | set(after))
        return ["compiles differently after fmt -w: %s" % ", ".join(
            n for n in names if before.get(n) != after.get(n))]
    return []


def projects(root):
    """(directory to copy, project file relative to it) for each project."""
    for top in ("golden", "examples"):
        base = os.path.join(root, top)
        if top == "examples":
            yield base, "vendorc.yaml"
            continue
        for case in sorted(os.listdir(base)):
            case_dir = os.path.join(base, case)
            for project in files_under(case_dir, "vendorc.yaml"):
                if not os.path.relpath(project, case_dir).startswith("expected"):
                    yield case_dir, os.path.relpath(project, case_dir)


def main(vendorc, root):
    failed = checked = compared = 0
    seen = set()
    for top in ("golden", "examples"):
        for path in files_under(os.path.join(root, top), ".vendor"):
            content = open(path, "rb").read()
            if content in seen:
                continue
            seen.add(content)
            with tempfile.TemporaryDirectory() as scratch:
                problems = check_file(vendorc, path, scratch)
            checked += 1
            for problem in problems:
                print("FAIL %s: %s" % (os.path.relpath(path, root), problem))
            failed += bool(problems)
    with tempfile.TemporaryDirectory() as scratch:
        for problem in check_edges(vendorc, scratch):
            print("FAIL %s" % problem)
            failed += 1
    for project_dir, project_rel in projects(root):
        with tempfile.TemporaryDirectory() as scratch:
            problems = check_project(vendorc, project_dir, project_rel, scratch)
        if problems is None:
            continue
        compared += 1
        for problem in problems:
            print("FAIL %s: %s" % (os.path.relpath(os.path.join(project_dir, project_rel), root), problem))
        failed += bool(problems)
    print("%d distinct vendor files formatted, %d projects compiled before and after, %d failures"
          % (checked, compared, failed))
    return 1 if failed or not checked or not compared else 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
