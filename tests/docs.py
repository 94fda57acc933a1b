#!/usr/bin/env python3
"""The man pages: both format without a single groff or man warning;
vendorc.1 has a COMMANDS subsection for every command `vendorc help` lists
(plus the announced fmt, graph and plan) and an OPTIONS entry for every long
option of src/main.c's table; vendorc.vendor.5 names every keyword of the
vendor-file scanner. The lists come from the program, so the pages cannot
silently fall behind it.

  docs.py VENDORC
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
import surface  # noqa: E402

MAN = os.path.join(surface.ROOT, "docs", "man")
PAGES = ("vendorc.1", "vendorc.vendor.5")


def formatter_warnings(page):
    """What groff -ww and man --warnings say about PAGE (nothing, if clean)."""
    problems = []
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    for argv in (["groff", "-man", "-ww", "-z", page],
                 ["man", "--warnings", "-E", "UTF-8", "-l", page]):
        result = subprocess.run(argv, capture_output=True, text=True, env=env)
        if result.returncode != 0 or result.stderr:
            problems.append("%s: status %d\n%s" % (" ".join(argv[:-1]), result.returncode,
                                                   result.stderr))
    return problems


def sections(roff):
    """Section name -> its source lines, from the .SH lines."""
    found, name = {}, None
    for line in roff.splitlines():
        heading = re.match(r'\.SH\s+"?([^"]*)"?', line)
        if heading:
            name = heading.group(1).strip()
            found[name] = []
        elif name:
            found[name].append(line)
    return found


def tagged_items(lines):
    """The tag line of each .TP entry."""
    return [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.startswith(".TP")]


def check_vendorc_1(vendorc, roff):
    parts = sections(roff)
    problems = []
    subsections = {line.split(None, 1)[1].strip('"') for line in parts.get("COMMANDS", [])
                   if line.startswith(".SS ")}
    for command in surface.commands(vendorc):
        if command not in subsections:
            problems.append("no .SS %s under COMMANDS" % command)
    tags = "\n".join(tagged_items(parts.get("OPTIONS", [])))
    for option in surface.long_options():
        if not re.search(r"\\-\\-%s(?![a-z0-9-])" % re.escape(option), tags):
            problems.append("no OPTIONS entry for --%s" % option)
    for section in ("SYNOPSIS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
        if not parts.get(section):
            problems.append("no %s section" % section)
    if "NO_COLOR" not in "\n".join(parts.get("ENVIRONMENT", [])):
        problems.append("ENVIRONMENT does not name NO_COLOR")
    return problems


def check_vendorc_vendor_5(roff):
    lexer = open(os.path.join(surface.ROOT, "grammar", "lexer.l")).read()
    keywords = re.findall(r'^"([a-z]+)"\s+\{ return', lexer, re.M)
    rules = "\n".join(sections(roff).get("LEXICAL RULES", []))
    problems = ["keyword %s missing from LEXICAL RULES" % k for k in keywords
                if not re.search(r"^\.BR? %s\b" % k, rules, re.M)]
    if len(keywords) < 10:
        problems.append("read only %d keywords from grammar/lexer.l" % len(keywords))
    return problems


# The repository stands alone: nothing in it may lean on a file beside it.
OUTSIDE = re.compile(r"\.\./shared|SPEC\.md")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def tracked_files():
    listed = subprocess.run(["git", "-C", surface.ROOT, "ls-files", "-z"], capture_output=True, check=True)
    return [name for name in listed.stdout.decode().split("\0") if name]


def check_stands_alone():
    problems = []
    for name in tracked_files():
        path = os.path.join(surface.ROOT, name)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                for number, line in enumerate(f.read().decode("utf-8", "replace").splitlines(), 1):
                    if OUTSIDE.search(line):
                        problems.append("%s:%d points outside the repository: %s" % (name, number, line.strip()))
    return problems


def check_markdown_links():
    problems = []
    pages = ["README.md"] + ["docs/" + n for n in sorted(os.listdir(os.path.join(surface.ROOT, "docs")))
                             if n.endswith(".md")]
    for page in pages:
        text = open(os.path.join(surface.ROOT, page), encoding="utf-8").read()
        text = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)  # code is not a link
        for target in MARKDOWN_LINK.findall(text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not os.path.exists(os.path.join(surface.ROOT, os.path.dirname(page), target)):
                problems.append("%s links to %s, which does not exist" % (page, target))
    return problems


def check_demo_summary():
    """make demo's summary counts in English: 1 NetworkPolicy, 2 NetworkPolicies."""
    out = subprocess.run(["sh", os.path.join(surface.ROOT, "tests", "summary.sh"),
                          os.path.join(surface.ROOT, "examples", "deploy", "vendor-access")],
                         capture_output=True, check=True).stdout.decode()
    counts = re.findall(r" (\d+) (NetworkPolic\w+) ", out)
    wrong = ["%s %s" % c for c in counts if (c[0] == "1") != (c[1] == "NetworkPolicy")]
    if not {c[0] == "1" for c in counts} == {True, False}:
        return ["the summary has no line of one policy and one of several to check:\n" + out]
    return ["the summary says %r" % w for w in wrong]


def main(vendorc):
    results = []
    for name in PAGES:
        path = os.path.join(MAN, name)
        results.append((name + " formats cleanly", formatter_warnings(path)))
    results.append(("vendorc.1 names every command and option",
                    check_vendorc_1(vendorc, open(os.path.join(MAN, "vendorc.1")).read())))
    results.append(("vendorc.vendor.5 names every keyword",
                    check_vendorc_vendor_5(open(os.path.join(MAN, "vendorc.vendor.5")).read())))
    results.append(("make demo's summary counts policies in English", check_demo_summary()))
    results.append(("nothing tracked points outside the repository", check_stands_alone()))
    results.append(("every relative Markdown link names a file", check_markdown_links()))
    return golden.report(results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
