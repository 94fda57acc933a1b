#!/usr/bin/env python3
"""What the environment can do to a run, on a scratch copy of examples/:

- standard output that cannot be written (/dev/full) is an I/O error,
  exit 3, for every command that prints, never success or a "yes";
- a FIFO left in the output directory does not hang compile, and stays;
- a compile killed between the two renames of the fallback swap leaves
  the old tree as .NAME.vendorc-new.PID.old and no output: the next
  compile puts it back first, so the hand-written files in it survive;
- the tree of a compile still running (its PID alive) is left alone, a
  dead one's is removed;
- the output written while vendorc compiles (tests/shim/race.c runs a
  command between the survey of the output and the new tree): an entry
  added or renamed over a generated file stops the swap (exit 3, nothing
  changes, and the next compile keeps the hand-written files); a
  generated file edited in place is never linked as edited (exit 3,
  nothing changes); with VENDORC_RACE_AT the command runs while compile
  compares the output instead: the output renamed away, or a compared
  entry removed, is exit 3 too, as is an unchanged file removed before it
  is linked; a dangling link as the output is an error of its own;
- a file that cannot be hard-linked into the new tree (EMLINK, from the
  same shim), hand-written or generated and unchanged, is copied;
- an output named through a link stays a link to the directory compile
  replaced, and `-o .` inside the output works;
- a read-only output (0555; as root the compiles run as nobody) is
  replaced, keeps its mode and leaves no tree behind; a generated file
  the user may not read is an I/O error, not a hand-written conflict,
  and any other file it may not read is kept; a
  new output that cannot be made leaves none of the directories made for
  it.

  robustness.py VENDORC EXAMPLES RACE_SHIM
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

NOW = "2026-11-24"
DEAD_PID = 4194399  # above Linux's largest pid_max (2^22): no such process


def run(vendorc, project, args, stdout=subprocess.PIPE, timeout=60, env=None):
    return subprocess.run([vendorc] + args + ["-c", os.path.join(project, "vendorc.yaml"),
                                              "--now", NOW],
                          cwd=project, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout,
                          env=env)


def snapshot(tree):
    """Each entry of tree: a symlink's target or a file's bytes."""
    return {name: os.readlink(os.path.join(tree, name)) if os.path.islink(os.path.join(tree, name))
            else open(os.path.join(tree, name), "rb").read()
            for name in os.listdir(tree) if not os.path.isdir(os.path.join(tree, name))}


def changed_while_compiling(result, what):
    """[] when compile stopped as it must when its output changes under it."""
    if result.returncode == 3 and b"changed while vendorc was compiling" in result.stderr:
        return []
    return ["%s: exit %d, %r" % (what, result.returncode, result.stderr[-300:])]


def preloaded(shim, **settings):
    """The environment of a run with the shim and its settings."""
    env = dict(os.environ, LD_PRELOAD=shim, **settings)
    # The shim is not instrumented; an ASan build must not insist on coming first.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    return env


def racing(shim, command):
    return preloaded(shim, VENDORC_RACE=command)


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


def check_races(vendorc, project, out, shim):
    problems = []
    # A vendor deleted, so its file is stale; then, after the survey, a
    # hand-written file is moved over that stale file and another appears.
    os.unlink(os.path.join(project, "vendors", "shipyard.vendor"))
    before = snapshot(out)
    race = ("printf 'hand-written\\n' > {o}/notes.tmp && mv {o}/notes.tmp {o}/vendor-shipyard.yaml"
            " && printf 'late\\n' > {o}/late.txt").format(o=out)
    result = run(vendorc, project, ["compile"], env=racing(shim, race))
    after = snapshot(out)
    problems += changed_while_compiling(result, "a rename in the output during compile")
    expected = dict(before, **{"vendor-shipyard.yaml": b"hand-written\n", "late.txt": b"late\n"})
    if after != expected:
        problems.append("the output changed although the swap stopped: %s"
                        % sorted(k for k in set(after) | set(expected) if after.get(k) != expected.get(k)))
    os.unlink(os.path.join(out, "vendor-shipyard.yaml"))
    result = run(vendorc, project, ["compile"])
    if result.returncode != 0 or snapshot(out).get("late.txt") != b"late\n":
        problems.append("the next compile: exit %d, late.txt %r" % (result.returncode,
                                                                   snapshot(out).get("late.txt")))
    # A generated file edited in place after the survey (same name, same
    # inode, no header) while another file changes, so that a new tree is
    # built: the edit must not be linked into it as if it were the file
    # compared. Nothing is written (exit 3), and the edit stays for its
    # author to see.
    edited = os.path.join(out, "vendor-costlens.yaml")
    good = open(edited, "rb").read()
    before = snapshot(out)
    change_expiry(project, "pixelforge", "2026-12-15", "2026-12-20")
    result = run(vendorc, project, ["compile"],
                 env=racing(shim, "printf 'edited\\n' > %s" % edited))
    problems += changed_while_compiling(result, "a generated file edited in place during compile")
    if snapshot(out) != dict(before, **{"vendor-costlens.yaml": b"edited\n"}):
        problems.append("the output changed although the swap stopped (edit in place)")
    os.unlink(edited)
    result = run(vendorc, project, ["compile"])
    if result.returncode != 0 or open(edited, "rb").read() != good:
        problems.append("compile after the race does not give the file back: exit %d"
                        % result.returncode)
    if b"2026-12-20" not in open(os.path.join(out, "vendor-pixelforge.yaml"), "rb").read():
        problems.append("compile after the race does not write the change")
    # No output yet, and someone makes it while vendorc writes the new one:
    # it is not replaced.
    aside = out + ".aside"
    os.rename(out, aside)
    race = "mkdir {o} && printf 'mine\\n' > {o}/mine.txt".format(o=out)
    result = run(vendorc, project, ["compile"], env=racing(shim, race))
    problems += changed_while_compiling(result, "an output made during compile")
    if snapshot(out) != {"mine.txt": b"mine\n"}:
        problems.append("an output made during compile was changed: %s" % sorted(snapshot(out)))
    # (check_leftovers left one of this process's PID, "still running".)
    leftovers = [n for n in os.listdir(os.path.dirname(out))
                 if ".vendorc-new." in n and not n.endswith(".%d" % os.getpid())]
    if leftovers:
        problems.append("a failed compile left its new tree: %s" % leftovers)
    shutil.rmtree(out)
    os.rename(aside, out)
    problems += check_changes_while_comparing(vendorc, project, out, shim)
    return problems


def check_changes_while_comparing(vendorc, project, out, shim):
    """The output changed while vendorc compares it with what it made (one
    thread, so that vendor-costlens.yaml is compared before
    vendor-datapulse.yaml): exit 3, "changed while vendorc was compiling",
    and the output as the other hand left it."""
    problems = []
    moved = out + ".moved"
    cases = (("the output renamed away", "mv %s %s" % (out, moved), None),
             ("a compared entry removed", "rm %s/vendor-datapulse.yaml" % out,
              "vendor-datapulse.yaml"))
    for what, race, removed in cases:
        before = snapshot(out)
        env = dict(racing(shim, race), VENDORC_RACE_AT="vendor-costlens.yaml", VENDORC_THREADS="1")
        result = run(vendorc, project, ["compile"], env=env)
        problems += changed_while_compiling(result, what + " while compile compares")
        if os.path.exists(moved):
            if os.path.exists(out) or snapshot(moved) != before:
                problems.append("%s: the output was made again or changed" % what)
            os.rename(moved, out)
        elif snapshot(out) != {k: v for k, v in before.items() if k != removed}:
            problems.append("%s: the output changed" % what)
        run(vendorc, project, ["compile"])
    # An unchanged file removed after it was compared: a change too.
    change_expiry(project, "pixelforge", "2026-12-20", "2026-12-21")
    result = run(vendorc, project, ["compile"],
                 env=racing(shim, "rm %s/vendor-datapulse.yaml" % out))
    problems += changed_while_compiling(result, "an unchanged file removed before the new tree")
    run(vendorc, project, ["compile"])
    # A dangling link where the output goes: a plain error, not "run it
    # again" (which would never help).
    os.rename(out, moved)
    os.symlink("nowhere", out)
    result = run(vendorc, project, ["compile"])
    if result.returncode != 3 or b"changed while" in result.stderr or b"cannot read" not in result.stderr:
        problems.append("a dangling link as the output: exit %d, %r"
                        % (result.returncode, result.stderr[-300:]))
    os.unlink(out)
    os.rename(moved, out)
    return problems


def change_expiry(project, vendor, old, new):
    path = os.path.join(project, "vendors", vendor + ".vendor")
    with open(path) as f:
        text = f.read()
    if "expires " + old not in text:
        raise SystemExit("robustness.py: %s does not expire at %s" % (path, old))
    with open(path, "w") as f:
        f.write(text.replace("expires " + old, "expires " + new))


def check_no_link(vendorc, project, out, shim):
    notes = os.path.join(out, "runbook.md")
    with open(notes, "w") as f:
        f.write("hand-written, must survive\n")
    os.chmod(notes, 0o640)
    unchanged = os.path.join(out, "vendor-datapulse.yaml")
    good = open(unchanged, "rb").read()
    os.chmod(unchanged, 0o600)
    # A change each time, so that a new tree is built: the hand-written
    # file is carried over, the unchanged generated one comes from the old
    # tree.
    problems = []
    for name, expiry in (("runbook.md", ("2027-04-30", "2027-05-31")),
                         ("vendor-datapulse.yaml", ("2027-05-31", "2027-04-30"))):
        change_expiry(project, "costlens", *expiry)
        result = run(vendorc, project, ["compile"], env=preloaded(shim, VENDORC_NO_LINK=name))
        if result.returncode != 0:
            problems.append("compile with %s that cannot be linked: exit %d, %r"
                            % (name, result.returncode, result.stderr[-300:]))
    if open(notes).read() != "hand-written, must survive\n" or stat.S_IMODE(os.stat(notes).st_mode) != 0o640:
        problems.append("the copied file lost its bytes or its mode")
    if open(unchanged, "rb").read() != good or stat.S_IMODE(os.stat(unchanged).st_mode) != 0o600:
        problems.append("the unchanged generated file was not copied as it was, bytes and mode")
    if b"2027-04-30" not in open(os.path.join(out, "vendor-costlens.yaml"), "rb").read():
        problems.append("no new tree was made, so nothing was carried over")
    return problems


def check_output_paths(vendorc, project, out):
    """An output named through a link stays a link to the directory
    compile replaced; an output given as "." is replaced as well."""
    problems = []
    real = out + ".real"
    os.rename(out, real)
    os.symlink(os.path.basename(real), out)
    change_expiry(project, "pixelforge", "2026-12-21", "2026-12-22")
    result = run(vendorc, project, ["compile"])
    if result.returncode != 0 or not os.path.islink(out):
        problems.append("an output through a link: exit %d, still a link: %s"
                        % (result.returncode, os.path.islink(out)))
    elif b"2026-12-22" not in open(os.path.join(real, "vendor-pixelforge.yaml"), "rb").read():
        problems.append("an output through a link: the directory it names was not written")
    if os.path.islink(out):
        os.unlink(out)
    else:
        shutil.rmtree(out)
    os.rename(real, out)
    change_expiry(project, "pixelforge", "2026-12-22", "2026-12-23")
    result = subprocess.run([vendorc, "compile", "-c", os.path.join(project, "vendorc.yaml"),
                             "--now", NOW, "-o", "."], cwd=out, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=60)
    if result.returncode != 0 or b"2026-12-23" not in open(os.path.join(out, "vendor-pixelforge.yaml"),
                                                         "rb").read():
        problems.append("compile -o . in the output: exit %d, %r"
                        % (result.returncode, result.stderr[-300:]))
    return problems


def check_read_only_output(vendorc, examples, tmp, shim):
    """A read-only output (mode 0555) is replaced all the same, keeps its
    mode, and leaves no tree behind. As root, the compiles run as nobody,
    whom the mode binds."""
    project = os.path.join(tmp, "read-only")
    shutil.copytree(examples, project, ignore=shutil.ignore_patterns("gitops"))
    as_user = []
    if os.geteuid() == 0:
        for root, dirs, files in os.walk(project):
            for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                os.lchown(name, 65534, 65534)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(tmp, 0o755)  # TemporaryDirectory makes it 0700
    def compile_as_user(command="compile", more=(), env=None):
        return subprocess.run(as_user + [vendorc, command, "-c", os.path.join(project, "vendorc.yaml"),
                                         "--now", NOW] + list(more), cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60, env=env)
    out = os.path.join(project, "deploy", "vendor-access")
    compile_as_user()
    os.chmod(out, 0o555)
    change_expiry(project, "pixelforge", "2026-12-15", "2026-12-22")
    result = compile_as_user()
    problems = []
    if result.returncode != 0:
        problems.append("compile of a read-only output: exit %d, %r"
                        % (result.returncode, result.stderr[-300:]))
    elif b"2026-12-22" not in open(os.path.join(out, "vendor-pixelforge.yaml"), "rb").read():
        problems.append("compile of a read-only output did not write it")
    if stat.S_IMODE(os.stat(out).st_mode) != 0o555:
        problems.append("the read-only output lost its mode: %o" % stat.S_IMODE(os.stat(out).st_mode))
    leftovers = [n for n in os.listdir(os.path.dirname(out)) if ".vendorc-new." in n]
    if leftovers:
        problems.append("compile of a read-only output left %s" % leftovers)
    # A generated file the user may not read: whose it is cannot be known,
    # so it is an I/O error, not a hand-written file in the way.
    os.chmod(out, 0o755)
    os.chmod(os.path.join(out, "vendor-costlens.yaml"), 0)
    change_expiry(project, "pixelforge", "2026-12-22", "2026-12-23")
    for command in ("compile", "check"):
        result = compile_as_user(command)
        if (result.returncode != 3 or b"cannot read" not in result.stderr
                or b"vendor-costlens.yaml" not in result.stderr):
            problems.append("%s with a generated file the user may not read: exit %d, %r"
                            % (command, result.returncode, result.stderr[-300:]))
    # One the user may not read under a name vendorc does not write: it may
    # be anyone's, and is kept.
    os.chmod(os.path.join(out, "vendor-costlens.yaml"), 0o644)
    secret = os.path.join(out, "secret.txt")
    with open(secret, "w") as f:
        f.write("not for vendorc\n")
    os.chmod(secret, 0)
    if os.geteuid() == 0:
        os.lchown(secret, 65534, 65534)
    result = compile_as_user()
    os.chmod(secret, 0o600)
    if result.returncode != 0 or open(secret).read() != "not for vendorc\n":
        problems.append("compile with a file the user may not read: exit %d, %r"
                        % (result.returncode, result.stderr[-300:]))
    # A new output whose new tree cannot be made (its parent, which compile
    # made, turned read-only): the directories compile made go too.
    parent = os.path.join(project, "deploy", "new")
    result = compile_as_user(more=["-o", os.path.join(parent, "out")],
                             env=racing(shim, "chmod 555 %s" % parent))
    if result.returncode != 3 or os.path.exists(parent):
        problems.append("a new output that cannot be made: exit %d, %s left"
                        % (result.returncode, parent if os.path.exists(parent) else "nothing"))
    return problems


def main(vendorc, examples, shim):
    vendorc = os.path.abspath(vendorc)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        shutil.copytree(examples, project, ignore=shutil.ignore_patterns("gitops"))
        out = os.path.join(project, "deploy", "vendor-access")
        for name, problems in (("stdout to /dev/full", check_full_stdout(vendorc, project)),
                               ("a FIFO in the output", check_fifo(vendorc, project, out)),
                               ("leftover trees", check_leftovers(vendorc, project, out)),
                               ("the output written during compile",
                                check_races(vendorc, project, out, os.path.abspath(shim))),
                               ("a file that cannot be linked",
                                check_no_link(vendorc, project, out, os.path.abspath(shim))),
                               ("the output named through a link, or as \".\"",
                                check_output_paths(vendorc, project, out)),
                               ("a read-only output",
                                check_read_only_output(vendorc, examples, tmp, os.path.abspath(shim)))):
            failures += bool(problems)
            print("%s %s" % ("FAIL" if problems else "ok  ", name))
            for problem in problems:
                print("    " + problem)
    print("%d passed, %d failed" % (7 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
