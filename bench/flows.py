#!/usr/bin/env python3
"""Hubble flows for `vendorc observe`'s benchmark: COUNT lines of
`hubble observe -o json` (GetFlowsResponse objects), made from the cases of
`vendorc probe --format json` on a project (each case a flow, FORWARDED
when the evaluator allows it, else DROPPED; named ports skipped), repeated
with times one second apart until COUNT lines are written.

  bench/flows.py PROBE_JSON COUNT OUT
"""

import json
import sys


def end_json(end, address):
    if end["namespace"]:
        labels = ["k8s:%s=%s" % (k, v) for k, v in sorted((end["labels"] or {}).items())]
        labels.append("k8s:io.kubernetes.pod.namespace=%s" % end["namespace"])
        return {"namespace": end["namespace"], "labels": labels}, address
    return {"labels": ["reserved:world"]}, end["address"]


def main():
    cases = [c for c in json.load(open(sys.argv[1]))["cases"] if c["number"]]
    count, out = int(sys.argv[2]), open(sys.argv[3], "w")
    for i in range(count):
        c = cases[i % len(cases)]
        src, src_ip = end_json(c["from"], "10.244.%d.%d" % (i % 200, 1 + i % 250))
        dst, dst_ip = end_json(c["to"], "10.244.%d.%d" % (200 + i % 50, 1 + i % 250))
        proto = c["protocol"]
        time = "2026-11-%02dT%02d:%02d:%02dZ" % (1 + i // 86400 % 20, i // 3600 % 24, i // 60 % 60, i % 60)
        flow = {"time": time, "verdict": "FORWARDED" if c["expect"] == "allow" else "DROPPED",
                "IP": {"source": src_ip, "destination": dst_ip, "ipVersion": "IPv4"},
                "l4": {proto: {"source_port": 30000 + i % 30000, "destination_port": c["number"]}},
                "source": src, "destination": dst, "Type": "L3_L4", "node_name": "node-%d" % (i % 8),
                "is_reply": False}
        out.write(json.dumps({"flow": flow, "node_name": flow["node_name"], "time": time},
                             separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
