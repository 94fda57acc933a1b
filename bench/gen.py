#!/usr/bin/env python3
"""Generate a realistic vendorc project of N vendors, for benchmarks.

    gen.py N OUTDIR [--seed S] [--isolate-style flow|block]

writes into OUTDIR (created; files it would write are overwritten, nothing
else is touched):

    vendorc.yaml         vendors/, output out/, catalog cluster/, isolate
                         listing every vendor namespace (one flow sequence
                         by default, --isolate-style block for one a line),
                         cluster-cidrs
    vendors/TEAM/NAME.vendor
                         N vendor files. Most vendors have a namespace of
                         their own; about 8% share a `contractors-K`
                         namespace with one or two others, told apart by
                         disjoint `where contractor=NAME` selectors. Each
                         has an owner, a ticket, an expiry spread over
                         2026-2028 (about 4% already expired on
                         2026-11-24, a few `never` or RFC 3339 instants),
                         1-4 `allow service` to the N/2 catalog Services in
                         about N/20 target namespaces (by port name, by
                         number, or every port), and some `allow pods`,
                         `allow from service`, `allow from CIDR`, egress to
                         CIDRs (IPv4 and IPv6) and to domains.
    vendorc.lock         a hand-written-style entry for every domain named
    cluster/dump-K.yaml  the catalog, a `kubectl get svc,endpointslices,netpol
                         -A -o yaml` style `kind: List` split over a few
                         files: N/2 Services (selectors, named ports, numeric
                         and named targetPorts), kube-system/kube-dns,
                         default/kubernetes with its EndpointSlice, a few
                         default-deny, egress-lockdown and partial-isolation
                         NetworkPolicies in the target namespaces (never in
                         a vendor namespace, so none can widen a vendor), and
                         a few stale objects labelled managed-by vendorc,
                         which vendorc ignores.

The project is valid: `vendorc check --now 2026-11-24` should exit 0 with
warnings only (expired, expiring soon, `never`). The output is a pure
function of N and the seed (stdlib only, no hash randomisation involved).
"""

import argparse
import datetime as dt
import os
import random
import re
import sys

NOW = dt.date(2026, 11, 24)

VENDOR_PREFIXES = """acme data pixel stream vault fast mail cost ship number red blue
green iron silver cloud edge net byte bit log trace metric sig pulse quant nova
astra helio terra aqua zen orbit apex core flux grid hyper lumen meta nimbus omni
prism quantum radix sonic tensor ultra vector wave xeno yotta zeta atlas beacon
cipher delta echo falcon gamma harbor indigo jade kilo lambda""".split()
VENDOR_SUFFIXES = """pulse forge works labs sync lens keep edge relay wise stack
ops guard shield scan watch flow point link base cast hub mind soft sys tech ware
dock crate mesh logic data cloud metrics trace""".split()
TEAMS = """platform payments billing security data finance shop frontend
observability sre""".split()
DOMAINS = """payments billing shop checkout catalog search orders inventory
shipping accounts identity auth notifications messaging analytics warehouse
reporting ml recommendations media cdn storage backup monitoring logging ledger
fraud risk pricing promotions loyalty support crm erp hr marketing content
mobile gateway""".split()
REGIONS = ["", "-eu", "-us", "-apac", "-staging"]

# Service kinds: (component, ports). A port is (name, port, targetPort,
# protocol); targetPort None means absent (the port number).
COMPONENTS = [
    ("api", [("http", 80, 8080, "TCP"), ("grpc", 9090, "grpc", "TCP"),
             ("metrics", 9102, "metrics", "TCP")]),
    ("web", [("http", 80, "http", "TCP"), ("https", 443, 8443, "TCP")]),
    ("postgres", [("postgres", 5432, 5432, "TCP"), ("metrics", 9187, "exporter", "TCP")]),
    ("mysql", [("mysql", 3306, None, "TCP")]),
    ("redis", [("redis", 6379, "redis", "TCP")]),
    ("kafka", [("broker", 9092, 9092, "TCP"), ("jmx", 9999, "jmx", "TCP")]),
    ("rabbitmq", [("amqp", 5672, 5672, "TCP"), ("management", 15672, "management", "TCP")]),
    ("elasticsearch", [("http", 9200, 9200, "TCP"), ("transport", 9300, 9300, "TCP")]),
    ("grpc-gateway", [("grpc", 50051, "grpc", "TCP"), ("http", 8080, 8080, "TCP")]),
    ("auth", [("https", 443, 8443, "TCP")]),
    ("worker", [("metrics", 9100, "metrics", "TCP")]),
    ("statsd", [("statsd", 8125, 8125, "UDP"), ("admin", 8126, 8126, "TCP")]),
    ("syslog", [("syslog", 514, 5140, "UDP"), ("syslog-tcp", 514, 5140, "TCP")]),
    ("memcached", [("memcache", 11211, None, "TCP")]),
    ("minio", [("s3", 9000, "s3", "TCP"), ("console", 9001, "console", "TCP")]),
    ("clickhouse", [("http", 8123, "http", "TCP"), ("native", 9000, "native", "TCP")]),
]

LABEL_STYLES = ["app", "k8s"]  # app=X  or  app.kubernetes.io/name=X,...


class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.uid_counter = 0

    # ---------- small helpers ----------
    def uid(self):
        r = self.rng.getrandbits(128)
        h = "%032x" % r
        return "%s-%s-4%s-%s-%s" % (h[0:8], h[8:12], h[13:16], h[16:20], h[20:32])

    def timestamp(self, year_lo=2025, year_hi=2026):
        d = dt.datetime(year_lo, 1, 1) + dt.timedelta(
            seconds=self.rng.randrange((year_hi - year_lo + 1) * 365 * 86400 - 86400 * 60))
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    def public_v4(self, prefix):
        """A public-looking IPv4 range outside 10/8 (the cluster CIDRs)."""
        first = self.rng.choice([13, 18, 20, 23, 34, 35, 40, 52, 54, 63, 64, 104,
                                 130, 140, 146, 151, 162, 185, 192, 198, 203, 209])
        addr = (first << 24) | self.rng.getrandbits(24)
        mask = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
        addr &= mask
        return "%d.%d.%d.%d/%d" % (addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
                                   addr & 255, prefix)

    def public_v6(self, prefix=48):
        words = [0x2001, 0xdb8, self.rng.getrandbits(16)]
        if prefix > 48:
            words.append(self.rng.getrandbits(16) & (0xFFFF << (64 - prefix)) & 0xFFFF)
        return "%s::/%d" % (":".join("%x" % w for w in words), prefix)

    # ---------- the model ----------
    def build(self):
        rng = self.rng
        n = self.n
        # Target namespaces: about N/20.
        t_count = max(3, n // 20)
        names = []
        k = 0
        while len(names) < t_count:
            for d in DOMAINS:
                for reg in REGIONS:
                    names.append(d + reg + ("" if k == 0 else "-%d" % k))
            k += 1
        rng.shuffle(names)
        self.targets = sorted(names[:t_count])

        # Services: N/2 spread over the target namespaces, each namespace at
        # least one, the rest skewed (some namespaces hold many services).
        s_count = max(2, n // 2)
        per_ns = {ns: 1 for ns in self.targets}
        weights = [1.0 / (i + 1) ** 0.5 for i in range(t_count)]
        order = list(self.targets)
        rng.shuffle(order)
        for ns in rng.choices(order, weights=weights, k=max(0, s_count - t_count)):
            per_ns[ns] += 1
        self.services = []  # dicts: ns, name, selector, ports
        ip = 0
        for ns in self.targets:
            used = {}
            for _ in range(per_ns[ns]):
                comp, ports = rng.choice(COMPONENTS)
                used[comp] = used.get(comp, 0) + 1
                name = comp if used[comp] == 1 else "%s-%d" % (comp, used[comp])
                if rng.random() < 0.5:
                    sel = {"app": "%s-%s" % (ns, name) if len(ns) + len(name) < 60 else name}
                else:
                    sel = {"app.kubernetes.io/name": comp,
                           "app.kubernetes.io/instance": name}
                    if rng.random() < 0.3:
                        sel["app.kubernetes.io/component"] = rng.choice(["server", "primary", "backend"])
                ip += 1
                self.services.append({
                    "ns": ns, "name": name, "comp": comp, "selector": sel,
                    "ports": ports, "ip": "10.%d.%d.%d" % (192 + (ip >> 16) % 16, (ip >> 8) & 255, ip & 255),
                })
        # Popularity: a few services are named by many vendors.
        self.svc_cum = []
        acc = 0.0
        svc_order = list(range(len(self.services)))
        rng.shuffle(svc_order)
        self.svc_order = svc_order
        for i in range(len(svc_order)):
            acc += 1.0 / (i + 1) ** 0.7
            self.svc_cum.append(acc)

        # Catalog policies in target namespaces.
        self.isolated_in = set()    # namespaces default-deny for ingress
        self.policies = []
        for ns in self.targets:
            r = rng.random()
            if r < 0.12:
                self.policies.append(self.np_default_deny(ns, ["Ingress", "Egress"]))
                self.policies.append(self.np_allow_dns(ns))
                self.policies.append(self.np_same_namespace(ns))
            elif r < 0.22:
                self.policies.append(self.np_default_deny(ns, ["Ingress"]))
            elif r < 0.27:
                self.policies.append(self.np_egress_lockdown(ns))
        for svc in self.services:
            if rng.random() < 0.12:
                self.policies.append(self.np_partial(svc))

        # Vendors.
        self.vendors = []
        used_names = set()
        shared_left = 0
        shared_ns = None
        shared_count = 0
        for i in range(n):
            base = rng.choice(VENDOR_PREFIXES) + rng.choice(VENDOR_SUFFIXES)
            name = base
            k = 2
            while name in used_names:
                name = "%s-%d" % (base, k)
                k += rng.randint(1, 3)
            used_names.add(name)
            if shared_left == 0 and rng.random() < 0.045:
                shared_count += 1
                shared_ns = "contractors-%d" % shared_count
                shared_left = rng.choice([2, 2, 3])
            if shared_left > 0:
                ns = shared_ns
                shared_left -= 1
                where = "contractor=%s" % name
                if rng.random() < 0.3:
                    where += ",role=%s" % rng.choice(["jump", "notebook", "runner"])
            else:
                ns = "vendor-" + name
                r = rng.random()
                where = None if r < 0.15 else (
                    "app=%s-agent" % name if r < 0.7 else
                    "app.kubernetes.io/name=%s" % name)
            self.vendors.append(self.vendor(name, ns, where))
        self.vendor_ns = sorted({v["ns"] for v in self.vendors})

    def pick_service(self):
        i = self.rng.choices(range(len(self.svc_cum)), cum_weights=self.svc_cum)[0]
        return self.services[self.svc_order[i]]

    def expiry(self):
        rng = self.rng
        r = rng.random()
        if r < 0.04:      # expired: some day in 2026 before NOW
            d = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange((NOW - dt.date(2026, 1, 1)).days))
        elif r < 0.05:    # expiring within the warning window
            d = NOW + dt.timedelta(days=rng.randrange(14))
        elif r < 0.055:
            return "never"
        else:
            d = NOW + dt.timedelta(days=14 + rng.randrange((dt.date(2028, 12, 31) - NOW).days - 14))
        if rng.random() < 0.05:
            off = rng.choice(["Z", "+02:00", "-05:00", "+09:00"])
            return "%sT18:00:00%s" % (d.isoformat(), off)
        return d.isoformat()

    def vendor(self, name, ns, where):
        rng = self.rng
        lines = []
        v = {"name": name, "ns": ns, "team": rng.choice(TEAMS), "domains": {}}
        lines.append("# %s: generated benchmark vendor." % name)
        lines.append("vendor %s {" % name)
        lines.append('    owner   "%s@example.com"' % v["team"])
        lines.append('    ticket  "SEC-%d"' % rng.randint(1000, 99999))
        lines.append("    expires %s" % self.expiry())
        lines.append("")
        lines.append("    runs in %s%s" % (ns, " where " + where if where else ""))
        lines.append("")
        seen = set()
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            svc = self.pick_service()
            key = (svc["ns"], svc["name"])
            if key in seen:
                continue
            seen.add(key)
            ref = "%s/%s" % key
            r = rng.random()
            if r < 0.15:
                lines.append("    allow service %s" % ref)
            else:
                k = rng.choice([1, 1, 1, 2]) if len(svc["ports"]) > 1 else 1
                chosen = rng.sample(svc["ports"], k)
                specs = []
                for (pname, port, _tp, proto) in chosen:
                    spec = pname if rng.random() < 0.5 else str(port)
                    if rng.random() < 0.1:
                        spec += "/" + proto.lower()
                    if spec not in specs:
                        specs.append(spec)
                lines.append("    allow service %s port %s" % (ref, ", ".join(specs)))
        if rng.random() < 0.25:
            svc = self.pick_service()
            labels = ",".join("%s=%s" % kv for kv in svc["selector"].items())
            r = rng.random()
            if r < 0.5:
                lo = rng.choice([8000, 8080, 9000, 9090, 9100])
                ports = "%d-%d" % (lo, lo + rng.choice([2, 5, 10, 20]))
            elif r < 0.8:
                ports = str(rng.choice([8080, 8443, 9090, 5432]))
            else:
                ports = rng.choice(["http", "metrics", "grpc"])
            lines.append("    allow pods %s in %s port %s" % (labels, svc["ns"], ports))
        if rng.random() < 0.2:
            svc = self.pick_service()
            ports = rng.choice(["9100", "8080", "metrics", "8443", "9100, 9101"])
            lines.append("    allow from service %s/%s port %s" % (svc["ns"], svc["name"], ports))
        if rng.random() < 0.1:
            lines.append("    allow from %s port %s" % (self.public_v4(rng.choice([24, 25, 26, 28])),
                                                       rng.choice(["443", "8443", "443, 8443"])))
            if rng.random() < 0.3:
                lines.append("    allow from %s port 8443" % self.public_v6(48))
        lines.append("")
        if rng.random() < 0.4:
            for _ in range(rng.choice([1, 1, 2])):
                if rng.random() < 0.8:
                    lines.append("    egress %s port %s" % (
                        self.public_v4(rng.choice([20, 22, 24, 26, 28, 32])),
                        rng.choice(["443", "443, 8443/tcp", "9443", "4317-4318", "514/udp"])))
                else:
                    lines.append("    egress %s port 443" % self.public_v6(rng.choice([48, 56])))
        if rng.random() < 0.6:
            for _ in range(rng.choice([1, 1, 1, 2])):
                host = rng.choice(["api", "intake", "ingest", "upload", "collector", "telemetry", "auth"])
                dom = "%s.%s.example" % (host, v["name"])
                if rng.random() < 0.15:
                    dom = "*.%s.%s.example" % (rng.choice(["ingest", "s3", "registry"]), v["name"])
                if dom in v["domains"]:
                    continue
                v["domains"][dom] = self.lock_entry()
                lines.append("    egress %s port %s" % (dom, rng.choice(["443", "443", "443, 8443", "22, 443"])))
        while lines[-1] == "":
            lines.pop()
        lines.append("}")
        v["text"] = "\n".join(lines) + "\n"
        return v

    def lock_entry(self):
        rng = self.rng
        out = [self.public_v4(rng.choice([32, 32, 28, 26, 24])) for _ in range(rng.choice([1, 1, 2, 3]))]
        if rng.random() < 0.2:
            out.append(self.public_v6(48))
        return sorted(set(out))

    # ---------- catalog objects ----------
    def meta(self, name, ns, labels=None, annotations=None):
        m = {}
        if annotations:
            m["annotations"] = annotations
        m["creationTimestamp"] = self.timestamp()
        if labels:
            m["labels"] = labels
        m["name"] = name
        m["namespace"] = ns
        m["resourceVersion"] = str(self.rng.randrange(1000000, 9999999))
        m["uid"] = self.uid()
        return m

    def np_obj(self, name, ns, spec, labels=None):
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": self.meta(name, ns, labels), "spec": spec}

    def np_default_deny(self, ns, types):
        self.isolated_in.add(ns)
        return self.np_obj("default-deny" if len(types) == 2 else "default-deny-ingress", ns,
                           {"podSelector": {}, "policyTypes": types})

    def dns_peer(self):
        return [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                 "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]

    def np_allow_dns(self, ns):
        return self.np_obj("allow-dns", ns, {
            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
                        "to": self.dns_peer()}],
            "podSelector": {}, "policyTypes": ["Egress"]})

    def np_same_namespace(self, ns):
        return self.np_obj("allow-same-namespace", ns, {
            "egress": [{"to": [{"podSelector": {}}]}],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "podSelector": {}, "policyTypes": ["Ingress", "Egress"]})

    def np_egress_lockdown(self, ns):
        return self.np_obj("egress-lockdown", ns, {
            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
                        "to": self.dns_peer()},
                       {"to": [{"podSelector": {}}]},
                       {"ports": [{"port": 6443, "protocol": "TCP"}],
                        "to": [{"ipBlock": {"cidr": "172.20.0.0/24"}}]}],
            "podSelector": {}, "policyTypes": ["Egress"]})

    def np_partial(self, svc):
        """Isolate one Service's pods for ingress, letting in their own
        namespace on the Service's target ports."""
        ports = []
        for (pname, port, tp, proto) in svc["ports"]:
            p = {"port": tp if tp is not None else port, "protocol": proto}
            if p not in ports:
                ports.append(p)
        spec = {"ingress": [{"from": [{"podSelector": {}}], "ports": ports}],
                "podSelector": {"matchLabels": dict(svc["selector"])},
                "policyTypes": ["Ingress"]}
        if self.rng.random() < 0.3:
            # and from the ingress controller, as real policies do
            spec["ingress"].append({"from": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
                "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}]})
        return self.np_obj(svc["name"] + "-ingress", svc["ns"], spec)

    def svc_obj(self, svc):
        ports = []
        for (pname, port, tp, proto) in svc["ports"]:
            p = {"name": pname, "port": port, "protocol": proto}
            if tp is not None:
                p["targetPort"] = tp
            ports.append(p)
        return {"apiVersion": "v1", "kind": "Service",
                "metadata": self.meta(svc["name"], svc["ns"], dict(svc["selector"])),
                "spec": {"clusterIP": svc["ip"], "clusterIPs": [svc["ip"]],
                         "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                         "ipFamilyPolicy": "SingleStack", "ports": ports,
                         "selector": dict(svc["selector"]), "sessionAffinity": "None",
                         "type": "ClusterIP"},
                "status": {"loadBalancer": {}}}

    def system_objects(self):
        kube_dns = {"apiVersion": "v1", "kind": "Service",
                    "metadata": self.meta("kube-dns", "kube-system",
                                          {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                           "kubernetes.io/name": "CoreDNS"}),
                    "spec": {"clusterIP": "10.192.0.10", "clusterIPs": ["10.192.0.10"],
                             "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                                       {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                                       {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                             "selector": {"k8s-app": "kube-dns"}, "type": "ClusterIP"},
                    "status": {"loadBalancer": {}}}
        kubernetes = {"apiVersion": "v1", "kind": "Service",
                      "metadata": self.meta("kubernetes", "default",
                                            {"component": "apiserver", "provider": "kubernetes"}),
                      "spec": {"clusterIP": "10.192.0.1", "clusterIPs": ["10.192.0.1"],
                               "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                               "type": "ClusterIP"},
                      "status": {"loadBalancer": {}}}
        slice_ = {"addressType": "IPv4", "apiVersion": "discovery.k8s.io/v1",
                  "endpoints": [{"addresses": ["172.20.0.%d" % i],
                                 "conditions": {"ready": True, "serving": True, "terminating": False}}
                                for i in (10, 11, 12)],
                  "kind": "EndpointSlice",
                  "metadata": self.meta("kubernetes", "default", {"kubernetes.io/service-name": "kubernetes"}),
                  "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}
        return [kube_dns, kubernetes, slice_]

    def stale_vendorc_objects(self):
        """A few policies vendorc wrote earlier, as a live dump shows them."""
        out = []
        for v in self.vendors[: max(1, len(self.vendors) // 200)]:
            out.append(self.np_obj("vendorc-default-deny", v["ns"],
                                   {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
                                   {"app.kubernetes.io/managed-by": "vendorc"}))
            out.append(self.np_obj("vendorc-%s-egress" % v["name"], v["ns"],
                                   {"egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}],
                                    "podSelector": {}, "policyTypes": ["Egress"]},
                                   {"app.kubernetes.io/managed-by": "vendorc",
                                    "vendorc.io/vendor": v["name"]}))
        return out

    # ---------- writing ----------
    def write(self, outdir, isolate_style="flow"):
        os.makedirs(outdir, exist_ok=True)
        n = self.n
        # project file
        lines = ["# Generated by bench/gen.py: %d vendors." % n,
                 "vendors: vendors/", "output: out/", "catalog: [cluster/]",
                 "lock: vendorc.lock"]
        if isolate_style == "block":
            lines += ["isolate:"] + ["  - %s" % ns for ns in self.vendor_ns]
        else:
            lines += ["isolate: [%s]" % ", ".join(self.vendor_ns)]
        lines += ["cluster-cidrs: [10.0.0.0/9, 10.192.0.0/12]", "expiry-warning: 14d", ""]
        write_file(os.path.join(outdir, "vendorc.yaml"), "\n".join(lines))
        # vendors
        for v in self.vendors:
            write_file(os.path.join(outdir, "vendors", v["team"], v["name"] + ".vendor"), v["text"])
        # lock
        lock = ["# vendorc.lock: generated by bench/gen.py (hand-entry form)."]
        doms = {}
        for v in self.vendors:
            doms.update(v["domains"])
        for d in sorted(doms):
            key = '"%s"' % d if d.startswith("*") else d
            lock.append("%s: [%s]" % (key, ", ".join(doms[d])))
        write_file(os.path.join(outdir, "vendorc.lock"), "\n".join(lock) + "\n")
        # catalog: kind List dumps, a few files
        objs = self.system_objects()
        objs += [self.svc_obj(s) for s in self.services]
        objs += self.policies
        objs += self.stale_vendorc_objects()
        self.rng.shuffle(objs)
        parts = max(1, min(6, n // 2000 + 1))
        for k in range(parts):
            chunk = objs[k::parts]
            text = dump_yaml({"apiVersion": "v1", "items": chunk, "kind": "List",
                              "metadata": {"resourceVersion": ""}})
            write_file(os.path.join(outdir, "cluster", "dump-%d.yaml" % k), text)
        return {"vendors": n, "vendor_namespaces": len(self.vendor_ns),
                "target_namespaces": len(self.targets), "services": len(self.services),
                "policies": len(self.policies), "domains": len(doms), "catalog_files": parts}


def write_file(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ---------- a minimal YAML emitter, kubectl's block style ----------
PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
RESERVED = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}


def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if PLAIN.match(s) and s.lower() not in RESERVED:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump_lines(v, ind, out):
    sp = " " * ind
    if isinstance(v, dict):
        for k, val in v.items():
            key = scalar(k)
            if isinstance(val, dict) and val:
                out.append("%s%s:" % (sp, key))
                dump_lines(val, ind + 2, out)
            elif isinstance(val, list) and val:
                out.append("%s%s:" % (sp, key))
                dump_lines(val, ind, out)
            elif isinstance(val, dict):
                out.append("%s%s: {}" % (sp, key))
            elif isinstance(val, list):
                out.append("%s%s: []" % (sp, key))
            else:
                out.append("%s%s: %s" % (sp, key, scalar(val)))
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, (dict, list)) and item:
                sub = []
                dump_lines(item, ind + 2, sub)
                sub[0] = sp + "- " + sub[0][ind + 2:]
                out.extend(sub)
            elif isinstance(item, dict):
                out.append("%s- {}" % sp)
            else:
                out.append("%s- %s" % (sp, scalar(item)))
    else:
        out.append(sp + scalar(v))


def dump_yaml(v):
    out = []
    dump_lines(v, 0, out)
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description="Generate a vendorc benchmark project.")
    ap.add_argument("n", type=int, help="number of vendors")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--isolate-style", choices=["flow", "block"], default="flow",
                    help="write `isolate` as one flow sequence (default; the project file of "
                    "50,000 vendors then stays under vendorc's 1 MiB project-file limit) or "
                    "one namespace per line (block; over 1 MiB at 50,000 vendors)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    g = Gen(args.n, args.seed)
    g.build()
    stats = g.write(args.outdir, args.isolate_style)
    print(" ".join("%s=%s" % kv for kv in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
