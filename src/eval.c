#include "vendorc/eval.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval_cilium.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A rule of a policy, with the policy's rank in the world's order: among
 * several admitting rules, the policy named is the lowest-ranked, the same
 * one a plain scan in order would name. */
struct rule_ref {
	const struct netpol *np;
	const struct netpol_rule *rule;
	size_t rank;
};

/* A rule of a Cilium policy, with the policy's rank in the world's order
 * (the first of several admitting rules is the one named). */
struct cilium_ref {
	const struct ciliumpol *cp;
	const struct cilium_rule *rule;
	size_t rank;
};

/* What decides one direction for one pod, worked out once per pod: the
 * lowest-ranked policy that selects it (NULL: not isolated), its rules that
 * need looking at for any far end, and those filed by the one namespace
 * their peers name. A namespace with ten thousand grants, one per vendor,
 * then costs a lookup, not a scan. */
struct pod_side {
	const struct netpol *first;
	size_t first_rank;
	struct vec general;          /* struct rule_ref * */
	struct text_table pinned;
	struct vec tiers[2];         /* struct cnp_ref *, by enum clusterpol_tier: those selecting
	                              * the pod with rules in this direction, in evaluation order */
	/* Cilium policies selecting the pod: the first with default deny in
	 * this direction, their allow rules (general and by the one namespace
	 * their endpoints name, as above) and their deny rules. */
	const struct ciliumpol *cilium_first;
	struct vec cilium_general;   /* struct cilium_ref * */
	struct text_table cilium_pinned;
	struct vec cilium_deny;      /* struct cilium_ref * */
};

struct pod_entry {
	struct eval_pod pod;         /* its own copy of the label array */
	uint64_t hash;
	struct pod_side sides[2];    /* [0] egress, [1] ingress */
	const struct netpol *adversary; /* with eval_world_set_adversary: its namespace's allow-all */
	const struct label *identity;   /* its Cilium identity labels (worlds with Cilium policies) */
	size_t identity_count;
};

/* A pod last asked about at one slot, by where its strings are. The probe
 * loops ask about the same pods millions of times, and hashing their
 * content each time took a third of a check. Label strings are never
 * rewritten in place, so equal addresses of the namespace and of every key
 * and value mean equal content; a caller's array reused for another pod
 * holds other strings and misses. */
#define POD_MEMO_BITS 10
#define POD_MEMO_SLOTS (1 << POD_MEMO_BITS)
#define POD_MEMO_LABELS 8
struct pod_memo {
	const char *ns;
	size_t label_count;
	struct label labels[POD_MEMO_LABELS]; /* the pointers as they were */
	const struct pod_entry *entry;
};

/* A ClusterNetworkPolicy and its place in the world's order. */
struct cnp_ref {
	const struct clusterpol *cp;
	size_t rank;
};

/* A name a domainNames peer may match and the addresses it resolves to. */
struct eval_domain {
	const char *name;
	const struct vec *cidrs;     /* struct net_cidr * */
};

/* One address range of a name, for the names an address is known by. */
struct domain_range {
	struct net_cidr cidr;        /* its network address, masked */
	const char *name;
};

/* The policies of one namespace that share a podSelector: a pod is tried
 * once against it, not once per policy, since the grants of ten thousand
 * vendors to one Service all select its pods. */
struct selector_group {
	const struct selector *selector;
	size_t *ranks;               /* in the world's netpols, ascending */
	size_t count;
};

struct ns_policies {
	const char *ns;
	struct selector_group *groups;
	size_t group_count;
};

struct eval_world {
	struct arena *arena;
	struct vec netpols;          /* sorted by namespace */
	struct vec by_namespace;     /* struct ns_policies *, by namespace */
	struct vec namespaces;       /* sorted by name */
	/* ClusterNetworkPolicies, each filed by the one namespace its subject
	 * names by kubernetes.io/metadata.name (so that ten thousand vendors'
	 * policies cost a pod a lookup), or else in general. */
	struct text_table cnp_pinned;  /* struct cnp_ref * */
	struct vec cnp_general;      /* struct cnp_ref *, in order */
	struct vec cluster_cidrs;    /* struct net_cidr * */
	struct vec domains;          /* struct eval_domain * */
	struct vec domain_ranges;    /* struct domain_range *, by range, made when first asked */
	uint8_t range_prefixes[2][129]; /* [v4, v6]: the prefix lengths ranges have, ascending */
	size_t prefix_count[2];
	bool ranges_indexed;
	struct vec names;            /* const char *: names_at's answer */
	struct net_cidr names_of;    /* the address it is for (prefix 0: none yet) */
	/* Cilium policies in the world's order, namespaced ones filed by
	 * namespace, clusterwide ones in general. */
	struct vec ciliumpols;       /* struct ciliumpol * */
	struct text_table cilium_by_ns; /* struct cilium_ref * (rule NULL) */
	struct vec cilium_clusterwide; /* struct cilium_ref * (rule NULL) */
	const struct catalog *catalog; /* the Services toServices names (NULL: none) */
	bool adversary;
	struct netpol_rule *allow_all; /* the adversary's one rule: no peers, no ports */
	struct pod_entry **entries;  /* open addressing by pod content */
	size_t entry_cap;
	size_t entry_len;
	struct pod_memo *memo;       /* POD_MEMO_SLOTS, in front of entries */
};

/* The tables from a namespace name to what is filed under it (struct vec
 * *): the rules whose every peer lies in that namespace, or the
 * ClusterNetworkPolicies whose subject is there. */
static const struct vec *
ns_find(const struct text_table *table, const char *ns)
{
	return text_table_find(table, ns);
}

static int
compare_namespace(const void *a, const void *b)
{
	return strcmp((*(const struct eval_namespace *const *)a)->name,
		(*(const struct eval_namespace *const *)b)->name);
}

struct ranked {
	const struct netpol *np;
	size_t rank;
};

static int
compare_by_selector(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int by_selector = selector_compare(&x->np->pod_selector, &y->np->pod_selector);
	return by_selector ? by_selector : (x->rank > y->rank) - (x->rank < y->rank);
}

/* The netpols from first to end, all of one namespace, grouped by
 * podSelector. */
static struct ns_policies *
group_namespace(struct eval_world *world, size_t first, size_t end)
{
	struct ranked *sorted = arena_array(world->arena, end - first, sizeof(*sorted));
	for (size_t i = first; i < end; i++)
		sorted[i - first] = (struct ranked){ vec_at(&world->netpols, i), i };
	qsort(sorted, end - first, sizeof(*sorted), compare_by_selector);
	struct ns_policies *in_ns = arena_alloc(world->arena, sizeof(*in_ns));
	in_ns->ns = sorted[0].np->ns;
	in_ns->groups = arena_array(world->arena, end - first, sizeof(*in_ns->groups));
	size_t *ranks = arena_array(world->arena, end - first, sizeof(*ranks));
	struct selector_group *group = NULL;
	for (size_t i = 0; i < end - first; i++) {
		if (!group || selector_compare(group->selector, &sorted[i].np->pod_selector) != 0) {
			group = &in_ns->groups[in_ns->group_count++];
			*group = (struct selector_group){ &sorted[i].np->pod_selector, ranks + i, 0 };
		}
		group->ranks[group->count++] = sorted[i].rank;
	}
	return in_ns;
}

static void
group_policies(struct eval_world *world)
{
	for (size_t first = 0, end; first < world->netpols.len; first = end) {
		netpol_range(&world->netpols, ((const struct netpol *)vec_at(&world->netpols, first))->ns,
			&first, &end);
		vec_push(world->arena, &world->by_namespace, group_namespace(world, first, end));
	}
}

static int
ns_policies_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct ns_policies *)item)->ns);
}

static const struct ns_policies *
policies_in(const struct eval_world *world, const char *ns)
{
	return vec_find(&world->by_namespace, ns, ns_policies_order);
}

static void
file_clusterpols(struct eval_world *world, const struct vec *clusterpols)
{
	struct vec sorted = { 0 };
	vec_append(world->arena, &sorted, clusterpols);
	vec_sort(&sorted, clusterpol_compare);
	for (size_t i = 0; i < sorted.len; i++) {
		struct cnp_ref *ref = arena_alloc(world->arena, sizeof(*ref));
		*ref = (struct cnp_ref){ vec_at(&sorted, i), i };
		const char *ns = clusterpol_subject_namespace(ref->cp);
		if (ns)
			text_table_push(world->arena, &world->cnp_pinned, ns, ref);
		else
			vec_push(world->arena, &world->cnp_general, ref);
	}
}

static void
file_ciliumpols(struct eval_world *world, const struct vec *ciliumpols)
{
	vec_append(world->arena, &world->ciliumpols, ciliumpols);
	vec_sort(&world->ciliumpols, ciliumpol_compare);
	for (size_t i = 0; i < world->ciliumpols.len; i++) {
		struct cilium_ref *ref = arena_alloc(world->arena, sizeof(*ref));
		*ref = (struct cilium_ref){ vec_at(&world->ciliumpols, i), NULL, i };
		if (ref->cp->ns)
			text_table_push(world->arena, &world->cilium_by_ns, ref->cp->ns, ref);
		else
			vec_push(world->arena, &world->cilium_clusterwide, ref);
	}
}

struct eval_world *
eval_world_create(struct arena *arena, const struct eval_policies *policies, const struct vec *namespaces)
{
	struct eval_world *world = arena_alloc(arena, sizeof(*world));
	world->arena = arena;
	vec_append(arena, &world->netpols, &policies->netpols);
	vec_append(arena, &world->namespaces, namespaces);
	vec_sort(&world->netpols, netpol_compare);
	vec_sort(&world->namespaces, compare_namespace);
	group_policies(world);
	file_clusterpols(world, &policies->clusterpols);
	file_ciliumpols(world, &policies->ciliumpols);
	return world;
}

struct eval_world *
eval_world_of_catalog(struct arena *arena, const struct catalog *catalog, const struct eval_policies *extra)
{
	struct eval_policies policies = { 0 };
	struct vec namespaces = { 0 };
	vec_append(arena, &policies.netpols, &catalog->netpols);
	vec_append(arena, &policies.clusterpols, &catalog->clusterpols);
	vec_append(arena, &policies.ciliumpols, &catalog->ciliumpols);
	if (extra) {
		vec_append(arena, &policies.netpols, &extra->netpols);
		vec_append(arena, &policies.clusterpols, &extra->clusterpols);
		vec_append(arena, &policies.ciliumpols, &extra->ciliumpols);
	}
	for (size_t i = 0; i < catalog->namespaces.len; i++) {
		const struct catalog_namespace *cn = vec_at(&catalog->namespaces, i);
		/* The API server sets this label on every namespace; a dump may
		 * lack it only when hand-written, so it is added. */
		struct label *labels = arena_array(arena, cn->label_count + 1, sizeof(*labels));
		copy_items(labels, cn->labels, cn->label_count, sizeof(*labels));
		labels[cn->label_count] = (struct label){ "kubernetes.io/metadata.name", cn->name };
		struct eval_namespace *en = arena_alloc(arena, sizeof(*en));
		*en = (struct eval_namespace){ cn->name, labels, cn->label_count + 1 };
		vec_push(arena, &namespaces, en);
	}
	struct eval_world *world = eval_world_create(arena, &policies, &namespaces);
	world->catalog = catalog;
	return world;
}

void
eval_world_set_cluster_cidrs(struct eval_world *world, const struct vec *cidrs)
{
	world->cluster_cidrs = (struct vec){ 0 };
	vec_append(world->arena, &world->cluster_cidrs, cidrs);
}

void
eval_world_add_domain(struct eval_world *world, const char *name, const struct vec *cidrs)
{
	struct eval_domain *domain = arena_alloc(world->arena, sizeof(*domain));
	*domain = (struct eval_domain){ name, cidrs };
	vec_push(world->arena, &world->domains, domain);
	world->ranges_indexed = false;
}

/* The pods already worked out have no adversary yet: they are forgotten. */
void
eval_world_set_adversary(struct eval_world *world)
{
	world->adversary = true;
	world->allow_all = arena_alloc(world->arena, sizeof(*world->allow_all));
	world->entries = NULL;
	world->entry_cap = 0;
	world->entry_len = 0;
	world->memo = NULL;
}

void
eval_namespace_labels(const struct eval_world *world, const char *ns, const struct label **labels,
	size_t *count)
{
	struct eval_namespace key = { .name = ns }, *keyp = &key;
	struct eval_namespace **found = world->namespaces.len
		? bsearch(&keyp, world->namespaces.items, world->namespaces.len, sizeof(void *),
			compare_namespace)
		: NULL;
	if (found) {
		*labels = (*found)->labels;
		*count = (*found)->label_count;
		return;
	}
	/* The API server gives every namespace this label, so it is always there. */
	struct label *own = arena_alloc(world->arena, sizeof(*own));
	*own = (struct label){ "kubernetes.io/metadata.name", ns };
	*labels = own;
	*count = 1;
}

/* Whether a rule's peer names the other end. policy_ns is the namespace
 * of the policy: a podSelector alone means pods of that namespace. */
static bool
peer_matches(const struct eval_world *world, const struct netpol_peer *peer,
	const char *policy_ns, const struct eval_end *other)
{
	if (peer->has_cidr) {
		if (other->pod || !net_cidr_contains(&peer->cidr, &other->addr))
			return false;
		for (size_t i = 0; i < peer->except.len; i++)
			if (net_cidr_contains(vec_at(&peer->except, i), &other->addr))
				return false;
		return true;
	}
	if (!other->pod)
		return false;
	if (peer->has_namespace_selector) {
		const struct label *labels;
		size_t count;
		eval_namespace_labels(world, other->pod->ns, &labels, &count);
		if (!selector_matches(&peer->namespace_selector, labels, count))
			return false;
	} else if (strcmp(other->pod->ns, policy_ns) != 0) {
		return false;
	}
	return !peer->has_pod_selector
		|| selector_matches(&peer->pod_selector, other->pod->labels, other->pod->label_count);
}

static bool
port_matches(const struct netpol_port *rule, const struct eval_port *port)
{
	if (rule->proto != port->proto)
		return false;
	if (rule->has_proto_only)
		return true;
	if (rule->port_name || port->name)
		return rule->port_name && port->name && strcmp(rule->port_name, port->name) == 0;
	if (rule->end_port)
		return port->number >= rule->port && port->number <= rule->end_port;
	return port->number == rule->port;
}

/* Whether a policy port entry list admits port (empty: every port). */
static bool
ports_match(const struct vec *netpol_ports, const struct eval_port *port)
{
	if (netpol_ports->len == 0)
		return true;
	for (size_t i = 0; i < netpol_ports->len; i++)
		if (port_matches(vec_at(netpol_ports, i), port))
			return true;
	return false;
}

/* The first peer of rule that names the other end, or NULL. */
static const struct netpol_peer *
matching_peer(const struct eval_world *world, const struct netpol_rule *rule, const char *policy_ns,
	const struct eval_end *other)
{
	for (size_t i = 0; i < rule->peers.len; i++)
		if (peer_matches(world, vec_at(&rule->peers, i), policy_ns, other))
			return vec_at(&rule->peers, i);
	return NULL;
}

static bool
rule_admits(const struct eval_world *world, const struct netpol_rule *rule, const char *policy_ns,
	const struct eval_end *other, const struct eval_port *port)
{
	return ports_match(&rule->ports, port)
		&& (rule->peers.len == 0 || matching_peer(world, rule, policy_ns, other));
}

/* ---- the per-pod tables ---- */

static void
file_rule(struct arena *arena, struct pod_side *side, struct rule_ref *ref)
{
	const struct vec *peers = &ref->rule->peers;
	for (size_t i = 0; i < peers->len; i++)
		if (!netpol_peer_namespace(ref->np, vec_at(peers, i))) {
			vec_push(arena, &side->general, ref);
			return;
		}
	if (peers->len == 0)
		vec_push(arena, &side->general, ref);
	for (size_t i = 0; i < peers->len; i++)
		text_table_push(arena, &side->pinned, netpol_peer_namespace(ref->np, vec_at(peers, i)), ref);
}

/* The policy of that rank selects the pod of entry: its rules are filed,
 * and it is the first of a side when no lower-ranked one is. */
static void
add_selecting(struct eval_world *world, struct pod_entry *entry, size_t rank)
{
	const struct netpol *np = vec_at(&world->netpols, rank);
	for (int dir = 0; dir < 2; dir++) {
		struct pod_side *side = &entry->sides[dir];
		if (!(dir ? np->ingress : np->egress))
			continue;
		if (!side->first || rank < side->first_rank) {
			side->first = np;
			side->first_rank = rank;
		}
		const struct vec *rules = dir ? &np->ingress_rules : &np->egress_rules;
		for (size_t r = 0; r < rules->len; r++) {
			struct rule_ref *ref = arena_alloc(world->arena, sizeof(*ref));
			*ref = (struct rule_ref){ np, vec_at(rules, r), rank };
			file_rule(world->arena, side, ref);
		}
	}
}

static bool
subject_selects(const struct eval_world *world, const struct clusterpol *cp, const struct eval_pod *pod)
{
	const struct label *labels;
	size_t count;
	eval_namespace_labels(world, pod->ns, &labels, &count);
	return selector_matches(&cp->subject_namespaces, labels, count)
		&& (!cp->subject_pods
			|| selector_matches(&cp->subject_pod_selector, pod->labels, pod->label_count));
}

static int
compare_cnp_rank(const void *a, const void *b)
{
	const struct cnp_ref *x = *(const struct cnp_ref *const *)a;
	const struct cnp_ref *y = *(const struct cnp_ref *const *)b;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The ClusterNetworkPolicies that select the pod of entry, filed by
 * direction and tier in the order the tiers ask them. */
static void
fill_tiers(struct eval_world *world, struct pod_entry *entry)
{
	struct vec selecting = { 0 };
	const struct vec *candidates[] = { ns_find(&world->cnp_pinned, entry->pod.ns), &world->cnp_general };
	for (size_t c = 0; c < 2; c++)
		for (size_t i = 0; candidates[c] && i < candidates[c]->len; i++) {
			struct cnp_ref *ref = vec_at(candidates[c], i);
			if (subject_selects(world, ref->cp, &entry->pod))
				vec_push(world->arena, &selecting, ref);
		}
	vec_sort(&selecting, compare_cnp_rank);
	for (size_t i = 0; i < selecting.len; i++) {
		struct cnp_ref *ref = vec_at(&selecting, i);
		if (ref->cp->egress_rules.len)
			vec_push(world->arena, &entry->sides[0].tiers[ref->cp->tier], ref);
		if (ref->cp->ingress_rules.len)
			vec_push(world->arena, &entry->sides[1].tiers[ref->cp->tier], ref);
	}
}

/* ---- Cilium policies, per pod ---- */

/* A rule whose every peer is pods of one namespace (each endpoint
 * selector confined to one) is filed under those; any other is looked at
 * for every far end. */
static void
file_cilium_rule(struct eval_world *world, struct pod_side *side, struct cilium_ref *ref)
{
	const struct cilium_rule *rule = ref->rule;
	bool pods_only = rule->has_peers && rule->endpoints.len && !rule->cidrs.len && !rule->entities
		&& !rule->fqdns.len && !rule->services.len && !rule->unmodelled_peer;
	for (size_t i = 0; pods_only && i < rule->endpoints.len; i++)
		pods_only = ciliumpol_endpoint_namespace(ref->cp, vec_at(&rule->endpoints, i)) != NULL;
	if (!pods_only) {
		vec_push(world->arena, &side->cilium_general, ref);
		return;
	}
	for (size_t i = 0; i < rule->endpoints.len; i++)
		text_table_push(world->arena, &side->cilium_pinned,
			ciliumpol_endpoint_namespace(ref->cp, vec_at(&rule->endpoints, i)), ref);
}

static void
file_cilium_rules(struct eval_world *world, struct vec *to, const struct vec *rules,
	const struct cilium_ref *policy, struct pod_side *side)
{
	for (size_t r = 0; r < rules->len; r++) {
		struct cilium_ref *ref = arena_alloc(world->arena, sizeof(*ref));
		*ref = (struct cilium_ref){ policy->cp, vec_at(rules, r), policy->rank };
		if (to)
			vec_push(world->arena, to, ref);
		else
			file_cilium_rule(world, side, ref);
	}
}

static void
add_selecting_cilium(struct eval_world *world, struct pod_entry *entry, const struct cilium_ref *policy)
{
	const struct ciliumpol *cp = policy->cp;
	const bool default_deny[2] = { cp->default_deny_egress, cp->default_deny_ingress };
	const struct vec *allow[2] = { &cp->egress, &cp->ingress }, *deny[2] = { &cp->egress_deny, &cp->ingress_deny };
	for (int dir = 0; dir < 2; dir++) {
		struct pod_side *side = &entry->sides[dir];
		if (default_deny[dir] && !side->cilium_first)
			side->cilium_first = cp;
		file_cilium_rules(world, NULL, allow[dir], policy, side);
		file_cilium_rules(world, &side->cilium_deny, deny[dir], policy, side);
	}
}

static int
compare_cilium_rank(const void *a, const void *b)
{
	const struct cilium_ref *x = *(const struct cilium_ref *const *)a;
	const struct cilium_ref *y = *(const struct cilium_ref *const *)b;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

static void
fill_cilium(struct eval_world *world, struct pod_entry *entry)
{
	const struct label *ns_labels;
	size_t ns_count;
	eval_namespace_labels(world, entry->pod.ns, &ns_labels, &ns_count);
	cilium_identity(world->arena, &entry->pod, ns_labels, ns_count, &entry->identity, &entry->identity_count);
	struct vec selecting = { 0 };
	const struct vec *candidates[] = { &world->cilium_clusterwide, ns_find(&world->cilium_by_ns, entry->pod.ns) };
	for (size_t c = 0; c < 2; c++)
		for (size_t i = 0; candidates[c] && i < candidates[c]->len; i++) {
			struct cilium_ref *ref = vec_at(candidates[c], i);
			if (cilium_selects(ref->cp, entry->pod.ns, entry->identity, entry->identity_count))
				vec_push(world->arena, &selecting, ref);
		}
	vec_sort(&selecting, compare_cilium_rank);
	for (size_t i = 0; i < selecting.len; i++)
		add_selecting_cilium(world, entry, vec_at(&selecting, i));
}

/* check --adversarial's policy for the pod's namespace: it selects every
 * pod there and admits everything both ways. */
static const struct netpol *
adversary_policy(struct eval_world *world, const char *ns)
{
	struct netpol *np = arena_alloc(world->arena, sizeof(*np));
	*np = (struct netpol){ .ns = ns, .name = "vendorc-adversary-allow-all", .ingress = true,
		.egress = true };
	vec_push(world->arena, &np->ingress_rules, world->allow_all);
	vec_push(world->arena, &np->egress_rules, world->allow_all);
	return np;
}

static void
fill_entry(struct eval_world *world, struct pod_entry *entry)
{
	fill_tiers(world, entry);
	if (world->ciliumpols.len)
		fill_cilium(world, entry);
	if (world->adversary)
		entry->adversary = adversary_policy(world, entry->pod.ns);
	const struct eval_pod *pod = &entry->pod;
	const struct ns_policies *in_ns = policies_in(world, pod->ns);
	for (size_t g = 0; in_ns && g < in_ns->group_count; g++) {
		const struct selector_group *group = &in_ns->groups[g];
		if (!selector_matches(group->selector, pod->labels, pod->label_count))
			continue;
		for (size_t k = 0; k < group->count; k++)
			add_selecting(world, entry, group->ranks[k]);
	}
}

/* FNV-1a over a string and its terminator, so that "ab","c" and "a","bc"
 * hash apart. */
static uint64_t
hash_string(uint64_t hash, const char *text)
{
	do
		hash = (hash ^ (unsigned char)*text) * 1099511628211u;
	while (*text++);
	return hash;
}

static uint64_t
hash_pod(const struct eval_pod *pod)
{
	uint64_t hash = hash_string(14695981039346656037u, pod->ns);
	for (size_t i = 0; i < pod->label_count; i++)
		hash = hash_string(hash_string(hash, pod->labels[i].key), pod->labels[i].value);
	return hash;
}

static bool
same_pod(const struct eval_pod *a, const struct eval_pod *b)
{
	if (strcmp(a->ns, b->ns) != 0 || a->label_count != b->label_count)
		return false;
	for (size_t i = 0; i < a->label_count; i++)
		if (strcmp(a->labels[i].key, b->labels[i].key) != 0
			|| strcmp(a->labels[i].value, b->labels[i].value) != 0)
			return false;
	return true;
}

static void
grow_entries(struct eval_world *world)
{
	struct pod_entry **old = world->entries;
	size_t old_cap = world->entry_cap;
	world->entry_cap = old_cap ? old_cap * 2 : 64;
	world->entries = arena_array(world->arena, world->entry_cap, sizeof(*world->entries));
	size_t mask = world->entry_cap - 1;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i])
			continue;
		size_t at = old[i]->hash & mask;
		while (world->entries[at])
			at = (at + 1) & mask;
		world->entries[at] = old[i];
	}
}

/* The tables of a pod, worked out the first time a pod with its namespace
 * and labels is asked about. Keyed by content, not by the caller's struct:
 * a caller's pod on the stack takes the address of the one before it, and
 * keying by address once gave one vendor's flow another pod's policies. */
static const struct pod_entry *
pod_entry_by_content(struct eval_world *world, const struct eval_pod *pod)
{
	if (2 * (world->entry_len + 1) > world->entry_cap)
		grow_entries(world);
	uint64_t hash = hash_pod(pod);
	size_t mask = world->entry_cap - 1, at = hash & mask;
	while (world->entries[at] && !(world->entries[at]->hash == hash
		&& same_pod(&world->entries[at]->pod, pod)))
		at = (at + 1) & mask;
	if (!world->entries[at]) {
		struct pod_entry *entry = arena_alloc(world->arena, sizeof(*entry));
		struct label *labels = arena_array(world->arena, pod->label_count, sizeof(*labels));
		copy_items(labels, pod->labels, pod->label_count, sizeof(*labels));
		entry->pod = (struct eval_pod){ pod->ns, labels, pod->label_count };
		entry->hash = hash;
		fill_entry(world, entry);
		world->entries[at] = entry;
		world->entry_len++;
	}
	return world->entries[at];
}

static struct pod_memo *
memo_slot(struct eval_world *world, const struct eval_pod *pod)
{
	if (!world->memo)
		world->memo = arena_array(world->arena, POD_MEMO_SLOTS, sizeof(*world->memo));
	uint64_t key = ((uintptr_t)pod->labels ^ (uintptr_t)pod->ns << 1) * 0x9e3779b97f4a7c15u;
	return &world->memo[key >> (64 - POD_MEMO_BITS)];
}

static bool
memo_holds(const struct pod_memo *memo, const struct eval_pod *pod)
{
	if (!memo->entry || memo->ns != pod->ns || memo->label_count != pod->label_count)
		return false;
	for (size_t i = 0; i < pod->label_count; i++)
		if (memo->labels[i].key != pod->labels[i].key || memo->labels[i].value != pod->labels[i].value)
			return false;
	return true;
}

static const struct pod_entry *
pod_entry(struct eval_world *world, const struct eval_pod *pod)
{
	if (pod->label_count > POD_MEMO_LABELS)
		return pod_entry_by_content(world, pod);
	struct pod_memo *memo = memo_slot(world, pod);
	if (memo_holds(memo, pod))
		return memo->entry;
	memo->entry = pod_entry_by_content(world, pod);
	memo->ns = pod->ns;
	memo->label_count = pod->label_count;
	copy_items(memo->labels, pod->labels, pod->label_count, sizeof(*memo->labels));
	return memo->entry;
}

static const struct rule_ref *
best_admitting(const struct eval_world *world, const struct vec *refs, const struct eval_end *other,
	const struct eval_port *port, const struct rule_ref *best)
{
	for (size_t i = 0; refs && i < refs->len; i++) {
		const struct rule_ref *ref = vec_at(refs, i);
		if ((!best || ref->rank < best->rank) && rule_admits(world, ref->rule, ref->np->ns, other, port))
			best = ref;
	}
	return best;
}

/* ---- the names an address is known by ---- */

static int
compare_range_key(const struct net_cidr *a, const struct net_cidr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int
compare_ranges(const void *a, const void *b)
{
	return compare_range_key(&(*(const struct domain_range *const *)a)->cidr,
		&(*(const struct domain_range *const *)b)->cidr);
}

static int
range_order(const void *key, const void *item)
{
	return compare_range_key(key, &((const struct domain_range *)item)->cidr);
}

static void
mask_to(struct net_cidr *cidr, int prefix)
{
	int bits = cidr->family == 4 ? 32 : 128;
	for (int bit = prefix; bit < bits; bit++)
		cidr->addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	cidr->prefix = (uint8_t)prefix;
}

/* Every range of every name, by its masked network: an address then looks
 * up once per prefix length in use, not once per name. */
static void
index_ranges(struct eval_world *world)
{
	world->domain_ranges = (struct vec){ 0 };
	bool used[2][129] = { { false } };
	for (size_t i = 0; i < world->domains.len; i++) {
		const struct eval_domain *domain = vec_at(&world->domains, i);
		for (size_t c = 0; domain->cidrs && c < domain->cidrs->len; c++) {
			struct domain_range *range = arena_alloc(world->arena, sizeof(*range));
			range->cidr = *(const struct net_cidr *)vec_at(domain->cidrs, c);
			mask_to(&range->cidr, range->cidr.prefix);
			range->name = domain->name;
			vec_push(world->arena, &world->domain_ranges, range);
			used[range->cidr.family == 6][range->cidr.prefix] = true;
		}
	}
	vec_sort(&world->domain_ranges, compare_ranges);
	for (int family = 0; family < 2; family++) {
		world->prefix_count[family] = 0;
		for (int prefix = 0; prefix <= 128; prefix++)
			if (used[family][prefix])
				world->range_prefixes[family][world->prefix_count[family]++] = (uint8_t)prefix;
	}
	world->names_of.prefix = 0;
	world->ranges_indexed = true;
}

/* The names addr is known by, in world->names (reused from one question
 * to the next: the world answers one at a time). */
static void
names_at(struct eval_world *world, const struct net_cidr *addr)
{
	if (!world->ranges_indexed)
		index_ranges(world);
	/* The probe asks about one address for many ports in a row. */
	if (world->names_of.prefix && compare_range_key(&world->names_of, addr) == 0)
		return;
	world->names_of = *addr;
	world->names.len = 0;
	int family = addr->family == 6;
	for (size_t p = 0; p < world->prefix_count[family]; p++) {
		struct net_cidr key = *addr;
		mask_to(&key, world->range_prefixes[family][p]);
		size_t first, end;
		vec_equal_range(&world->domain_ranges, &key, range_order, &first, &end);
		for (size_t i = first; i < end; i++)
			vec_push(world->arena, &world->names,
				(void *)((const struct domain_range *)vec_at(&world->domain_ranges, i))->name);
	}
}

/* ---- the NetworkPolicy tier ---- */

static struct cilium_end
cilium_far_end(struct eval_world *world, const struct eval_end *other)
{
	struct cilium_end far = { .pod = other->pod, .addr = other->addr, .catalog = world->catalog };
	if (other->pod) {
		const struct pod_entry *entry = pod_entry(world, other->pod);
		far.identity = entry->identity;
		far.identity_count = entry->identity_count;
	} else {
		names_at(world, &other->addr);
		far.names = (const char *const *)world->names.items;
		far.name_count = world->names.len;
	}
	return far;
}

/* The lowest-ranked of refs (and best) that names the far end and port
 * and, with name, lets that name be looked up. */
static const struct cilium_ref *
first_cilium_match(const struct vec *refs, const struct cilium_end *far, const struct eval_port *port,
	const char *name, const struct cilium_ref *best)
{
	for (size_t i = 0; refs && i < refs->len; i++) {
		const struct cilium_ref *ref = vec_at(refs, i);
		const struct cilium_port_rule *port_rule;
		if ((!best || ref->rank < best->rank) && cilium_rule_matches(ref->rule, ref->cp, far, port, &port_rule)
			&& (!name || cilium_dns_admits(port_rule, name)))
			best = ref;
	}
	return best;
}

static const struct cilium_ref *
cilium_allowing(const struct pod_side *rules, const struct cilium_end *far, const struct eval_port *port,
	const char *name)
{
	const struct cilium_ref *best = first_cilium_match(&rules->cilium_general, far, port, name, NULL);
	if (far->pod)
		best = first_cilium_match(ns_find(&rules->cilium_pinned, far->pod->ns), far, port, name, best);
	return best;
}

static void
take_cilium(struct eval_side *side, const struct cilium_ref *ref, bool allowed, bool deny)
{
	side->isolated = true;
	side->allowed = allowed;
	side->cilium = ref->cp;
	side->cilium_rule = ref->rule;
	side->cilium_deny = deny;
}

/* The NetworkPolicy tier of one side: entry is the end whose policies
 * decide, other the far end. A Cilium deny rule decides first; an end no
 * policy isolates is left allowed. */
static void
decide_netpol(struct eval_world *world, const struct pod_entry *entry, bool ingress,
	const struct eval_end *other, const struct eval_port *port, struct eval_side *side)
{
	const struct pod_side *rules = &entry->sides[ingress];
	bool cilium_allows = rules->cilium_general.len || rules->cilium_pinned.len;
	struct cilium_end far = { 0 };
	if (cilium_allows || rules->cilium_deny.len)
		far = cilium_far_end(world, other);
	const struct cilium_ref *deny = first_cilium_match(&rules->cilium_deny, &far, port, NULL, NULL);
	if (deny) {
		take_cilium(side, deny, false, true);
		return;
	}
	if (!rules->first && !entry->adversary && !rules->cilium_first)
		return;
	const struct rule_ref *best = best_admitting(world, &rules->general, other, port, NULL);
	if (other->pod)
		best = best_admitting(world, ns_find(&rules->pinned, other->pod->ns), other, port, best);
	const struct cilium_ref *cilium = best || entry->adversary || !cilium_allows ? NULL
		: cilium_allowing(rules, &far, port, NULL);
	side->isolated = true;
	side->allowed = best || entry->adversary || cilium;
	side->by = best ? best->np : rules->first;
	if (best) {
		side->rule = best->rule;
		side->peer = matching_peer(world, best->rule, best->np->ns, other);
	} else if (entry->adversary) {
		side->by = entry->adversary;
		side->rule = world->allow_all;
	} else if (cilium) {
		take_cilium(side, cilium, true, false);
		side->by = NULL;
	} else if (!side->by) {
		side->cilium = rules->cilium_first;
	}
}

/* ---- the Admin and Baseline tiers ---- */

/* A pod's address is somewhere in the cluster's ranges, so only a network
 * holding one of them whole (or every address) surely holds it. */
static bool
network_holds_pod(const struct eval_world *world, const struct net_cidr *network)
{
	if (network->prefix == 0)
		return true;
	for (size_t i = 0; i < world->cluster_cidrs.len; i++)
		if (net_cidr_contains(network, vec_at(&world->cluster_cidrs, i)))
			return true;
	return false;
}

/* Whether a domainNames entry names a known name: exactly, or "*.S" any
 * name ending in ".S" (a lock's "*.S" too). */
static bool
domain_names(const char *pattern, const char *name)
{
	if (strncmp(pattern, "*.", 2) != 0)
		return strcmp(pattern, name) == 0;
	size_t suffix = strlen(pattern) - 1, len = strlen(name);
	return len > suffix && strcmp(name + len - suffix, pattern + 1) == 0;
}

/* Whether addr is an address of a known name the pattern names. */
static bool
domain_reaches(struct eval_world *world, const char *pattern, const struct net_cidr *addr)
{
	names_at(world, addr);
	for (size_t i = 0; i < world->names.len; i++)
		if (domain_names(pattern, vec_at(&world->names, i)))
			return true;
	return false;
}

static bool
cnp_peer_matches(struct eval_world *world, const struct clusterpol_peer *peer,
	const struct eval_end *other)
{
	const struct label *labels;
	size_t count;
	switch (peer->kind) {
	case CLUSTERPOL_PEER_NAMESPACES:
	case CLUSTERPOL_PEER_PODS:
		if (!other->pod)
			return false;
		eval_namespace_labels(world, other->pod->ns, &labels, &count);
		return selector_matches(&peer->namespaces, labels, count)
			&& (peer->kind == CLUSTERPOL_PEER_NAMESPACES
				|| selector_matches(&peer->pods, other->pod->labels, other->pod->label_count));
	case CLUSTERPOL_PEER_NETWORKS:
		for (size_t i = 0; i < peer->networks.len; i++) {
			const struct net_cidr *network = vec_at(&peer->networks, i);
			if (other->pod ? network_holds_pod(world, network)
				: net_cidr_contains(network, &other->addr))
				return true;
		}
		return false;
	case CLUSTERPOL_PEER_DOMAINS:
		for (size_t i = 0; !other->pod && i < peer->domains.len; i++)
			if (domain_reaches(world, vec_at(&peer->domains, i), &other->addr))
				return true;
		return false;
	case CLUSTERPOL_PEER_NODES:
		return false;
	}
	abort();
}

/* As port_matches: a numbered entry never matches a named port, nor a
 * named entry a number. */
static bool
cnp_port_matches(const struct clusterpol_port *entry, const struct eval_port *port)
{
	if (entry->name)
		return port->name && strcmp(entry->name, port->name) == 0;
	if (entry->proto != port->proto)
		return false;
	if (!entry->port)
		return true;
	/* A name stands for some number of its protocol: only the whole
	 * range of that protocol surely holds it. */
	if (port->name)
		return entry->port == 1 && entry->end == 65535;
	return entry->end ? port->number >= entry->port && port->number <= entry->end
		: port->number == entry->port;
}

static bool
cnp_rule_matches(struct eval_world *world, const struct clusterpol_rule *rule,
	const struct eval_end *other, const struct eval_port *port)
{
	bool port_ok = rule->ports.len == 0;
	for (size_t i = 0; !port_ok && i < rule->ports.len; i++)
		port_ok = cnp_port_matches(vec_at(&rule->ports, i), port);
	for (size_t i = 0; port_ok && i < rule->peers.len; i++)
		if (cnp_peer_matches(world, vec_at(&rule->peers, i), other))
			return true;
	return false;
}

static const struct clusterpol_rule *
cnp_first_match(struct eval_world *world, const struct clusterpol *cp, bool ingress,
	const struct eval_end *other, const struct eval_port *port)
{
	const struct vec *rules = ingress ? &cp->ingress_rules : &cp->egress_rules;
	for (size_t i = 0; i < rules->len; i++)
		if (cnp_rule_matches(world, vec_at(rules, i), other, port))
			return vec_at(rules, i);
	return NULL;
}

/* What one tier says: the first matching rule of its policies (rule NULL:
 * none), and another policy of that priority that would say otherwise. */
struct cnp_decision {
	const struct clusterpol *cp;
	const struct clusterpol_rule *rule;
	const struct clusterpol *conflict;
};

static struct cnp_decision
decide_tier(struct eval_world *world, const struct vec *refs, bool ingress,
	const struct eval_end *other, const struct eval_port *port)
{
	struct cnp_decision decision = { 0 };
	size_t i = 0;
	while (i < refs->len && !decision.rule) {
		decision.cp = ((const struct cnp_ref *)vec_at(refs, i++))->cp;
		decision.rule = cnp_first_match(world, decision.cp, ingress, other, port);
	}
	if (!decision.rule)
		return (struct cnp_decision){ 0 };
	/* The API orders policies of one priority by nothing; the name order
	 * here is vendorc's choice, so a disagreement among them is told. */
	for (; i < refs->len && !decision.conflict; i++) {
		const struct clusterpol *cp = ((const struct cnp_ref *)vec_at(refs, i))->cp;
		if (cp->priority != decision.cp->priority)
			break;
		const struct clusterpol_rule *rule = cnp_first_match(world, cp, ingress, other, port);
		if (rule && rule->action != decision.rule->action)
			decision.conflict = cp;
	}
	return decision;
}

static void
take_decision(struct eval_side *side, enum eval_tier tier, const struct cnp_decision *decision)
{
	side->tier = tier;
	side->allowed = decision->rule->action == CLUSTERPOL_ACCEPT;
	side->cnp = decision->cp;
	side->cnp_rule = decision->rule;
	if (decision->conflict)
		side->conflict = decision->conflict;
}

/* One side of a connection through the tiers: Admin, NetworkPolicy when
 * it isolates the pod, Baseline, then allowed. An outside end (pod NULL)
 * has no side: allowed. */
static void
decide_side(struct eval_world *world, const struct eval_pod *pod, bool ingress,
	const struct eval_end *other, const struct eval_port *port, struct eval_side *side)
{
	*side = (struct eval_side){ .allowed = true };
	if (!pod)
		return;
	const struct pod_entry *entry = pod_entry(world, pod);
	const struct pod_side *rules = &entry->sides[ingress];
	struct cnp_decision admin = decide_tier(world, &rules->tiers[CLUSTERPOL_ADMIN], ingress, other,
		port);
	if (admin.rule && admin.rule->action != CLUSTERPOL_PASS) {
		take_decision(side, EVAL_TIER_ADMIN, &admin);
		return;
	}
	if (admin.rule) {
		side->passed_by = admin.cp;
		side->pass_rule = admin.rule;
		side->conflict = admin.conflict;
	}
	decide_netpol(world, entry, ingress, other, port, side);
	if (side->isolated) {
		side->tier = EVAL_TIER_NETWORKPOLICY;
		return;
	}
	struct cnp_decision baseline = decide_tier(world, &rules->tiers[CLUSTERPOL_BASELINE], ingress,
		other, port);
	if (baseline.rule && baseline.rule->action != CLUSTERPOL_PASS)
		take_decision(side, EVAL_TIER_BASELINE, &baseline);
}

void
eval_connection(struct eval_world *world, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, struct eval_verdict *out)
{
	decide_side(world, src->pod, false, dst, port, &out->egress);
	decide_side(world, dst->pod, true, src, port, &out->ingress);
	out->allowed = out->egress.allowed && out->ingress.allowed;
}

static const char *
clusterpol_rule_text(struct arena *arena, const struct clusterpol *cp, const struct clusterpol_rule *rule,
	const char *verb)
{
	const char *tier = cp->tier == CLUSTERPOL_ADMIN ? "Admin" : "Baseline";
	const char *rule_name = rule->name ? arena_printf(arena, "rule \"%s\"", rule->name)
		: arena_printf(arena, "rule %zu", rule->index);
	return arena_printf(arena, "%s tier: ClusterNetworkPolicy \"%s\" (priority %d) %s %s", tier, cp->name,
		cp->priority, rule_name, verb);
}

const char *
eval_tier_text(struct arena *arena, const struct eval_side *side)
{
	if (side->tier == EVAL_TIER_ADMIN || side->tier == EVAL_TIER_BASELINE)
		return clusterpol_rule_text(arena, side->cnp, side->cnp_rule,
			side->allowed ? "accepts" : "denies");
	if (side->passed_by)
		return clusterpol_rule_text(arena, side->passed_by, side->pass_rule, "passes it on");
	return NULL;
}

bool
eval_lookup(struct eval_world *world, const struct eval_end *src, const struct eval_end *dst,
	const struct eval_port *port, const char *name, struct eval_verdict *out)
{
	eval_connection(world, src, dst, port, out);
	const struct eval_side *side = &out->egress;
	if (!out->allowed || side->tier != EVAL_TIER_NETWORKPOLICY || !side->cilium)
		return out->allowed;
	const struct pod_entry *entry = pod_entry(world, src->pod);
	struct cilium_end far = cilium_far_end(world, dst);
	return cilium_allowing(&entry->sides[0], &far, port, name) != NULL;
}

const char *
eval_side_policy(struct arena *arena, const struct eval_side *side, const char **kind)
{
	if (side->by) {
		*kind = "NetworkPolicy";
		return arena_printf(arena, "%s/%s", side->by->ns, side->by->name);
	}
	if (!side->cilium) {
		*kind = NULL;
		return NULL;
	}
	*kind = side->cilium->ns ? "CiliumNetworkPolicy" : "CiliumClusterwideNetworkPolicy";
	return side->cilium->ns ? arena_printf(arena, "%s/%s", side->cilium->ns, side->cilium->name)
		: side->cilium->name;
}

const char *
eval_cilium_peer_text(struct arena *arena, struct eval_world *world, const struct eval_side *side,
	const struct eval_end *other)
{
	if (!side->cilium || !side->cilium_rule)
		return NULL;
	struct cilium_end far = cilium_far_end(world, other);
	return cilium_matching_peer_text(arena, side->cilium, side->cilium_rule, &far);
}

const char *
eval_cilium_rule_text(struct arena *arena, struct eval_world *world, const struct eval_side *side,
	bool ingress, const struct eval_end *other)
{
	const struct ciliumpol *cp = side->cilium;
	if (!cp || !side->cilium_rule)
		return NULL;
	const struct vec *rules = ingress ? (side->cilium_deny ? &cp->ingress_deny : &cp->ingress)
		: (side->cilium_deny ? &cp->egress_deny : &cp->egress);
	size_t index = 0;
	while (index < rules->len && vec_at(rules, index) != side->cilium_rule)
		index++;
	const char *spec = cp->index ? arena_printf(arena, "specs[%zu]", cp->index) : "spec";
	return arena_printf(arena, "%s.%s%s[%zu] %s %s", spec, ingress ? "ingress" : "egress",
		side->cilium_deny ? "Deny" : "", index, ingress ? "from" : "to",
		eval_cilium_peer_text(arena, world, side, other));
}

/* Under enforce: admin a side is decided by a ClusterNetworkPolicy rule,
 * or passed on by one to the NetworkPolicies that then decide: both are
 * named, so a reader finds the rule a CNI's policy log names. */
const char *
eval_side_text(struct arena *arena, const struct eval_side *side)
{
	const char *tier = eval_tier_text(arena, side);
	if (side->tier == EVAL_TIER_ADMIN || side->tier == EVAL_TIER_BASELINE)
		return tier;
	const char *kind, *policy = eval_side_policy(arena, side, &kind);
	if (side->cilium && !side->by)
		policy = arena_printf(arena, "%s %s", kind, policy);
	const char *text = !side->isolated ? "not isolated"
		: side->cilium_deny ? arena_printf(arena, "denied by %s", policy)
		: side->allowed ? arena_printf(arena, "allowed by %s", policy)
		: arena_printf(arena, "isolated by %s, and no policy admits it", policy);
	return tier ? arena_printf(arena, "%s; %s", tier, text) : text;
}
