#!/usr/bin/env python3
"""The shell completions, run for real in a scratch project.

bash: completions/vendorc.bash is sourced and _vendorc called with
COMP_WORDS and COMP_CWORD as bash sets them (split at "=", as the default
COMP_WORDBREAKS does); the test reads COMPREPLY. zsh: an interactive zsh on
a pseudo-terminal loads completions/_vendorc through compinit, and a TAB
widget records every match the completion system is offered (a compadd
wrapper), so the test sees what a user would be offered.

Each line is checked in both shells. The commands `vendorc help` lists
and the long options of src/main.c must all be offered, so the scripts
cannot silently fall behind the program.

  completions.py VENDORC
"""

import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
import surface  # noqa: E402

COMPLETIONS = os.path.join(surface.ROOT, "completions")
DONE = "<<completion done>>"

# The scratch project: the vendors directory comes from the project file's
# "vendors:" key and is read recursively; other/ is a second project.
PROJECT = {
    "vendorc.yaml": "vendors: 'access/'   # the vendor files\noutput: deploy/\ncatalog: [cluster/]\n",
    "access/acme-monitoring.vendor": "vendor acme-monitoring {\n}\n",
    "access/team/paystream.vendor": "vendor paystream {\n}\n",
    "access/README.txt": "not a vendor\n",
    "other/vendorc.yaml": "output: out/\ncatalog: []\nvendors: vv\nclusters:\n  - name: staging\n"
                          "    labels: {env: staging}\n  -   name: prod-eu # the first\n",
    "other/vv/zeta.vendor": "vendor zeta {\n}\n",
    "cluster/services.yaml": "",
    "deploy/.keep": "",
    "old drafts/.keep": "",
    "hosts.txt": "203.0.113.10 api.acme.io\n",
    "draft.vendor": "vendor draft {\n}\n",
}

# zsh's start-up file: the completions directory first in fpath, compinit,
# and TAB bound to a widget that records the matches, then clears the line.
ZSHRC = r"""
fpath=("$VENDORC_COMPLETIONS" $fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' list-prompt ''
LISTMAX=100000
PS1='%% '
compadd() {
	local -a matches
	if (( ${@[(I)-[OAD]*]} )); then
		builtin compadd "$@"
		return
	fi
	builtin compadd -O matches "$@"
	print -rl -- $matches >> "$VENDORC_CAPTURE"
	builtin compadd "$@"
}
vendorc-capture-tab() {
	: >| "$VENDORC_CAPTURE"
	zle complete-word
	print -r -- '""" + DONE + r"""' >> "$VENDORC_CAPTURE"
	zle kill-whole-line
}
zle -N vendorc-capture-tab
bindkey '^I' vendorc-capture-tab
"""


def make_project(root):
    for rel, text in PROJECT.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(text)


def comp_words(line):
    """COMP_WORDS for LINE with the cursor at its end."""
    words = ["vendorc"]
    for word in line.split(" ")[1:]:
        name, equals, value = word.partition("=")
        words += [name, "=", value] if equals and name.startswith("--") else [word]
    if words[-1] == "" and words[-2] == "=":
        words.pop()  # "--opt=": the word under the cursor is "="
    return words


def bash_complete(line, cwd):
    words = comp_words(line)
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); '
              'COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _vendorc; printf "%s\\n" "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash",
                             os.path.join(COMPLETIONS, "vendorc.bash")] + words,
                            cwd=cwd, capture_output=True, text=True, timeout=30)
    if result.returncode != 0 or result.stderr:
        raise RuntimeError("bash: status %d: %s" % (result.returncode, result.stderr))
    return {w for w in result.stdout.splitlines() if w}


class Zsh:
    """An interactive zsh on a pseudo-terminal; complete() types a line and TAB."""

    def __init__(self, cwd, home):
        open(os.path.join(home, ".zshrc"), "w").write(ZSHRC)
        self.capture = os.path.join(home, "capture")
        env = dict(os.environ, ZDOTDIR=home, HOME=home, TERM="dumb",
                   VENDORC_COMPLETIONS=COMPLETIONS, VENDORC_CAPTURE=self.capture)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execvpe("zsh", ["zsh", "-i"], env)

    def drain(self, seconds):
        while select.select([self.fd], [], [], seconds)[0]:
            try:
                if not os.read(self.fd, 65536):
                    return
            except OSError:
                return

    def complete(self, line):
        if os.path.exists(self.capture):
            os.unlink(self.capture)
        os.write(self.fd, line.encode() + b"\t")
        deadline = time.time() + 60
        while time.time() < deadline:
            self.drain(0.05)
            text = open(self.capture).read() if os.path.exists(self.capture) else ""
            if text.endswith(DONE + "\n"):
                # file matches come quoted for the command line: "old\ drafts"
                return {re.sub(r"\\(.)", r"\1", w) for w in text.splitlines()[:-1] if w}
        raise RuntimeError("zsh: no completion for %r within 60 s" % line)

    def close(self):
        os.write(self.fd, b"exit\n")
        self.drain(0.5)
        os.close(self.fd)
        os.waitpid(self.pid, 0)


def expect(got, want=(), absent=()):
    """Problems: what of WANT is missing from GOT, what of ABSENT is in it."""
    problems = []
    if set(want) - got:
        problems.append("missing %s" % sorted(set(want) - got))
    if set(absent) & got:
        problems.append("offered %s" % sorted(set(absent) & got))
    return problems


def cases(vendorc):
    """(line, want, absent, exact): what completing LINE must offer."""
    commands = surface.commands(vendorc)
    vendors = {"acme-monitoring", "paystream", "zeta", "draft"}
    return [
        ("vendorc ", commands, (), True),
        ("vendorc ex", {"expire", "explain", "expiring"}, (), True),
        ("vendorc help ", commands, (), True),
        ("vendorc compile --b", {"--backend"}, (), True),
        ("vendorc compile --backend ", {"networkpolicy", "cilium"}, (), True),
        ("vendorc compile --backend=c", {"cilium"}, (), True),
        ("vendorc check --format ", {"text", "json"}, (), True),
        ("vendorc plan --format ", {"text", "json"}, (), True),
        ("vendorc graph --format ", {"dot", "mermaid"}, (), True),
        ("vendorc check --diagnostics=", {"text", "json", "sarif"}, (), True),
        ("vendorc lock --color=", {"auto", "always", "never"}, (), True),
        ("vendorc explain ", {"acme-monitoring", "paystream"}, (), True),
        ("vendorc explain p", {"paystream"}, (), True),
        ("vendorc -c other/vendorc.yaml explain ", {"zeta"}, (), True),
        ("vendorc explain --config=other/vendorc.yaml ", {"zeta"}, (), True),
        ("vendorc explain --now 2026-11-24 ", {"acme-monitoring", "paystream"}, (), True),
        ("vendorc explain --at HEAD~1 ", {"acme-monitoring", "paystream"}, (), True),
        ("vendorc compile --now 2026-11-24 --b", {"--backend"}, (), True),
        ("vendorc explain --to billing/api ", (), vendors, False),
        ("vendorc init ", (), vendors, False),
        ("vendorc fmt ", {"draft.vendor", "access", "old drafts"}, {"hosts.txt", "vendorc.yaml"}, False),
        ("vendorc compile -o ", {"deploy", "access"}, {"hosts.txt", "draft.vendor"}, False),
        ("vendorc check --verify ", {"deploy"}, {"hosts.txt"}, False),
        ("vendorc lock --hosts ", {"hosts.txt"}, (), False),
        ("vendorc -c ", {"vendorc.yaml", "other"}, {"hosts.txt", "draft.vendor"}, False),
        ("vendorc -c other/vendorc.yaml check --cluster ", {"staging", "prod-eu"}, (), True),
        ("vendorc plan --config=other/vendorc.yaml --cluster=p", {"prod-eu"}, (), True),
        ("vendorc graph --cluster ", (), (), True),
    ]


def check_line(shell, complete, line, want, absent, exact):
    got = complete(line)
    problems = expect(got, want, absent)
    if exact and got != set(want):
        problems.append("offered %s, expected exactly %s" % (sorted(got), sorted(want)))
    return ("%s: %r" % (shell, line), sorted(set(problems)))


def check_options(shell, complete, vendorc):
    """Every long option of src/main.c is offered by some command."""
    offered = set(complete("vendorc --"))
    for command in surface.commands(vendorc):
        offered |= complete("vendorc %s --" % command)
    offered = {o.rstrip("=") for o in offered}
    missing = ["--" + o for o in surface.long_options() if "--" + o not in offered]
    return ("%s: every long option of src/main.c" % shell,
            ["never offered: %s" % " ".join(missing)] if missing else [])


def run_shell(shell, complete, vendorc):
    results = [check_line(shell, complete, *case) for case in cases(vendorc)]
    results.append(check_options(shell, complete, vendorc))
    return results


def main(vendorc):
    results = []
    syntax = subprocess.run(["zsh", "-n", os.path.join(COMPLETIONS, "_vendorc")],
                            capture_output=True, text=True)
    results.append(("zsh -n _vendorc", [syntax.stderr] if syntax.returncode else []))
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        make_project(project)
        results += run_shell("bash", lambda line: bash_complete(line, project), vendorc)
        zsh = Zsh(project, tmp)
        try:
            results += run_shell("zsh", zsh.complete, vendorc)
        finally:
            zsh.close()
    return golden.report(results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
