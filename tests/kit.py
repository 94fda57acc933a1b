#!/usr/bin/env python3
"""The probe kit's cases against the evaluator, as a property.

  kit.py VENDORC ROOT

For several projects (the examples, the fleet's admin-tier cluster, a
Cilium one, one whose catalog isolates the targets):

- every case's expected verdict is what `vendorc explain --from --to
  --port` answers for the same two ends and port (a lookup case, which
  explain does not trace, is expected to pass under networkpolicy, which
  cannot filter names, and to be refused under cilium);
- every declared flow, on each of its ports, as `vendorc explain VENDOR`
  lists them, has a positive case at the same line and port, and at least
  one negative neighbour at the same line (one port off, a neighbour pod,
  another Service), or for DNS the resolver case of its vendor;
- no case targets an outside address but the vendor's declared ones and
  the documentation ranges (RFC 5737);
- --vendor gives that vendor's cases alone, numbered from 1, and a name
  no vendor has is unknown-vendor with the nearest name.
"""

import ipaddress
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NOW = "2026-11-24"
DOCUMENTATION = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def vendorc_json(vendorc, cwd, *args):
    result = subprocess.run([vendorc, *args, "--now", NOW, "--format", "json"], cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def end_query(end):
    if end["address"]:
        return end["address"]
    labels = ",".join("%s=%s" % kv for kv in sorted(end["labels"].items()))
    return "%s/%s" % (end["namespace"], labels) if labels else end["namespace"]


def port_query(case):
    return "%s/%s" % (case["name"] or case["number"], case["protocol"].lower())


def check_verdicts(vendorc, cwd, extra, kit, by_name):
    problems = []
    for case in kit["cases"]:
        if case["lookup"]:
            if (case["expect"] == "allow") == by_name:
                problems.append("case %d: a lookup of %s is expected to %s under %s" % (
                    case["case"], case["lookup"], case["expect"], "cilium" if by_name else "networkpolicy"))
            continue
        _, answer = vendorc_json(vendorc, cwd, "explain", *extra, "--from", end_query(case["from"]),
                                 "--to", end_query(case["to"]), "--port", port_query(case))
        if answer is None:
            problems.append("case %d: explain gave no answer" % case["case"])
        elif answer["allowed"] != (case["expect"] == "allow"):
            problems.append("case %d (%s %s, %s): expected %s, explain says allowed=%s" % (
                case["case"], case["vendor"], case["kind"], case["statement"], case["expect"], answer["allowed"]))
    return problems


def address_peer(peer):
    try:
        ipaddress.ip_network(peer, strict=False)
        return True
    except ValueError:
        return False


def covers(port_text, case):
    """A case on the flow's port: the same text, or a number of its range
    ("TCP 8080-8090") in the same protocol."""
    if port_text == case["port"]:
        return True
    proto, _, numbers = port_text.partition(" ")
    first, _, last = numbers.partition("-")
    return proto == case["protocol"] and last.isdigit() and case["number"] in (int(first), int(last))


def check_coverage(vendorc, cwd, extra, kit):
    problems = []
    by_line = {}
    for case in kit["cases"]:
        by_line.setdefault((case["vendor"], case["source"]), []).append(case)
    vendors = sorted({c["vendor"] for c in kit["cases"]})
    for vendor in vendors:
        _, answer = vendorc_json(vendorc, cwd, "explain", vendor, *extra)
        if answer["expired"]:
            continue
        kinds = {c["kind"] for c in kit["cases"] if c["vendor"] == vendor}
        for flow in answer["flows"]:
            if flow["direction"] == "ingress" and address_peer(flow["peer"]):
                continue  # from outside the cluster: no probe inside it can be that source
            cases = by_line.get((vendor, flow["source"]), [])
            positive = [c for c in cases if c["kind"] == "declared" and covers(flow["port"], c)]
            if not positive:
                problems.append("%s: %s on %s has no positive case" % (vendor, flow["statement"], flow["port"]))
            negative = [c for c in cases if c["kind"] in ("port-off", "neighbour", "other-service")]
            if not negative and not (flow["statement"].lower().startswith("dns") and "other-dns" in kinds) \
                    and "port \"" not in flow["port"]:
                problems.append("%s: %s on %s has no negative neighbour" % (vendor, flow["statement"], flow["port"]))
        for kind in ("outside", "other-dns", "unrelated"):
            if kind not in kinds:
                problems.append("%s has no %s case" % (vendor, kind))
    return problems


def check_destinations(kit, declared):
    problems = []
    for case in kit["cases"]:
        address = case["to"]["address"]
        if not address or case["to"]["namespace"]:
            continue
        ip = ipaddress.ip_address(address)
        if case["kind"] in ("declared", "port-off", "expired") and address in declared.get(case["vendor"], set()):
            continue
        if not any(ip in net for net in DOCUMENTATION) and case["kind"] not in ("declared", "port-off", "expired"):
            problems.append("case %d targets %s, outside the documentation ranges" % (case["case"], address))
    return problems


def declared_addresses(kit):
    out = {}
    for case in kit["cases"]:
        if case["kind"] == "declared" and case["to"]["address"]:
            out.setdefault(case["vendor"], set()).add(case["to"]["address"])
    return out


def check_project(vendorc, cwd, extra=(), by_name=False, kinds=()):
    result, kit = vendorc_json(vendorc, cwd, "probe", *extra)
    if result.returncode != 0 or not kit:
        return ["probe exited %d: %s" % (result.returncode, result.stderr[-600:])]
    problems = check_verdicts(vendorc, cwd, list(extra), kit, by_name)
    problems += check_coverage(vendorc, cwd, list(extra), kit)
    problems += check_destinations(kit, declared_addresses(kit))
    seen = {c["kind"] for c in kit["cases"]}
    problems += ["no %s case in this project" % k for k in kinds if k not in seen]
    if [c["case"] for c in kit["cases"]] != list(range(1, len(kit["cases"]) + 1)):
        problems.append("the cases are not numbered 1..%d" % len(kit["cases"]))
    return problems


def check_vendor_option(vendorc, examples):
    _, kit = vendorc_json(vendorc, examples, "probe", "--vendor", "datapulse")
    problems = []
    if not kit or {c["vendor"] for c in kit["cases"]} != {"datapulse"} or kit["cases"][0]["case"] != 1:
        problems.append("--vendor datapulse gave %s" % (kit and sorted({c["vendor"] for c in kit["cases"]})))
    bad = subprocess.run([vendorc, "probe", "--now", NOW, "--vendor", "datapuls", "--diagnostics=json"],
                         cwd=examples, capture_output=True, text=True)
    if bad.returncode != 1 or '"code":"unknown-vendor"' not in bad.stderr or "datapulse" not in bad.stderr or bad.stdout:
        problems.append("--vendor datapuls: exit %d, %s" % (bad.returncode, bad.stderr[-300:]))
    return problems


def main(argv):
    vendorc, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    examples = os.path.join(root, "examples")
    checks = [
        ("examples", lambda: check_project(vendorc, examples, kinds=(
            "declared", "port-off", "neighbour", "other-service", "outside", "domain", "other-dns", "unrelated",
            "expired"))),
        ("examples-cilium", lambda: check_project(vendorc, examples, ("--backend", "cilium"), by_name=True)),
        ("fleet-prod-eu-admin", lambda: check_project(vendorc, os.path.join(examples, "fleet"),
                                                      ("--cluster", "prod-eu"))),
        ("catalog-isolates", lambda: check_project(vendorc, os.path.join(root, "golden", "ok-report-admin"))),
        ("vendor-option", lambda: check_vendor_option(vendorc, examples)),
    ]
    return golden.report((name, check()) for name, check in checks)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
