#!/usr/bin/env python3
"""vendorc report as an auditor and a pipeline use it.

  report.py VENDORC ROOT

- a hostile owner and ticket (<script>, <img onerror>, quotes, Markdown
  markup) render as text in HTML and Markdown and survive JSON unchanged;
  the HTML loads nothing from anywhere and runs no script;
- the same input and --now give the same bytes; -o FILE writes what
  standard output gets, through a rename, and a file it cannot write is an
  I/O error that leaves nothing behind;
- the output tree's SHA-256 is what the documented shell recipe computes on
  the directory compile writes;
- each vendor's flows are what `vendorc explain VENDOR` says, flow by flow;
- a failed proof still writes the report, which says FAILED, and exits 1;
- Markdown for 1,000 vendors fits a GitHub comment and says it was cut;
- every link of the HTML leads to an anchor, and no anchor is given twice;
- a fleet's report answers for every cluster, saying which: each cluster's
  part is what `report --cluster NAME` says of it, and the Markdown for
  three clusters of 1,000 vendors still fits a comment.
"""

import html.parser
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
import history  # noqa: E402

NOW = "2026-11-24"
HOSTILE_OWNER = '<script>alert("owner")</script> & \'q\' | *bold* [link](http://x.invalid)'
HOSTILE_TICKET = "<img src=x onerror=alert(1)>"


def run(vendorc, cwd, *args):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([vendorc, *args], cwd=cwd, capture_output=True, env=env, timeout=300)


def project(root, tmp, case="ok-report-html"):
    dest = os.path.join(tmp, case)
    shutil.copytree(os.path.join(root, "golden", case), dest,
                    ignore=lambda d, names: [n for n in names if n.startswith("expected") or n == "args"])
    return dest


def make_hostile(path):
    vendor = os.path.join(path, "vendors", "old-pentest.vendor")
    text = open(vendor).read()
    text = text.replace('"secops@example.com"', json.dumps(HOSTILE_OWNER))
    text = text.replace('"SEC-0999"', json.dumps(HOSTILE_TICKET) + "\n    justification " + json.dumps(HOSTILE_OWNER))
    open(vendor, "w").write(text)


class Tags(html.parser.HTMLParser):
    """The start tags of a document and every attribute value."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def check_escaping(vendorc, root, tmp):
    problems = []
    path = project(root, tmp)
    make_hostile(path)
    page = run(vendorc, path, "report", "--now", NOW)
    if page.returncode != 0:
        return ["report on the hostile project exited %d: %s" % (page.returncode, page.stderr.decode())]
    text = page.stdout.decode()
    parser = Tags()
    parser.feed(text)
    for bad in ("script", "img", "iframe", "object", "embed", "link"):
        if bad in parser.tags:
            problems.append("the HTML has a <%s> element" % bad)
    if "&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt;" not in text:
        problems.append("the owner is not in the HTML as escaped text")
    for tag, name, value in parser.attributes:
        if name.startswith("on") or (name in ("src", "href") and not value.startswith("#")):
            problems.append("<%s %s=%r> loads or runs something" % (tag, name, value))
    if "url(" in text or "@import" in text:
        problems.append("the stylesheet fetches something")
    markdown = run(vendorc, path, "report", "--now", NOW, "--format", "markdown").stdout.decode()
    for raw in (r"<script", r"<img", r"(?<!\\)\]\(http", r"(?<!\\)\*bold"):
        if re.search(raw, markdown):
            problems.append("the Markdown holds %r unescaped" % raw)
    data = json.loads(run(vendorc, path, "report", "--now", NOW, "--format", "json").stdout)
    pentest = next(v for v in data["vendors"] if v["name"] == "old-pentest")
    if pentest["owner"] != HOSTILE_OWNER or pentest["justification"] != HOSTILE_OWNER:
        problems.append("JSON changed the owner or the justification: %r" % pentest)
    if text.count("&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt;") < 3:
        problems.append("the justification is not in the HTML as escaped text")
    return problems


def luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def check_contrast(vendorc, root, tmp):
    """Every rule of the stylesheet that sets a text colour reaches WCAG's
    AA contrast (4.5:1) on its own background, or on the page's white."""
    page = run(vendorc, project(root, tmp), "report", "--now", NOW).stdout.decode()
    style = page[page.index("<style>"):page.index("</style>")]
    problems, rules = [], 0
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        text = re.search(r"(?:^|;)color:#([0-9a-f]{6})", body)
        if not text:
            continue
        background = re.search(r"background:#([0-9a-f]{6})", body)
        light, dark = sorted([luminance(text.group(1)), luminance(background.group(1) if background else "ffffff")],
                             reverse=True)
        ratio = (light + 0.05) / (dark + 0.05)
        rules += 1
        if ratio < 4.5:
            problems.append("%s: contrast %.2f:1" % (selector.strip(), ratio))
    if rules < 5:
        problems.append("only %d rules set a colour: the stylesheet was not read" % rules)
    return problems


def check_bytes_and_file(vendorc, root, tmp):
    problems = []
    path = project(root, tmp)
    first = run(vendorc, path, "report", "--now", NOW)
    second = run(vendorc, path, "report", "--now", NOW)
    if first.stdout != second.stdout or not first.stdout:
        problems.append("two runs gave different reports")
    written = run(vendorc, path, "report", "--now", NOW, "-o", "audit.html")
    if written.returncode != 0 or written.stdout:
        problems.append("-o printed or failed: %d %r" % (written.returncode, written.stdout[:80]))
    if open(os.path.join(path, "audit.html"), "rb").read() != first.stdout:
        problems.append("-o FILE differs from standard output")
    if any(".vendorc-" in n for n in os.listdir(path)):
        problems.append("-o left its temporary file")
    missing = run(vendorc, path, "report", "--now", NOW, "-o", "no-such-dir/audit.html")
    if missing.returncode != 3 or os.path.exists(os.path.join(path, "no-such-dir")):
        problems.append("an unwritable -o: exit %d, expected 3" % missing.returncode)
    return problems


def check_tree_hash(vendorc, root, tmp):
    path = project(root, tmp)
    data = json.loads(run(vendorc, path, "report", "--now", NOW, "--format", "json").stdout)
    compiled = run(vendorc, path, "compile", "--now", NOW)
    if compiled.returncode != 0:
        return ["compile failed: %s" % compiled.stderr.decode()]
    recipe = ("(cd out && LC_ALL=C find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum)"
              " | sha256sum")
    shell = subprocess.run(["sh", "-c", recipe], cwd=path, capture_output=True, text=True, check=True)
    want = shell.stdout.split()[0]
    got = data["provenance"]["output_sha256"]
    if got != want:
        return ["output_sha256 %s, the recipe gives %s" % (got, want)]
    if data["provenance"]["output_files"] != len(os.listdir(os.path.join(path, "out"))):
        return ["output_files is not the number of files compile wrote"]
    return []


def check_against_explain(vendorc, root, tmp):
    """The report's flows of each vendor are explain's, in the same order."""
    problems = []
    path = os.path.join(tmp, "examples")
    shutil.copytree(os.path.join(root, "examples"), path)
    data = json.loads(run(vendorc, path, "report", "--now", NOW, "--format", "json").stdout)
    for vendor in data["vendors"]:
        explained = json.loads(run(vendorc, path, "explain", vendor["name"], "--now", NOW, "--format", "json").stdout)
        theirs = sorted({(f["direction"], f["source"], f["allowed"]) for f in explained["flows"]})
        ours = sorted({(f["direction"], f["source"], f["allowed"]) for f in vendor["flows"]})
        if theirs != ours:
            problems.append("%s: report flows %s, explain %s" % (vendor["name"], ours, theirs))
        if (vendor["state"] == "expired") != explained["expired"]:
            problems.append("%s: report and explain disagree on expiry" % vendor["name"])
    if not any(v["flows"] for v in data["vendors"]):
        problems.append("no vendor of the examples has a flow in the report")
    return problems


def check_failed_proof(vendorc, root, tmp):
    """Under cilium, a catalog policy lets this vendor resolve any name."""
    path = project(root, tmp, "ok-catalog-policy-declared-dns")
    result = run(vendorc, path, "report", "--now", NOW, "--backend", "cilium", "--format", "markdown")
    problems = []
    if result.returncode != 1:
        problems.append("a failed proof: exit %d, expected 1" % result.returncode)
    if b"verify-vendor-lookup" not in run(vendorc, path, "report", "--now", NOW, "--backend", "cilium",
                                          "--diagnostics=json").stderr:
        problems.append("the proof's error is not reported")
    if b"**Proof (vendorc check):** FAILED" not in result.stdout:
        problems.append("the report does not say the proof failed")
    return problems


def comment_markdown(vendorc, root, tmp, what, clusters=()):
    """bench/gen.py's 1,000 vendors (in a fleet of clusters, if named) as
    Markdown, which must fit a GitHub comment: the text, and problems."""
    path = os.path.join(tmp, "n1000")
    subprocess.run([sys.executable, os.path.join(root, "bench", "gen.py"), "1000", path], check=True,
                   capture_output=True)
    if clusters:
        with open(os.path.join(path, "vendorc.yaml"), "a") as f:
            f.write("clusters:\n" + "".join("  - name: %s\n" % name for name in clusters))
    result = run(vendorc, path, "report", "--now", NOW, "--format", "markdown")
    text = result.stdout.decode()
    problems = []
    if result.returncode != 0:
        problems.append("report on %s exited %d" % (what, result.returncode))
    if len(text) > 65536:
        problems.append("Markdown for %s is %d characters" % (what, len(text)))
    if "more than a GitHub comment holds" not in text:
        problems.append("the cut-down Markdown for %s does not say it was cut" % what)
    return text, problems


def check_markdown_limit(vendorc, root, tmp):
    text, problems = comment_markdown(vendorc, root, tmp, "1,000 vendors")
    if "## Vendors that need attention" not in text:
        problems.append("the cut-down Markdown lacks the vendors needing attention")
    return problems


def check_history(vendorc, root, tmp):
    """--history on history.py's scripted repository: add acme, add beta,
    acme's egress 443 -> 8443, offboard acme; the provenance commit."""
    repo = os.path.join(tmp, "repo")
    os.makedirs(repo)
    hashes = history.make_repository(repo)
    infra = os.path.join(repo, "infra")
    result = run(vendorc, infra, "report", "--now", NOW, "--format", "json", "--history")
    if result.returncode != 0:
        return ["report --history exited %d: %s" % (result.returncode, result.stderr.decode())]
    data = json.loads(result.stdout)
    problems = []
    vendors = {v["vendor"]: v for v in data["history"]["vendors"]}
    acme = vendors.get("acme-monitoring", {"events": [], "deleted": False})
    kinds = [(e["kind"], e["subject"]) for e in acme["events"]]
    for want in [("vendor_added", "add acme"), ("grant_added", "add acme"),
                 ("grant_changed", "acme: egress on 8443"), ("vendor_deleted", "offboard acme")]:
        if want not in kinds:
            problems.append("acme's history lacks %s: %s" % (want, kinds))
    changed = [e for e in acme["events"] if e["kind"] == "grant_changed"]
    if not changed or "port 443" not in changed[0]["before"] or "port 8443" not in changed[0]["grant"] \
            or changed[0]["author"] != "John Roe <john@example.com>" or changed[0]["date"] != "2026-10-10T14:15:00Z":
        problems.append("the port change is not told with before, after, author and date: %s" % changed)
    if not acme["deleted"] or vendors.get("beta", {}).get("deleted", True):
        problems.append("acme must be listed as deleted, beta not")
    if data["history"]["commits"] != 4:
        problems.append("%d commits, expected 4" % data["history"]["commits"])
    if data["provenance"]["commit"] != hashes["offboard acme"] or data["provenance"]["dirty"]:
        problems.append("provenance commit %s dirty %s" % (data["provenance"]["commit"], data["provenance"]["dirty"]))
    page = run(vendorc, infra, "report", "--now", NOW, "--history").stdout.decode()
    if "History of access" not in page or "offboard acme" not in page:
        problems.append("the HTML has no history section naming the offboarding")
    ranged = json.loads(run(vendorc, infra, "report", "--now", NOW, "--format", "json", "--history",
                            hashes["add beta"] + "..HEAD").stdout)
    if ranged["history"]["commits"] != 2:
        problems.append("a range HASH..HEAD gave %d commits, expected 2" % ranged["history"]["commits"])
    with open(os.path.join(infra, "vendors", "beta.vendor"), "a") as f:
        f.write("# an uncommitted edit\n")
    if not json.loads(run(vendorc, infra, "report", "--now", NOW, "--format", "json").stdout)["provenance"]["dirty"]:
        problems.append("an uncommitted vendor file is not reported as dirty")
    bad = run(vendorc, infra, "report", "--now", NOW, "--history", "no-such-rev..HEAD")
    if bad.returncode == 0 or bad.stdout:
        problems.append("a bad range wrote a report or exited 0 (%d)" % bad.returncode)
    return problems


def anchor_problems(page, what):
    """Links to no anchor, and anchors given twice, in an HTML page."""
    parser = Tags()
    parser.feed(page)
    ids = [value for _, name, value in parser.attributes if name == "id"]
    links = {value[1:] for _, name, value in parser.attributes if name == "href"}
    problems = ["%s: anchor %r given %d times" % (what, i, ids.count(i)) for i in sorted(set(ids)) if ids.count(i) > 1]
    problems += ["%s: a link to #%s, which no element has" % (what, link) for link in sorted(links - set(ids))]
    if len(links) < 10:
        problems.append("%s: only %d links: the page was not read" % (what, len(links)))
    return problems


def check_anchors(vendorc, root, tmp):
    problems = []
    for case in ("ok-report-html", "ok-report-admin"):
        problems += anchor_problems(run(vendorc, project(root, tmp, case), "report", "--now", NOW).stdout.decode(),
                                    case)
    return problems


def fleet_example(root, tmp):
    """examples/fleet in a repository of its own, one commit, for --history."""
    dest = os.path.join(tmp, "fleet")
    shutil.copytree(os.path.join(root, "examples", "fleet"), dest)
    history.git(dest, "init", "-q")
    history.git(dest, "add", ".")
    history.git(dest, "commit", "-q", "-m", "the fleet", date="2026-11-01T10:00:00Z")
    return dest


def check_fleet(vendorc, root, tmp):
    path = fleet_example(root, tmp)
    names = ["staging", "prod-eu", "prod-us"]
    problems = []
    whole = run(vendorc, path, "report", "--now", NOW, "--format", "json")
    if whole.returncode != 0:
        return ["report on examples/fleet exited %d: %s" % (whole.returncode, whole.stderr.decode())]
    data = json.loads(whole.stdout)
    if [c["cluster"] for c in data["clusters"]] != names:
        problems.append("the fleet's report answers for %s" % [c["cluster"] for c in data["clusters"]])
    for part in data["clusters"]:
        alone = json.loads(run(vendorc, path, "report", "--now", NOW, "--format", "json",
                               "--cluster", part["cluster"]).stdout)
        if {k: v for k, v in part.items() if k != "cluster"} != alone:
            problems.append("cluster %s's part differs from report --cluster %s" % (part["cluster"], part["cluster"]))
    page = run(vendorc, path, "report", "--now", NOW, "--history").stdout.decode()
    problems += anchor_problems(page, "examples/fleet")
    for name in names:
        for want in ('<h2 id="%s.summary">%s: Summary</h2>' % (name, name), '<a href="#%s.summary">%s</a></th>' % (name, name)):
            if want not in page:
                problems.append("the fleet's HTML lacks %r" % want)
    if page.count('<h2 id="history"') != 1 or page.count('<h2 id="signoff"') != 1:
        problems.append("the fleet's HTML must have one history and one sign-off")
    return problems


def check_fleet_markdown_limit(vendorc, root, tmp):
    names = ("c1", "c2", "c3")
    text, problems = comment_markdown(vendorc, root, tmp, "3 clusters of 1,000 vendors", names)
    for name in names:
        if "## %s: Vendors that need attention" % name not in text:
            problems.append("the cut-down Markdown lacks cluster %s's vendors needing attention" % name)
    return problems


def main(argv):
    vendorc, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    checks = [check_escaping, check_contrast, check_bytes_and_file, check_tree_hash, check_against_explain,
              check_failed_proof, check_markdown_limit, check_history, check_anchors, check_fleet,
              check_fleet_markdown_limit]
    def results():
        for check in checks:
            with tempfile.TemporaryDirectory() as tmp:
                yield check.__name__, check(vendorc, root, tmp)
    return golden.report(results())

if __name__ == "__main__":
    sys.exit(main(sys.argv))
