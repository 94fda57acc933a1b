#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/eval_cilium.h"
#include "vendorc/source.h"

/* The Cilium evaluator against cases worked out by hand from Cilium's
 * documentation; each test names the page its cases come from:
 *   intro:    docs.cilium.io/en/stable/security/policy/intro/ (Policy Enforcement Modes)
 *   deny:     docs.cilium.io/en/latest/security/policy/deny/ (Deny Policies)
 *   language: docs.cilium.io/en/stable/security/policy/language/ (Layer 3, Layer 4, DNS based)
 *   layer7:   docs.cilium.io/en/latest/security/policy/layer7/ (Layer 7 Policies)
 *   k8s:      docs.cilium.io/en/stable/security/policy/kubernetes/ (Namespaces)
 *   rule:     the CRD's Rule type (enableDefaultDeny), as the API reference states it */

static struct arena *arena;

static const char cnp_head[] = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n";
static const char ccnp_head[] = "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\n";
static const char np_head[] = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n";
/* "C" a CiliumNetworkPolicy, "W" a CiliumClusterwideNetworkPolicy, "N" a
 * NetworkPolicy, "S" anything else (its head included). */
static const struct unit_head heads[] = { { 'C', cnp_head }, { 'W', ccnp_head }, { 'N', np_head } };
#define WORLD(...) UNIT_WORLD(arena, heads, __VA_ARGS__)

static const struct label frontend_labels[] = { { "role", "frontend" } };
static const struct label backend_labels[] = { { "role", "backend" } };
static const struct label test_labels[] = { { "role", "test" } };
static const struct label dns_labels[] = { { "k8s-app", "kube-dns" } };
static const struct eval_pod frontend = { "dev", frontend_labels, 1 };
static const struct eval_pod backend = { "dev", backend_labels, 1 };
static const struct eval_pod tester = { "dev", test_labels, 1 };
static const struct eval_pod prod_frontend = { "prod", frontend_labels, 1 };
static const struct eval_pod resolver = { "kube-system", dns_labels, 1 };
static const struct eval_port tcp_80 = { NET_TCP, 80, NULL };
static const struct eval_port tcp_81 = { NET_TCP, 81, NULL };
static const struct eval_port udp_53 = { NET_UDP, 53, NULL };

/* intro: "If any rule selects an Endpoint and the rule has an ingress
 * section, the endpoint goes into default deny at ingress" (and egress
 * alike); endpoints no rule selects are unrestricted. */
static void
test_default_deny(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: backend-in, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}]}\n");
	struct eval_verdict v = unit_connect(world, &frontend, &backend, &tcp_80);
	CHECK(v.allowed && v.ingress.isolated && v.ingress.cilium && v.ingress.cilium_rule);
	CHECK_STR(v.ingress.cilium->name, "backend-in");
	/* Another source: isolated, no rule admits it. */
	v = unit_connect(world, &tester, &backend, &tcp_80);
	CHECK(!v.allowed && v.ingress.isolated && v.ingress.cilium && !v.ingress.cilium_rule);
	/* The backend's egress has no section: unrestricted. */
	v = unit_connect(world, &backend, &frontend, &tcp_80);
	CHECK(v.allowed && !v.egress.isolated && !v.ingress.isolated);

	/* rule: enableDefaultDeny false keeps the direction open even with
	 * rules; "if multiple policies apply ... default deny will be enabled
	 * if any policy requests it". */
	world = WORLD("C"
		"metadata: {name: extra, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}],"
		" enableDefaultDeny: {ingress: false}}\n");
	CHECK(unit_connect(world, &tester, &backend, &tcp_80).allowed);
	world = WORLD("C"
		"metadata: {name: extra, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}],"
		" enableDefaultDeny: {ingress: false}}\n", "C"
		"metadata: {name: strict, namespace: dev}\n"
		"spec: {endpointSelector: {}, ingress: [{fromEndpoints: [{matchLabels: {role: nobody}}]}]}\n");
	CHECK(!unit_connect(world, &tester, &backend, &tcp_80).allowed);
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);

	/* Isolated by a NetworkPolicy, the pod is still reached through a
	 * Cilium allow that asks for no default deny of its own: the two kinds
	 * add up (deny: "Cilium Network Policy ... or even a Kubernetes Network
	 * Policy"). */
	world = WORLD("N"
		"metadata: {name: closed, namespace: dev}\n"
		"spec: {podSelector: {}, policyTypes: [Ingress]}\n", "C"
		"metadata: {name: extra, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}],"
		" enableDefaultDeny: {ingress: false}}\n");
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &tester, &backend, &tcp_80).allowed);

	/* language, Ingress/Egress Default Deny: `ingress: [{}]`, a rule with
	 * no peer and no port, admits nothing. */
	world = WORLD("C"
		"metadata: {name: deny-in, namespace: dev}\n"
		"spec: {endpointSelector: {}, ingress: [{}]}\n");
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);
}

/* deny: "Deny policies take precedence over allow policies, regardless of
 * whether they are a Cilium Network Policy, a Clusterwide Cilium Network
 * Policy or even a Kubernetes Network Policy"; the page's table: an L4
 * deny on 80/TCP over an L3 allow denies 80 and leaves 81 allowed. */
static void
test_deny(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: allow-frontend, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}]}\n", "W"
		"metadata: {name: deny-80}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingressDeny: [{toPorts: [{ports: [{port: '80', protocol: TCP}]}]}]}\n");
	struct eval_verdict v = unit_connect(world, &frontend, &backend, &tcp_80);
	CHECK(!v.allowed && v.ingress.cilium_deny);
	CHECK_STR(v.ingress.cilium->name, "deny-80");
	CHECK(unit_connect(world, &frontend, &backend, &tcp_81).allowed);

	/* A NetworkPolicy's allow-all loses to a Cilium deny too. */
	world = WORLD("N"
		"metadata: {name: open, namespace: dev}\n"
		"spec: {podSelector: {}, ingress: [{}]}\n", "C"
		"metadata: {name: deny-test, namespace: dev}\n"
		"spec: {endpointSelector: {}, ingressDeny: [{fromEndpoints: [{matchLabels: {role: test}}]}]}\n");
	CHECK(!unit_connect(world, &tester, &backend, &tcp_80).allowed);
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);

	/* A deny-only policy isolates nothing it does not name when it
	 * switches default deny off (rule). */
	world = WORLD("C"
		"metadata: {name: deny-test, namespace: dev}\n"
		"spec: {endpointSelector: {}, ingressDeny: [{fromEndpoints: [{matchLabels: {role: test}}]}],"
		" enableDefaultDeny: {ingress: false}}\n");
	CHECK(!unit_connect(world, &tester, &backend, &tcp_80).allowed);
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);
}

/* k8s, Namespaces: a CiliumNetworkPolicy's endpointSelector and its
 * endpoints are limited to its namespace unless they name
 * io.kubernetes.pod.namespace; namespace labels are
 * io.cilium.k8s.namespace.labels.KEY. A clusterwide policy is not
 * limited. */
static void
test_namespaces(void)
{
	struct eval_world *world = WORLD("S"
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: production}}\n", "C"
		"metadata: {name: from-own, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}]}]}\n");
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &prod_frontend, &backend, &tcp_80).allowed);
	/* The same with a range beside the endpoints in the rule. */
	world = WORLD("C"
		"metadata: {name: from-own-or-range, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: frontend}}], fromCIDR: [192.0.2.0/24]}]}\n");
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &prod_frontend, &backend, &tcp_80).allowed);

	world = WORLD("S"
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: production}}\n", "C"
		"metadata: {name: from-prod, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: prod}}]}]}\n");
	CHECK(unit_connect(world, &prod_frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);

	world = WORLD("S"
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: production}}\n", "C"
		"metadata: {name: from-env, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{fromEndpoints: [{matchExpressions: [{key: io.kubernetes.pod.namespace,"
		" operator: Exists}], matchLabels: {io.cilium.k8s.namespace.labels.env: production}}]}]}\n");
	CHECK(unit_connect(world, &prod_frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);

	/* The endpointSelector of a namespaced policy never reaches out of
	 * its namespace; a clusterwide one selects by the namespace label. */
	world = WORLD("C"
		"metadata: {name: elsewhere, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: prod}},"
		" ingress: [{}]}\n");
	CHECK(unit_connect(world, &frontend, &prod_frontend, &tcp_80).allowed);
	world = WORLD("W"
		"metadata: {name: prod-in}\n"
		"spec: {endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: prod}},"
		" ingress: [{fromEndpoints: [{matchLabels: {role: backend}}]}]}\n");
	CHECK(!unit_connect(world, &frontend, &prod_frontend, &tcp_80).allowed);
	CHECK(unit_connect(world, &backend, &prod_frontend, &tcp_80).allowed);
}

/* language, Layer 3: CIDR rules "do not apply to traffic where both sides
 * are endpoints"; except carves holes; entities world, cluster, all. */
static void
test_cidrs_and_entities(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: out, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}},"
		" egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]}]}\n");
	CHECK(unit_connect_out(world, &frontend, "10.1.2.3", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "10.96.0.1", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);
	/* A pod whose address may be in 10.0.0.0/8 is still not a CIDR peer. */
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);

	world = WORLD("C"
		"metadata: {name: world, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}}, egress: [{toEntities: [world]}]}\n");
	CHECK(unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);
	world = WORLD("C"
		"metadata: {name: cluster, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}}, egress: [{toEntities: [cluster]}]}\n");
	CHECK(!unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);
	CHECK(unit_connect(world, &frontend, &prod_frontend, &tcp_80).allowed);
	world = WORLD("C"
		"metadata: {name: all, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}}, egress: [{toEntities: [all]}]}\n");
	CHECK(unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);
	CHECK(unit_connect(world, &frontend, &prod_frontend, &tcp_80).allowed);
	/* kube-apiserver and host are neither pods nor outside addresses. */
	world = WORLD("C"
		"metadata: {name: api, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}},"
		" egress: [{toEntities: [kube-apiserver, host]}]}\n");
	CHECK(!unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);
	CHECK(!unit_connect(world, &frontend, &backend, &tcp_80).allowed);
}

/* language, Layer 4: port with endPort, protocol ANY (or none); a rule
 * with toPorts and no peer admits every peer on those ports. */
static void
test_ports(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: ports, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: backend}},"
		" ingress: [{toPorts: [{ports: [{port: '8000', endPort: 8010, protocol: TCP},"
		" {port: '53'}]}]}]}\n");
	CHECK(unit_connect(world, &tester, &backend, &(struct eval_port){ NET_TCP, 8005, NULL }).allowed);
	CHECK(!unit_connect(world, &tester, &backend, &(struct eval_port){ NET_TCP, 8011, NULL }).allowed);
	CHECK(!unit_connect(world, &tester, &backend, &(struct eval_port){ NET_UDP, 8005, NULL }).allowed);
	CHECK(unit_connect(world, &tester, &backend, &udp_53).allowed);
	CHECK(unit_connect(world, &tester, &backend, &(struct eval_port){ NET_SCTP, 53, NULL }).allowed);
	CHECK(!unit_connect(world, &tester, &backend, &tcp_80).allowed);
}

/* language, DNS based: matchName one name, matchPattern "*" within one
 * label, "*" alone every name; judged by the addresses a name resolves to. */
static void
test_fqdns(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: names, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}},"
		" egress: [{toFQDNs: [{matchName: api.example.com}, {matchPattern: '*.cdn.example.com'}]}]}\n");
	unit_add_domain(arena, world, "api.example.com", "198.51.100.1/32");
	unit_add_domain(arena, world, "img.cdn.example.com", "198.51.100.2/32");
	unit_add_domain(arena, world, "a.b.cdn.example.com", "198.51.100.3/32");
	unit_add_domain(arena, world, "*.cdn.example.com", "198.51.100.4/32");
	unit_add_domain(arena, world, "other.example.com", "198.51.100.5/32");
	CHECK(unit_connect_out(world, &frontend, "198.51.100.1", &tcp_80).allowed);
	CHECK(unit_connect_out(world, &frontend, "198.51.100.2", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "198.51.100.3", &tcp_80).allowed);
	CHECK(unit_connect_out(world, &frontend, "198.51.100.4", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "198.51.100.5", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "192.0.2.1", &tcp_80).allowed);

	struct cilium_name any = { "*", true }, api = { "api.example.com", false };
	struct cilium_name mid = { "api*.example.com", true };
	CHECK(cilium_name_matches(&any, "anything.at.all"));
	CHECK(cilium_name_matches(&mid, "api-eu.example.com") && cilium_name_matches(&mid, "api.example.com"));
	CHECK(!cilium_name_matches(&mid, "x.api.example.com"));
	/* A lock's "*.example.com" is no single name matchName covers. */
	CHECK(!cilium_name_matches(&api, "*.example.com") && cilium_name_matches(&any, "*.example.com"));
}

/* layer7: "a layer 7 request is permitted if at least one of the rules
 * matches"; "if a layer 4 rule is specified in the policy, and a similar
 * layer 4 rule with layer 7 rules is also specified, then the layer 7
 * portions of the latter rule will have no effect". */
static void
test_dns_rules(void)
{
	static const char dns_rule[] = "C"
		"metadata: {name: dns, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}},"
		" egress: [{toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system,"
		" k8s-app: kube-dns}}], toPorts: [{ports: [{port: '53', protocol: ANY}],"
		" rules: {dns: [{matchName: api.example.com}, {matchPattern: '*.dev.svc.cluster.local'}]}}]}]}\n";
	struct eval_world *world = WORLD(dns_rule);
	struct eval_end src = { .pod = &frontend }, dst = { .pod = &resolver };
	struct eval_verdict v;
	CHECK(eval_lookup(world, &src, &dst, &udp_53, "api.example.com", &v) && v.allowed);
	CHECK(eval_lookup(world, &src, &dst, &udp_53, "backend.dev.svc.cluster.local", &v));
	CHECK(!eval_lookup(world, &src, &dst, &udp_53, "evil.example.net", &v) && v.allowed);
	CHECK(!eval_lookup(world, &src, &dst, &udp_53, "*.prod.svc.cluster.local", &v));

	world = WORLD(dns_rule, "N"
		"metadata: {name: allow-dns, namespace: dev}\n"
		"spec: {podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 53, protocol: UDP}]}]}\n");
	CHECK(eval_lookup(world, &src, &dst, &udp_53, "evil.example.net", &v));
	/* The NetworkPolicy leaves TCP to the Cilium rule alone. */
	CHECK(!eval_lookup(world, &src, &dst, &(struct eval_port){ NET_TCP, 53, NULL }, "evil.example.net", &v));
}

/* language, Services based: a Service by name stands for its backends. */
static void
test_services(void)
{
	struct eval_world *world = WORLD("S"
		"apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: dev}\n"
		"spec: {selector: {role: backend}, ports: [{port: 80}]}\n", "S"
		"apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: dev}\n"
		"spec: {ports: [{port: 80}]}\n", "S"
		"apiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy, namespace: dev}\n"
		"subsets: [{addresses: [{ip: 203.0.113.9}], ports: [{port: 80}]}]\n", "C"
		"metadata: {name: svc, namespace: dev}\n"
		"spec: {endpointSelector: {matchLabels: {role: frontend}},"
		" egress: [{toServices: [{k8sService: {serviceName: db}}, {k8sService: {serviceName: legacy}}]}]}\n");
	CHECK(unit_connect(world, &frontend, &backend, &tcp_80).allowed);
	CHECK(!unit_connect(world, &frontend, &tester, &tcp_80).allowed);
	CHECK(unit_connect_out(world, &frontend, "203.0.113.9", &tcp_80).allowed);
	CHECK(!unit_connect_out(world, &frontend, "203.0.113.10", &tcp_80).allowed);
}

int
main(void)
{
	arena = arena_create();
	test_default_deny();
	test_deny();
	test_namespaces();
	test_cidrs_and_entities();
	test_ports();
	test_fqdns();
	test_dns_rules();
	test_services();
	arena_destroy(arena);
	return unit_finish("eval_cilium");
}
