#!/usr/bin/env python3
"""The fleet example (examples/fleet/) and its GitOps manifests work:

- the committed trees (deploy/CLUSTER/) are what compile writes now, byte
  for byte, one per cluster of vendorc.yaml; check proves the project and
  the committed trees (--verify), and the vendor files are canonical;
- `kubectl kustomize` builds each tree into exactly the objects of its
  files (when KUBECTL is given);
- every generated file meets its schema (tests/schema.py: NetworkPolicy,
  ClusterNetworkPolicy, kustomization.yaml), and only the clusters with
  `enforce: admin` get ClusterNetworkPolicies;
- each cluster's tree is compiled from that cluster's catalog, lock and
  DNS: the same vendor file yields other ports and addresses where those
  differ;
- the ApplicationSet meets the ApplicationSet CRD's schema (made strict),
  its git directory generator, expanded against a fresh compile, yields
  exactly the cluster trees, and each Application it renders applies that
  tree to the cluster of that name, with prune on;
- each Flux cluster directory is a cluster of the fleet; its GitRepository
  and Kustomization meet the Flux CRDs' schemas (made strict), the
  Kustomization prunes and applies that cluster's tree and no other, and the
  GitRepository's ignore rules keep exactly that tree;
- scoping holds: a vendor's objects appear in exactly the trees of the
  clusters its `clusters` statement takes in (the staging contractor's only
  in staging, the prod auditor's only in the prod clusters);
- offboarding: with the monitoring vendor's file deleted, `vendorc plan`
  names its removal under every cluster's header, and compile then removes
  its files from every tree, changes no other file, and keeps its
  namespace's default-deny;
- the commands of examples/fleet/README.md run as written.

  fleet_gitops.py VENDORC EXAMPLES_FLEET_DIR [KUBECTL]
"""

import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gitops  # noqa: E402
import kustomize  # noqa: E402
import schema  # noqa: E402

NOW = "2026-11-24"
# The vendor that runs everywhere and is offboarded in check_offboarding.
MONITORING = "signalwave"
# The two scopes the README promises, besides what the files say.
PROMISED_SCOPES = {"testcraft": {"staging"}, "ledgerlens": {"prod-eu", "prod-us"}}


def strict(node):
    """A CRD schema with additionalProperties: false on every object that
    lists its properties and does not keep unknown fields, so that a
    misspelt key fails as the API server's pruning would silently drop it."""
    if isinstance(node, dict):
        node = {k: strict(v) for k, v in node.items()}
        if ("properties" in node and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


def crd_validator(name):
    with open(os.path.join(HERE, "schemas", name), encoding="utf-8") as f:
        return jsonschema.Draft7Validator(strict(json.load(f)))


APPLICATIONSET = crd_validator("applicationset_v1alpha1.json")
FLUX_KUSTOMIZATION = crd_validator("fluxcd_kustomization_v1.json")
FLUX_GITREPOSITORY = crd_validator("fluxcd_gitrepository_v1.json")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


class Fleet:
    def __init__(self, vendorc, fleet_dir, kubectl, scratch):
        self.vendorc = os.path.abspath(vendorc)
        self.dir = os.path.abspath(fleet_dir)
        self.kubectl = kubectl
        self.scratch = scratch
        self.project = os.path.join(self.dir, "vendorc.yaml")
        # The repository the GitOps engines fetch: the fleet's paths in the
        # manifests are relative to it.
        self.root = os.path.dirname(os.path.dirname(self.dir))
        self.rel = os.path.relpath(self.dir, self.root)
        with open(self.project, encoding="utf-8") as f:
            self.config = yaml.safe_load(f)
        self.clusters = {c["name"]: c for c in self.config["clusters"]}
        self.deploy = os.path.normpath(os.path.join(self.dir, self.config["output"]))
        # A fresh compile, where the repository has the fleet's output:
        # SCRATCH/repo/examples/fleet/deploy/CLUSTER.
        self.repo = os.path.join(scratch, "repo")
        self.fresh = os.path.normpath(os.path.join(self.repo, self.rel, self.config["output"]))
        self.compiled = self.run(["compile", "-c", self.project, "--now", NOW, "-o", self.fresh])

    def run(self, args, cwd=None):
        return subprocess.run([self.vendorc] + args, capture_output=True, cwd=cwd, timeout=120)

    def trees(self, top):
        return {name: os.path.join(top, name) for name in sorted(os.listdir(top))
                if os.path.isdir(os.path.join(top, name))}

    def cluster_of(self, cluster, key):
        """A key of a cluster as the project gives it: the cluster's own,
        else the top level's."""
        return self.clusters[cluster].get(key, self.config.get(key))

    def vendors(self):
        """name -> text of each vendor file."""
        found = {}
        for path in sorted(glob.glob(os.path.join(self.dir, self.config["vendors"], "**", "*.vendor"),
                                     recursive=True)):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            found[re.search(r"^\s*vendor\s+([a-z0-9-]+)", text, re.M).group(1)] = text
        return found

    def scope(self, text):
        """The clusters a vendor file applies to, by its `clusters` statement."""
        m = re.search(r"^\s*clusters\s+(.*?)\s*(?:#.*)?$", text, re.M)
        if not m:
            return set(self.clusters)
        words = m.group(1)
        if words.startswith("where "):
            wanted = dict(pair.strip().split("=", 1) for pair in words[len("where "):].split(","))
            return {name for name, c in self.clusters.items()
                    if all(str((c.get("labels") or {}).get(k)) == v.strip('"') for k, v in wanted.items())}
        return {name.strip() for name in words.split(",")}


def objects_of(tree):
    """(file name, object) for every object of the generated files of a tree."""
    for name in sorted(os.listdir(tree)):
        if name.endswith(".yaml") and name != "kustomization.yaml":
            with open(os.path.join(tree, name), encoding="utf-8") as f:
                for obj in yaml.safe_load_all(f):
                    if obj:
                        yield name, obj


def vendor_label(obj):
    return ((obj.get("metadata") or {}).get("labels") or {}).get("vendorc.io/vendor")


def load_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def schema_errors(validator, doc, where):
    return ["%s %s: %s" % (where, "/".join(map(str, e.absolute_path)) or "<root>", e.message)
            for e in validator.iter_errors(doc)]


# --- the compiled trees ----------------------------------------------------

def check_committed_output_is_current(fleet):
    if fleet.compiled.returncode != 0:
        return ["compile exits %d: %s" % (fleet.compiled.returncode, fleet.compiled.stderr.decode())]
    problems = []
    if b"error:" in fleet.compiled.stderr:
        problems.append("compile reports errors: %s" % fleet.compiled.stderr.decode())
    if set(fleet.trees(fleet.fresh)) != set(fleet.clusters):
        problems.append("compile -o wrote trees %s for clusters %s" % (sorted(fleet.trees(fleet.fresh)),
                                                                        sorted(fleet.clusters)))
    fresh, committed = gitops.tree_state(fleet.fresh), gitops.tree_state(fleet.deploy)
    stale = sorted(n for n in set(fresh) | set(committed) if fresh.get(n) != committed.get(n))
    if stale:
        problems.append("%s is stale in %s: run `vendorc compile -c %s/vendorc.yaml --now %s` and commit it"
                        % (os.path.relpath(fleet.deploy, fleet.root), ", ".join(stale), fleet.rel, NOW))
    return problems


def check_check_and_fmt(fleet):
    problems = []
    for args in (["check", "-c", fleet.project, "--now", NOW],
                 ["check", "-c", fleet.project, "--now", NOW, "--verify", fleet.deploy],
                 ["fmt", "--check", os.path.join(fleet.dir, fleet.config["vendors"])]):
        result = fleet.run(args)
        if result.returncode != 0:
            shown = " ".join(os.path.relpath(a, fleet.root) if os.path.isabs(a) else a for a in args)
            problems.append("vendorc %s: exit %d\n%s%s" % (shown, result.returncode, result.stdout.decode(),
                                                         result.stderr.decode()))
    return problems


def check_kustomize_builds_every_tree(fleet):
    problems = []
    for cluster, tree in fleet.trees(fleet.deploy).items():
        problem = kustomize.problem_of(fleet.kubectl, tree)
        if problem:
            problems.append(problem)
        elif not kustomize.manifests_of(tree):
            problems.append("the %s tree builds nothing" % cluster)
    return problems


def check_schemas(fleet):
    problems = []
    for cluster, tree in fleet.trees(fleet.deploy).items():
        tree_problems, count = schema.check_tree(tree)
        problems += tree_problems
        if count == 0:
            problems.append("%s: no documents" % cluster)
        kinds = {obj["kind"] for _, obj in objects_of(tree)}
        admin = fleet.cluster_of(cluster, "enforce") == "admin"
        if admin != ("ClusterNetworkPolicy" in kinds):
            problems.append("%s (enforce: %s) has kinds %s" % (cluster, fleet.cluster_of(cluster, "enforce"),
                                                               sorted(kinds)))
    if not any(fleet.cluster_of(c, "enforce") == "admin" for c in fleet.clusters):
        problems.append("no cluster of the fleet has enforce: admin: the ClusterNetworkPolicies go unchecked")
    return problems


def egress_rules(tree, vendor):
    """The egress rules of the vendor's own egress policy in a tree."""
    path = os.path.join(tree, "vendor-%s.yaml" % vendor)
    for obj in load_all(path) if os.path.exists(path) else []:
        if obj["kind"] == "NetworkPolicy" and obj["metadata"]["name"] == "vendorc-%s-egress" % vendor:
            return obj["spec"].get("egress") or []
    return []


def catalog_service(fleet, cluster, namespace, name):
    """A Service of a cluster's catalog (kubectl's `kind: List` or plain documents)."""
    for entry in fleet.cluster_of(cluster, "catalog"):
        for path in sorted(glob.glob(os.path.join(fleet.dir, entry, "**", "*.yaml"), recursive=True)):
            for doc in load_all(path):
                for obj in doc.get("items", [doc]):
                    meta = obj.get("metadata") or {}
                    if obj.get("kind") == "Service" and [meta.get("namespace"), meta.get("name")] == [namespace, name]:
                        return obj
    return None


def check_each_cluster_its_own_inputs(fleet):
    """The same vendor files compile differently where the clusters differ:
    the port behind a Service (catalog), a domain's ranges (lock), the DNS
    addresses (dns). And the example must show each difference."""
    problems = []
    targets, ranges, dns_seen = {}, {}, set()
    for cluster, tree in fleet.trees(fleet.deploy).items():
        with open(os.path.join(fleet.dir, fleet.cluster_of(cluster, "lock")), encoding="utf-8") as f:
            lock = yaml.safe_load(f) or {}
        dns = sorted((fleet.cluster_of(cluster, "dns") or {}).get("addresses") or [])
        for vendor, text in fleet.vendors().items():
            if cluster not in fleet.scope(text):
                continue
            rules = egress_rules(tree, vendor)
            ports = {p["port"] for r in rules for p in r.get("ports", [])}
            cidrs = {peer["ipBlock"]["cidr"] for r in rules for peer in r.get("to", []) if "ipBlock" in peer}
            for ns, name, port in re.findall(r"^\s*allow service ([a-z0-9-]+)/([a-z0-9-]+) port ([a-z][a-z0-9-]*)\s*$",
                                             text, re.M):
                service = catalog_service(fleet, cluster, ns, name) or {}
                target = next((p.get("targetPort") for p in service.get("spec", {}).get("ports", [])
                               if p.get("name") == port), None)
                if target is None or target not in ports:
                    problems.append("%s: %s's egress lacks %s/%s's targetPort %r behind %s"
                                    % (cluster, vendor, ns, name, target, port))
                targets.setdefault((vendor, ns, name, port), set()).add(target)
            for domain in re.findall(r"^\s*egress ([a-z0-9*][a-z0-9.-]*\.[a-z]+) port", text, re.M):
                entry = lock.get(domain)
                entry = entry.get("addresses") if isinstance(entry, dict) else entry
                if not entry or not set(entry) <= cidrs:
                    problems.append("%s: %s's egress lacks %s's ranges %s (%s)"
                                    % (cluster, vendor, domain, entry, fleet.cluster_of(cluster, "lock")))
                ranges.setdefault((vendor, domain), set()).add(tuple(entry or ()))
            dns_rules = [r for r in rules if any(p.get("port") == 53 for p in r.get("ports", []))]
            if dns_rules:
                reached = sorted(peer["ipBlock"]["cidr"] for r in dns_rules for peer in r["to"] if "ipBlock" in peer)
                if reached != dns:
                    problems.append("%s: %s's DNS rule reaches %s, the cluster's dns.addresses are %s"
                                    % (cluster, vendor, reached, dns))
                dns_seen.add(tuple(reached))
    for what, values in (("a Service's targetPort", targets.values()), ("a domain's lock entry", ranges.values()),
                         ("the DNS addresses", [dns_seen])):
        if not any(len(v) > 1 for v in values):
            problems.append("no two clusters differ in %s: the example no longer shows it" % what)
    return problems


# --- Argo CD -----------------------------------------------------------------

def applicationset(fleet):
    return load_all(os.path.join(fleet.dir, "gitops", "argocd", "applicationset.yaml"))


def render(node, params):
    """The ApplicationSet template with {{path...}} replaced (the git
    directory generator's parameters, goTemplate off)."""
    if isinstance(node, str):
        return re.sub(r"\{\{\s*([^{}\s]+)\s*\}\}", lambda m: params.get(m.group(1), m.group(0)), node)
    if isinstance(node, dict):
        return {k: render(v, params) for k, v in node.items()}
    if isinstance(node, list):
        return [render(v, params) for v in node]
    return node


def expand(repo, directories):
    """The directories a git directory generator yields from a checkout:
    Argo CD matches each path glob against the repository's directories
    (`*` stops at a slash, hidden ones are left out), less the excluded."""
    def matching(pattern):
        return {os.path.relpath(p, repo) for p in glob.glob(os.path.join(repo, pattern)) if os.path.isdir(p)}
    included, excluded = set(), set()
    for entry in directories:
        (excluded if entry.get("exclude") else included).update(matching(entry["path"]))
    return sorted(included - excluded)


def check_applicationset(fleet):
    docs = applicationset(fleet)
    if len(docs) != 1 or docs[0].get("kind") != "ApplicationSet" or docs[0].get("apiVersion") != "argoproj.io/v1alpha1":
        return ["applicationset.yaml is not one argoproj.io/v1alpha1 ApplicationSet"]
    appset = docs[0]
    problems = schema_errors(APPLICATIONSET, appset, "ApplicationSet")
    # The schema must bite: the same object with prune misspelt, or not a
    # boolean, is rejected.
    for mutate in (lambda a: a["spec"]["template"]["spec"]["syncPolicy"]["automated"].update(prun=True),
                   lambda a: a["spec"]["template"]["spec"]["syncPolicy"]["automated"].update(prune="yes")):
        broken = copy.deepcopy(appset)
        mutate(broken)
        if APPLICATIONSET.is_valid(broken):
            problems.append("the schema accepts a broken automated sync policy: %r"
                            % broken["spec"]["template"]["spec"]["syncPolicy"]["automated"])
    spec = appset["spec"]
    gits = [g["git"] for g in spec.get("generators", []) if "git" in g]
    if len(gits) != 1 or len(spec["generators"]) != 1 or "directories" not in gits[0]:
        return problems + ["the ApplicationSet needs exactly one generator, a git directory generator"]
    git = gits[0]
    template = spec["template"]
    source = template["spec"]["source"]
    if source.get("repoURL") != git.get("repoURL"):
        problems.append("the Applications apply %s, the generator scans %s" % (source.get("repoURL"),
                                                                              git.get("repoURL")))
    if template["spec"].get("syncPolicy", {}).get("automated", {}).get("prune") is not True:
        problems.append("the template's syncPolicy.automated.prune is not true")
    if "resources-finalizer.argocd.argoproj.io" in str(template["metadata"].get("finalizers")):
        problems.append("the Applications carry the resources finalizer: deleting one deletes the default-deny")
    # The generator against a fresh compile: exactly the cluster trees.
    found = expand(fleet.repo, git["directories"])
    wrote = sorted(os.path.relpath(t, fleet.repo) for t in fleet.trees(fleet.fresh).values())
    if found != wrote:
        problems.append("the git generator yields %s; compile wrote %s" % (found, wrote))
    names = set()
    for path in found:
        app = render(template, {"path": path, "path.basename": os.path.basename(path),
                                "path.basenameNormalized": re.sub(r"[^a-z0-9-]", "-", os.path.basename(path))})
        leftover = re.findall(r"\{\{[^}]*\}\}", json.dumps(app))
        if leftover:
            problems.append("%s: parameters the generator does not give: %s" % (path, leftover))
        name = app["metadata"]["name"]
        if not DNS_SUBDOMAIN.match(name) or name in names:
            problems.append("%s: Application name %r is not a unique DNS subdomain" % (path, name))
        names.add(name)
        cluster = os.path.basename(path)
        if app["spec"]["destination"] != {"name": cluster}:
            problems.append("%s: destination %r, not the cluster %s" % (path, app["spec"]["destination"], cluster))
        tree = os.path.join(fleet.root, app["spec"]["source"]["path"])
        if os.path.normpath(tree) != os.path.normpath(os.path.join(fleet.deploy, cluster)):
            problems.append("%s: the Application applies %s" % (path, app["spec"]["source"]["path"]))
        if not os.path.isfile(os.path.join(tree, "kustomization.yaml")):
            problems.append("%s: the committed tree has no kustomization.yaml" % path)
    # And in the repository as committed.
    committed = expand(fleet.root, git["directories"])
    expected = sorted(os.path.relpath(os.path.join(fleet.deploy, c), fleet.root) for c in fleet.clusters)
    if committed != expected:
        problems.append("in the repository the generator yields %s, not %s" % (committed, expected))
    return problems


# --- Flux ------------------------------------------------------------------

def check_flux(fleet):
    top = os.path.join(fleet.dir, "gitops", "flux", "clusters")
    dirs = sorted(os.listdir(top))
    problems = []
    if dirs != sorted(fleet.clusters):
        problems.append("Flux has cluster directories %s, the fleet %s" % (dirs, sorted(fleet.clusters)))
    repo_url = applicationset(fleet)[0]["spec"]["generators"][0]["git"]["repoURL"]
    ex = types.SimpleNamespace(root=fleet.root, examples=os.path.join(fleet.root, "examples"))
    for cluster in dirs:
        path = os.path.join(top, cluster, "vendor-access.yaml")
        docs = load_all(path)
        by_kind = {d.get("kind"): d for d in docs}
        sources, kustomizations = by_kind.get("GitRepository"), by_kind.get("Kustomization")
        if len(docs) != 2 or not sources or not kustomizations:
            problems.append("%s: not one GitRepository and one Kustomization" % cluster)
            continue
        for doc, validator, api in ((sources, FLUX_GITREPOSITORY, "source.toolkit.fluxcd.io/v1"),
                                    (kustomizations, FLUX_KUSTOMIZATION, "kustomize.toolkit.fluxcd.io/v1")):
            if doc["apiVersion"] != api:
                problems.append("%s: %s has apiVersion %s" % (cluster, doc["kind"], doc["apiVersion"]))
            problems += schema_errors(validator, doc, "%s %s" % (cluster, doc["kind"]))
        spec = kustomizations["spec"]
        if spec.get("prune") is not True:
            problems.append("%s: the Kustomization does not prune" % cluster)
        ref = spec.get("sourceRef", {})
        if (ref.get("kind"), ref.get("name"), ref.get("namespace", kustomizations["metadata"].get("namespace"))) != (
                "GitRepository", sources["metadata"]["name"], sources["metadata"].get("namespace")):
            problems.append("%s: sourceRef %r is not the GitRepository of the file" % (cluster, ref))
        if sources["spec"].get("url") != repo_url:
            problems.append("%s: the GitRepository fetches %s, the ApplicationSet %s"
                            % (cluster, sources["spec"].get("url"), repo_url))
        tree = os.path.normpath(os.path.join(fleet.root, spec["path"]))
        if not os.path.isfile(os.path.join(tree, "kustomization.yaml")):
            problems.append("%s: path %s holds no kustomization.yaml" % (cluster, spec["path"]))
            continue
        if tree != os.path.normpath(os.path.join(fleet.deploy, cluster)):
            problems.append("%s: the Kustomization applies %s, not the %s tree" % (cluster, spec["path"], cluster))
        if "ignore" in sources["spec"]:
            problems += ["%s: %s" % (cluster, p) for p in gitops.check_flux_ignore(ex, sources["spec"]["ignore"],
                                                                                  tree)]
    # The schemas must bite.
    broken = copy.deepcopy(load_all(os.path.join(top, dirs[0], "vendor-access.yaml")))
    kustomization = next(d for d in broken if d["kind"] == "Kustomization")
    kustomization["spec"]["prune"] = "true"
    kustomization["spec"]["sourceRef"]["kind"] = "GitRepo"
    if len(list(FLUX_KUSTOMIZATION.iter_errors(kustomization))) < 2:
        problems.append("the Kustomization schema accepts prune: 'true' or sourceRef.kind GitRepo")
    return problems


# --- scoping and offboarding -------------------------------------------------

def trees_holding(tree_dirs, vendor):
    """The clusters whose tree has an object of the vendor, and the problems
    of a tree where the vendor's objects and its file disagree."""
    holding, problems = set(), []
    for cluster, tree in tree_dirs.items():
        files = {name for name, obj in objects_of(tree) if vendor_label(obj) == vendor}
        if files and files != {"vendor-%s.yaml" % vendor}:
            problems.append("%s: %s's objects are in %s" % (cluster, vendor, sorted(files)))
        with open(os.path.join(tree, "kustomization.yaml"), encoding="utf-8") as f:
            listed = "vendor-%s.yaml" % vendor in yaml.safe_load(f)["resources"]
        if listed != bool(files):
            problems.append("%s: kustomization.yaml %s vendor-%s.yaml" % (cluster, "lists" if listed else "omits",
                                                                         vendor))
        if files:
            holding.add(cluster)
    return holding, problems


def check_scoping(fleet):
    problems = []
    trees = fleet.trees(fleet.deploy)
    vendors = fleet.vendors()
    for vendor, text in vendors.items():
        expected = fleet.scope(text)
        holding, tree_problems = trees_holding(trees, vendor)
        problems += tree_problems
        if holding != expected:
            problems.append("%s applies to %s, but its objects are in %s" % (vendor, sorted(expected),
                                                                          sorted(holding)))
    for vendor, clusters in PROMISED_SCOPES.items():
        if vendor not in vendors or fleet.scope(vendors[vendor]) != clusters:
            problems.append("%s should apply to %s exactly (examples/fleet/README.md)" % (vendor, sorted(clusters)))
    return problems


def plan_sections(text):
    """cluster name -> its part of `vendorc plan`'s output."""
    parts = re.split(r"^cluster ([a-z0-9-]+):$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def check_offboarding(fleet):
    project_dir = os.path.join(fleet.scratch, "offboarding")
    shutil.copytree(fleet.dir, project_dir)
    project = os.path.join(project_dir, "vendorc.yaml")
    deploy = os.path.join(project_dir, fleet.config["output"])
    before = gitops.tree_state(deploy)
    os.remove(os.path.join(project_dir, fleet.config["vendors"], MONITORING + ".vendor"))
    problems = []
    plan = fleet.run(["plan", "-c", project, "--now", NOW])
    if plan.returncode != 1:
        problems.append("plan exits %d, not 1 (changes): %s" % (plan.returncode, plan.stderr.decode()))
    sections = plan_sections(plan.stdout.decode())
    if sorted(sections) != sorted(fleet.clusters):
        problems.append("plan has sections for %s, the fleet's clusters are %s" % (sorted(sections),
                                                                                   sorted(fleet.clusters)))
    for cluster in fleet.clusters:
        section = sections.get(cluster, "")
        missing = [w for w in ("vendor %s" % MONITORING, "- file vendor-%s.yaml" % MONITORING,
                               "- resources[]: vendor-%s.yaml" % MONITORING, "files 0 to add")
                   if w not in section]
        if missing:
            problems.append("plan for %s does not say %s:\n%s" % (cluster, ", ".join(map(repr, missing)),
                                                                section.strip()))
        if re.search(r"^\s*\+ ", section, re.M):
            problems.append("plan for %s adds something:\n%s" % (cluster, section))
    compiled = fleet.run(["compile", "-c", project, "--now", NOW])
    if compiled.returncode != 0:
        return problems + ["compile exits %d: %s" % (compiled.returncode, compiled.stderr.decode())]
    after = gitops.tree_state(deploy)
    holding, tree_problems = trees_holding(fleet.trees(deploy), MONITORING)
    problems += tree_problems
    if holding:
        problems.append("%s's objects are still in %s" % (MONITORING, sorted(holding)))
    for cluster in fleet.clusters:
        gone = os.path.join(cluster, "vendor-%s.yaml" % MONITORING)
        kept = os.path.join(cluster, "namespace-vendor-%s.yaml" % MONITORING)
        if gone not in before or gone in after:
            problems.append("%s: vendor-%s.yaml was not there before or is there after" % (cluster, MONITORING))
        if kept not in after or after[kept] != before.get(kept):
            problems.append("%s: the vendor's namespace lost its default-deny" % cluster)
    changed = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n)
                     and not n.endswith(("vendor-%s.yaml" % MONITORING, "kustomization.yaml")))
    if changed:
        problems.append("offboarding one vendor changed other files: %s" % ", ".join(changed))
    again = fleet.run(["plan", "-c", project, "--now", NOW])
    if again.returncode != 0:
        problems.append("plan after the compile exits %d:\n%s" % (again.returncode, again.stdout.decode()))
    return problems


# --- the README ------------------------------------------------------------

def readme_commands(fleet):
    """(command line, expected exit status) for each `vendorc` line of the
    README's fenced blocks; a trailing `# exit N` gives a status other than 0."""
    with open(os.path.join(fleet.dir, "README.md"), encoding="utf-8") as f:
        text = f.read()
    found = []
    for block in re.findall(r"^```(?:sh|console)?\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            m = re.match(r"^(?:build/)?vendorc (.*?)(?:\s+#\s*exit (\d+))?\s*$", line)
            if m:
                found.append((m.group(1), int(m.group(2) or 0)))
    return found


def check_readme_commands(fleet):
    """Run from the top of a scratch copy of the repository, as the README
    says, so that compile writes into the copy."""
    top = os.path.join(fleet.scratch, "readme")
    shutil.copytree(fleet.dir, os.path.join(top, fleet.rel))
    commands = readme_commands(fleet)
    problems = [] if len(commands) >= 5 else ["the README shows %d vendorc commands" % len(commands)]
    for subcommand in ("compile", "check", "plan", "explain", "graph"):
        if not any(c.split()[0] == subcommand for c, _ in commands):
            problems.append("the README does not show `vendorc %s`" % subcommand)
    for line, status in commands:
        args = [a.strip("'\"") for a in line.split()]
        result = fleet.run(args, cwd=top)
        if result.returncode != status:
            problems.append("vendorc %s: exit %d, the README says %d\n%s" % (line, result.returncode, status,
                                                                            result.stderr.decode()[-600:]))
    return problems


CHECKS = [
    check_committed_output_is_current,
    check_check_and_fmt,
    check_kustomize_builds_every_tree,
    check_schemas,
    check_each_cluster_its_own_inputs,
    check_applicationset,
    check_flux,
    check_scoping,
    check_offboarding,
    check_readme_commands,
]


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.rstrip().rsplit("\n", 1)[-1].strip(), file=sys.stderr)
        return 2
    passed = failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        fleet = Fleet(argv[1], argv[2], argv[3] if len(argv) == 4 else None, scratch)
        for check in CHECKS:
            if check is check_kustomize_builds_every_tree and not fleet.kubectl:
                print("skip %s: no KUBECTL given" % check.__name__)
                continue
            try:
                problems = check(fleet)
            except Exception as err:  # a crash in one check is its failure, not the run's
                problems = ["%s: %s" % (type(err).__name__, err)]
            print("%s %s" % ("FAIL" if problems else "ok  ", check.__name__))
            for problem in problems:
                print("    " + problem.rstrip().replace("\n", "\n    "))
            failed += bool(problems)
            passed += not problems
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
