#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/project.h"
#include "vendorc/ynode.h"

#include <stdlib.h>

static struct arena *arena;
static struct diag_set *diags;

#define reported(needle) unit_reported(arena, diags, needle)
#define reported_at(file, line, col) \
	unit_reported_at(arena, diags, "catalog-bad-object", file, line, col)

/* A project whose catalog is the one path, shown as display. */
static struct catalog *
load_catalog(const char *fs, const char *display)
{
	diags = diag_set_create(arena);
	struct project *project = arena_alloc(arena, sizeof(*project));
	struct project_path *path = arena_alloc(arena, sizeof(*path));
	*path = (struct project_path){ fs, display, { 0 } };
	vec_push(arena, &project->catalog, path);
	return catalog_load(arena, diags, project);
}

static const char *
cidr_at(const struct vec *cidrs, size_t i)
{
	return net_format_cidr(arena, vec_at(cidrs, i));
}

static void
check_order(const struct catalog *c)
{
	static const char *const services[] = {
		"billing/ext", "default/kubernetes", "extra/one", "json/svc", "payments/api",
	};
	CHECK(c->services.len == 5);
	for (size_t i = 0; i < c->services.len && i < 5; i++) {
		const struct service *svc = vec_at(&c->services, i);
		CHECK_STR(arena_printf(arena, "%s/%s", svc->ns, svc->name), services[i]);
	}
	static const char *const sources[] = {
		"cluster/dump.yaml", "cluster/multi.yaml", "cluster/nested/extra.yml",
		"cluster/nested/more.json", "cluster/slices.yaml",
	};
	CHECK(c->sources.len == 5);
	for (size_t i = 0; i < c->sources.len && i < 5; i++)
		CHECK_STR(((const struct source *)vec_at(&c->sources, i))->path, sources[i]);
	CHECK(catalog_service(c, "payments", "own-output") == NULL);
	CHECK(catalog_service(c, "default", "no-such-service") == NULL);
	CHECK(catalog_service(c, "payments", "ap") == NULL);
}

static void
check_services(const struct catalog *c)
{
	const struct service *api = catalog_service(c, "payments", "api");
	CHECK(api && api->has_selector && api->ports.len == 3);
	if (!api || api->ports.len != 3)
		return;
	CHECK(api->loc.src && api->loc.line == 8 && api->loc.col == 11);
	const struct service_port *http = vec_at(&api->ports, 0), *grpc = vec_at(&api->ports, 1);
	const struct service_port *dns = vec_at(&api->ports, 2);
	CHECK_STR(http->name, "http");
	CHECK(http->port == 80 && http->target_port == 8080 && !http->target_name);
	CHECK(http->proto == NET_TCP);
	CHECK(grpc->port == 9090 && grpc->target_port == 0);
	CHECK_STR(grpc->target_name, "grpc-port");
	CHECK(dns->proto == NET_UDP && dns->target_port == 53);
	struct label app_api = { "app", "api" };
	CHECK(selector_matches(&api->selector, &app_api, 1));
	const struct service *one = catalog_service(c, "extra", "one");
	CHECK(one && ((const struct service_port *)vec_at(&one->ports, 0))->proto == NET_SCTP);
}

static const struct endpoint_group *
group_at(const struct service *svc, size_t i)
{
	return svc && i < svc->endpoints.len ? vec_at(&svc->endpoints, i) : NULL;
}

static void
check_endpoints(const struct catalog *c)
{
	const struct service *kube = catalog_service(c, "default", "kubernetes");
	/* One group per subset, addresses sorted and unique within it, the
	 * not-ready ones included. */
	CHECK(kube && !kube->has_selector && kube->endpoints.len == 2);
	const struct endpoint_group *api = group_at(kube, 0), *second = group_at(kube, 1);
	CHECK(second && second->addresses.len == 2 && second->ports.len == 1);
	if (second && second->addresses.len == 2)
		CHECK_STR(cidr_at(&second->addresses, 1), "10.0.0.3/32");
	CHECK(api && api->addresses.len == 2 && api->ports.len == 1);
	if (api && api->addresses.len == 2 && api->ports.len == 1) {
		CHECK_STR(cidr_at(&api->addresses, 0), "10.0.0.1/32");
		CHECK_STR(cidr_at(&api->addresses, 1), "10.0.0.2/32");
		const struct endpoint_port *port = vec_at(&api->ports, 0);
		CHECK_STR(port->name, "https");
		CHECK(port->port == 6443 && port->proto == NET_TCP);
	}
	/* One group per slice (each address serves its own slice's ports); an
	 * FQDN slice is ignored, a port without a number skipped. */
	const struct service *ext = catalog_service(c, "billing", "ext");
	CHECK(ext && !ext->has_selector && ext->endpoints.len == 2);
	const struct endpoint_group *v4 = group_at(ext, 0), *v6 = group_at(ext, 1);
	CHECK(v4 && v4->addresses.len == 2 && v4->ports.len == 1);
	CHECK(v6 && v6->addresses.len == 1 && v6->ports.len == 1);
	if (v4 && v4->addresses.len == 2 && v6 && v6->addresses.len == 1) {
		CHECK_STR(cidr_at(&v4->addresses, 0), "203.0.113.5/32");
		CHECK_STR(cidr_at(&v4->addresses, 1), "203.0.113.9/32");
		CHECK_STR(cidr_at(&v6->addresses, 0), "2001:db8::5/128");
	}
	/* Endpoints read before their Service (an earlier file) still attach. */
	const struct endpoint_group *json = group_at(catalog_service(c, "json", "svc"), 0);
	CHECK(json && json->addresses.len == 1 && json->ports.len == 1);
	if (json && json->ports.len == 1)
		CHECK(((const struct endpoint_port *)vec_at(&json->ports, 0))->port == 8443);
}

static void
check_web_policy(const struct netpol *web)
{
	CHECK(web->ingress && web->egress);
	CHECK(web->pod_selector.label_count == 1 && web->pod_selector.expr_count == 2);
	CHECK(web->ingress_rules.len == 2 && web->egress_rules.len == 1);
	const struct netpol_rule *rule = vec_at(&web->ingress_rules, 0);
	CHECK(rule->peers.len == 2 && rule->ports.len == 4);
	const struct netpol_peer *ops = vec_at(&rule->peers, 0), *block = vec_at(&rule->peers, 1);
	CHECK(ops->has_pod_selector && ops->has_namespace_selector && !ops->has_cidr);
	CHECK(block->has_cidr && !block->has_pod_selector && block->except.len == 1);
	CHECK_STR(net_format_cidr(arena, &block->cidr), "198.51.100.0/24");
	const struct netpol_port *plain = vec_at(&rule->ports, 0), *named = vec_at(&rule->ports, 1);
	const struct netpol_port *range = vec_at(&rule->ports, 2), *any = vec_at(&rule->ports, 3);
	CHECK(plain->port == 8080 && plain->proto == NET_TCP && !plain->has_proto_only);
	CHECK_STR(named->port_name, "metrics");
	CHECK(named->port == 0 && named->proto == NET_UDP);
	CHECK(range->port == 30000 && range->end_port == 30100);
	CHECK(any->has_proto_only && any->proto == NET_SCTP);
	const struct netpol_rule *open = vec_at(&web->ingress_rules, 1);
	CHECK(open->peers.len == 0 && open->ports.len == 0);
	const struct netpol_rule *out = vec_at(&web->egress_rules, 0);
	const struct netpol_peer *masked = vec_at(&out->peers, 0);
	CHECK_STR(net_format_cidr(arena, &masked->cidr), "10.1.0.0/16");
}

static void
check_policies(const struct catalog *c)
{
	CHECK(c->netpols.len == 2);
	if (c->netpols.len != 2)
		return;
	const struct netpol *deny = vec_at(&c->netpols, 0), *web = vec_at(&c->netpols, 1);
	CHECK_STR(deny->name, "deny-all");
	CHECK(deny->ingress && !deny->egress && selector_is_everything(&deny->pod_selector));
	CHECK(deny->ingress_rules.len == 0);
	CHECK_STR(web->name, "web");
	check_web_policy(web);
}

static void
test_cluster_dir(void)
{
	struct catalog *c = load_catalog("fixtures/catalog/cluster/", "cluster");
	CHECK(c != NULL && diag_count(diags, DIAG_ERROR) == 0);
	if (!c)
		return;
	check_order(c);
	check_services(c);
	check_endpoints(c);
	check_policies(c);
}

static void
test_bad_objects(void)
{
	CHECK(load_catalog("fixtures/catalog/bad-service.yaml", "bad-service.yaml") == NULL);
	CHECK(reported_at("bad-service.yaml", 10, 11));
	CHECK(reported("bad Service \\\"shop/broken\\\": \\\"port\\\" must be a port number"));
	CHECK(reported_at("bad-service.yaml", 12, 15));
	CHECK(reported_at("bad-service.yaml", 17, 3));
	CHECK(reported("\\\"name\\\" is required"));
	CHECK(reported_at("bad-service.yaml", 27, 28));
	CHECK(diag_count(diags, DIAG_ERROR) == 4);
}

/* The one object of file, its head (apiVersion, kind, metadata) then spec. */
static const struct ynode *
object(const char *file, const char *head, const char *spec)
{
	diags = diag_set_create(arena);
	const char *text = arena_printf(arena, "%sspec:\n%s", head, spec);
	struct source *src = source_from_text(arena, file, text, strlen(text));
	struct vec docs = { 0 };
	CHECK(ynode_load(arena, diags, src, &docs) && docs.len == 1);
	return docs.len ? vec_at(&docs, 0) : NULL;
}

/* A NetworkPolicy read from text: the evaluator's path into the model. */
static struct netpol *
netpol(const char *spec)
{
	const struct ynode *np = object("np.yaml", "apiVersion: networking.k8s.io/v1\n"
		"kind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\n", spec);
	return np ? catalog_read_netpol(arena, diags, np) : NULL;
}

static void
test_policy_types(void)
{
	struct netpol *np = netpol("  podSelector: {}\n  egress: []\n");
	CHECK(np && np->ingress && !np->egress);
	np = netpol("  podSelector: {}\n  egress: [{}]\n");
	CHECK(np && np->ingress && np->egress);
	np = netpol("  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n");
	CHECK(np && !np->ingress && np->egress && np->ingress_rules.len == 1);
	np = netpol("  podSelector: {}\n  policyTypes: []\n");
	CHECK(np && np->ingress && !np->egress);
	np = netpol("  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
	CHECK(np && np->ingress && np->egress && np->egress_rules.len == 0);
}

static void
test_netpol_selectors(void)
{
	/* The API server refuses In without values, so the catalog does too. */
	struct netpol *np = netpol("  podSelector:\n    matchExpressions:\n"
		"    - {key: app, operator: In, values: []}\n");
	CHECK(np == NULL);
	CHECK(reported("operator In and NotIn need values"));
	/* Unsatisfiable, but valid Kubernetes: kept, it selects nothing. */
	np = netpol("  podSelector:\n    matchLabels: {app: a}\n    matchExpressions:\n"
		"    - {key: app, operator: NotIn, values: [a]}\n");
	struct label app_a = { "app", "a" }, tier_a = { "tier", "a" }, tier_b = { "tier", "b" };
	CHECK(np != NULL && !selector_matches(&np->pod_selector, &app_a, 1));
	CHECK(np && !selector_can_overlap(arena, &np->pod_selector, &np->pod_selector));
	np = netpol("  podSelector:\n    matchExpressions:\n"
		"    - {key: tier, operator: NotIn, values: [a, a]}\n");
	CHECK(np && np->pod_selector.expr_count == 1 && np->pod_selector.exprs[0].value_count == 1);
	CHECK(np && selector_matches(&np->pod_selector, &tier_b, 1));
	CHECK(np && !selector_matches(&np->pod_selector, &tier_a, 1));
	np = netpol("  podSelector:\n    matchExpressions: [{key: app, operator: Like, values: [a]}]\n");
	CHECK(np == NULL);
	CHECK(reported("\"code\":\"catalog-bad-object\",\"file\":\"np.yaml\",\"line\":6,\"column\":45,"));
	CHECK(reported("bad NetworkPolicy \\\"ns/p\\\": unknown operator \\\"Like\\\""));
}

static void
test_netpol_errors(void)
{
	CHECK(netpol("  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]\n") == NULL);
	CHECK(reported("\"line\":5,\"column\":21,"));
	CHECK(reported("may not have a selector"));
	CHECK(netpol("  ingress: [{from: [{}]}]\n") == NULL);
	CHECK(reported("a peer needs a podSelector"));
	CHECK(netpol("  egress: [{ports: [{port: 0}]}]\n") == NULL);
	CHECK(netpol("  egress: [{ports: [{port: 443, endPort: 80}]}]\n") == NULL);
	CHECK(reported("\"line\":5,\"column\":42,"));
	CHECK(netpol("  egress: [{ports: [{port: https, endPort: 8443}]}]\n") == NULL);
	CHECK(netpol("  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/40}}]}]\n") == NULL);
	CHECK(reported("\\\"10.0.0.0/40\\\" is not a CIDR"));
	CHECK(netpol("  policyTypes: [ingress]\n") == NULL);
	CHECK(netpol("  ingress: {from: []}\n") == NULL);
	CHECK(reported("\\\"ingress\\\" must be a list"));
	CHECK(netpol("  podSelector: {}\n") != NULL);
}

/* A ClusterNetworkPolicy read from text: spec is indented by two. */
static struct clusterpol *
clusterpol(const char *spec)
{
	const struct ynode *cnp = object("cnp.yaml", "apiVersion: policy.networking.k8s.io/v1alpha2\n"
		"kind: ClusterNetworkPolicy\nmetadata: {name: cnp}\n", spec);
	return cnp ? catalog_read_clusterpol(arena, diags, cnp) : NULL;
}

static const char cnp_valid[] =
	"  tier: Admin\n"
	"  priority: 7\n"
	"  subject:\n"
	"    pods:\n"
	"      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: billing}}\n"
	"      podSelector: {matchLabels: {app: api}}\n"
	"  ingress:\n"
	"  - name: from-monitoring\n"
	"    action: Accept\n"
	"    from: [{namespaces: {matchLabels: {team: mon}}}]\n"
	"    protocols: [{tcp: {destinationPort: {number: 9090}}}, {destinationNamedPort: metrics}]\n"
	"  egress:\n"
	"  - action: Pass\n"
	"    to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}]\n"
	"  - action: Deny\n"
	"    to:\n"
	"    - networks: [10.0.0.0/8, 2001:db8::/32]\n"
	"    - domainNames: [API.Example.COM, '*.example.org']\n"
	"    - nodes: {matchLabels: {role: infra}}\n"
	"    protocols: [{udp: {destinationPort: {range: {start: 1000, end: 2000}}}}]\n";

static void
test_clusterpol_fields(void)
{
	struct clusterpol *cp = clusterpol(cnp_valid);
	CHECK(cp != NULL);
	if (!cp)
		return;
	struct label api = { "app", "api" }, billing = { "kubernetes.io/metadata.name", "billing" };
	CHECK_STR(cp->name, "cnp");
	CHECK(cp->loc.line == 3 && cp->tier == CLUSTERPOL_ADMIN && cp->priority == 7);
	CHECK(cp->subject_pods && selector_matches(&cp->subject_pod_selector, &api, 1));
	CHECK(selector_matches(&cp->subject_namespaces, &billing, 1));
	CHECK(cp->ingress_rules.len == 1 && cp->egress_rules.len == 2);
	if (cp->ingress_rules.len != 1 || cp->egress_rules.len != 2)
		return;
	const struct clusterpol_rule *in = vec_at(&cp->ingress_rules, 0);
	CHECK_STR(in->name, "from-monitoring");
	CHECK(in->action == CLUSTERPOL_ACCEPT && in->index == 0 && in->loc.line == 12);
	CHECK(in->peers.len == 1 && in->ports.len == 2);
	const struct clusterpol_peer *mon = vec_at(&in->peers, 0);
	struct label team = { "team", "mon" };
	CHECK(mon->kind == CLUSTERPOL_PEER_NAMESPACES && selector_matches(&mon->namespaces, &team, 1));
	const struct clusterpol_port *tcp = vec_at(&in->ports, 0), *named = vec_at(&in->ports, 1);
	CHECK(tcp->proto == NET_TCP && tcp->port == 9090 && tcp->end == 0 && !tcp->name);
	CHECK_STR(named->name, "metrics");
	const struct clusterpol_rule *pass = vec_at(&cp->egress_rules, 0);
	const struct clusterpol_rule *deny = vec_at(&cp->egress_rules, 1);
	CHECK(pass->action == CLUSTERPOL_PASS && !pass->name && pass->ports.len == 0);
	const struct clusterpol_peer *db = vec_at(&pass->peers, 0);
	struct label app_db = { "app", "db" };
	CHECK(db->kind == CLUSTERPOL_PEER_PODS && selector_matches(&db->pods, &app_db, 1)
		&& selector_is_everything(&db->namespaces));
	CHECK(deny->action == CLUSTERPOL_DENY && deny->index == 1 && deny->peers.len == 3);
	if (deny->peers.len != 3)
		return;
	const struct clusterpol_peer *nets = vec_at(&deny->peers, 0), *names = vec_at(&deny->peers, 1);
	const struct clusterpol_peer *nodes = vec_at(&deny->peers, 2);
	CHECK(nets->kind == CLUSTERPOL_PEER_NETWORKS && nets->networks.len == 2);
	CHECK_STR(cidr_at(&nets->networks, 1), "2001:db8::/32");
	CHECK(names->kind == CLUSTERPOL_PEER_DOMAINS && names->domains.len == 2);
	CHECK_STR(vec_at(&names->domains, 0), "api.example.com");
	CHECK_STR(vec_at(&names->domains, 1), "*.example.org");
	struct label infra = { "role", "infra" };
	CHECK(nodes->kind == CLUSTERPOL_PEER_NODES && selector_matches(&nodes->nodes, &infra, 1));
	const struct clusterpol_port *range = vec_at(&deny->ports, 0);
	CHECK(range->proto == NET_UDP && range->port == 1000 && range->end == 2000);
}

/* Each case breaks one rule of the CRD; the error is at the offending node. */
static void
test_clusterpol_errors(void)
{
	static const char subject[] = "  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n";
	CHECK(clusterpol(subject) != NULL);
	CHECK(clusterpol(arena_printf(arena, "%s  ingress: [{action: Allow, from: [{namespaces: {}}]}]\n",
		subject)) == NULL);
	CHECK(reported("an action is \\\"Accept\\\", \\\"Deny\\\" or \\\"Pass\\\", not \\\"Allow\\\""));
	CHECK(reported_at("cnp.yaml", 8, 22));
	CHECK(clusterpol("  tier: Admin\n  priority: 1001\n  subject: {namespaces: {}}\n") == NULL);
	CHECK(reported("\\\"priority\\\" must be an integer from 0 to 1000"));
	CHECK(reported_at("cnp.yaml", 6, 13));
	CHECK(clusterpol("  tier: Admin\n  priority: 1\n  subject:\n    namespaces: {}\n"
		"    pods: {namespaceSelector: {}, podSelector: {}}\n") == NULL);
	CHECK(reported("a subject needs exactly one of \\\"namespaces\\\" or \\\"pods\\\""));
	CHECK(reported_at("cnp.yaml", 8, 5));
	CHECK(clusterpol(arena_printf(arena, "%s  ingress: [{action: Deny, from: [{networks: [10.0.0.0/8]}]}]\n",
		subject)) == NULL);
	CHECK(reported("an ingress peer may not have \\\"networks\\\""));
	CHECK(reported_at("cnp.yaml", 8, 36));
	const char *rules = "";
	for (int i = 0; i < 26; i++)
		rules = arena_printf(arena, "%s  - {action: Deny, to: [{namespaces: {}}]}\n", rules);
	CHECK(clusterpol(arena_printf(arena, "%s  egress:\n%s", subject, rules)) == NULL);
	CHECK(reported("\\\"egress\\\" needs 0 to 25 items"));
	CHECK(reported_at("cnp.yaml", 9, 3));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: []}]\n", subject)) == NULL);
	CHECK(reported("\\\"to\\\" needs 1 to 25 items"));
	CHECK(reported_at("cnp.yaml", 8, 31));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny}]\n", subject)) == NULL);
	CHECK(reported("\\\"to\\\" is required"));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: [{networks: [10.0.0.0/40]}]}]\n",
		subject)) == NULL);
	CHECK(reported("\\\"10.0.0.0/40\\\" is not a CIDR"));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: [{namespaces: {}}],"
		" protocols: [{tcp: {destinationPort: {range: {start: 9, end: 9}}}}]}]\n", subject)) == NULL);
	CHECK(reported("must be below its \\\"end\\\""));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: [{namespaces: {}}],"
		" protocols: [{tcp: {destinationPort: {number: 1}}, udp: {destinationPort: {number: 1}}}]}]\n",
		subject)) == NULL);
	CHECK(reported("a protocols entry needs exactly one of"));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}],"
		" protocols: [{destinationNamedPort: http}]}]\n", subject)) == NULL);
	CHECK(reported("cannot name a port"));
	CHECK(clusterpol(arena_printf(arena, "%s  egress: [{action: Deny, to: [{namespaces: {}}],"
		" protocols: [{destinationNamedPort: http}]}]\n", subject)) != NULL);
	CHECK(clusterpol("  tier: Middle\n  priority: 1\n  subject: {namespaces: {}}\n") == NULL);
	CHECK(reported("a tier is \\\"Admin\\\" or \\\"Baseline\\\""));
}

/* The catalog reads them by kind and apiVersion, skips vendorc's own and
 * sorts them as the tiers evaluate them. */
static void
test_clusterpol_catalog(void)
{
	diags = diag_set_create(arena);
	const char *text = "";
	static const char *const objects[][3] = {
		{ "b-admin", "Admin", "5" }, { "base", "Baseline", "0" }, { "a-admin", "Admin", "5" },
		{ "first", "Admin", "1" }, { "other-api", "Admin", "0" },
	};
	for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		text = arena_printf(arena, "%s---\napiVersion: policy.networking.k8s.io/%s\n"
			"kind: ClusterNetworkPolicy\nmetadata: {name: %s}\n"
			"spec: {tier: %s, priority: %s, subject: {namespaces: {}}}\n", text,
			i == 4 ? "v1alpha1" : "v1alpha2", objects[i][0], objects[i][1], objects[i][2]);
	text = arena_printf(arena, "%s---\napiVersion: policy.networking.k8s.io/v1alpha2\n"
		"kind: ClusterNetworkPolicy\n"
		"metadata: {name: ours, labels: {app.kubernetes.io/managed-by: vendorc}}\n"
		"spec: {tier: Admin, priority: 0, subject: {namespaces: {}}}\n", text);
	struct vec sources = { 0 };
	vec_push(arena, &sources, source_from_text(arena, "cnps.yaml", text, strlen(text)));
	struct catalog *c = catalog_from_sources(arena, diags, &sources);
	CHECK(c && c->clusterpols.len == 4);
	static const char *const order[] = { "first", "a-admin", "b-admin", "base" };
	for (size_t i = 0; c && i < c->clusterpols.len && i < 4; i++)
		CHECK_STR(((const struct clusterpol *)vec_at(&c->clusterpols, i))->name, order[i]);
}

/* A CiliumNetworkPolicy in namespace billing read from text (spec
 * indented by two): its rules, NULL when malformed. */
static struct vec *
ciliumpol(const char *spec)
{
	const struct ynode *cnp = object("cilium.yaml", "apiVersion: cilium.io/v2\n"
		"kind: CiliumNetworkPolicy\nmetadata: {name: cnp, namespace: billing}\n", spec);
	struct vec *rules = arena_alloc(arena, sizeof(*rules));
	return cnp && catalog_read_ciliumpol(arena, diags, cnp, rules) ? rules : NULL;
}

static const struct cilium_rule *
cilium_rule_at(const struct vec *rules, size_t i)
{
	CHECK(i < rules->len);
	return i < rules->len ? vec_at(rules, i) : NULL;
}

/* The fields vendorc's cilium backend writes, and the label forms of
 * Cilium's selectors ("k8s:" dropped, the namespace label kept). */
static void
test_ciliumpol_fields(void)
{
	struct vec *rules = ciliumpol(
		"  endpointSelector: {matchLabels: {k8s:app: api}}\n"
		"  egress:\n"
		"  - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]\n"
		"    toPorts:\n"
		"    - ports: [{port: '53', protocol: UDP}, {port: '53', protocol: TCP}]\n"
		"      rules: {dns: [{matchName: API.Acme.io.}, {matchPattern: '*.svc.cluster.local'}]}\n"
		"  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}, {cidrGroupRef: office}]\n"
		"    toCIDR: [192.0.2.1/32]\n"
		"    toPorts: [{ports: [{port: '8000', endPort: 8100}]}]\n"
		"  - toFQDNs: [{matchPattern: '*.Example.com'}]\n"
		"    toEntities: [world, kube-apiserver]\n"
		"  - toPorts: [{ports: [{port: https, protocol: TCP}], rules: {http: [{method: GET}]}}]\n"
		"  ingressDeny:\n"
		"  - fromEntities: [all]\n");
	CHECK(rules && rules->len == 1);
	if (!rules || rules->len != 1)
		return;
	const struct ciliumpol *cp = vec_at(rules, 0);
	CHECK_STR(cp->ns, "billing");
	CHECK_STR(cp->name, "cnp");
	CHECK(cp->endpoints.label_count == 1);
	CHECK_STR(cp->endpoints.labels[0].key, "app");
	/* Rules in both directions: default deny in both. */
	CHECK(cp->default_deny_egress && cp->default_deny_ingress);
	CHECK(cp->egress.len == 4 && cp->ingress.len == 0 && cp->ingress_deny.len == 1);
	const struct cilium_rule *dns = cilium_rule_at(&cp->egress, 0);
	const struct selector *resolvers = dns ? vec_at(&dns->endpoints, 0) : NULL;
	CHECK(resolvers && resolvers->label_count == 2);
	CHECK_STR(resolvers->labels[0].key, "io.kubernetes.pod.namespace");
	const struct cilium_port_rule *dns_ports = dns ? vec_at(&dns->port_rules, 0) : NULL;
	CHECK(dns_ports && dns_ports->ports.len == 2 && dns_ports->dns.len == 2 && !dns_ports->l7);
	const struct cilium_name *name = dns_ports ? vec_at(&dns_ports->dns, 0) : NULL;
	CHECK(name && !name->pattern);
	CHECK_STR(name ? name->text : NULL, "api.acme.io");
	const struct cilium_rule *ranges = cilium_rule_at(&cp->egress, 1);
	CHECK(ranges && ranges->cidrs.len == 3 && ranges->has_peers);
	const struct cilium_cidr *with_hole = ranges ? vec_at(&ranges->cidrs, 1) : NULL;
	CHECK(with_hole && with_hole->except.len == 1 && !with_hole->group_ref);
	const struct cilium_cidr *group = ranges ? vec_at(&ranges->cidrs, 2) : NULL;
	CHECK_STR(group ? group->group_ref : NULL, "office");
	const struct cilium_port_rule *range = ranges ? vec_at(&ranges->port_rules, 0) : NULL;
	const struct cilium_port *port = range ? vec_at(&range->ports, 0) : NULL;
	CHECK(port && port->port == 8000 && port->end == 8100 && port->proto_any);
	const struct cilium_rule *outside = cilium_rule_at(&cp->egress, 2);
	CHECK(outside && outside->entities == (CILIUM_ENTITY_WORLD | CILIUM_ENTITY_KUBE_APISERVER));
	const struct cilium_name *pattern = outside ? vec_at(&outside->fqdns, 0) : NULL;
	CHECK(pattern && pattern->pattern);
	CHECK_STR(pattern ? pattern->text : NULL, "*.example.com");
	/* Ports only: every peer, filtered at L7. */
	const struct cilium_rule *l4 = cilium_rule_at(&cp->egress, 3);
	const struct cilium_port_rule *http = l4 ? vec_at(&l4->port_rules, 0) : NULL;
	CHECK(l4 && !l4->has_peers && http && http->l7);
	const struct cilium_port *named = http ? vec_at(&http->ports, 0) : NULL;
	CHECK(named && named->name && !named->proto_any && named->proto == NET_TCP);
	const struct cilium_rule *deny = cilium_rule_at(&cp->ingress_deny, 0);
	CHECK(deny && deny->entities == CILIUM_ENTITY_ALL);
}

/* enableDefaultDeny: on by default for a direction with rules (allow or
 * deny), off for the other; given, it wins. specs: one rule each. */
static void
test_ciliumpol_default_deny(void)
{
	struct vec *rules = ciliumpol("  endpointSelector: {}\n  ingress: [{}]\n");
	const struct ciliumpol *cp = rules && rules->len ? vec_at(rules, 0) : NULL;
	CHECK(cp && cp->default_deny_ingress && !cp->default_deny_egress);
	rules = ciliumpol("  endpointSelector: {}\n  egress: [{toEntities: [all]}]\n"
		"  enableDefaultDeny: {egress: false, ingress: true}\n");
	cp = rules && rules->len ? vec_at(rules, 0) : NULL;
	CHECK(cp && cp->default_deny_ingress && !cp->default_deny_egress);
	diags = diag_set_create(arena);
	const char *text = "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\n"
		"metadata: {name: wide}\nspecs:\n"
		"- {endpointSelector: {}, egressDeny: [{toCIDR: [0.0.0.0/0]}]}\n"
		"- {nodeSelector: {}, ingress: [{fromEntities: [cluster]}]}\n";
	struct vec docs = { 0 }, specs = { 0 };
	CHECK(ynode_load(arena, diags, source_from_text(arena, "ccnp.yaml", text, strlen(text)), &docs));
	const struct ynode *multi = docs.len ? vec_at(&docs, 0) : NULL;
	CHECK(multi && catalog_read_ciliumpol(arena, diags, multi, &specs) && specs.len == 2);
	const struct ciliumpol *first = specs.len == 2 ? vec_at(&specs, 0) : NULL;
	const struct ciliumpol *second = specs.len == 2 ? vec_at(&specs, 1) : NULL;
	CHECK(first && !first->ns && first->index == 0 && first->default_deny_egress);
	CHECK(second && second->index == 1 && second->node_selector && second->default_deny_ingress);
}

static void
test_ciliumpol_errors(void)
{
	CHECK(ciliumpol("  description: no selector\n") == NULL);
	CHECK(reported("\\\"endpointSelector\\\" or \\\"nodeSelector\\\" is required"));
	CHECK(reported_at("cilium.yaml", 5, 3));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toEntities: [internet]}]\n") == NULL);
	CHECK(reported("unknown entity"));
	CHECK(reported_at("cilium.yaml", 6, 26));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toPorts: [{ports: [{port: '70000'}]}]}]\n") == NULL);
	CHECK(reported("\\\"port\\\" must be a port number from 0 to 65535 or a port name"));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toPorts: [{ports: [{port: '80', protocol: TPC}]}]}]\n")
		== NULL);
	CHECK(reported("unknown protocol"));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toFQDNs: [{matchName: a.io, matchPattern: '*'}]}]\n")
		== NULL);
	CHECK(reported("a DNS name needs exactly one of"));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toFQDNs: [{matchName: '*.acme.io'}]}]\n") == NULL);
	CHECK(reported("a matchName holds only letters"));
	CHECK(reported_at("cilium.yaml", 6, 35));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toFQDNs: [{matchPattern: '*.acme.io'}]}]\n") != NULL);
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toCIDRSet: [{cidr: 10.0.0.0/33}]}]\n") == NULL);
	CHECK(reported("\\\"10.0.0.0/33\\\" is not a CIDR"));
	CHECK(ciliumpol("  endpointSelector: {}\n  enableDefaultDeny: {ingress: maybe}\n") == NULL);
	CHECK(reported("\\\"ingress\\\" must be true or false"));
	CHECK(ciliumpol("  endpointSelector: {}\n  egress: [{toServices: [{k8sService: {serviceName: db}}]}]\n")
		!= NULL);
}

/* The catalog reads both kinds (cilium.io/v2 only), skips vendorc's own,
 * keeps the first of two objects of one name, and files them by
 * namespace (clusterwide first), name and place in specs. */
static void
test_ciliumpol_catalog(void)
{
	diags = diag_set_create(arena);
	const char *text = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n"
		"metadata: {name: b, namespace: web}\nspec: {endpointSelector: {}, ingress: [{}]}\n"
		"---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n"
		"metadata: {name: b, namespace: web}\nspec: {endpointSelector: {}, egress: [{}]}\n"
		"---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\n"
		"metadata: {name: z}\nspecs: [{endpointSelector: {}}, {endpointSelector: {}}]\n"
		"---\napiVersion: cilium.io/v2alpha1\nkind: CiliumNetworkPolicy\n"
		"metadata: {name: old, namespace: web}\nspec: {endpointSelector: {}}\n"
		"---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n"
		"metadata: {name: ours, namespace: web, labels: {app.kubernetes.io/managed-by: vendorc}}\n"
		"spec: {endpointSelector: {}}\n";
	struct vec sources = { 0 };
	vec_push(arena, &sources, source_from_text(arena, "cilium.yaml", text, strlen(text)));
	struct catalog *c = catalog_from_sources(arena, diags, &sources);
	CHECK(c && c->ciliumpols.len == 3);
	if (!c || c->ciliumpols.len != 3)
		return;
	const struct ciliumpol *wide0 = vec_at(&c->ciliumpols, 0), *wide1 = vec_at(&c->ciliumpols, 1);
	const struct ciliumpol *web = vec_at(&c->ciliumpols, 2);
	CHECK(!wide0->ns && wide0->index == 0 && !wide1->ns && wide1->index == 1);
	CHECK_STR(web->ns, "web");
	CHECK(web->ingress.len == 1 && web->egress.len == 0);
}

int
main(void)
{
	/* One arena per case: catalog files are read with a large size limit. */
	arena = arena_create();
	test_cluster_dir();
	arena_destroy(arena);
	arena = arena_create();
	test_bad_objects();
	test_policy_types();
	test_netpol_selectors();
	test_netpol_errors();
	test_clusterpol_fields();
	test_clusterpol_errors();
	test_clusterpol_catalog();
	test_ciliumpol_fields();
	test_ciliumpol_default_deny();
	test_ciliumpol_errors();
	test_ciliumpol_catalog();
	arena_destroy(arena);
	return unit_finish("catalog");
}
