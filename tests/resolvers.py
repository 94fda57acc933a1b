#!/usr/bin/env python3
"""vendorc lock asking the DNS servers each cluster names (lock-resolvers).

  resolvers.py VENDORC ROOT

Small DNS servers on the loopback answer as two regions' split-horizon
DNS would: the same names, different addresses. A fleet of three clusters
(staging and prod-eu share the default lock file and prod-eu's servers,
prod-us has its own lock and servers) is locked, and:

- each lock file holds the addresses of its clusters' servers, with the
  server that answered as its resolver, and each server saw the lookups
  (A and AAAA) of the domains of its clusters' vendors only;
- a server that refuses (a closed port) is passed over for the next one;
- a server that says a name does not exist is an error naming the name and
  the server, and the lock keeps what it had;
- an IPv6 server, [::1]:PORT, is asked over IPv6 (when the loopback has
  IPv6).
"""

import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NOW = "2026-11-24"
CASE = "ok-fleet-lock"
A, AAAA = 1, 28


class Server:
    """A DNS server on a loopback port: names -> {type: [address]};
    names it does not know are NXDOMAIN. Records the questions it got."""

    def __init__(self, records, family=socket.AF_INET, host="127.0.0.1"):
        self.records, self.asked = records, []
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        port = self.sock.getsockname()[1]
        self.text = "[%s]:%d" % (host, port) if family == socket.AF_INET6 else "%s:%d" % (host, port)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            query, peer = self.sock.recvfrom(512)
            self.sock.sendto(self.reply(query), peer)

    def reply(self, query):
        ident, _, qdcount = struct.unpack(">HHH", query[:6])
        labels, at = [], 12
        while query[at]:
            labels.append(query[at + 1:at + 1 + query[at]].decode())
            at += 1 + query[at]
        question = query[12:at + 5]
        qtype = struct.unpack(">H", query[at + 1:at + 3])[0]
        name = ".".join(labels).lower()
        self.asked.append((name, qtype))
        known = self.records.get(name)
        answers = (known or {}).get(qtype, [])
        flags = 0x8180 if known is not None else 0x8183
        out = struct.pack(">HHHHHH", ident, flags, qdcount, len(answers), 0, 0) + question
        for address in answers:
            family = socket.AF_INET if qtype == A else socket.AF_INET6
            data = socket.inet_pton(family, address)
            out += struct.pack(">HHHIH", 0xC00C, qtype, 1, 300, len(data)) + data
        return out


def closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "127.0.0.1:%d" % port


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


PROJECT = """vendors: vendors/
output: out/
catalog: [clusters/common/]
isolate: [contractors, vendor-monitor, vendor-auditor]
cluster-cidrs: [10.244.0.0/16, 10.96.0.0/12]
lock-resolvers: [%(refused)s, "%(eu)s"]
clusters:
  - name: staging
    labels: {env: staging}
    catalog: [clusters/staging/]
  - name: prod-eu
    labels: {env: prod, region: eu}
  - name: prod-us
    labels: {env: prod, region: us}
    catalog: [clusters/prod-us/]
    lock: prod-us.lock
    lock-resolvers: ["%(us)s"]
"""


def project(root, tmp, **servers):
    path = os.path.join(tmp, "fleet")
    if not os.path.exists(path):
        shutil.copytree(os.path.join(root, "golden", CASE), path,
                        ignore=lambda d, names: [n for n in names if n.startswith("expected") or n in ("args", "hosts")])
    with open(os.path.join(path, "vendorc.yaml"), "w") as f:
        f.write(PROJECT % servers)
    return path


def lock(vendorc, path):
    return subprocess.run([vendorc, "lock", "--now", NOW], cwd=path, capture_output=True, text=True, timeout=120)


def entries(path, name):
    with open(os.path.join(path, name)) as f:
        return yaml.safe_load(f.read().split("---", 1)[1]) or {}


def expect_entry(problems, lock_file, domain, addresses, resolver):
    entry = lock_file.get(domain) or {}
    if sorted(entry.get("addresses", [])) != sorted(addresses) or entry.get("resolver") != "dns:" + resolver:
        problems.append("%s: %s, expected %s from dns:%s" % (domain, entry, addresses, resolver))


def check_split_horizon(vendorc, root, tmp):
    eu = Server({"ingest.monitor.example": {A: ["203.0.113.11"], AAAA: ["2001:db8::11"]},
                 "upload.audit.example": {A: ["198.51.100.21"]}})
    us = Server({"ingest.monitor.example": {A: ["203.0.113.12"]}, "upload.audit.example": {A: ["198.51.100.22"]}},
                *((socket.AF_INET6, "::1") if ipv6_loopback() else ()))
    path = project(root, tmp, refused=closed_port(), eu=eu.text, us=us.text)
    result = lock(vendorc, path)
    if result.returncode != 0:
        return ["lock exited %d: %s" % (result.returncode, result.stderr)]
    problems = []
    shared, own = entries(path, "vendorc.lock"), entries(path, "prod-us.lock")
    expect_entry(problems, shared, "ingest.monitor.example", ["203.0.113.11/32", "2001:db8::11/128"], eu.text)
    expect_entry(problems, shared, "upload.audit.example", ["198.51.100.21/32"], eu.text)
    expect_entry(problems, own, "ingest.monitor.example", ["203.0.113.12/32"], us.text)
    expect_entry(problems, own, "upload.audit.example", ["198.51.100.22/32"], us.text)
    for server, what in ((eu, "prod-eu's"), (us, "prod-us's")):
        if sorted(set(server.asked)) != sorted((d, t) for d in ("ingest.monitor.example", "upload.audit.example")
                                               for t in (A, AAAA)):
            problems.append("%s server was asked %s" % (what, sorted(set(server.asked))))
    if "vendorc.lock (staging, prod-eu):" not in result.stdout:
        problems.append("the report does not head the shared lock with its clusters: %s" % result.stdout)
    return problems


def check_nxdomain(vendorc, root, tmp):
    full = Server({"ingest.monitor.example": {A: ["203.0.113.11"]}, "upload.audit.example": {A: ["198.51.100.21"]}})
    path = project(root, tmp, refused=closed_port(), eu=full.text, us=full.text)
    if lock(vendorc, path).returncode != 0:
        return ["the first lock failed"]
    before = open(os.path.join(path, "prod-us.lock")).read()
    nothing = Server({})
    path = project(root, tmp, refused=closed_port(), eu=full.text, us=nothing.text)
    result = lock(vendorc, path)
    problems = []
    if result.returncode == 0:
        problems.append("a name the server does not know: lock exited 0")
    want = '"upload.audit.example" does not resolve (dns:%s)' % nothing.text
    if want not in result.stderr:
        problems.append("stderr lacks %r: %s" % (want, result.stderr))
    if open(os.path.join(path, "prod-us.lock")).read() != before:
        problems.append("prod-us.lock changed although its server knew neither name")
    return problems


def main(argv):
    vendorc, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])

    def results():
        for check in (check_split_horizon, check_nxdomain):
            with tempfile.TemporaryDirectory() as tmp:
                yield check.__name__, check(vendorc, root, tmp)
    return golden.report(results())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
