#!/usr/bin/env python3
"""The editor files in editors/.

VS Code: the extension's JSON files parse and agree (language "vendor" for
.vendor, "#" comments, {} brackets, the grammar's scope source.vendor);
Oniguruma compiles every regex of the TextMate grammar; vscode-textmate
(installed by `make deps` into tests/editors/node_modules) tokenizes
tests/editors/sample.vendor, where chosen tokens must carry the expected
scopes, and every vendor file of examples/, where no word may be left
unscoped or marked invalid.

vim: with editors/vim first in 'runtimepath', ftdetect makes *.vendor
filetype "vendor" and the syntax file gives the same chosen tokens the
expected groups, and every non-blank character of the examples a group.

  editors.py
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

ROOT = golden.ROOT
VSCODE = os.path.join(ROOT, "editors", "vscode")
GRAMMAR = os.path.join(VSCODE, "syntaxes", "vendor.tmLanguage.json")
VIM = os.path.join(ROOT, "editors", "vim")
HERE = os.path.join(ROOT, "tests", "editors")
SAMPLE = os.path.join(HERE, "sample.vendor")
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "vendors", "*.vendor"))
                  + glob.glob(os.path.join(ROOT, "examples", "fleet", "vendors", "*.vendor")))

# (line, token, TextMate scope, vim group) in sample.vendor: the token's
# first occurrence on the line.
EXPECTED = [
    (1, "#", "punctuation.definition.comment.vendor", "vendorComment"),
    (1, "TODO", "keyword.other.todo.vendor", "vendorTodo"),
    (1, "construct", "comment.line.number-sign.vendor", "vendorComment"),
    (2, "vendor", "keyword.control.vendor", "vendorStatement"),
    (2, "acme-monitoring", "entity.name.type.vendor", "vendorName"),
    (2, "{", "punctuation.section.block.begin.vendor", "vendorDelimiter"),
    (3, "owner", "keyword.control.vendor", "vendorStatement"),
    (3, "sec", "string.quoted.double.vendor", "vendorString"),
    (3, '\\"', "constant.character.escape.vendor", "vendorEscape"),
    (3, "\\\\", "constant.character.escape.vendor", "vendorEscape"),
    (3, "@example.com", "string.quoted.double.vendor", "vendorString"),
    (3, "escapes", "comment.line.number-sign.vendor", "vendorComment"),
    (4, "SEC-1234", "string.quoted.double.vendor", "vendorString"),
    (5, "2027-03-31T18:00:00+02:00", "constant.numeric.datetime.vendor", "vendorDateTime"),
    (6, "2027-03-31", "constant.numeric.date.vendor", "vendorDate"),
    (7, "never", "constant.language.never.vendor", "vendorNever"),
    (8, "justification", "keyword.control.vendor", "vendorStatement"),
    (8, "nightly", "string.quoted.double.vendor", "vendorString"),
    (9, "reviewed", "keyword.control.vendor", "vendorStatement"),
    (9, "2026-06-01T14:00:00Z", "constant.numeric.datetime.vendor", "vendorDateTime"),
    (10, "clusters", "keyword.control.vendor", "vendorStatement"),
    (10, "prod-eu", "entity.name.tag.cluster.vendor", "vendorClusterName"),
    (11, "runs", "keyword.control.vendor", "vendorStatement"),
    (11, "in", "keyword.other.vendor", "vendorKeyword"),
    (11, "vendor-acme", "entity.name.namespace.vendor", "vendorNamespace"),
    (11, "where", "keyword.other.vendor", "vendorKeyword"),
    (11, "app", "entity.other.attribute-name.label.vendor", "vendorLabel"),
    (11, "acme-agent", "string.unquoted.label-value.vendor", "vendorLabel"),
    (11, '""', "string.quoted.double.label-value.vendor", "vendorLabel"),
    (12, "service", "keyword.other.vendor", "vendorKeyword"),
    (12, "payments", "entity.name.namespace.vendor", "vendorServiceRef"),
    (12, "api", "entity.name.function.service.vendor", "vendorServiceRef"),
    (12, "port", "keyword.other.vendor", "vendorKeyword"),
    (12, "443", "constant.numeric.port.vendor", "vendorPortNumber"),
    (12, "/tcp", "storage.modifier.protocol.vendor", "vendorProtocol"),
    (12, "http", "variable.other.port-name.vendor", "vendorPortName"),
    (13, "pods", "keyword.other.vendor", "vendorKeyword"),
    (13, "app.kubernetes.io/name", "entity.other.attribute-name.label.vendor", "vendorLabel"),
    (13, "payments", "entity.name.namespace.vendor", "vendorNamespace"),
    (13, "8080", "constant.numeric.port-range.vendor", "vendorPortNumber"),
    (13, "/UDP", "storage.modifier.protocol.vendor", "vendorProtocol"),
    (14, "from", "keyword.other.vendor", "vendorKeyword"),
    (14, "monitoring", "entity.name.namespace.vendor", "vendorServiceRef"),
    (15, "198.51.100.0/24", "constant.numeric.cidr.ipv4.vendor", "vendorCidr"),
    (15, "8443", "constant.numeric.port.vendor", "vendorPortNumber"),
    (16, "egress", "keyword.control.vendor", "vendorStatement"),
    (16, "*.ingest.acme.io", "constant.other.domain.vendor", "vendorDomain"),
    (16, ";", "punctuation.terminator.statement.vendor", "vendorDelimiter"),
    (16, "api.acme.io", "constant.other.domain.vendor", "vendorDomain"),
    (17, "2001:db8:100::/48", "constant.numeric.cidr.ipv6.vendor", "vendorCidr"),
    (17, "on", "keyword.other.vendor", "vendorKeyword"),
    (17, "env", "entity.other.attribute-name.label.vendor", "vendorLabel"),
    (18, "}", "punctuation.section.block.end.vendor", "vendorDelimiter"),
]


def load_json(rel):
    return json.load(open(os.path.join(VSCODE, rel)))


def check_extension():
    problems = []
    try:
        package = load_json("package.json")
        config = load_json("language-configuration.json")
        grammar = load_json(os.path.join("syntaxes", "vendor.tmLanguage.json"))
    except (OSError, ValueError) as error:
        return ["%s" % error]
    languages = package["contributes"]["languages"]
    grammars = package["contributes"]["grammars"]
    if [(l["id"], l["extensions"]) for l in languages] != [("vendor", [".vendor"])]:
        problems.append("package.json: languages %r" % languages)
    if not os.path.exists(os.path.join(VSCODE, languages[0]["configuration"])):
        problems.append("package.json: no %s" % languages[0]["configuration"])
    if [(g["language"], g["scopeName"]) for g in grammars] != [("vendor", "source.vendor")]:
        problems.append("package.json: grammars %r" % grammars)
    if os.path.realpath(os.path.join(VSCODE, grammars[0]["path"])) != os.path.realpath(GRAMMAR):
        problems.append("package.json: the grammar is %s" % grammars[0]["path"])
    if grammar.get("scopeName") != "source.vendor":
        problems.append("the grammar's scopeName is %r" % grammar.get("scopeName"))
    if config.get("comments", {}).get("lineComment") != "#" or ["{", "}"] not in config.get("brackets", []):
        problems.append("language-configuration.json: comments %r, brackets %r"
                        % (config.get("comments"), config.get("brackets")))
    return problems


def at(line_text, token):
    column = line_text.find(token)
    if column < 0:
        raise SystemExit("sample.vendor: no %r in %r" % (token, line_text))
    return column


def textmate():
    result = subprocess.run(["node", os.path.join(HERE, "tokenize.js"), GRAMMAR, SAMPLE] + EXAMPLES,
                            capture_output=True, text=True, timeout=60, cwd=HERE)
    if result.returncode != 0:
        raise SystemExit("tokenize.js: status %d (run make deps?)\n%s"
                         % (result.returncode, result.stderr))
    return json.loads(result.stdout)


def scope_at(tokens, column):
    """The innermost scope of the token holding COLUMN."""
    offset = 0
    for text, scopes in tokens:
        if offset <= column < offset + len(text):
            return scopes[-1]
        offset += len(text)
    return None


def check_textmate_sample(tokenized):
    lines = open(SAMPLE).read().split("\n")
    problems = []
    for line, token, scope, _ in EXPECTED:
        got = scope_at(tokenized[SAMPLE][line - 1], at(lines[line - 1], token))
        if got != scope:
            problems.append("line %d %r: %s, expected %s" % (line, token, got, scope))
    return problems


def check_textmate_examples(tokenized):
    problems = []
    for path in EXAMPLES:
        for number, tokens in enumerate(tokenized[path], 1):
            for text, scopes in tokens:
                if text.strip() and (scopes == ["source.vendor"] or any("invalid" in s for s in scopes)):
                    problems.append("%s:%d: %r has scopes %s" % (os.path.relpath(path, ROOT),
                                                                number, text, scopes))
    return problems


VIM_PROBE = r"""
let s:result = {'filetype': &filetype, 'groups': []}
for s:lnum in range(1, line('$'))
  let s:groups = []
  for s:col in range(1, strlen(getline(s:lnum)))
    call add(s:groups, synIDattr(synID(s:lnum, s:col, 1), 'name'))
  endfor
  call add(s:result.groups, s:groups)
endfor
call writefile([json_encode(s:result)], $VENDORC_PROBE_OUT)
qall!
"""


def vim_groups(path, scratch):
    """&filetype and the syntax group of each byte of each line of PATH."""
    probe = os.path.join(scratch, "probe.vim")
    out = os.path.join(scratch, "probe.json")
    open(probe, "w").write(VIM_PROBE)
    result = subprocess.run(
        ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "--cmd", "set runtimepath^=" + VIM,
         "-c", "filetype on", "-c", "syntax on", "-c", "edit " + path, "-c", "source " + probe],
        capture_output=True, text=True, timeout=60, env=dict(os.environ, VENDORC_PROBE_OUT=out))
    if result.returncode != 0 or not os.path.exists(out):
        raise SystemExit("vim: status %d\n%s%s" % (result.returncode, result.stdout, result.stderr))
    return json.load(open(out))


def check_vim_sample(scratch):
    probed = vim_groups(SAMPLE, scratch)
    lines = open(SAMPLE).read().split("\n")
    problems = [] if probed["filetype"] == "vendor" else ["filetype %r" % probed["filetype"]]
    for line, token, _, group in EXPECTED:
        column = at(lines[line - 1], token)
        got = set(probed["groups"][line - 1][column:column + len(token)])
        if got != {group}:
            problems.append("line %d %r: %s, expected %s" % (line, token, sorted(got), group))
    return problems


def check_vim_examples(scratch):
    problems = []
    for path in EXAMPLES:
        lines = open(path).read().split("\n")
        for number, groups in enumerate(vim_groups(path, scratch)["groups"], 1):
            bare = [c for c, g in enumerate(groups) if not g and not lines[number - 1][c].isspace()]
            if bare:
                problems.append("%s:%d:%d: no syntax group at %r" % (
                    os.path.relpath(path, ROOT), number, bare[0] + 1, lines[number - 1][bare[0]:]))
    return problems


def main():
    results = [("vscode extension files", check_extension())]
    tokenized = textmate()
    results.append(("TextMate regexes compile in Oniguruma", tokenized["regexErrors"]))
    results.append(("TextMate scopes in sample.vendor", check_textmate_sample(tokenized["files"])))
    results.append(("TextMate scopes every word of examples/", check_textmate_examples(tokenized["files"])))
    with tempfile.TemporaryDirectory() as scratch:
        results.append(("vim groups in sample.vendor", check_vim_sample(scratch)))
        results.append(("vim groups every character of examples/", check_vim_examples(scratch)))
    return golden.report(results)


if __name__ == "__main__":
    sys.exit(main())
