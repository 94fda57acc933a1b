#!/usr/bin/env python3
"""The probe kit as written (`probe --emit`) and its results read back.

  kit_emit.py VENDORC ROOT [KUBECTL]

For the examples and a Cilium project, both kits (jobs, netassert):

- every object meets the official schema of its kind (tests/schemas: Job,
  Pod, Service, Namespace, Kustomization), and `kubectl kustomize` builds
  the kit when kubectl is given;
- every case the kit probes is in it exactly once: a Job container
  `case-N` (or a NetAssert test `vendorc-probe-case-N-...`) in a source
  whose namespace and labels are the case's source, dialling the case's
  host and port with its protocol; every listener a case dials exists,
  with the case's labels and a netexec on the port; a NetAssert test
  expects exit code 0 exactly when the case expects to connect;
- each case the kit leaves out is listed with its reason;
- results: a Jobs' listing where every probe saw what was expected reads
  back as all expected (exit 0); one with a blocked declared flow, a
  connected attack and a missing case reads back with each of them
  UNEXPECTED (exit 1); the same for NetAssert's TAP; a line naming no case
  of the kit is probe-results at its line.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NOW = "2026-11-24"
SCHEMAS = {("batch/v1", "Job"): "job-batch-v1.json", ("v1", "Pod"): "pod-v1.json",
           ("v1", "Service"): "service-v1.json", ("v1", "Namespace"): "namespace-v1.json",
           ("kustomize.config.k8s.io/v1beta1", "Kustomization"): "kustomization_v1beta1.json"}


def run(vendorc, cwd, *args):
    return subprocess.run([vendorc, *args, "--now", NOW], cwd=cwd, capture_output=True, text=True, timeout=120)


def cases_of(vendorc, cwd, extra):
    return json.loads(run(vendorc, cwd, "probe", "--format", "json", *extra).stdout)["cases"]


def documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def check_schemas(root, kit_dir):
    problems = []
    for name in sorted(os.listdir(kit_dir)):
        if name == "netassert.yaml":
            continue
        for doc in documents(os.path.join(kit_dir, name)):
            schema_file = SCHEMAS.get((doc.get("apiVersion"), doc.get("kind")))
            if not schema_file:
                problems.append("%s: no schema for %s %s" % (name, doc.get("apiVersion"), doc.get("kind")))
                continue
            with open(os.path.join(root, "tests", "schemas", schema_file)) as f:
                schema = json.load(f)
            for error in jsonschema.Draft7Validator(schema).iter_errors(doc):
                problems.append("%s: %s %s: %s" % (name, doc["kind"], doc["metadata"].get("name", ""), error.message))
    return problems


def dial(case):
    if case["lookup"]:
        return "%s:443" % case["lookup"]
    to = case["to"]
    host = to["host"] or "%s.%s.svc" % (to["listener"], to["namespace"])
    return ("[%s]:%d" if ":" in host else "%s:%d") % (host, to["port"])


def listeners_of(kit_dir):
    pods = {}
    for doc in documents(os.path.join(kit_dir, "listeners.yaml")):
        if doc["kind"] == "Pod":
            ports = set()
            for c in doc["spec"]["containers"]:
                http = int(re.search(r"--http-port=(\d+)", " ".join(c["args"])).group(1))
                udp = int(re.search(r"--udp-port=(-?\d+)", " ".join(c["args"])).group(1))
                ports.add(("TCP", http))
                if udp > 0:
                    ports.add(("UDP", udp))
            pods[(doc["metadata"]["namespace"], doc["metadata"]["name"])] = (doc["metadata"]["labels"], ports)
    return pods


def check_listener(case, listeners):
    to = case["to"]
    if not to["listener"]:
        return []
    found = listeners.get((to["namespace"], to["listener"]))
    if not found:
        return ["case %d dials listener %s/%s, which the kit lacks" % (case["case"], to["namespace"], to["listener"])]
    labels, ports = found
    problems = []
    if labels != to["labels"]:
        problems.append("listener %s has labels %s, the case judged %s" % (to["listener"], labels, to["labels"]))
    if (case["protocol"], to["port"]) not in ports:
        problems.append("listener %s does not serve %s %d" % (to["listener"], case["protocol"], to["port"]))
    return problems


def check_jobs(kit_dir, cases, probed):
    problems, seen = [], {}
    for doc in documents(os.path.join(kit_dir, "jobs.yaml")):
        template = doc["spec"]["template"]
        for c in template["spec"]["containers"]:
            number = int(c["name"][len("case-"):])
            seen[number] = seen.get(number, 0) + 1
            case = cases[number - 1]
            if doc["metadata"]["namespace"] != case["from"]["namespace"] or \
                    template["metadata"]["labels"] != case["from"]["labels"]:
                problems.append("case %d runs in %s %s, its source is %s %s" % (
                    number, doc["metadata"]["namespace"], template["metadata"]["labels"],
                    case["from"]["namespace"], case["from"]["labels"]))
            want = ["connect", dial(case), "--timeout=5s", "--protocol=%s" % case["protocol"].lower()]
            if c["args"] != want:
                problems.append("case %d runs %s, expected %s" % (number, c["args"], want))
    problems += ["case %d is in the kit %d times" % (n, k) for n, k in seen.items() if k != 1]
    problems += ["case %d is probed but not in the kit" % n for n in sorted(probed - set(seen))]
    problems += ["case %d is not probed but in the kit" % n for n in sorted(set(seen) - probed)]
    return problems


def check_netassert(kit_dir, cases, probed):
    problems, seen = [], {}
    sources = {d["metadata"]["name"]: d for d in documents(os.path.join(kit_dir, "sources.yaml"))}
    tests = documents(os.path.join(kit_dir, "netassert.yaml"))[0]
    for test in tests:
        number = int(re.match(r"vendorc-probe-case-(\d+)-", test["name"]).group(1))
        seen[number] = seen.get(number, 0) + 1
        case = cases[number - 1]
        source = sources.get(test["src"]["k8sResource"]["name"])
        if not source or source["metadata"]["labels"] != case["from"]["labels"] or \
                source["metadata"]["namespace"] != case["from"]["namespace"]:
            problems.append("test %s: its source pod is not the case's source" % test["name"])
        if test["exitCode"] != (0 if case["expect"] == "allow" else 1) or test["targetPort"] != case["to"]["port"] \
                or test["protocol"] != case["protocol"].lower():
            problems.append("test %s: %s for a case expecting %s on %s" % (test["name"], test, case["expect"],
                                                                           case["port"]))
        dst = test["dst"].get("k8sResource", {}).get("name") or test["dst"]["host"]["name"]
        if dst != (case["to"]["listener"] or case["to"]["host"]):
            problems.append("test %s dials %s" % (test["name"], dst))
    problems += ["case %d is in the kit %d times" % (n, k) for n, k in seen.items() if k != 1]
    problems += ["case %d is probed but not in the kit" % n for n in sorted(probed - set(seen))]
    if len({t["name"] for t in tests}) != len(tests):
        problems.append("two NetAssert tests share a name")
    return problems


def check_kit(vendorc, root, tmp, cwd, extra, kind, kubectl):
    kit_dir = os.path.join(tmp, "kit-" + kind)
    result = run(vendorc, cwd, "probe", *extra, "--emit", kind, "-o", kit_dir)
    if result.returncode != 0:
        return ["probe --emit %s exited %d: %s" % (kind, result.returncode, result.stderr[-500:])]
    cases = cases_of(vendorc, cwd, extra)
    unprobed = {int(m) for m in re.findall(r"^case (\d+) .*, not probed: .+$", result.stdout, re.M)}
    probed = {c["case"] for c in cases} - unprobed
    if not re.search(r": %d cases, %d probed$" % (len(cases), len(probed)), result.stdout, re.M):
        problems = ["the summary does not count %d cases, %d probed: %s" % (len(cases), len(probed), result.stdout[-200:])]
    else:
        problems = []
    problems += check_schemas(root, kit_dir)
    listeners = listeners_of(kit_dir)
    for case in cases:
        if case["case"] in probed:
            problems += check_listener(case, listeners)
    problems += (check_jobs if kind == "jobs" else check_netassert)(kit_dir, cases, probed)
    if kubectl:
        built = subprocess.run([kubectl, "kustomize", kit_dir], capture_output=True, text=True, timeout=120)
        if built.returncode != 0:
            problems.append("kubectl kustomize: %s" % built.stderr[-300:])
    return problems


def results(vendorc, cwd, extra, text):
    path = os.path.join(cwd, "results.txt")
    with open(path, "w") as f:
        f.write(text)
    try:
        return run(vendorc, cwd, "probe", *extra, "--results", path, "--diagnostics=json")
    finally:
        os.remove(path)


def job_lines(cases, wrong=()):
    """What the kubectl command of docs/probe.md prints, each probe seeing
    what is expected, but for the cases in wrong."""
    lines = []
    for case in cases:
        allowed = (case["expect"] == "allow") != (case["case"] in wrong)
        lines.append("vendorc-probe case-%d %s\n" % (case["case"], "0 " if allowed else "1 TIMEOUT"))
        if case["lookup"]:
            lines[-1] = "vendorc-probe case-%d 1 DNS: lookup %s on 10.96.0.10:53: %s\n" % (
                case["case"], case["lookup"], "no such host" if allowed else "server misbehaving")
    return "".join(lines)


def check_results(vendorc, root, tmp):
    cwd = os.path.join(tmp, "examples")
    shutil.copytree(os.path.join(root, "examples"), cwd)
    cases = cases_of(vendorc, cwd, [])
    declared = next(c for c in cases if c["kind"] == "declared" and c["expect"] == "allow" and c["protocol"] == "TCP")
    attack = next(c for c in cases if c["kind"] == "port-off")
    missing = cases[-1]
    problems = []
    good = results(vendorc, cwd, [], job_lines(cases))
    if good.returncode != 0 or "0 unexpected" not in good.stdout:
        problems.append("all as expected: exit %d, %s" % (good.returncode, good.stdout[-200:]))
    text = job_lines([c for c in cases if c is not missing], wrong={declared["case"], attack["case"]})
    bad = results(vendorc, cwd, [], "some other kubectl line\n" + text)
    for case, what in ((declared, "blocked"), (attack, "connected"), (missing, "no result")):
        if not re.search(r"^UNEXPECTED case %d .*, %s" % (case["case"], what), bad.stdout, re.M):
            problems.append("case %d (%s) is not UNEXPECTED, %s" % (case["case"], case["kind"], what))
    if bad.returncode != 1 or "3 unexpected" not in bad.stdout:
        problems.append("three unexpected: exit %d, %s" % (bad.returncode, bad.stdout[-200:]))
    tap = ["TAP version 14", "1..%d" % len(cases)]
    for i, case in enumerate(cases, 1):
        fine = case["case"] != declared["case"]
        tap.append("%s %d - vendorc-probe-case-%d-%s-%s" % ("ok" if fine else "not ok", i, case["case"], case["vendor"],
                                                            case["kind"]))
        if not fine:
            tap += ["  ---", "  reason: exit code 1 instead of 0", "  ..."]
    read = results(vendorc, cwd, [], "\n".join(tap) + "\n")
    if read.returncode != 1 or not re.search(r"^UNEXPECTED case %d .*, blocked" % declared["case"], read.stdout, re.M):
        problems.append("TAP with one failed test: exit %d, %s" % (read.returncode, read.stdout[-300:]))
    wrong = results(vendorc, cwd, [], "vendorc-probe case-99999 0\n")
    if wrong.returncode != 1 or '"code":"probe-results"' not in wrong.stderr or '"line":1' not in wrong.stderr:
        problems.append("a case the kit lacks: exit %d, %s" % (wrong.returncode, wrong.stderr[-300:]))
    return problems


def main(argv):
    vendorc, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    kubectl = argv[3] if len(argv) > 3 else None
    examples = os.path.join(root, "examples")
    cilium = os.path.join(root, "golden", "ok-probe-cilium")

    def results_of():
        for name, cwd, extra in (("examples", examples, []), ("cilium", cilium, ["--backend", "cilium"])):
            for kind in ("jobs", "netassert"):
                with tempfile.TemporaryDirectory() as tmp:
                    yield "%s-%s" % (name, kind), check_kit(vendorc, root, tmp, cwd, extra, kind, kubectl)
        with tempfile.TemporaryDirectory() as tmp:
            yield "results", check_results(vendorc, root, tmp)
    return golden.report(results_of())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
