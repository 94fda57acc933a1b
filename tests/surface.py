"""The command line's surface, read from the program itself, so that the
man page and the completions are checked against what vendorc really has:
the commands `vendorc help` lists, and the long options of src/main.c's
option table.
"""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Announced commands that other branches are adding; once `help` lists them
# they are read from there like the others.
ANNOUNCED_COMMANDS = ("fmt", "graph", "plan")


def commands(vendorc):
    """The command names of `vendorc help`, plus the announced ones."""
    text = subprocess.run([vendorc, "help"], capture_output=True, text=True, check=True).stdout
    listed = re.search(r"^commands:\n((?:  .*\n)+)", text, re.M)
    if not listed:
        raise SystemExit("`vendorc help` lists no commands:\n" + text)
    names = re.findall(r"^  (\S+)", listed.group(1), re.M)
    return sorted(set(names) | set(ANNOUNCED_COMMANDS))


def long_options():
    """The long option names of the getopt_long table in src/main.c."""
    source = open(os.path.join(ROOT, "src", "main.c")).read()
    table = re.search(r"struct option \w+\[\] = \{(.*?)\n\};", source, re.S)
    if not table:
        raise SystemExit("src/main.c has no struct option table")
    names = re.findall(r'\{\s*"([a-z][a-z0-9-]*)",\s*\w+_argument', table.group(1))
    if not names:
        raise SystemExit("no long option in src/main.c's option table")
    return names
