#!/usr/bin/env python3
"""Property-based tests for vendorc: random valid projects must pass `check`.

  property.py VENDORC [--seeds A-B] [--jobs N] [--keep]

For each seed a generator (stdlib `random`, seeded) writes a random VALID
project: namespaces of Services (overlapping selectors, numbered and named
targetPorts, TCP/UDP, selectorless Services with Endpoints or
EndpointSlices), catalog NetworkPolicies (default-deny, partial isolation
with matchLabels and matchExpressions, ingress-only, egress-only, no
policyTypes, allow rules with pod, namespace and ipBlock peers), and vendors
(own or shared namespaces, every kind of statement, expired or live,
`isolate` lists). It never writes what docs/semantics.md makes an error: no catalog
policy with rules in a vendor namespace, no target or source in a namespace
where a vendor runs, no CIDR in cluster-cidrs, no overlapping vendors.

Per seed it asserts
  - `vendorc check --now 2026-11-24` exits 0 with no `error:` on stderr
    (check compiles in memory and proves docs/semantics.md 3's property);
  - two compiles into fresh directories, one on a single thread and one
    on four (VENDORC_THREADS), give byte-identical trees;
  - the same project with its vendor (and catalog) files created in
    reversed order compiles to the same bytes;
  - `check --verify` on the compiled tree exits 0;
  - the same project under enforce: admin, and with backend: cilium,
    compiles to a tree that `check --verify` proves.
A failing seed keeps its project directory and prints how to reproduce.
"""

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402  (tests/schema.py: the output schemas)

NOW = "2026-11-24"
DEFAULT_SEEDS = (1, 200)
CLUSTER_CIDRS = ["10.244.0.0/16", "10.96.0.0/12"]

# A small vocabulary, so that selectors overlap in interesting ways.
VOCAB = {
    "app": ["web", "db", "cache"],
    "tier": ["front", "back"],
    "role": ["primary", "replica"],
}
NS_LABELS = {"team": ["red", "blue"], "env": ["prod", "dev"]}
APP_NAMESPACES = ["billing", "payments", "data", "shop", "tools", "web", "analytics", "monitoring"]
SERVICE_NAMES = ["api", "db", "cache", "site", "queue", "scraper"]
PORT_NAMES = ["http", "grpc", "metrics", "admin", "db"]
TARGET_NAMES = ["http", "web", "metrics", "pg", "grpc-alt"]
PORT_NUMBERS = [53, 80, 443, 5432, 6379, 8080, 8443, 9090, 9100]
VENDOR_NAMES = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"]
DOMAINS = ["api.acme.example", "intake.globex.example", "*.ingest.hooli.example",
           "git.forge.example", "*.s3.vault.example", "smtp.relay.example"]
EXPIRIES = ["2026-10-31", "2026-11-23", "2026-11-24", "2026-12-01", "2027-06-30",
            "2028-01-01", "never", "2026-11-24T12:00:00Z", "2026-11-23T23:59:59.5Z",
            "2027-03-31T18:00:00+02:00"]


# ---- random pieces ----

def outside_cidr(rng, wide=True):
    """A range outside cluster-cidrs, host bits clear."""
    kind = rng.random()
    if kind < 0.6:
        base = rng.choice([(192, 0, 2), (198, 51, 100), (203, 0, 113)])
        prefix = rng.choice([24, 25, 26, 28, 29, 30, 32])
        last = rng.randrange(256) & (0xFF << (32 - prefix)) & 0xFF
        return "%d.%d.%d.%d/%d" % (base + (last, prefix))
    if kind < 0.85:
        return "2001:db8:%x::/%d" % (rng.randrange(1, 0xFFFF), 48)
    if wide:
        return rng.choice(["172.16.0.0/12", "100.64.0.0/10", "192.168.0.0/16", "2001:db8::/32"])
    return "198.18.%d.0/24" % rng.randrange(256)


def selector_labels(rng, lo=1, hi=2):
    keys = rng.sample(sorted(VOCAB), rng.randint(lo, hi))
    return {k: rng.choice(VOCAB[k]) for k in sorted(keys)}


def label_text(labels):
    return ",".join("%s=%s" % kv for kv in sorted(labels.items()))


def random_label_selector(rng):
    """A pod selector: {}, matchLabels, matchExpressions, or both."""
    r = rng.random()
    if r < 0.25:
        return {}
    sel = {}
    if r < 0.7 or rng.random() < 0.4:
        sel["matchLabels"] = selector_labels(rng)
    if r >= 0.55:
        exprs = []
        for _ in range(rng.randint(1, 2)):
            key = rng.choice(sorted(VOCAB))
            op = rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])
            expr = {"key": key, "operator": op}
            if op in ("In", "NotIn"):
                expr["values"] = sorted(rng.sample(VOCAB[key], rng.randint(1, len(VOCAB[key]))))
            exprs.append(expr)
        sel["matchExpressions"] = exprs
    return sel


def random_ns_selector(rng, namespaces):
    r = rng.random()
    if r < 0.2:
        return {}
    if r < 0.6:
        return {"matchLabels": {"kubernetes.io/metadata.name": rng.choice(namespaces)}}
    if r < 0.8:
        key = rng.choice(sorted(NS_LABELS))
        return {"matchLabels": {key: rng.choice(NS_LABELS[key])}}
    key = rng.choice(sorted(NS_LABELS) + ["kubernetes.io/metadata.name"])
    op = rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])
    expr = {"key": key, "operator": op}
    if op in ("In", "NotIn"):
        pool = NS_LABELS.get(key, namespaces)
        expr["values"] = sorted(rng.sample(pool, rng.randint(1, min(2, len(pool)))))
    return {"matchExpressions": [expr]}


def random_peer(rng, namespaces):
    r = rng.random()
    if r < 0.3:
        return {"podSelector": random_label_selector(rng)}
    if r < 0.5:
        return {"namespaceSelector": random_ns_selector(rng, namespaces)}
    if r < 0.8:
        return {"namespaceSelector": random_ns_selector(rng, namespaces),
                "podSelector": random_label_selector(rng)}
    cidr = outside_cidr(rng)
    block = {"cidr": cidr}
    if rng.random() < 0.3 and cidr.endswith("/24") and "." in cidr:
        block["except"] = [cidr.rsplit(".", 1)[0] + ".128/25"]
    return {"ipBlock": block}


def random_policy_ports(rng):
    ports = []
    for _ in range(rng.randint(0, 2)):
        r = rng.random()
        proto = rng.choice([None, "TCP", "UDP"])
        if r < 0.5:
            p = {"port": rng.choice(PORT_NUMBERS)}
        elif r < 0.7:
            p = {"port": rng.choice(TARGET_NAMES + PORT_NAMES)}
        elif r < 0.9:
            start = rng.choice(PORT_NUMBERS)
            p = {"port": start, "endPort": start + rng.randint(1, 20)}
        else:
            p = {}
            proto = proto or "UDP"
        if proto:
            p["protocol"] = proto
        ports.append(p)
    return ports


def random_rules(rng, namespaces, direction):
    rules = []
    for _ in range(rng.randint(1, 2)):
        rule = {}
        if rng.random() < 0.85:
            rule["from" if direction == "ingress" else "to"] = [
                random_peer(rng, namespaces) for _ in range(rng.randint(1, 2))]
        ports = random_policy_ports(rng)
        if ports:
            rule["ports"] = ports
        rules.append(rule)
    return rules


def netpol(name, ns, spec, managed=False):
    meta = {"name": name, "namespace": ns}
    if managed:
        meta["labels"] = {"app.kubernetes.io/managed-by": "vendorc"}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": meta, "spec": spec}


def catalog_policy(rng, name, ns, namespaces, rules_allowed):
    """One catalog NetworkPolicy of a random shape."""
    shape = rng.choice(["default-deny", "partial", "ingress-only", "egress-only", "no-types",
                        "allow", "ignored-rules"])
    spec = {"podSelector": {} if shape == "default-deny" else random_label_selector(rng)}
    if shape == "default-deny":
        spec["policyTypes"] = rng.choice([["Ingress", "Egress"], ["Ingress"], ["Egress"]])
    elif shape == "partial":
        spec["policyTypes"] = rng.choice([["Ingress"], ["Egress"], ["Ingress", "Egress"]])
    elif shape == "ingress-only":
        spec["policyTypes"] = ["Ingress"]
        if rules_allowed and rng.random() < 0.6:
            spec["ingress"] = random_rules(rng, namespaces, "ingress")
    elif shape == "egress-only":
        spec["policyTypes"] = ["Egress"]
        if rules_allowed and rng.random() < 0.6:
            spec["egress"] = random_rules(rng, namespaces, "egress")
    elif shape == "no-types":
        if rules_allowed and rng.random() < 0.5:
            spec["egress" if rng.random() < 0.5 else "ingress"] = random_rules(
                rng, namespaces, "egress")
    elif shape == "ignored-rules":
        # policyTypes given: the rules of the other direction mean nothing
        # (and an empty list of rules of its own direction allows nothing).
        direction = rng.choice(["Ingress", "Egress"])
        spec["policyTypes"] = [direction]
        other = "egress" if direction == "Ingress" else "ingress"
        # ignored, so harmless even on a vendor's pods
        spec[other] = random_rules(rng, namespaces, other)
        if rng.random() < 0.5:
            spec[direction.lower()] = []
    else:
        types = rng.choice([["Ingress"], ["Egress"], ["Ingress", "Egress"]])
        spec["policyTypes"] = types
        if rules_allowed:
            if "Ingress" in types:
                spec["ingress"] = random_rules(rng, namespaces, "ingress")
            if "Egress" in types:
                spec["egress"] = random_rules(rng, namespaces, "egress")
    if shape == "no-types" and "ingress" in spec:
        spec["ingress"] = [{("from" if k == "to" else k): v for k, v in r.items()}
                           for r in spec["ingress"]]
    return netpol(name, ns, spec)


# ---- the project ----

class Service:
    def __init__(self, ns, name, selector, ports):
        self.ns, self.name, self.selector, self.ports = ns, name, selector, ports


def endpoint_port(service_port, number, slice=False):
    """The endpoint port behind a Service port: same name (an unnamed one
    stays unnamed, or "" as the API server prints it in a slice)."""
    port = {"port": number, "protocol": service_port.get("protocol", "TCP")}
    if service_port.get("name") or slice:
        port["name"] = service_port.get("name", "")
    return port


def make_service(rng, ns, name, objects):
    selectorless = rng.random() < 0.15
    ports, used = [], set()
    names = rng.sample(PORT_NAMES, 3)
    count = rng.randint(1, 3)
    if count == 1 and rng.random() < 0.3:
        names = [""]  # a single port may go unnamed
    for i in range(count):
        number = rng.choice(PORT_NUMBERS)
        proto = rng.choice(["TCP", "TCP", "UDP"])
        if (number, proto) in used:
            continue
        used.add((number, proto))
        p = {"name": names[i], "port": number} if names[i] else {"port": number}
        if rng.random() < 0.7:
            p["protocol"] = proto
        r = rng.random()
        if r < 0.35 and not selectorless:
            p["targetPort"] = rng.choice(TARGET_NAMES)
        elif r < 0.7:
            p["targetPort"] = rng.choice([8080, 9000, 15432, number])
        ports.append(p)
    spec = {"ports": ports}
    selector = None
    if not selectorless:
        selector = selector_labels(rng)
        spec["selector"] = selector
    objects.append({"apiVersion": "v1", "kind": "Service",
                    "metadata": {"name": name, "namespace": ns}, "spec": spec})
    if selectorless:
        def addresses():
            return sorted({"192.168.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
                           for _ in range(rng.randint(1, 3))})
        if rng.random() < 0.5:
            subsets = []
            for _ in range(rng.randint(1, 2)):
                subsets.append({
                    "addresses": [{"ip": a} for a in addresses()],
                    "ports": [endpoint_port(p, rng.choice([p["port"], 10000 + p["port"]]))
                              for p in ports]})
            objects.append({"apiVersion": "v1", "kind": "Endpoints",
                            "metadata": {"name": name, "namespace": ns}, "subsets": subsets})
        else:
            for i in range(rng.randint(1, 2)):
                v6 = rng.random() < 0.25
                objects.append({
                    "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                    "metadata": {"name": "%s-%d" % (name, i), "namespace": ns,
                                 "labels": {"kubernetes.io/service-name": name}},
                    "addressType": "IPv6" if v6 else "IPv4",
                    "endpoints": [{"addresses": [("2001:db8:e::%x" % rng.randrange(1, 0xFFFF)) if v6 else a],
                                   "conditions": {"ready": rng.random() < 0.8}}
                                  for a in addresses()],
                    "ports": [endpoint_port(p, rng.choice([p["port"], 20000 + p["port"]]), slice=True)
                              for p in ports]})
    return Service(ns, name, selector, ports)


def port_spec(rng, allow_names=True, allow_ranges=True):
    parts = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.45 or (not allow_names and not allow_ranges):
            text = str(rng.randint(1, 65535) if rng.random() < 0.2 else rng.choice(PORT_NUMBERS))
        elif r < 0.75 and allow_ranges:
            start = rng.choice(PORT_NUMBERS + [rng.randint(1, 60000)])
            text = "%d-%d" % (start, start + rng.randint(1, 100))
        elif allow_names:
            text = rng.choice(TARGET_NAMES + PORT_NAMES)
        else:
            text = str(rng.choice(PORT_NUMBERS))
        if rng.random() < 0.3:
            text += "/" + rng.choice(["tcp", "udp", "sctp", "UDP", "Tcp"])
        parts.append(text)
    return ", ".join(parts)


def service_port_spec(rng, svc):
    """Ports of an `allow service`: none (all), or some by number or name."""
    if rng.random() < 0.3:
        return ""
    parts = []
    for p in rng.sample(svc.ports, rng.randint(1, len(svc.ports))):
        text = p["name"] if p.get("name") and rng.random() < 0.5 else str(p["port"])
        if rng.random() < 0.3:
            text += "/" + p.get("protocol", "TCP").lower()
        parts.append(text)
    return " port " + ", ".join(parts)


def vendor_text(rng, lines):
    """A vendor file's lines, with the lexical freedoms of the language:
    tabs, trailing comments, `;` between statements, CRLF, a BOM."""
    out = [lines[0], lines[1]]
    body = lines[2:-1]
    i = 0
    while i < len(body):
        stmt = body[i].strip()
        if rng.random() < 0.2:
            stmt = stmt.replace(" ", "\t", 1)
        if i + 1 < len(body) and rng.random() < 0.15:
            stmt += "; " + body[i + 1].strip()
            i += 1
        if rng.random() < 0.15:
            stmt += "   # note"
        if rng.random() < 0.1:
            out.append("")
        out.append("    " + stmt)
        i += 1
    out.append(lines[-1])
    eol = "\r\n" if rng.random() < 0.15 else "\n"
    text = eol.join(out) + eol
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text


def generate(seed):
    """A random valid project: {relative path: text}, and the vendor file order."""
    rng = random.Random(seed)
    files = {}
    objects = {}          # catalog file -> list of objects

    app_ns = sorted(rng.sample(APP_NAMESPACES, rng.randint(1, 8)))
    with_kube_system = rng.random() < 0.4
    if with_kube_system:
        app_ns.append("kube-system")
    namespaces = list(app_ns)

    # Vendors: each in its own namespace, or several sharing one.
    n_vendors = rng.randint(1, 6)
    vendor_names = rng.sample(VENDOR_NAMES, n_vendors)
    shared = rng.random() < 0.5
    vendors = []
    for name in vendor_names:
        if shared and rng.random() < 0.6:
            ns, where = "contractors", {"vendor": name}
            if rng.random() < 0.4:
                where.update(selector_labels(rng, 1, 1))
        else:
            ns = "vendor-" + name
            where = selector_labels(rng, 0, 2) if rng.random() < 0.8 else {}
        vendors.append({"name": name, "ns": ns, "where": where})
    vendor_ns = sorted({v["ns"] for v in vendors})
    all_ns = app_ns + vendor_ns

    # Namespace objects with labels, for namespaceSelectors.
    ns_objects = []
    for ns in all_ns:
        if rng.random() < 0.5:
            labels = {k: rng.choice(vals) for k, vals in sorted(NS_LABELS.items())
                      if rng.random() < 0.6}
            ns_objects.append({"apiVersion": "v1", "kind": "Namespace",
                               "metadata": {"name": ns, "labels": labels}})

    # Services and policies of the application namespaces.
    services = []
    policy_count = 0
    for ns in app_ns:
        objs = objects.setdefault("cluster/%s.yaml" % ns, [])
        if ns == "kube-system":
            objs.append({"apiVersion": "v1", "kind": "Service",
                         "metadata": {"name": "kube-dns", "namespace": ns},
                         "spec": {"selector": {"k8s-app": "kube-dns"},
                                  "ports": [{"name": "dns", "port": 53, "protocol": "UDP"},
                                            {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]}})
            services.append(Service(ns, "kube-dns", {"k8s-app": "kube-dns"},
                                    [{"name": "dns", "port": 53, "protocol": "UDP"},
                                     {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]))
        for name in rng.sample(SERVICE_NAMES, rng.randint(0, 3)):
            services.append(make_service(rng, ns, name, objs))
        for i in range(rng.choice([0, 0, 1, 1, 2, 3])):
            policy_count += 1
            objs.append(catalog_policy(rng, "pol-%d" % policy_count, ns, all_ns, True))
    # Vendor namespaces: only policies without rules that count (they
    # cannot widen); rules of a direction policyTypes leaves out are ignored.
    for ns in vendor_ns:
        if rng.random() < 0.3:
            objs = objects.setdefault("cluster/%s.yaml" % ns, [])
            policy_count += 1
            objs.append(catalog_policy(rng, "pol-%d" % policy_count, ns, all_ns, False))
        if rng.random() < 0.15:
            # vendorc's own earlier output in a dump: ignored, however wide.
            objs = objects.setdefault("cluster/%s.yaml" % ns, [])
            objs.append(netpol("vendorc-stale", ns, {"podSelector": {}, "ingress": [{}],
                                                     "egress": [{}]}, managed=True))
    if ns_objects:
        objects["cluster/namespaces.yaml"] = ns_objects

    # Workloads: pods whose labels the evaluator then tries as they are.
    for ns in all_ns:
        for i in range(rng.choice([0, 0, 1, 2])):
            labels = selector_labels(rng, 1, 3)
            if ns == "contractors" and rng.random() < 0.7:
                labels["vendor"] = rng.choice(vendor_names)
            template = {"metadata": {"labels": labels},
                        "spec": {"containers": [{"name": "main", "image": "example/app:1"}]}}
            kind = rng.choice(["Deployment", "StatefulSet", "Pod"])
            if kind == "Pod":
                obj = {"apiVersion": "v1", "kind": "Pod",
                       "metadata": {"name": "w-%d" % i, "namespace": ns, "labels": labels},
                       "spec": template["spec"]}
            else:
                obj = {"apiVersion": "apps/v1", "kind": kind,
                       "metadata": {"name": "w-%d" % i, "namespace": ns},
                       "spec": {"selector": {"matchLabels": labels}, "template": template}}
            objects.setdefault("cluster/%s.yaml" % ns, []).append(obj)

    # Vendor files.
    lock = {}
    vendor_order = []
    for v in vendors:
        lines = ["# seed %d" % seed, "vendor %s {" % v["name"]]
        if rng.random() < 0.7:
            lines.append('    owner   "%s-owner@example.com"' % v["name"])
        if rng.random() < 0.5:
            lines.append('    ticket  "SEC-%d"' % rng.randint(1000, 9999))
        lines.append("    expires %s" % rng.choice(EXPIRIES))
        runs = "    runs in %s" % v["ns"]
        if v["where"]:
            runs += " where " + label_text(v["where"])
        lines.append(runs)
        for _ in range(rng.randint(0, 6)):
            kind = rng.random()
            if kind < 0.25 and services:
                svc = rng.choice(services)
                lines.append("    allow service %s/%s%s" % (svc.ns, svc.name, service_port_spec(rng, svc)))
            elif kind < 0.45:
                ns = rng.choice(app_ns + ["elsewhere"])
                lines.append("    allow pods %s in %s port %s" % (
                    label_text(selector_labels(rng)), ns, port_spec(rng)))
            elif kind < 0.6 and services:
                svc = rng.choice(services)
                lines.append("    allow from service %s/%s port %s" % (svc.ns, svc.name, port_spec(rng)))
            elif kind < 0.7:
                lines.append("    allow from %s port %s" % (outside_cidr(rng), port_spec(rng)))
            elif kind < 0.85:
                lines.append("    egress %s port %s" % (outside_cidr(rng), port_spec(rng, False)))
            else:
                domain = rng.choice(DOMAINS)
                if domain not in lock:
                    lock[domain] = sorted({outside_cidr(rng, wide=False)
                                           for _ in range(rng.randint(1, 2))})
                lines.append("    egress %s port %s" % (domain, port_spec(rng, False)))
        lines.append("}")
        path = "vendors/%s%s.vendor" % (rng.choice(["", "", "team-a/", "team-b/x/"]), v["name"])
        files[path] = vendor_text(rng, lines)
        vendor_order.append(path)

    # The catalog files: multi-document YAML (as JSON), .json, or a List.
    for path, objs in sorted(objects.items()):
        style = rng.random()
        if style < 0.5:
            files[path] = "".join("---\n" + json.dumps(o, indent=1) + "\n" for o in objs)
        elif style < 0.75:
            files[path[:-5] + ".json"] = json.dumps(
                {"apiVersion": "v1", "kind": "List", "items": objs}, indent=1) + "\n"
        else:
            files[path[:-5] + rng.choice([".yaml", ".yml"])] = json.dumps(
                {"apiVersion": "v1", "kind": "List", "items": objs}) + "\n"
    files["cluster/README.txt"] = "not a manifest\n"

    if lock or rng.random() < 0.3:
        files["vendorc.lock"] = "".join('"%s": [%s]\n' % (d, ", ".join(c)) for d, c in sorted(lock.items()))

    # The project file.
    isolate = set()
    for ns in vendor_ns:
        if rng.random() < 0.7:
            isolate.add(ns)
    for ns in app_ns:
        if rng.random() < 0.2:
            isolate.add(ns)
    if rng.random() < 0.1:
        isolate.add("quarantine")
    if rng.random() < 0.1:
        isolate.add("kube-system")
    if rng.random() < 0.2:
        isolate.add("elsewhere")   # a target namespace the catalog does not know
    project = ["vendors: vendors/", "output: out/", "catalog: [cluster/]"]
    if isolate:
        project.append("isolate: [%s]" % ", ".join(sorted(isolate)))
    if rng.random() < 0.85:
        project.append("cluster-cidrs: [%s]" % ", ".join(CLUSTER_CIDRS))
    if rng.random() < 0.2:
        project.append("dns:\n  namespace: kube-system\n  pods: {k8s-app: kube-dns}\n"
                       "  addresses: [169.254.20.10/32]")
    if rng.random() < 0.3:
        project.append("expiry-warning: %s" % rng.choice(["1h", "14d", "30d", "2w"]))
    files["vendorc.yaml"] = "\n".join(project) + "\n"
    return files, vendor_order


def write_project(root, files, vendor_order, reverse=False):
    """Write files under root; vendor and catalog files in the given order,
    or reversed."""
    paths = sorted(p for p in files if p not in vendor_order) + list(vendor_order)
    if reverse:
        paths.reverse()
    for rel in paths:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(files[rel])


# ---- the runner ----

def run(vendorc, *args, threads=None):
    env = dict(os.environ)
    if threads:
        env["VENDORC_THREADS"] = str(threads)
    return subprocess.run([vendorc] + list(args), capture_output=True, text=True, env=env)


def tree(root):
    """Every file under root with its bytes ({} when root is absent)."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def tree_diff(a, b):
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def scratch_root():
    """/dev/shm when there is one: compile fsyncs what it writes, which is
    free on tmpfs and dominates the run time on a disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def check_seed(vendorc, seed, keep_all):
    """Returns (seed, ok, message, directory)."""
    files, order = generate(seed)
    top = tempfile.mkdtemp(prefix="vendorc-property-%d-" % seed, dir=scratch_root())
    proj = os.path.join(top, "project")
    rev = os.path.join(top, "reversed")
    write_project(proj, files, order)
    write_project(rev, files, order, reverse=True)
    config = os.path.join(proj, "vendorc.yaml")
    problems = []

    r = run(vendorc, "check", "-c", config, "--now", NOW)
    if r.returncode != 0 or "error:" in r.stderr:
        problems.append("check exited %d:\n%s" % (r.returncode, r.stderr.rstrip()))

    out1, out2, out3 = (os.path.join(top, d) for d in ("out1", "out2", "out-reversed"))
    for out, cfg, threads in ((out1, config, 4), (out2, config, 1),
                              (out3, os.path.join(rev, "vendorc.yaml"), None)):
        r = run(vendorc, "compile", "-c", cfg, "--now", NOW, "-o", out, threads=threads)
        if r.returncode != 0:
            problems.append("compile -o %s exited %d:\n%s" % (out, r.returncode, r.stderr.rstrip()))
    if not problems:
        t1, t2, t3 = tree(out1), tree(out2), tree(out3)
        if tree_diff(t1, t2):
            problems.append("four threads and one differ in: %s" % ", ".join(tree_diff(t1, t2)))
        if tree_diff(t1, t3):
            problems.append("reversed file order changes: %s" % ", ".join(tree_diff(t1, t3)))
        r = run(vendorc, "check", "-c", config, "--now", NOW, "--verify", out1)
        if r.returncode != 0 or "error:" in r.stderr:
            problems.append("check --verify %s exited %d:\n%s" % (out1, r.returncode, r.stderr.rstrip()))

    if not problems:
        problems += check_admin(vendorc, top, files, order)
    if not problems:
        problems += check_cilium(vendorc, top, files, order)

    if problems:
        return seed, False, "\n".join(problems), top
    if not keep_all:
        shutil.rmtree(top, ignore_errors=True)
    return seed, True, "", top


def check_variant(vendorc, top, files, order, line, extras):
    """The same project with line appended to its vendorc.yaml: it compiles,
    check --verify proves the output (with each of extras too), and the
    output validates against the schemas. Problems are prefixed with line."""
    variant = dict(files)
    variant["vendorc.yaml"] = files["vendorc.yaml"] + line + "\n"
    proj = os.path.join(top, line.split(":")[0])
    write_project(proj, variant, order)
    config = os.path.join(proj, "vendorc.yaml")
    out = os.path.join(top, "out-" + line.split(":")[0])
    r = run(vendorc, "compile", "-c", config, "--now", NOW, "-o", out)
    if r.returncode != 0:
        return ["%s: compile exited %d:\n%s" % (line, r.returncode, r.stderr.rstrip())]
    problems = []
    for extra in extras:
        r = run(vendorc, "check", "-c", config, "--now", NOW, "--verify", out, *extra)
        if r.returncode != 0 or "error:" in r.stderr:
            problems.append("%s: check --verify %s %s exited %d:\n%s"
                            % (line, out, " ".join(extra), r.returncode, r.stderr.rstrip()))
    schema_problems, _ = schema.check_tree(out)
    return problems + ["%s: %s" % (line, p) for p in schema_problems]


def check_admin(vendorc, top, files, order):
    """The same project under enforce: admin: it proves, and proves against
    an allow-all NetworkPolicy in every namespace too (docs/admin-tier.md),
    and its output validates against the ClusterNetworkPolicy schema."""
    return check_variant(vendorc, top, files, order, "enforce: admin", ([], ["--adversarial"]))


def check_cilium(vendorc, top, files, order):
    """The same project with the cilium backend: its output proves with the
    Cilium evaluator, lookups name by name, and validates against the
    CiliumNetworkPolicy schema."""
    return check_variant(vendorc, top, files, order, "backend: cilium", ([],))


def parse_seeds(text):
    a, _, b = text.partition("-")
    return int(a), int(b or a)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vendorc")
    parser.add_argument("--seeds", default="%d-%d" % DEFAULT_SEEDS, help="A-B, inclusive")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="keep every project directory")
    parser.add_argument("--print", dest="show", type=int, metavar="SEED",
                        help="print the project of SEED and exit")
    args = parser.parse_args()
    if args.show is not None:
        files, _ = generate(args.show)
        for rel in sorted(files):
            print("=== %s\n%s" % (rel, files[rel]))
        return 0
    vendorc = os.path.abspath(args.vendorc)
    first, last = parse_seeds(args.seeds)
    passed = failed = 0
    me = os.path.abspath(__file__)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, ok, message, top in pool.map(lambda s: check_seed(vendorc, s, args.keep),
                                               range(first, last + 1)):
            if ok:
                passed += 1
                print("ok   seed %d" % seed)
                continue
            failed += 1
            print("FAIL seed %d (project kept in %s)" % (seed, top))
            print("  " + message.replace("\n", "\n  "))
            print("  reproduce: %s check -c %s --now %s   (or: %s %s %s --seeds %d-%d)"
                  % (vendorc, os.path.join(top, "project", "vendorc.yaml"), NOW,
                     sys.executable, me, vendorc, seed, seed))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
