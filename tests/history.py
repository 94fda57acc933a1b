#!/usr/bin/env python3
"""explain --at on a scripted git repository, as an auditor asks it.

The project (golden/ok-explain-vendor's cluster, acme-monitoring reaching
billing/postgres) lives in infra/ of a repository made in a temporary
directory, at fixed dates by fixed people: add acme, add beta (expiring at
the end of October), move acme's egress from 443 to 8443, offboard acme.
Each check runs vendorc from the repository's top with -c, or from infra/,
and asserts what it prints; every temporary tree vendorc writes must be
gone afterwards (its TMPDIR is a folder of the test's own).

  history.py VENDORC
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE = os.path.join(ROOT, "golden", "ok-explain-vendor")

PROJECT = "vendors: vendors/\noutput: out/\ncatalog: [cluster/]\nisolate: [vendor-acme, vendor-beta]\n"
ACME = """vendor acme-monitoring {
    owner   "secops@example.com"
    expires 2027-06-30
    runs in vendor-acme where app=acme-agent
    allow service billing/postgres port pg
    egress 203.0.113.0/24 port %d
}
"""
BETA = """vendor beta {
    owner   "contractors@example.com"
    expires 2026-10-31
    runs in vendor-beta
    egress 198.51.100.0/24 port 443
}
"""

COMMITS = [  # subject, author date = committer date, author, files to write (None: remove)
    ("add acme", "2026-10-01T09:00:00Z", "Jane Doe", {"vendors/acme-monitoring.vendor": ACME % 443}),
    ("add beta", "2026-10-05T09:00:00Z", "Jane Doe", {"vendors/beta.vendor": BETA}),
    ("acme: egress on 8443", "2026-10-10T14:15:00Z", "John Roe", {"vendors/acme-monitoring.vendor": ACME % 8443}),
    ("offboard acme", "2026-11-14T09:30:00Z", "Jane Doe", {"vendors/acme-monitoring.vendor": None}),
]


def git_env(date=None, name="Jane Doe"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    if date:
        email = name.split()[0].lower() + "@example.com"
        env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
                   GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return env


def git(repo, *args, date=None, name="Jane Doe"):
    return subprocess.run(["git", "-C", repo, *args], env=git_env(date, name), check=True,
                          capture_output=True, text=True).stdout.strip()


def make_repository(repo):
    """The commits, and their hashes by subject."""
    infra = os.path.join(repo, "infra")
    git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    shutil.copytree(os.path.join(CASE, "cluster"), os.path.join(infra, "cluster"))
    os.makedirs(os.path.join(infra, "vendors"))
    with open(os.path.join(infra, "vendorc.yaml"), "w") as f:
        f.write(PROJECT)
    hashes = {}
    for subject, date, name, files in COMMITS:
        for path, text in files.items():
            full = os.path.join(infra, path)
            if text is None:
                os.remove(full)
            else:
                with open(full, "w") as f:
                    f.write(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", subject, date=date, name=name)
        hashes[subject] = git(repo, "rev-parse", "HEAD")
    return hashes


class Checker:
    def __init__(self, vendorc, repo, tmp):
        self.vendorc, self.repo, self.tmp = vendorc, repo, tmp
        self.problems = []

    def run(self, *args, cwd=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "SOURCE_DATE_EPOCH"}
        env.update(TMPDIR=self.tmp, LC_ALL="C")
        where = ["-c", "infra/vendorc.yaml"] if cwd is None else []
        result = subprocess.run([self.vendorc, "explain", *args, *where], cwd=cwd or self.repo, env=env,
                                capture_output=True, text=True, timeout=60)
        if os.listdir(self.tmp):
            self.problems.append("%s left %s in TMPDIR" % (" ".join(args), os.listdir(self.tmp)))
            for name in os.listdir(self.tmp):
                shutil.rmtree(os.path.join(self.tmp, name), ignore_errors=True)
        return result

    def expect(self, what, result, status, stdout=(), stderr=(), absent=()):
        problems = []
        if result.returncode != status:
            problems.append("exit %d, wanted %d" % (result.returncode, status))
        problems += ["no %r on stdout" % text for text in stdout if text not in result.stdout]
        problems += ["no %r on stderr" % text for text in stderr if text not in result.stderr]
        problems += ["%r printed" % text for text in absent if text in result.stdout + result.stderr]
        if problems:
            self.problems.append("%s: %s\n--- stdout\n%s--- stderr\n%s" % (
                what, "; ".join(problems), result.stdout, result.stderr))


def header(hashes, subject, date, author="Jane Doe <jane@example.com>"):
    return "as of commit %s (%s, %s): %s\n" % (hashes[subject][:8], date, author, subject)


def check_vendor(c, hashes):
    before = c.run("acme-monitoring", "--at", "2026-10-07")
    c.expect("acme between the add and the port change", before, 0,
             stdout=[header(hashes, "add beta", "2026-10-05T09:00:00Z"),
                     "reaches 203.0.113.0/24 on TCP 443: allowed"], absent=["TCP 8443"])
    if not before.stdout.startswith("as of commit "):
        c.problems.append("the text answer does not start with the commit:\n" + before.stdout)
    after = c.run("acme-monitoring", "--at", "2026-10-20T00:00:00Z")
    c.expect("acme after the port change", after, 0,
             stdout=[header(hashes, "acme: egress on 8443", "2026-10-10T14:15:00Z", "John Roe <john@example.com>"),
                     "reaches 203.0.113.0/24 on TCP 8443: allowed"], absent=["TCP 443:"])
    gone = c.run("acme-monitoring", "--at", "2026-11-15")
    c.expect("acme after the offboarding", gone, 2, stderr=[
        'no vendor "acme-monitoring" in the project as of commit %s' % hashes["offboard acme"][:8],
        "vendors/acme-monitoring.vendor was removed by commit %s (2026-11-14T09:30:00Z, "
        "Jane Doe <jane@example.com>): offboard acme" % hashes["offboard acme"][:8]])
    if gone.stdout:
        c.problems.append("a vendor gone printed an answer:\n" + gone.stdout)
    by_rev = c.run("acme-monitoring", "--at", hashes["add acme"], cwd=os.path.join(c.repo, "infra"))
    c.expect("acme at a revision, from the project's directory", by_rev, 0,
             stdout=[header(hashes, "add acme", "2026-10-01T09:00:00Z"), "TCP 443"])
    tag = c.run("acme-monitoring", "--at", "HEAD~1")
    c.expect("acme at HEAD~1", tag, 0, stdout=["TCP 8443"])


def check_json(c, hashes):
    result = c.run("acme-monitoring", "--at", hashes["acme: egress on 8443"], "--format", "json")
    c.expect("acme as JSON", result, 0)
    try:
        answer = json.loads(result.stdout)
    except ValueError:
        c.problems.append("JSON answer does not parse:\n" + result.stdout)
        return
    want = {"commit": hashes["acme: egress on 8443"], "date": "2026-10-10T14:15:00Z",
            "author": "John Roe <john@example.com>", "subject": "acme: egress on 8443"}
    if answer.get("at") != want or list(answer)[:2] != ["at", "vendor"]:
        c.problems.append("JSON \"at\" is %r, wanted %r first" % (answer.get("at"), want))
    ports = {flow["port"] for flow in answer.get("flows", []) if flow["peer"] == "203.0.113.0/24"}
    if ports != {"TCP 8443"}:
        c.problems.append("JSON flows to 203.0.113.0/24 on %r" % ports)


def check_now(c, hashes):
    """Expiry is judged at the date --at gives, or at the commit's, unless --now says otherwise."""
    late = c.run("beta", "--at", "2026-11-01")
    c.expect("beta judged on the date asked", late, 0, stdout=["no access: expired"])
    at_commit = c.run("beta", "--at", hashes["acme: egress on 8443"])
    c.expect("beta judged at the commit's date", at_commit, 0, stdout=["until 2026-11-01T00:00:00Z"],
             absent=["no access"])
    told = c.run("beta", "--at", "2026-11-01", "--now", "2026-10-15")
    c.expect("beta judged at --now", told, 0, absent=["no access"])


def check_to(c, hashes):
    c.expect("who reached postgres then", c.run("--to", "billing/postgres", "--at", "2026-10-07"), 0,
             stdout=["acme-monitoring (secops@example.com, until 2027-07-01T00:00:00Z): TCP 5432"])
    c.expect("who reaches postgres after the offboarding", c.run("--to", "billing/postgres", "--at", "2026-11-15"),
             0, stdout=[header(hashes, "offboard acme", "2026-11-14T09:30:00Z"), "  none\n"],
             absent=["acme-monitoring ("])


def check_errors(c):
    c.expect("a revision that is none", c.run("acme-monitoring", "--at", "no-such-rev", "--diagnostics=json"), 2,
             stderr=['"code":"bad-revision"', 'no commit \\"no-such-rev\\"'])
    c.expect("a date before the first commit", c.run("acme-monitoring", "--at", "2026-09-01"), 2,
             stderr=["no commit on HEAD's first-parent line was committed at or before 2026-09-01",
                     "the first, "])
    c.expect("--at with --paths=cwd", c.run("acme-monitoring", "--at", "HEAD", "--paths=cwd"), 2,
             stderr=["does not take --paths=cwd"])
    c.expect("--at of another command", subprocess.run([c.vendorc, "check", "--at", "HEAD"], cwd=c.repo,
                                                       capture_output=True, text=True), 2,
             stderr=["--at is not an option of check"])


def main(argv):
    vendorc = os.path.abspath(argv[1])
    with tempfile.TemporaryDirectory() as work:
        repo, tmp = os.path.join(work, "repo"), os.path.join(work, "tmp")
        os.makedirs(repo)
        os.makedirs(tmp)
        hashes = make_repository(repo)
        c = Checker(vendorc, repo, tmp)
        for check in (check_vendor, check_json, check_now, check_to):
            check(c, hashes)
        check_errors(c)
    for problem in c.problems:
        print("FAIL " + problem)
    print("history: %d problems" % len(c.problems))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
