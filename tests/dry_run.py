#!/usr/bin/env python3
"""The probe kits through `kubectl apply --dry-run=client`, against a fake API server.

  dry_run.py VENDORC SOURCE_ROOT KUBECTL

kubectl's client-side dry run still asks an API server for discovery and
GETs each object to choose between create and patch, so the test serves
just that, on 127.0.0.1 (a free port, plain http, a kubeconfig of its own
in a temporary HOME):

- GET /version: v1.32.2, the Kubernetes of tests/schemas (a dispatching
  kubectl, such as the Google Cloud SDK's, picks its binary by it);
- legacy discovery: /api, /api/v1 (namespaces, cluster-scoped; pods,
  services, namespaced), /apis, /apis/batch/v1 (jobs): the kinds the kits
  use and nothing else;
- GET of a named object: 404, a NotFound Status, so every object is
  "created (dry run)"; after that 404 kubectl (1.27 to 1.33 at least)
  also GETs the object's namespace, which gets the same 404 and changes
  nothing;
- GET /openapi/v2: a real schema for validation. kubectl validates on the
  client (--validate=strict) only when the server does not take the
  fieldValidation query parameter, and then against the protobuf OpenAPI
  v2 document; this serves one built from tests/schemas' Job, Pod, Service
  and Namespace (Kubernetes 1.32.2, standalone-strict: every `$ref`
  already inlined), encoded by hand as gnostic's openapi.v2.Document:
  definitions with their properties, required fields, types ("null"
  dropped from the type lists), items, additionalProperties, formats and
  x-kubernetes-group-version-kind. What kubectl cannot express there
  (oneOf, the int-or-string fields) is left as any value. There are no
  paths, so kubectl finds no fieldValidation parameter and validates
  itself: an unknown field, a wrongly typed value or a missing required
  field fails;
- GET /openapi/v3: 404, on purpose. A v3 document saying the server takes
  fieldValidation would make kubectl skip its own validation (it leaves it
  to the server, which a client dry run never calls), so the test would
  check nothing; on a 404 kubectl falls back to v2, as for a server before
  1.27.

Every request is logged; any other path or method (a write, above all) is
a failure of the check that made it. kubectl runs with a cache directory
of its own per run, so every run does its own discovery.

For the kits kit_emit.py checks (the examples and golden/ok-probe-cilium
under --backend cilium, --now 2026-11-24; mirrored here, since kit_emit
needs PyYAML and jsonschema), both --emit jobs and --emit netassert:
`kubectl apply --dry-run=client -f FILE` on each Kubernetes manifest of
the kit (not netassert.yaml, which is NetAssert's, nor kustomization.yaml)
and `-k DIR` must exit 0 and print exactly one "KIND/NAME created (dry
run)" line per object of the file (or of the kit), nothing else on
stdout and nothing at all on stderr (a warning fails too); each object
must have been looked up by its own path, and /openapi/v2 fetched. The objects are read
from the files line by line (no PyYAML): the `kind:` at the left margin
and `name:` / `namespace:` under `metadata:`, a document at a time, and
a document that does not give both fails the check.

Then, so that the test can fail: copies of the examples' jobs kit files
that kubectl must reject on the client, each with its own message: a kind
discovery does not know, an object with no metadata.name, and the ones
that fail only if the served schema is read and used (kubectl skips
validation silently for a kind it has no model of): an unknown field at
the top of each kind of the kit and in a Job's container, a container
without its required name, an integer field given a string.

Tried with kubectl 1.27 to 1.33 (the Google Cloud SDK's, its dispatcher
included): the same requests, the same messages.
"""

import collections
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NOW = "2026-11-24"
SERVER_VERSION = "v1.32.2"
# (group, version) -> [(resource, kind, namespaced, schema file, OpenAPI definition name)]
RESOURCES = {
    ("", "v1"): [("namespaces", "Namespace", False, "namespace-v1.json", "io.k8s.api.core.v1.Namespace"),
                 ("pods", "Pod", True, "pod-v1.json", "io.k8s.api.core.v1.Pod"),
                 ("services", "Service", True, "service-v1.json", "io.k8s.api.core.v1.Service")],
    ("batch", "v1"): [("jobs", "Job", True, "job-batch-v1.json", "io.k8s.api.batch.v1.Job")],
}
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
NOT_MANIFESTS = ("kustomization.yaml", "netassert.yaml")


# --- the OpenAPI v2 document, as protobuf (gnostic openapiv2/OpenAPIv2.proto) ---

def varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A length-delimited field: a string, bytes or an embedded message."""
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def boolean(number, value):
    return varint(number << 3) + varint(1 if value else 0)


def schema_proto(s, path):
    """A JSON schema (tests/schemas, standalone-strict) as openapi.v2.Schema."""
    out = b""
    if "format" in s:
        out += field(2, s["format"])                                      # format
    for name in s.get("required", []):
        out += field(19, name)                                            # required
    extra = s.get("additionalProperties")
    if isinstance(extra, bool):
        out += field(21, boolean(2, extra))                               # additional_properties.boolean
    elif isinstance(extra, dict):
        out += field(21, field(1, schema_proto(extra, path + "/*")))      # additional_properties.schema
    types = s.get("type")
    if types is not None:
        types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
        if len(types) != 1:
            raise ValueError("%s: type %s" % (path, s["type"]))
        out += field(22, field(1, types[0]))                              # type.value
    if "items" in s:
        out += field(23, field(1, schema_proto(s["items"], path + "[]")))  # items.schema
    if "properties" in s:
        out += field(25, b"".join(                                        # properties.additional_properties
            field(1, field(1, name) + field(2, schema_proto(sub, path + "." + name)))
            for name, sub in s["properties"].items()))
    if "x-kubernetes-group-version-kind" in s:                            # vendor_extension: NamedAny{name, Any{yaml}}
        out += field(31, field(1, "x-kubernetes-group-version-kind") +
                     field(2, field(2, json.dumps(s["x-kubernetes-group-version-kind"]))))
    return out


def openapi_v2(root):
    definitions = b""
    for resources in RESOURCES.values():
        for _, _, _, schema_file, definition in resources:
            with open(os.path.join(root, "tests", "schemas", schema_file)) as f:
                schema = json.load(f)
            definitions += field(1, field(1, definition) + field(2, schema_proto(schema, definition)))
    info = field(1, "Kubernetes") + field(2, SERVER_VERSION)
    return field(1, "2.0") + field(2, info) + field(9, definitions)


# --- the fake API server ---

def status(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def discovery():
    """Path -> JSON body for /version and the legacy discovery documents."""
    docs = {"/version": {"major": "1", "minor": "32", "gitVersion": SERVER_VERSION, "gitCommit": "fake",
                         "gitTreeState": "clean", "buildDate": "2025-02-12T21:17:52Z", "goVersion": "go1.23.6",
                         "compiler": "gc", "platform": "linux/amd64"},
            "/api": {"kind": "APIVersions", "versions": ["v1"],
                     "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}}
    groups = []
    for (group, version), resources in RESOURCES.items():
        gv = "%s/%s" % (group, version) if group else version
        docs[("/apis/%s" % gv) if group else "/api/%s" % version] = {
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": [{"name": name, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
                           "verbs": VERBS} for name, kind, namespaced, _, _ in resources]}
        if group:
            groups.append({"name": group, "versions": [{"groupVersion": gv, "version": version}],
                           "preferredVersion": {"groupVersion": gv, "version": version}})
    docs["/apis"] = {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    return docs


def object_path(kind, name, namespace):
    """The path kubectl GETs for an object, or None for a kind not served."""
    for (group, version), resources in RESOURCES.items():
        for resource, k, namespaced, _, _ in resources:
            if k == kind:
                prefix = "/apis/%s/%s" % (group, version) if group else "/api/%s" % version
                scope = "/namespaces/%s" % (namespace or "default") if namespaced else ""
                return "%s%s/%s/%s" % (prefix, scope, resource, name)
    return None


def object_route(path):
    """(group, resource, name) when path names one object of a served kind."""
    for (group, version), resources in RESOURCES.items():
        prefix = "/apis/%s/%s" % (group, version) if group else "/api/%s" % version
        for resource, _, namespaced, _, _ in resources:
            pattern = r"/namespaces/[a-z0-9-]+/%s/([a-z0-9.-]+)" if namespaced else r"/%s/([a-z0-9.-]+)"
            m = re.fullmatch(re.escape(prefix) + pattern % resource, path)
            if m:
                return group, resource, m.group(1)
    return None


class Server:
    """The fake API server, in a thread; `requests` logs (method, path, answer)."""

    def __init__(self, root):
        self.docs = discovery()
        self.v2 = openapi_v2(root)
        self.lock = threading.Lock()
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body in one segment: no 40 ms Nagle/delayed-ACK stall per request
            disable_nagle_algorithm = True
            wbufsize = 1 << 16

            def log_message(self, *args):
                pass

            def answer(self, code, body, content_type="application/json", known=True):
                with server.lock:
                    server.requests.append((self.command, self.path, code, known))
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-cache, private")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path in server.docs:
                    self.answer(200, server.docs[path])
                elif path == "/openapi/v2":
                    self.answer(200, server.v2, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
                elif path == "/openapi/v3":
                    self.answer(404, status(404, "NotFound", "the server could not find the requested resource"))
                elif object_route(path):
                    group, resource, name = object_route(path)
                    details = {"name": name, "kind": resource}
                    if group:
                        details["group"] = group
                    self.answer(404, status(404, "NotFound", '%s%s "%s" not found' % (
                        resource, "." + group if group else "", name), details))
                else:
                    self.unknown()

            def unknown(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                code, reason = (404, "NotFound") if self.command == "GET" else (405, "MethodNotAllowed")
                self.answer(code, status(code, reason, "not served by the fake API server"), known=False)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = unknown

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def mark(self):
        with self.lock:
            return len(self.requests)

    def since(self, mark):
        with self.lock:
            return self.requests[mark:]


KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:%d
contexts:
- name: fake
  context:
    cluster: fake
    user: fake
    namespace: default
current-context: fake
users:
- name: fake
  user: {}
"""


class Kubectl:
    def __init__(self, kubectl, server, tmp):
        self.kubectl, self.server, self.tmp = kubectl, server, tmp
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        config = os.path.join(tmp, "kubeconfig")
        with open(config, "w") as f:
            f.write(KUBECONFIG % server.port)
        self.env = {k: v for k, v in os.environ.items()
                    if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
                    and not k.startswith("KUBERNETES_")}
        self.env.update(KUBECONFIG=config, HOME=home, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        self.runs = 0

    def apply(self, *args):
        """kubectl apply --dry-run=client ARGS: (result, requests it made)."""
        self.runs += 1
        cache = os.path.join(self.tmp, "cache-%d" % self.runs)
        mark = self.server.mark()
        result = subprocess.run([self.kubectl, "apply", "--dry-run=client", "--validate=strict",
                                 "--cache-dir", cache, "--request-timeout=30s", *args],
                                env=self.env, capture_output=True, text=True, timeout=120)
        return result, self.server.since(mark)


# --- the kits' objects, read without PyYAML ---

def scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def objects(path):
    """[(kind, name, namespace)] of a kit file, and the problems reading it."""
    with open(path) as f:
        text = f.read()
    found, problems = [], []
    for number, doc in enumerate(re.split(r"^---[ \t]*$", text, flags=re.M)):
        lines = [line for line in doc.split("\n") if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            continue
        kind = name = namespace = None
        in_metadata = False
        for line in lines:
            if not line.startswith(" "):
                in_metadata = line.rstrip() == "metadata:"
                if line.startswith("kind:"):
                    kind = scalar(line[len("kind:"):])
            elif in_metadata and re.match(r"  [a-z]", line):
                if line.startswith("  name:"):
                    name = scalar(line[len("  name:"):])
                elif line.startswith("  namespace:"):
                    namespace = scalar(line[len("  namespace:"):])
        if not kind or not name:
            problems.append("%s: document %d: no kind or no metadata.name at the margin" % (
                os.path.basename(path), number))
        else:
            found.append((kind, name, namespace))
    if not found and not problems:
        problems.append("%s: no object" % os.path.basename(path))
    return found, problems


def printed(kind):
    """How kubectl names an object of kind: `job.batch`, `pod`."""
    for (group, _), resources in RESOURCES.items():
        if any(k == kind for _, k, _, _, _ in resources):
            return kind.lower() + ("." + group if group else "")
    return kind.lower()


def shape(path):
    """A request path with the names of objects and namespaces left out."""
    path = path.split("?", 1)[0]
    if object_route(path):
        path = re.sub(r"/namespaces/[^/]+/", "/namespaces/NS/", path)
        path = path.rsplit("/", 1)[0] + "/NAME"
    return path


def check_requests(requests, lookups):
    """Every request was one the server serves, and each object in lookups
    (paths) was looked up."""
    problems = ["kubectl made a request the fake server does not serve: %s %s" % (method, path)
                for method, path, _, known in requests if not known]
    got = {path.split("?", 1)[0] for method, path, _, known in requests if method == "GET"}
    problems += ["kubectl did not look up %s" % path for path in lookups if path not in got]
    return problems


def check_apply(kubectl, what, args, want):
    """kubectl apply --dry-run=client ARGS must exit 0 and print a created
    line for exactly the objects in want [(kind, name, namespace)]."""
    result, requests = kubectl.apply(*args)
    problems = []
    if result.returncode != 0:
        problems.append("%s exited %d: %s" % (what, result.returncode, result.stderr.strip()[-1500:]))
        return problems + check_requests(requests, [])
    if result.stderr.strip():
        problems.append("%s wrote to stderr: %s" % (what, result.stderr.strip()[:800]))
    lines = collections.Counter(result.stdout.splitlines())
    expected = collections.Counter("%s/%s created (dry run)" % (printed(kind), name) for kind, name, _ in want)
    problems += ["%s: no line %r (printed %d times, %d objects)" % (what, line, lines[line], n)
                 for line, n in sorted(expected.items()) if lines[line] != n]
    problems += ["%s: unexpected output %r" % (what, line) for line in sorted(lines) if line not in expected]
    paths = [object_path(kind, name, namespace) for kind, name, namespace in want]
    # /openapi/v2: kubectl read the schema, so it validated these objects
    problems += check_requests(requests, ["/openapi/v2"] + [p for p in paths if p])
    return problems


def check_rejected(kubectl, what, path, message):
    """kubectl must reject the file with a non-zero exit and message (a regex)."""
    result, requests = kubectl.apply("-f", path)
    problems = check_requests(requests, [])
    if result.returncode == 0:
        problems.append("%s: kubectl accepted it: %s" % (what, " | ".join(result.stdout.splitlines()[:3])))
    elif not re.search(message, result.stderr):
        problems.append("%s: exit %d without /%s/: %s" % (what, result.returncode, message,
                                                           result.stderr.strip()[-800:]))
    return problems


def make_kit(vendorc, cwd, extra, kind, kit_dir):
    result = subprocess.run([vendorc, "probe", *extra, "--now", NOW, "--emit", kind, "-o", kit_dir], cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return ["probe --emit %s exited %d: %s" % (kind, result.returncode, result.stderr[-500:])]
    return []


def kit_checks(vendorc, kubectl, tmp, name, cwd, extra, kind):
    """(check name, problems) for one kit: each manifest, then -k."""
    kit_dir = os.path.join(tmp, "%s-%s" % (name, kind))
    problems = make_kit(vendorc, cwd, extra, kind, kit_dir)
    if problems:
        yield "%s-%s: emit" % (name, kind), problems
        return
    want = {"jobs": ["jobs.yaml", "listeners.yaml", "namespace.yaml"],
            "netassert": ["listeners.yaml", "namespace.yaml", "sources.yaml"]}[kind]
    files = sorted(f for f in os.listdir(kit_dir) if f not in NOT_MANIFESTS)
    everything = []
    if files != want:
        yield "%s-%s: files" % (name, kind), ["the kit's manifests are %s, expected %s" % (files, want)]
    for file in files:
        path = os.path.join(kit_dir, file)
        found, problems = objects(path)
        everything += found
        if not problems:
            problems = check_apply(kubectl, "apply -f %s" % file, ["-f", path], found)
        yield "%s-%s: apply -f %s (%d objects)" % (name, kind, file, len(found)), problems
    yield "%s-%s: apply -k (%d objects)" % (name, kind, len(everything)), \
        check_apply(kubectl, "apply -k", ["-k", kit_dir], everything)


def negative_checks(vendorc, kubectl, tmp, cwd, extra):
    """Copies of the examples' jobs kit that kubectl must reject."""
    kit_dir = os.path.join(tmp, "negative-kit")
    problems = make_kit(vendorc, cwd, extra, "jobs", kit_dir)
    if problems:
        yield "negative: emit", problems
        return
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)

    def variant(name, source, change):
        with open(os.path.join(kit_dir, source)) as f:
            text = f.read()
        changed = change(text)
        path = os.path.join(bad, name)
        with open(path, "w") as f:
            f.write(changed)
        return path, changed != text

    def once(pattern, repl):
        return lambda text: re.sub(pattern, repl, text, count=1, flags=re.M)

    cases = [
        ("a kind discovery does not know", "unknown-kind.yaml", "listeners.yaml",
         once(r"^kind: Service$", "kind: Servce"), r'no matches for kind "Servce" in version "v1"'),
        ("no metadata.name", "no-name.yaml", "namespace.yaml",
         once(r"^  name: vendorc-probe\n", ""), r"resource name may not be empty"),
    ]
    for kind, source in (("Namespace", "namespace.yaml"), ("Pod", "listeners.yaml"),
                         ("Service", "listeners.yaml"), ("Job", "jobs.yaml")):
        cases.append(("an unknown field in a %s" % kind, "unknown-field-%s.yaml" % kind.lower(), source,
                      once(r"^kind: %s$" % kind, "kind: %s\nvendorcBogusField: 1" % kind),
                      r'unknown field "vendorcBogusField"'))
    cases.append(("an unknown field in a Job's container", "unknown-field-container.yaml", "jobs.yaml",
                  once(r"^(        terminationMessagePolicy: .*)$", "\\1\n        vendorcBogusField: 1"),
                  r'ValidationError\(Job\.spec\.template\.spec\.containers\[0\]\): unknown field "vendorcBogusField"'))
    cases.append(("a Pod's container without its name", "no-container-name.yaml", "listeners.yaml",
                  once(r"^  - name: port-\d+$", "  -"),
                  r'ValidationError\(Pod\.spec\.containers\[0\]\): missing required field "name"'))
    cases.append(("a wrongly typed field in a Job", "wrong-type-job.yaml", "jobs.yaml",
                  once(r"^  ttlSecondsAfterFinished: \d+$", "  ttlSecondsAfterFinished: soon"),
                  r'invalid type for io\.k8s\.api\.batch\.v1\.Job\.spec\.ttlSecondsAfterFinished: got "string", '
                  r'expected "integer"'))
    for what, name, source, change, message in cases:
        path, changed = variant(name, source, change)
        if not changed:
            yield "negative: %s" % what, ["%s: the change found nothing to change in %s" % (name, source)]
            continue
        yield "negative: %s (%s)" % (what, name), check_rejected(kubectl, what, path, message)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: dry_run.py VENDORC SOURCE_ROOT KUBECTL\n")
        return 2
    vendorc, root, kubectl_path = os.path.abspath(argv[1]), os.path.abspath(argv[2]), argv[3]
    # The kits of kit_emit.py.
    projects = (("examples", os.path.join(root, "examples"), []),
                ("cilium", os.path.join(root, "golden", "ok-probe-cilium"), ["--backend", "cilium"]))

    def results():
        with tempfile.TemporaryDirectory() as tmp, Server(root) as server:
            kubectl = Kubectl(kubectl_path, server, tmp)
            for name, cwd, extra in projects:
                for kind in ("jobs", "netassert"):
                    yield from kit_checks(vendorc, kubectl, tmp, name, cwd, extra, kind)
            yield from negative_checks(vendorc, kubectl, tmp, projects[0][1], projects[0][2])
            print("kubectl asked for: %s" % " ".join(sorted({shape(path) for _, path, _, _ in server.requests})))
    return golden.report(results())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
