#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/source.h"

/* The three tiers, each case a small world of YAML whose verdict is worked
 * out by hand in the comment beside it. */

static struct arena *arena;

static const char cnp_head[] = "apiVersion: policy.networking.k8s.io/v1alpha2\n"
	"kind: ClusterNetworkPolicy\n";
static const char np_head[] = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n";
/* "C" marks a ClusterNetworkPolicy, "N" a NetworkPolicy. */
static const struct unit_head heads[] = { { 'C', cnp_head }, { 'N', np_head } };
#define WORLD(...) UNIT_WORLD(arena, heads, __VA_ARGS__)

/* Policies of the db namespace's ingress. */
static const char np_db_allow_all[] = "N"
	"metadata: {name: open, namespace: db}\n"
	"spec: {podSelector: {}, ingress: [{}]}\n";
static const char np_db_deny_all[] = "N"
	"metadata: {name: closed, namespace: db}\n"
	"spec: {podSelector: {}, policyTypes: [Ingress]}\n";

static const struct label client_labels[] = { { "app", "client" } };
static const struct label other_labels[] = { { "app", "other" } };
static const struct label db_labels[] = { { "app", "db" } };
static const struct label cache_labels[] = { { "app", "cache" } };
static const struct eval_pod client = { "vendor", client_labels, 1 };
static const struct eval_pod other = { "vendor", other_labels, 1 };
static const struct eval_pod db = { "db", db_labels, 1 };
static const struct eval_pod cache = { "db", cache_labels, 1 };
static const struct eval_port tcp_5432 = { NET_TCP, 5432, NULL };

static const char *
cnp_name(const struct clusterpol *cp)
{
	return cp ? cp->name : "(none)";
}

static void
test_admin_over_netpol(void)
{
	/* The Admin tier is asked first: its Deny wins over an allow-all. */
	struct eval_world *world = WORLD(np_db_allow_all, "C"
		"metadata: {name: deny-db}\n"
		"spec: {tier: Admin, priority: 10,"
		" subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: db}}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed && v.ingress.tier == EVAL_TIER_ADMIN);
	CHECK_STR(cnp_name(v.ingress.cnp), "deny-db");
	CHECK(v.ingress.cnp_rule && v.ingress.cnp_rule->index == 0 && !v.ingress.by);
	/* The source's side has no policy at all: default, allowed. */
	CHECK(v.egress.allowed && v.egress.tier == EVAL_TIER_DEFAULT);

	/* Pass hands over to NetworkPolicies, whose default deny then denies. */
	world = WORLD(np_db_deny_all, "C"
		"metadata: {name: pass-db}\n"
		"spec: {tier: Admin, priority: 10, subject: {namespaces: {}},"
		" ingress: [{name: to-teams, action: Pass, from: [{namespaces: {}}]}]}\n");
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed && v.ingress.tier == EVAL_TIER_NETWORKPOLICY && v.ingress.isolated);
	CHECK_STR(cnp_name(v.ingress.passed_by), "pass-db");
	CHECK(v.ingress.pass_rule && strcmp(v.ingress.pass_rule->name, "to-teams") == 0);
	CHECK(v.ingress.by && strcmp(v.ingress.by->name, "closed") == 0 && !v.ingress.cnp);

	/* Accept decides before the NetworkPolicy that would deny is asked. */
	world = WORLD(np_db_deny_all, "C"
		"metadata: {name: accept-db}\n"
		"spec: {tier: Admin, priority: 10, subject: {namespaces: {}},"
		" ingress: [{action: Accept, from: [{pods: {namespaceSelector: {},"
		" podSelector: {matchLabels: {app: client}}}}]}]}\n");
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.ingress.tier == EVAL_TIER_ADMIN && !v.ingress.by);
	CHECK_STR(cnp_name(v.ingress.cnp), "accept-db");
	/* The pods peer names app=client only: other falls to the default deny. */
	v = unit_connect(world, &other, &db, &tcp_5432);
	CHECK(!v.allowed && v.ingress.tier == EVAL_TIER_NETWORKPOLICY);
}

static void
test_baseline(void)
{
	/* db's NetworkPolicy selects app=db only: app=cache is left to Baseline. */
	struct eval_world *world = WORLD("N"
		"metadata: {name: db-open, namespace: db}\n"
		"spec: {podSelector: {matchLabels: {app: db}}, ingress: [{}]}\n", "C"
		"metadata: {name: baseline-deny}\n"
		"spec: {tier: Baseline, priority: 0, subject: {namespaces: {}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.ingress.tier == EVAL_TIER_NETWORKPOLICY && !v.ingress.cnp);
	v = unit_connect(world, &client, &cache, &tcp_5432);
	CHECK(!v.allowed && v.ingress.tier == EVAL_TIER_BASELINE && !v.ingress.isolated);
	CHECK_STR(cnp_name(v.ingress.cnp), "baseline-deny");
}

static void
test_order(void)
{
	/* Rules in order: client meets the Accept first, other only the Deny. */
	struct eval_world *world = WORLD("C"
		"metadata: {name: ordered}\n"
		"spec: {tier: Admin, priority: 1, subject: {namespaces: {}}, ingress: ["
		"{action: Accept, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}]},"
		" {action: Deny, from: [{namespaces: {}}]}]}\n");
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.ingress.cnp_rule && v.ingress.cnp_rule->index == 0);
	v = unit_connect(world, &other, &db, &tcp_5432);
	CHECK(!v.allowed && v.ingress.cnp_rule && v.ingress.cnp_rule->index == 1);

	/* Priority before name: z-deny (1) is asked before a-accept (2). */
	world = WORLD("C"
		"metadata: {name: a-accept}\n"
		"spec: {tier: Admin, priority: 2, subject: {namespaces: {}},"
		" ingress: [{action: Accept, from: [{namespaces: {}}]}]}\n", "C"
		"metadata: {name: z-deny}\n"
		"spec: {tier: Admin, priority: 1, subject: {namespaces: {}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed);
	CHECK_STR(cnp_name(v.ingress.cnp), "z-deny");
	CHECK(!v.ingress.conflict);
}

static void
test_conflict(void)
{
	/* One priority, two actions: a-accept decides by name, b-deny is the
	 * ambiguity; c-accept agrees, so it is not named. */
	static const char a_accept[] = "C"
		"metadata: {name: a-accept}\n"
		"spec: {tier: Admin, priority: 5, subject: {namespaces: {}},"
		" ingress: [{action: Accept, from: [{namespaces: {}}]}]}\n";
	static const char c_accept[] = "C"
		"metadata: {name: c-accept}\n"
		"spec: {tier: Admin, priority: 5, subject: {namespaces: {}},"
		" ingress: [{action: Accept, from: [{namespaces: {}}]}]}\n";
	struct eval_world *world = WORLD(a_accept, c_accept, "C"
		"metadata: {name: b-deny}\n"
		"spec: {tier: Admin, priority: 5, subject: {namespaces: {}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed);
	CHECK_STR(cnp_name(v.ingress.cnp), "a-accept");
	CHECK_STR(cnp_name(v.ingress.conflict), "b-deny");
	world = WORLD(a_accept, c_accept);
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && !v.ingress.conflict);
}

static const char deny_10_8[] = "C"
	"metadata: {name: no-ten}\n"
	"spec: {tier: Admin, priority: 1, subject: {namespaces: {}},"
	" egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}]}]}\n";

static void
test_networks(void)
{
	struct eval_world *world = WORLD(deny_10_8);
	/* Without cluster ranges a pod's address is unknown: 10.0.0.0/8 may
	 * not hold it, so the pod is not matched; an outside 10.1.2.3 is. */
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.egress.tier == EVAL_TIER_DEFAULT);
	v = unit_connect_out(world, &client, "10.1.2.3/32", &tcp_5432);
	CHECK(!v.allowed && v.egress.tier == EVAL_TIER_ADMIN);
	v = unit_connect_out(world, &client, "11.0.0.1/32", &tcp_5432);
	CHECK(v.allowed);
	/* Pods in 10.244.0.0/16, which 10.0.0.0/8 holds whole: now denied. */
	struct net_cidr pods;
	CHECK(net_parse_cidr("10.244.0.0/16", &pods) == NET_CIDR_OK);
	struct vec cidrs = { 0 };
	vec_push(arena, &cidrs, &pods);
	eval_world_set_cluster_cidrs(world, &cidrs);
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed && v.egress.tier == EVAL_TIER_ADMIN);
	/* A /0 holds every pod, with or without ranges. */
	world = WORLD("C"
		"metadata: {name: no-v6}\n"
		"spec: {tier: Admin, priority: 1, subject: {namespaces: {}},"
		" egress: [{action: Deny, to: [{networks: ['::/0']}]}]}\n");
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed);
}

static void
test_ports(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: ports}\n"
		"spec: {tier: Admin, priority: 1, subject: {namespaces: {}}, ingress: ["
		"{action: Deny, from: [{namespaces: {}}], protocols: [{destinationNamedPort: postgres}]},"
		" {action: Deny, from: [{namespaces: {}}],"
		" protocols: [{tcp: {destinationPort: {range: {start: 1000, end: 2000}}}}]}]}\n");
	const struct eval_port named = { NET_TCP, 0, "postgres" }, named_udp = { NET_UDP, 0, "postgres" };
	const struct eval_port http = { NET_TCP, 0, "http" };
	const struct eval_port low = { NET_TCP, 1000, NULL }, high = { NET_TCP, 2000, NULL };
	const struct eval_port above = { NET_TCP, 2001, NULL }, udp = { NET_UDP, 1500, NULL };
	/* The named port by name, whatever the protocol; 5432 is a number. */
	CHECK(!unit_connect(world, &client, &db, &named).allowed);
	CHECK(!unit_connect(world, &client, &db, &named_udp).allowed);
	CHECK(unit_connect(world, &client, &db, &http).allowed);
	CHECK(unit_connect(world, &client, &db, &tcp_5432).allowed);
	/* The range holds both ends, TCP only. */
	CHECK(!unit_connect(world, &client, &db, &low).allowed);
	CHECK(!unit_connect(world, &client, &db, &high).allowed);
	CHECK(unit_connect(world, &client, &db, &above).allowed);
	CHECK(unit_connect(world, &client, &db, &udp).allowed);
}

static void
test_domains(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: no-example}\n"
		"spec: {tier: Admin, priority: 1, subject: {namespaces: {}},"
		" egress: [{action: Deny, to: [{domainNames: [api.example.com, '*.example.org']}]}]}\n");
	unit_add_domain(arena, world, "api.example.com", "198.51.100.0/24");
	unit_add_domain(arena, world, "www.example.org", "192.0.2.0/24");
	unit_add_domain(arena, world, "example.org", "203.0.113.0/24");
	unit_add_domain(arena, world, "*.example.org", "100.64.0.0/24");
	unit_add_domain(arena, world, "api.example.net", "100.65.0.0/24");
	/* Exact name; the wildcard's subdomain; the wildcard lock entry itself. */
	CHECK(!unit_connect_out(world, &client, "198.51.100.7/32", &tcp_5432).allowed);
	CHECK(!unit_connect_out(world, &client, "192.0.2.9/32", &tcp_5432).allowed);
	CHECK(!unit_connect_out(world, &client, "100.64.0.1/32", &tcp_5432).allowed);
	/* "*.example.org" is not the apex, api.example.net is not named, and
	 * an address no domain resolves to is nobody's. */
	CHECK(unit_connect_out(world, &client, "203.0.113.1/32", &tcp_5432).allowed);
	CHECK(unit_connect_out(world, &client, "100.65.0.1/32", &tcp_5432).allowed);
	CHECK(unit_connect_out(world, &client, "8.8.8.8/32", &tcp_5432).allowed);
	/* A domain peer never matches a pod. */
	CHECK(unit_connect(world, &client, &db, &tcp_5432).allowed);
}

static void
test_adversary(void)
{
	/* Only NetworkPolicies: the adversary's allow-all opens the default deny. */
	struct eval_world *world = WORLD(np_db_deny_all);
	CHECK(!unit_connect(world, &client, &db, &tcp_5432).allowed);
	eval_world_set_adversary(world);
	struct eval_verdict v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.ingress.tier == EVAL_TIER_NETWORKPOLICY);
	CHECK(v.ingress.by && strcmp(v.ingress.by->name, "vendorc-adversary-allow-all") == 0);
	CHECK(v.ingress.by && strcmp(v.ingress.by->ns, "db") == 0);
	/* Every pod is isolated by it, so the egress side is the adversary's too. */
	CHECK(v.egress.isolated && v.egress.tier == EVAL_TIER_NETWORKPOLICY);
	/* A real policy that admits is named before it. */
	world = WORLD(np_db_allow_all);
	eval_world_set_adversary(world);
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(v.allowed && v.ingress.by && strcmp(v.ingress.by->name, "open") == 0);
	/* An Admin Deny is above NetworkPolicies: the adversary cannot open it. */
	world = WORLD(np_db_deny_all, "C"
		"metadata: {name: deny-db}\n"
		"spec: {tier: Admin, priority: 10,"
		" subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: db}}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	eval_world_set_adversary(world);
	v = unit_connect(world, &client, &db, &tcp_5432);
	CHECK(!v.allowed && v.ingress.tier == EVAL_TIER_ADMIN);
}

static void
test_subject(void)
{
	/* subject.pods: namespace db and app=db; app=cache in db is not a subject. */
	struct eval_world *world = WORLD("C"
		"metadata: {name: only-db}\n"
		"spec: {tier: Admin, priority: 1, subject: {pods: {"
		"namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}},"
		" podSelector: {matchLabels: {app: db}}}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n", "C"
		"metadata: {name: labelled}\n"
		"spec: {tier: Admin, priority: 2, subject: {namespaces: {matchLabels: {team: x}}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	CHECK(!unit_connect(world, &client, &db, &tcp_5432).allowed);
	CHECK(unit_connect(world, &client, &cache, &tcp_5432).allowed);
	/* The same pod asked again gets the same answer from the cache. */
	CHECK(!unit_connect(world, &other, &db, &tcp_5432).allowed);
}

/* Callers reuse one label array for pod after pod (coverage builds its
 * pods on the stack): an answer remembered for the array's old content
 * must not be given for its new one. */
static void
test_pod_reused(void)
{
	struct eval_world *world = WORLD("C"
		"metadata: {name: only-db}\n"
		"spec: {tier: Admin, priority: 1, subject: {pods: {namespaceSelector: {},"
		" podSelector: {matchLabels: {app: db}}}},"
		" ingress: [{action: Deny, from: [{namespaces: {}}]}]}\n");
	struct label labels[9] = { { "app", "db" } };
	struct eval_pod pod = { "db", labels, 1 };
	CHECK(!unit_connect(world, &client, &pod, &tcp_5432).allowed);
	labels[0].value = "cache";
	CHECK(unit_connect(world, &client, &pod, &tcp_5432).allowed);
	labels[0].value = "db";
	pod.ns = "other";
	CHECK(!unit_connect(world, &client, &pod, &tcp_5432).allowed);
	/* More labels than the memo keeps: asked by content every time. */
	for (size_t i = 1; i < 9; i++)
		labels[i] = (struct label){ arena_printf(arena, "k%zu", i), "v" };
	pod.label_count = 9;
	CHECK(!unit_connect(world, &client, &pod, &tcp_5432).allowed);
	labels[0].value = "cache";
	CHECK(unit_connect(world, &client, &pod, &tcp_5432).allowed);
}

int
main(void)
{
	arena = arena_create();
	test_admin_over_netpol();
	test_baseline();
	test_order();
	test_conflict();
	test_networks();
	test_ports();
	test_domains();
	test_adversary();
	test_subject();
	test_pod_reused();
	arena_destroy(arena);
	return unit_finish("eval");
}
