#!/usr/bin/env python3
"""`vendorc graph` on every project that compiles: Graphviz reads the DOT,
the Mermaid is well formed, and both keep every string intact.

  graph.py VENDORC ROOT

For every golden case that compiles, checks or draws successfully (each
cluster of a fleet), for examples/ and each cluster of examples/fleet/,
graph must exit 0 and
- `dot -Tsvg` must accept its DOT (exit 0, nothing on stderr), and the
  rendered SVG must show each vendor's owner exactly as the file means it;
- its Mermaid must be well formed: one `flowchart` line, subgraph/end
  balanced, ids of [A-Za-z0-9_] declared once, every edge between declared
  ids, every label one quoted string whose entity codes decode to the owner.
Also, ROOT/docs/examples-graph.dot must be what vendorc prints for
examples/ now (the SVG beside it depends on the Graphviz version, so it is
not compared).
"""

import html
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import golden  # noqa: E402

NOW = "2026-11-24"
KEPT_OPTIONS = ("-c", "--now", "--backend", "--cluster")  # what a case's command line says of its project
SVG = "{http://www.w3.org/2000/svg}"
ID = r"[A-Za-z0-9_]+"
STRING = r'"([^"]*)"'
MERMAID_LINES = [
    ("header", re.compile(r"flowchart LR$")),
    ("class", re.compile(r"\tclassDef %s [^\"]+$" % ID)),
    ("subgraph", re.compile(r"\t+subgraph (%s) \[%s\]$" % (ID, STRING))),
    ("end", re.compile(r"\t+end$")),
    ("node", re.compile(r"\t+(%s)(\[\[|\(\[|\[|\()%s(\]\]|\]\)|\]|\)):::(%s)$" % (ID, STRING, ID))),
    ("edge", re.compile(r"\t+(%s) -->\|%s\| (%s)$" % (ID, STRING, ID))),
]
MERMAID_ENTITIES = {"#quot;": '"', "#35;": "#", "#amp;": "&", "#lt;": "<", "#gt;": ">", "#96;": "`"}


def graph_cases():
    """(name, directory, graph arguments) of each golden case that succeeds
    on a project that compiles."""
    for name in golden.cases():
        case = os.path.join(golden.GOLDEN, name)
        args = golden.case_args(case)
        status = open(os.path.join(case, "expected.status")).read().strip()
        if status == "0" and args[0] in ("compile", "check", "graph"):
            kept = [word for i, word in enumerate(args[1:], 1)
                    if word in KEPT_OPTIONS or args[i - 1] in KEPT_OPTIONS]
            clusters = fleet(case)
            if clusters and "--cluster" not in kept:
                # a fleet: each cluster alone, as well as all of them
                for cluster in clusters:
                    yield "%s --cluster %s" % (name, cluster), case, ["graph"] + kept + ["--cluster", cluster]
            yield name, case, ["graph"] + kept


def unescape_vendor_string(text):
    return re.sub(r"\\(.)", r"\1", text)


def project_file(project_dir):
    path = os.path.join(project_dir, "vendorc.yaml")
    project = yaml.safe_load(open(path, encoding="utf-8")) if os.path.exists(path) else None
    return project if isinstance(project, dict) else {}


def fleet(project_dir):
    """A fleet's clusters ({name: labels}, in order), or None."""
    project = project_file(project_dir)
    if "clusters" not in project:
        return None
    return {c["name"]: c.get("labels") or {} for c in project["clusters"]}


def applies(text, cluster, clusters):
    """Whether a vendor file's `clusters` statement takes in cluster (None:
    any cluster of the fleet)."""
    m = re.search(r"^\s*clusters\s+(.*?)\s*(#.*)?$", text, re.M)
    if not m or not clusters:
        return True
    if cluster is None:
        return any(applies(text, name, clusters) for name in clusters)
    scope = m.group(1)
    if scope.startswith("where "):
        wanted = dict(pair.split("=", 1) for pair in scope[len("where "):].split(","))
        return all(clusters[cluster].get(k) == v.strip('"') for k, v in wanted.items())
    return cluster in [name.strip() for name in scope.split(",")]


def owners(project_dir, cluster=None):
    """Each vendor file's owner, as the vendor file means it: in a fleet,
    of the vendors that apply to cluster."""
    found = []
    clusters = fleet(project_dir)
    vendors = project_file(project_dir).get("vendors")
    for base, _, names in os.walk(os.path.join(project_dir, vendors) if isinstance(vendors, str) else project_dir):
        for name in names:
            if name.endswith(".vendor"):
                text = open(os.path.join(base, name), encoding="utf-8", errors="replace").read()
                if applies(text, cluster, clusters):
                    found += [unescape_vendor_string(m)
                              for m in re.findall(r'^\s*owner\s+"((?:[^"\\]|\\.)*)"', text, re.M)]
    return found


def check_dot(dot_text, expected_owners):
    result = subprocess.run(["dot", "-Tsvg"], input=dot_text, capture_output=True)
    if result.returncode != 0 or result.stderr:
        return ["dot -Tsvg: exit %d: %s" % (result.returncode, result.stderr.decode(errors="replace"))]
    shown = [t.text or "" for t in ET.fromstring(result.stdout).iter(SVG + "text")]
    return ["the SVG does not show owner %r (lines: %r)" % (owner, shown)
            for owner in expected_owners if not any(line.startswith(owner) for line in shown)]


def decode_mermaid(label):
    return re.sub(r"#\w+;", lambda m: MERMAID_ENTITIES.get(m.group(0), m.group(0)), label)


def mermaid_problems(text, expected_owners):
    lines = text.split("\n")
    if lines[-1] != "":
        return ["does not end with a line break"]
    problems, declared, edges, labels, depth = [], set(), [], [], 0
    for number, line in enumerate(lines[:-1], 1):
        kind, match = next(((k, m) for k, pattern in MERMAID_LINES for m in [pattern.match(line)] if m),
                           (None, None))
        if kind is None or (kind == "header") != (number == 1):
            problems.append("line %d unexpected: %r" % (number, line))
            continue
        depth += {"subgraph": 1, "end": -1}.get(kind, 0)
        if depth < 0:
            problems.append("line %d: end without subgraph" % number)
        if kind in ("subgraph", "node"):
            if match.group(1) in declared:
                problems.append("line %d: id %s declared twice" % (number, match.group(1)))
            declared.add(match.group(1))
        if kind == "node":
            labels.append(match.group(3))
        if kind == "edge":
            edges.append((number, match.group(1), match.group(3)))
    if depth != 0:
        problems.append("%d subgraphs not closed" % depth)
    problems += ["line %d: edge end %s not declared" % (number, end)
                 for number, *ends in edges for end in ends if end not in declared]
    shown = [decode_mermaid(line) for label in labels for line in label.split("<br>")]
    problems += ["no node shows owner %r" % owner for owner in expected_owners
                 if not any(line.startswith(owner) for line in shown)]
    return problems


def check_project(vendorc, name, case, args):
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, name.split()[0])
        golden.prepare(case, scratch)
        expected_owners = owners(scratch, args[args.index("--cluster") + 1] if "--cluster" in args else None)
        outputs = {}
        for fmt in ("dot", "mermaid"):
            result = golden.run(vendorc, scratch, args + ["--format", fmt])
            if result.returncode != 0:
                return ["graph --format %s: exit %d: %s" % (fmt, result.returncode,
                                                          result.stderr.decode(errors="replace"))]
            outputs[fmt] = result.stdout
    return (check_dot(outputs["dot"], expected_owners)
            + ["mermaid: " + p for p in mermaid_problems(outputs["mermaid"].decode(), expected_owners)])


def check_committed(vendorc, root):
    examples = os.path.join(root, "examples")
    result = subprocess.run([vendorc, "graph", "-c", os.path.join(examples, "vendorc.yaml"), "--now", NOW],
                            capture_output=True)
    committed = os.path.join(root, "docs", "examples-graph.dot")
    if result.returncode != 0 or result.stdout != open(committed, "rb").read():
        return ["docs/examples-graph.dot is stale: regenerate it with `vendorc graph -c examples/vendorc.yaml "
                "--now %s > docs/examples-graph.dot` and `dot -Tsvg` (README)" % NOW]
    return []


def main(vendorc, root):
    results = [(name, check_project(vendorc, name, case, args)) for name, case, args in graph_cases()]
    results.append(("examples", check_project(vendorc, "examples", os.path.join(root, "examples"),
                                              ["graph", "-c", "vendorc.yaml", "--now", NOW])))
    fleet_dir = os.path.join(root, "examples", "fleet")
    results.append(("examples/fleet", check_project(vendorc, "fleet", fleet_dir,
                                                    ["graph", "-c", "vendorc.yaml", "--now", NOW])))
    for cluster in fleet(fleet_dir) or ():
        results.append(("examples/fleet --cluster %s" % cluster, check_project(
            vendorc, "fleet --cluster", fleet_dir, ["graph", "-c", "vendorc.yaml", "--now", NOW, "--cluster", cluster])))
    results.append(("docs/examples-graph.dot", check_committed(vendorc, root)))
    return golden.report(results)


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]), sys.argv[2]))
