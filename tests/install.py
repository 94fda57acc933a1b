#!/usr/bin/env python3
"""meson install puts every file in place: `meson install --destdir` into a
scratch directory, then each file must be where its tool looks for it (with
the build's prefix, bindir, mandir and datadir), the same bytes as in the
tree, and the installed binary and man pages must work (`man -M` finds both
pages by name).

  install.py MESON BUILD_DIR
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

ROOT = golden.ROOT


def build_options(meson, build):
    result = subprocess.run([meson, "introspect", build, "--buildoptions"],
                            capture_output=True, text=True, check=True)
    return {o["name"]: o["value"] for o in json.loads(result.stdout)}


def expected_files(options):
    """Installed path (relative to the prefix) -> source file in the tree."""
    datadir, mandir = options["datadir"], options["mandir"]
    return {
        os.path.join(options["bindir"], "vendorc"): None,
        os.path.join(mandir, "man1", "vendorc.1"): "docs/man/vendorc.1",
        os.path.join(mandir, "man5", "vendorc.vendor.5"): "docs/man/vendorc.vendor.5",
        os.path.join(datadir, "bash-completion", "completions", "vendorc"): "completions/vendorc.bash",
        os.path.join(datadir, "zsh", "vendor-completions", "_vendorc"): "completions/_vendorc",
        os.path.join(datadir, "vim", "vimfiles", "ftdetect", "vendor.vim"): "editors/vim/ftdetect/vendor.vim",
        os.path.join(datadir, "vim", "vimfiles", "syntax", "vendor.vim"): "editors/vim/syntax/vendor.vim",
    }


def installed_tree(root):
    return sorted(os.path.relpath(os.path.join(base, name), root)
                  for base, _, names in os.walk(root) for name in names)


def check_files(prefix_dir, files):
    problems = []
    for rel, source in files.items():
        path = os.path.join(prefix_dir, rel)
        if not os.path.isfile(path):
            problems.append("not installed: %s" % rel)
        elif source and open(path, "rb").read() != open(os.path.join(ROOT, source), "rb").read():
            problems.append("%s differs from %s" % (rel, source))
    extra = sorted(set(installed_tree(prefix_dir)) - set(files))
    if extra:
        problems.append("installed but not expected: %s" % ", ".join(extra))
    return problems


def check_binary(prefix_dir, options):
    vendorc = os.path.join(prefix_dir, options["bindir"], "vendorc")
    result = subprocess.run([vendorc, "--version"], capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.startswith("vendorc "):
        return ["installed vendorc --version: status %d, %r" % (result.returncode, result.stdout)]
    return []


def check_man(prefix_dir, options):
    """Both pages found by name under the installed mandir, and by path."""
    problems = []
    mandir = os.path.join(prefix_dir, options["mandir"])
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80", MANPAGER="cat", PAGER="cat")
    for section, page, source in (("1", "vendorc", "man1/vendorc.1"),
                                  ("5", "vendorc.vendor", "man5/vendorc.vendor.5")):
        for argv in (["man", "-M", mandir, section, page], ["man", "-l", os.path.join(mandir, source)]):
            result = subprocess.run(argv, capture_output=True, text=True, env=env)
            if result.returncode != 0 or "NAME" not in result.stdout or page not in result.stdout:
                problems.append("%s: status %d\n%s" % (" ".join(argv), result.returncode,
                                                       result.stderr or result.stdout[:200]))
    return problems


def main(meson, build):
    options = build_options(meson, build)
    with tempfile.TemporaryDirectory() as destdir:
        result = subprocess.run([meson, "install", "-C", build, "--destdir", destdir,
                                 "--no-rebuild", "--quiet"], capture_output=True, text=True)
        if result.returncode != 0:
            return golden.report([("meson install", [result.stdout + result.stderr])])
        prefix_dir = destdir + options["prefix"]
        return golden.report([
            ("every file in place", check_files(prefix_dir, expected_files(options))),
            ("the installed vendorc runs", check_binary(prefix_dir, options)),
            ("man finds the installed pages", check_man(prefix_dir, options)),
        ])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
