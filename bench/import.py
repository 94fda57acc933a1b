#!/usr/bin/env python3
"""Hand-written NetworkPolicies for `vendorc import --verify` at scale.

  bench/import.py N K OUTFILE [--seed S]

Builds gen.py's model of an N-vendor project (the same seed gives the same
Services as `bench/gen.py N DIR --seed S`) and writes, as one
`kubectl get networkpolicies -A -o yaml` List, the policies a platform team
would have written by hand for K vendor namespaces `legacy-K`: a
default-deny, and for the agent pods egress to two of the project's
Services (their pods by the Service's selector, on the targetPort when it
is a number, else the port), egress to a documentation range on 443, and
ingress from a third Service's pods on 9100; and in the Services'
namespaces the other end of each (an ingress allowance on the pod port, an
egress allowance to the agents on 9100), as a team that made the access
work wrote them. It prints the K namespaces, one per line, for the
`--namespace` options of the import (the dump holds the other teams'
policies too, which are not the vendors'). Stdlib only, deterministic.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402


def pod_port(svc_port):
    name, port, target, proto = svc_port
    return {"port": target if isinstance(target, int) else port, "protocol": proto}


def peer(svc):
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": svc["ns"]}},
            "podSelector": {"matchLabels": dict(svc["selector"])}}


def netpol(name, ns, spec):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def agents(ns):
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}},
            "podSelector": {"matchLabels": {"app": "agent"}}}


def far_ends(ns, reached, ports, source):
    """The Services' sides: let the agents in, and the source out to them."""
    items = [netpol("allow-%s-%d" % (ns, i), svc["ns"], {
        "podSelector": {"matchLabels": dict(svc["selector"])}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [agents(ns)], "ports": [port]}]}) for i, (svc, port) in enumerate(zip(reached, ports))]
    items.append(netpol("to-%s" % ns, source["ns"], {
        "podSelector": {"matchLabels": dict(source["selector"])}, "policyTypes": ["Egress"],
        "egress": [{"to": [agents(ns)], "ports": [{"port": 9100}]}]}))
    return items


def policies(model, count, rng):
    items = []
    for k in range(count):
        ns = "legacy-%d" % k
        items.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": {"name": "default-deny", "namespace": ns},
                      "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}})
        reached = [model.pick_service() for _ in range(2)]
        source = model.pick_service()
        ports = [pod_port(rng.choice(svc["ports"])) for svc in reached]
        egress = [{"to": [peer(svc)], "ports": [port]} for svc, port in zip(reached, ports)]
        egress.append({"to": [{"ipBlock": {"cidr": "198.51.100.0/24"}}], "ports": [{"port": 443}]})
        items.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": {"name": "agent", "namespace": ns},
                      "spec": {"podSelector": {"matchLabels": {"app": "agent"}},
                               "policyTypes": ["Ingress", "Egress"], "egress": egress,
                               "ingress": [{"from": [peer(source)], "ports": [{"port": 9100}]}]}})
        items += far_ends(ns, reached, ports, source)
    return {"apiVersion": "v1", "kind": "List", "items": items}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="vendors in the gen.py project whose Services are used")
    ap.add_argument("k", type=int, help="vendor namespaces to write policies for")
    ap.add_argument("outfile")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    model = gen.Gen(args.n, args.seed)
    model.build()
    gen.write_file(os.path.abspath(args.outfile), gen.dump_yaml(policies(model, args.k, random.Random(args.seed))))
    print("\n".join("legacy-%d" % k for k in range(args.k)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
