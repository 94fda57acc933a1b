#!/usr/bin/env python3
"""Coloured diagnostics: --color=auto colours only on a terminal, and not when
NO_COLOR is set to a non-empty value or TERM is dumb; --color=always and
--color=never win over both. The diagnostics of a failing golden case are
run with standard error on a pseudo-terminal, then on a pipe.

  color.py VENDORC GOLDEN_DIR
"""

import os
import pty
import shutil
import subprocess
import sys
import tempfile

ESC = b"\x1b["


def stderr_on_tty(vendorc, cwd, args, env):
    """What vendorc writes to standard error when it is a terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([vendorc] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    proc.wait()
    return b"".join(chunks)


def stderr_on_pipe(vendorc, cwd, args, env):
    return subprocess.run([vendorc] + args, cwd=cwd, env=env, capture_output=True).stderr


def main(vendorc, golden):
    vendorc = os.path.abspath(vendorc)
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    base["TERM"] = "xterm"
    cases = [
        # (where stderr goes, --color, extra environment, coloured?)
        (stderr_on_tty, None, {}, True),
        (stderr_on_tty, "auto", {}, True),
        (stderr_on_tty, None, {"NO_COLOR": "1"}, False),
        (stderr_on_tty, None, {"NO_COLOR": ""}, True),
        (stderr_on_tty, None, {"TERM": "dumb"}, False),
        (stderr_on_tty, "never", {}, False),
        (stderr_on_tty, "always", {"NO_COLOR": "1"}, True),
        (stderr_on_pipe, None, {}, False),
        (stderr_on_pipe, "always", {}, True),
    ]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        shutil.copytree(os.path.join(golden, "err-catalog-policy-widens"), project,
                        ignore=shutil.ignore_patterns("expected*", "args"))
        for run, color, extra, want in cases:
            args = ["compile", "--now", "2026-11-24"] + (["--color=" + color] if color else [])
            env = dict(base, **extra)
            text = run(vendorc, project, args, env)
            coloured = ESC in text
            described = "%s, %s, %s" % (run.__name__, " ".join(args[3:]) or "no --color", extra or "")
            if b"error" not in text:
                failures += 1
                print("FAIL %s: no diagnostic at all: %r" % (described, text[:200]))
            elif coloured != want:
                failures += 1
                print("FAIL %s: %s" % (described, "not coloured" if want else "coloured"))
            else:
                print("ok   %s: %s" % (described, "coloured" if want else "plain"))
            if coloured and b"\x1b[1;31merror:\x1b[0m" not in text:
                failures += 1
                print("FAIL %s: the severity is not in red" % described)
    print("%d passed, %d failed" % (len(cases) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
