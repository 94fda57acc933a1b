/* The admin pass (docs/admin-tier.md): the ClusterNetworkPolicies of
 * enforce: admin. A vendor's ceiling is one ordered list of rules per
 * direction, what its file grants passed on to the NetworkPolicy tier and
 * the rest denied, cut into objects of 25 rules at consecutive priorities
 * from the band's first. A default-denied namespace's ceiling sits at the
 * band's last four priorities, one layer each, since its passes have as
 * many subjects as the catalog's policies there have podSelectors. */

#include "vendorc/ceiling.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/ir.h"
#include "vendorc/project.h"

#include <stdint.h>
#include <string.h>

/* What the API allows in one list: rules per direction, peers per rule,
 * ranges per networks peer, entries of protocols; and a rule name's length. */
enum { CEILING_LIST_MAX = 25, CEILING_RULE_NAME_MAX = 100 };

/* The namespace layers, in the order the tier meets them: pods tried
 * before addresses, so that a networks pass (which also matches pod
 * addresses) never lets a pod through that no pod rule passed. */
enum namespace_layer { LAYER_PASS_PODS, LAYER_DENY_PODS, LAYER_PASS_NETWORKS, LAYER_DENY_NETWORKS,
	NAMESPACE_LAYERS };

struct builder {
	struct arena *arena;
	struct diag_set *diags;
	const struct project *project;
	const struct catalog *catalog;
	struct ir *ir;
};

/* The passes of one layer for the pods of one subject. */
struct subject_group {
	enum namespace_layer layer;
	const struct selector *pods;
	struct vec ingress;          /* struct ir_cnp_rule * */
	struct vec egress;
};

/* ---- rules ---- */

/* base, cut at a character so that with suffix it fits the API's 100. */
static const char *
rule_name(struct arena *arena, const char *base, const char *suffix)
{
	size_t room = CEILING_RULE_NAME_MAX - strlen(suffix), len = strlen(base);
	if (len <= room)
		return arena_printf(arena, "%s%s", base, suffix);
	size_t cut = room - 3;
	while (cut > 0 && ((unsigned char)base[cut] & 0xC0) == 0x80)
		cut--;
	return arena_printf(arena, "%.*s...%s", (int)cut, base, suffix);
}

static struct selector
namespace_selector(struct arena *arena, const char *ns)
{
	struct label *label = arena_alloc(arena, sizeof(*label));
	*label = (struct label){ "kubernetes.io/metadata.name", ns };
	return selector_from_labels(arena, label, 1);
}

static struct ir_cnp_peer *
peer_new(struct arena *arena, enum ir_cnp_peer_kind kind)
{
	struct ir_cnp_peer *peer = arena_alloc(arena, sizeof(*peer));
	peer->kind = kind;
	return peer;
}

static struct ir_cnp_peer *
pods_peer(struct arena *arena, struct selector namespaces, struct selector pods)
{
	struct ir_cnp_peer *peer = peer_new(arena, IR_CNP_PODS);
	peer->namespaces = namespaces;
	peer->pods = pods;
	return peer;
}

static struct vec
one_peer(struct arena *arena, struct ir_cnp_peer *peer)
{
	struct vec peers = { 0 };
	vec_push(arena, &peers, peer);
	return peers;
}

static struct vec
every_pod(struct arena *arena)
{
	return one_peer(arena, peer_new(arena, IR_CNP_NAMESPACES));
}

static void
add_network_peers(struct arena *arena, const struct vec *cidrs, struct vec *peers)
{
	for (size_t i = 0; i < cidrs->len; i += CEILING_LIST_MAX) {
		struct ir_cnp_peer *peer = peer_new(arena, IR_CNP_NETWORKS);
		for (size_t k = i; k < cidrs->len && k < i + CEILING_LIST_MAX; k++)
			vec_push(arena, &peer->networks, vec_at(cidrs, k));
		vec_push(arena, peers, peer);
	}
}

static struct vec
every_address(struct arena *arena)
{
	static const struct net_cidr any[] = { { .family = 4 }, { .family = 6 } };
	struct vec cidrs = { 0 }, peers = { 0 };
	for (size_t i = 0; i < 2; i++)
		vec_push(arena, &cidrs, (void *)&any[i]);
	add_network_peers(arena, &cidrs, &peers);
	return peers;
}

static struct vec
slice(struct arena *arena, const struct vec *items, size_t first)
{
	struct vec part = { 0 };
	for (size_t i = first; i < items->len && i < first + CEILING_LIST_MAX; i++)
		vec_push(arena, &part, vec_at(items, i));
	return part;
}

static size_t
chunks(size_t count)
{
	return count ? (count + CEILING_LIST_MAX - 1) / CEILING_LIST_MAX : 1;
}

/* Appends the rules of one grant: action on peers and ports (empty: every
 * port), 25 of each at most per rule; several rules share the grant's
 * name, numbered. */
static void
add_rules(struct arena *arena, struct vec *rules, const char *name, enum ir_cnp_action action,
	const struct vec *peers, const struct vec *ports)
{
	size_t peer_chunks = chunks(peers->len), port_chunks = chunks(ports->len);
	size_t count = peer_chunks * port_chunks, n = 0;
	for (size_t p = 0; p < peer_chunks; p++)
		for (size_t q = 0; q < port_chunks; q++) {
			struct ir_cnp_rule *rule = arena_alloc(arena, sizeof(*rule));
			rule->name = rule_name(arena, name,
				count == 1 ? "" : arena_printf(arena, " [%zu/%zu]", ++n, count));
			rule->action = action;
			rule->peers = slice(arena, peers, p * CEILING_LIST_MAX);
			rule->ports = slice(arena, ports, q * CEILING_LIST_MAX);
			vec_push(arena, rules, rule);
		}
}

static struct ir_cnp *
cnp_new(struct arena *arena, const char *name, int priority, const char *ns,
	const struct selector *pods)
{
	struct ir_cnp *cnp = arena_alloc(arena, sizeof(*cnp));
	cnp->name = name;
	cnp->priority = priority;
	cnp->subject_namespaces = namespace_selector(arena, ns);
	cnp->subject_pods = pods != NULL;
	if (pods)
		cnp->subject_pod_selector = *pods;
	return cnp;
}

/* ---- a vendor's ceiling ---- */

static const char *
grant_text(struct arena *arena, const struct ir_vendor *vendor, const struct ir_flow *flow)
{
	return arena_printf(arena, "%s:%u %s", vendor->source, flow->loc.line,
		flow->dns ? "dns for the names this statement needs" : flow->origin);
}

static const char *
deny_text(struct arena *arena, const struct ir_vendor *vendor, const char *what)
{
	return vendor->expired
		? arena_printf(arena, "deny-all %s: %s has expired", what, vendor->source)
		: arena_printf(arena, "deny-rest: %s that %s does not grant", what, vendor->source);
}

/* docs/admin-tier.md 3: the experimental channel names a host only where
 * its meaning is vendorc's, an exact name; a wildcard there means one or
 * more labels, not one. */
static bool
by_domain_name(const struct builder *b, const struct ir_flow *flow)
{
	return flow->kind == IR_PEER_DOMAIN && b->project->admin_channel == PROJECT_CHANNEL_EXPERIMENTAL
		&& strncmp(flow->domain, "*.", 2) != 0;
}

static bool
add_outside_grant(struct builder *b, const struct ir_vendor *vendor, const struct ir_flow *flow,
	struct vec *rules)
{
	struct arena *arena = b->arena;
	if (by_domain_name(b, flow)) {
		struct ir_cnp_peer *peer = peer_new(arena, IR_CNP_DOMAINS);
		vec_push(arena, &peer->domains, (void *)flow->domain);
		struct vec peers = one_peer(arena, peer);
		add_rules(arena, rules, grant_text(arena, vendor, flow), IR_CNP_ACCEPT, &peers, &flow->ports);
		return true;
	}
	if (flow->cidrs.len == 0) {
		diag_hint(diag_report(b->diags, DIAG_ADMIN_DOMAIN_UNLOCKED, &flow->loc,
			"the admin tier cannot name \"%s\": the lock file gives it no addresses", flow->domain),
			"run \"vendorc lock\" or add the published ranges by hand%s",
			flow->domain[0] == '*' ? "" : "; or set admin.channel: experimental for domainNames");
		return false;
	}
	struct vec peers = { 0 };
	add_network_peers(arena, &flow->cidrs, &peers);
	add_rules(arena, rules, grant_text(arena, vendor, flow), IR_CNP_PASS, &peers, &flow->ports);
	return true;
}

static void
add_pod_grants(struct arena *arena, const struct ir_vendor *vendor, enum ir_direction dir,
	struct vec *rules)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != dir || flow->kind != IR_PEER_PODS)
			continue;
		struct vec peers = one_peer(arena,
			pods_peer(arena, namespace_selector(arena, flow->pods.ns), flow->pods.pods));
		add_rules(arena, rules, grant_text(arena, vendor, flow), IR_CNP_PASS, &peers, &flow->ports);
	}
}

/* Pods before addresses, as for namespaces: each kind's rest is denied
 * right after its grants. */
static bool
vendor_egress(struct builder *b, const struct ir_vendor *vendor, struct vec *rules)
{
	struct arena *arena = b->arena;
	add_pod_grants(arena, vendor, IR_EGRESS, rules);
	struct vec none = { 0 }, pods = every_pod(arena), addresses = every_address(arena);
	add_rules(arena, rules, deny_text(arena, vendor, "pods"), IR_CNP_DENY, &pods, &none);
	bool ok = true;
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir == IR_EGRESS && flow->kind != IR_PEER_PODS)
			ok &= add_outside_grant(b, vendor, flow, rules);
	}
	add_rules(arena, rules, deny_text(arena, vendor, "addresses"), IR_CNP_DENY, &addresses, &none);
	return ok;
}

/* Only pods: the API has no ingress peer for addresses, so `allow from
 * CIDR` stays the NetworkPolicy tier's alone (docs/admin-tier.md 4). */
static void
vendor_ingress(struct builder *b, const struct ir_vendor *vendor, struct vec *rules)
{
	struct arena *arena = b->arena;
	add_pod_grants(arena, vendor, IR_INGRESS, rules);
	struct vec none = { 0 }, pods = every_pod(arena);
	add_rules(arena, rules, deny_text(arena, vendor, "pods"), IR_CNP_DENY, &pods, &none);
}

static int
vendor_layers(const struct project *project)
{
	return project->admin_priorities.last - project->admin_priorities.first + 1 - NAMESPACE_LAYERS;
}

static bool
vendor_ceiling(struct builder *b, struct ir_vendor *vendor)
{
	struct arena *arena = b->arena;
	struct vec egress = { 0 }, ingress = { 0 };
	bool ok = vendor_egress(b, vendor, &egress);
	vendor_ingress(b, vendor, &ingress);
	size_t count = chunks(egress.len) > chunks(ingress.len) ? chunks(egress.len) : chunks(ingress.len);
	int layers = vendor_layers(b->project);
	if (ok && count > (size_t)layers) {
		struct diag *d = diag_report(b->diags, DIAG_ADMIN_BAND_FULL, &vendor->loc,
			"vendor \"%s\" needs %zu ClusterNetworkPolicies at consecutive priorities, and the band "
			"%d-%d leaves %d for vendors", vendor->name, count,
			b->project->admin_priorities.first, b->project->admin_priorities.last, layers);
		diag_hint(d, "widen admin.priorities in the project file, or give statements with the "
			"same ports one statement");
		return false;
	}
	for (size_t j = 0; ok && j < count; j++) {
		const char *name = j ? arena_printf(arena, "vendorc-%s-ceiling-%zu", vendor->name, j + 1)
			: arena_printf(arena, "vendorc-%s-ceiling", vendor->name);
		struct ir_cnp *cnp = cnp_new(arena, name, b->project->admin_priorities.first + (int)j,
			vendor->pods.ns, &vendor->pods.pods);
		cnp->egress = slice(arena, &egress, j * CEILING_LIST_MAX);
		cnp->ingress = slice(arena, &ingress, j * CEILING_LIST_MAX);
		vec_push(arena, &vendor->ceiling, cnp);
	}
	return ok;
}

/* ---- a default-denied namespace's ceiling ---- */

static struct subject_group *
group_of(struct builder *b, struct vec *groups, enum namespace_layer layer, const struct selector *pods)
{
	for (size_t i = 0; i < groups->len; i++) {
		struct subject_group *group = vec_at(groups, i);
		if (group->layer == layer && selector_compare(group->pods, pods) == 0)
			return group;
	}
	struct subject_group *group = arena_alloc(b->arena, sizeof(*group));
	group->layer = layer;
	group->pods = pods;
	vec_push(b->arena, groups, group);
	return group;
}

/* A NetworkPolicy port as the API's protocols say it: a protocol without a
 * port is its whole range. */
static struct vec
catalog_ports(struct arena *arena, const struct vec *netpol_ports, bool names)
{
	struct vec ports = { 0 };
	for (size_t i = 0; i < netpol_ports->len; i++) {
		const struct netpol_port *np = vec_at(netpol_ports, i);
		if (np->port_name && !names)
			continue;
		struct ir_port *port = arena_alloc(arena, sizeof(*port));
		*port = np->has_proto_only ? (struct ir_port){ np->proto, 1, 65535, NULL }
			: (struct ir_port){ np->proto, np->port, np->end_port, np->port_name };
		vec_push(arena, &ports, port);
	}
	return ports;
}

/* A selector no label set satisfies (a catalog's `k In []`): the API
 * refuses to name it, and it names no pod to pass on. */
static bool
satisfiable(struct arena *arena, const struct selector *sel)
{
	struct selector same;
	return selector_and(arena, sel, &(struct selector){ 0 }, &same);
}

/* NULL for a peer that names no pod. */
static struct ir_cnp_peer *
catalog_peer(struct arena *arena, const struct netpol *np, const struct netpol_peer *peer)
{
	if ((peer->has_namespace_selector && !satisfiable(arena, &peer->namespace_selector))
		|| (peer->has_pod_selector && !satisfiable(arena, &peer->pod_selector)))
		return NULL;
	struct selector namespaces = peer->has_namespace_selector ? peer->namespace_selector
		: namespace_selector(arena, np->ns);
	if (!peer->has_pod_selector) {
		struct ir_cnp_peer *all = peer_new(arena, IR_CNP_NAMESPACES);
		all->namespaces = namespaces;
		return all;
	}
	return pods_peer(arena, namespaces, peer->pod_selector);
}

/* One rule of a catalog policy, passed on as it stands: its pods in the
 * pod layer, its egress ranges (less their except) in the address layer.
 * Ingress ranges need nothing: no admin rule can match an address. A
 * named port means nothing to an address. */
static void
catalog_rule_passes(struct builder *b, struct vec *groups, const struct netpol *np, bool ingress,
	size_t index)
{
	struct arena *arena = b->arena;
	const struct netpol_rule *rule = vec_at(ingress ? &np->ingress_rules : &np->egress_rules, index);
	const char *name = arena_printf(arena, "catalog NetworkPolicy %s/%s spec.%s[%zu]", np->ns,
		np->name, ingress ? "ingress" : "egress", index);
	struct vec pods = { 0 }, cidrs = { 0 }, addresses = { 0 };
	if (rule->peers.len == 0) {
		pods = every_pod(arena);
		addresses = ingress ? addresses : every_address(arena);
	}
	for (size_t i = 0; i < rule->peers.len; i++) {
		const struct netpol_peer *peer = vec_at(&rule->peers, i);
		struct ir_cnp_peer *named = peer->has_cidr ? NULL : catalog_peer(arena, np, peer);
		if (named)
			vec_push(arena, &pods, named);
		if (peer->has_cidr && !ingress)
			net_cidr_subtract(arena, &peer->cidr, &peer->except, &cidrs);
	}
	add_network_peers(arena, &cidrs, &addresses);
	struct subject_group *pod_group = group_of(b, groups, LAYER_PASS_PODS, &np->pod_selector);
	struct vec ports = catalog_ports(arena, &rule->ports, true);
	if (pods.len)
		add_rules(arena, ingress ? &pod_group->ingress : &pod_group->egress, name, IR_CNP_PASS,
			&pods, &ports);
	struct vec numbered = catalog_ports(arena, &rule->ports, false);
	if (addresses.len && (numbered.len || rule->ports.len == 0))
		add_rules(arena, &group_of(b, groups, LAYER_PASS_NETWORKS, &np->pod_selector)->egress, name,
			IR_CNP_PASS, &addresses, &numbered);
}

static void
catalog_passes(struct builder *b, struct vec *groups, const char *ns)
{
	size_t first, end;
	netpol_range(&b->catalog->netpols, ns, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct netpol *np = vec_at(&b->catalog->netpols, i);
		if (!satisfiable(b->arena, &np->pod_selector))
			continue;
		for (size_t r = 0; np->ingress && r < np->ingress_rules.len; r++)
			catalog_rule_passes(b, groups, np, true, r);
		for (size_t r = 0; np->egress && r < np->egress_rules.len; r++)
			catalog_rule_passes(b, groups, np, false, r);
	}
}

/* A vendor's flow with its far end here: that end's side of it. */
struct crossing {
	const struct ir_vendor *vendor;
	const struct ir_flow *flow;
};

static void
crossing_passes(struct builder *b, struct vec *groups, const struct vec *crossings)
{
	struct arena *arena = b->arena;
	for (size_t i = 0; crossings && i < crossings->len; i++) {
		const struct crossing *c = vec_at(crossings, i);
		struct subject_group *group = group_of(b, groups, LAYER_PASS_PODS, &c->flow->pods.pods);
		struct vec peers = one_peer(arena, pods_peer(arena,
			namespace_selector(arena, c->vendor->pods.ns), c->vendor->pods.pods));
		add_rules(arena, c->flow->dir == IR_EGRESS ? &group->ingress : &group->egress,
			grant_text(arena, c->vendor, c->flow), IR_CNP_PASS, &peers, &c->flow->ports);
	}
}

static int
compare_groups(const void *a, const void *b)
{
	const struct subject_group *x = *(const struct subject_group *const *)a;
	const struct subject_group *y = *(const struct subject_group *const *)b;
	return x->layer != y->layer ? (int)x->layer - (int)y->layer : selector_compare(x->pods, y->pods);
}

static int
layer_priority(const struct project *project, enum namespace_layer layer)
{
	return project->admin_priorities.last - (NAMESPACE_LAYERS - 1) + (int)layer;
}

static void
group_objects(struct builder *b, const char *ns, const struct subject_group *group, struct vec *out)
{
	struct arena *arena = b->arena;
	size_t count = chunks(group->egress.len) > chunks(group->ingress.len) ? chunks(group->egress.len)
		: chunks(group->ingress.len);
	unsigned hash = (unsigned)(hash_text(selector_text(arena, group->pods)) & 0xffffffffu);
	const char *base = arena_printf(arena, "vendorc-namespace-%s-pass-%s-%08x", ns,
		group->layer == LAYER_PASS_PODS ? "pods" : "addresses", hash);
	for (size_t j = 0; j < count; j++) {
		struct ir_cnp *cnp = cnp_new(arena, j ? arena_printf(arena, "%s-%zu", base, j + 1) : base,
			layer_priority(b->project, group->layer), ns, group->pods);
		cnp->ingress = slice(arena, &group->ingress, j * CEILING_LIST_MAX);
		cnp->egress = slice(arena, &group->egress, j * CEILING_LIST_MAX);
		vec_push(arena, out, cnp);
	}
}

static void
deny_objects(struct builder *b, const char *ns, struct vec *out)
{
	struct arena *arena = b->arena;
	struct vec none = { 0 }, pods = every_pod(arena), addresses = every_address(arena);
	struct ir_cnp *deny_pods = cnp_new(arena, arena_printf(arena, "vendorc-namespace-%s-deny-pods", ns),
		layer_priority(b->project, LAYER_DENY_PODS), ns, NULL);
	const char *rest = arena_printf(arena, "deny-rest: pods that neither the catalog nor a vendor "
		"file grants in %s", ns);
	add_rules(arena, &deny_pods->ingress, rest, IR_CNP_DENY, &pods, &none);
	add_rules(arena, &deny_pods->egress, rest, IR_CNP_DENY, &pods, &none);
	struct ir_cnp *deny_addresses = cnp_new(arena,
		arena_printf(arena, "vendorc-namespace-%s-deny-addresses", ns),
		layer_priority(b->project, LAYER_DENY_NETWORKS), ns, NULL);
	add_rules(arena, &deny_addresses->egress, arena_printf(arena, "deny-rest: addresses that "
		"neither the catalog nor a vendor file grants in %s", ns), IR_CNP_DENY, &addresses, &none);
	vec_push(arena, out, deny_pods);
	vec_push(arena, out, deny_addresses);
}

/* As the tier meets them, so the file reads top to bottom. */
static int
compare_cnps(const void *a, const void *b)
{
	const struct ir_cnp *x = *(const struct ir_cnp *const *)a, *y = *(const struct ir_cnp *const *)b;
	return x->priority != y->priority ? x->priority - y->priority : strcmp(x->name, y->name);
}

static struct ir_namespace_ceiling *
namespace_ceiling(struct builder *b, const char *ns, const struct vec *crossings)
{
	struct vec groups = { 0 };
	catalog_passes(b, &groups, ns);
	crossing_passes(b, &groups, crossings);
	vec_sort(&groups, compare_groups);
	struct ir_namespace_ceiling *ceiling = arena_alloc(b->arena, sizeof(*ceiling));
	ceiling->ns = ns;
	for (size_t i = 0; i < groups.len; i++)
		group_objects(b, ns, vec_at(&groups, i), &ceiling->cnps);
	deny_objects(b, ns, &ceiling->cnps);
	vec_sort(&ceiling->cnps, compare_cnps);
	return ceiling;
}

/* Each active vendor's in-cluster flows filed by the default-denied
 * namespace of their far end: one pass over the flows, not one per
 * namespace. */
static struct vec **
file_crossings(struct builder *b)
{
	const struct vec *denied = &b->ir->denied_namespaces;
	struct vec **by_namespace = arena_array(b->arena, denied->len, sizeof(*by_namespace));
	for (size_t v = 0; v < b->ir->vendors.len; v++) {
		const struct ir_vendor *vendor = vec_at(&b->ir->vendors, v);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			size_t index = flow->kind != IR_PEER_PODS ? SIZE_MAX
				: vec_find_index(denied, flow->pods.ns, vec_string_order);
			if (index == SIZE_MAX)
				continue;
			if (!by_namespace[index])
				by_namespace[index] = arena_alloc(b->arena, sizeof(**by_namespace));
			struct crossing *c = arena_alloc(b->arena, sizeof(*c));
			*c = (struct crossing){ vendor, flow };
			vec_push(b->arena, by_namespace[index], c);
		}
	}
	return by_namespace;
}

bool
ceiling_build(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, struct ir *ir)
{
	if (project->enforce != PROJECT_ENFORCE_ADMIN)
		return true;
	struct builder b = { arena, diags, project, catalog, ir };
	ir->admin = true;
	bool ok = true;
	for (size_t i = 0; i < ir->vendors.len; i++)
		ok &= vendor_ceiling(&b, vec_at(&ir->vendors, i));
	struct vec **crossings = file_crossings(&b);
	for (size_t i = 0; i < ir->denied_namespaces.len; i++)
		vec_push(arena, &ir->ceilings,
			namespace_ceiling(&b, vec_at(&ir->denied_namespaces, i), crossings[i]));
	return ok;
}
