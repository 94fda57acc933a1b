#include "vendorc/eval.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"

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

/* A small open-addressing table from a namespace name to the rules whose
 * every peer lies in that namespace (struct vec * of struct rule_ref *). */
struct ns_table {
	const char **keys;
	struct vec **values;
	size_t cap;
	size_t len;
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
	struct ns_table pinned;
};

struct pod_entry {
	struct eval_pod pod;         /* its own copy of the label array */
	uint64_t hash;
	struct pod_side sides[2];    /* [0] egress, [1] ingress */
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
	struct pod_entry **entries;  /* open addressing by pod content */
	size_t entry_cap;
	size_t entry_len;
};

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

struct eval_world *
eval_world_create(struct arena *arena, const struct vec *netpols, const struct vec *namespaces)
{
	struct eval_world *world = arena_alloc(arena, sizeof(*world));
	world->arena = arena;
	for (size_t i = 0; i < netpols->len; i++)
		vec_push(arena, &world->netpols, vec_at(netpols, i));
	for (size_t i = 0; namespaces && i < namespaces->len; i++)
		vec_push(arena, &world->namespaces, vec_at(namespaces, i));
	vec_sort(&world->netpols, netpol_compare);
	vec_sort(&world->namespaces, compare_namespace);
	group_policies(world);
	return world;
}

struct eval_world *
eval_world_of_catalog(struct arena *arena, const struct catalog *catalog, const struct vec *extra)
{
	struct vec policies = { 0 }, namespaces = { 0 };
	for (size_t i = 0; i < catalog->netpols.len; i++)
		vec_push(arena, &policies, vec_at(&catalog->netpols, i));
	for (size_t i = 0; i < extra->len; i++)
		vec_push(arena, &policies, vec_at(extra, i));
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
	return eval_world_create(arena, &policies, &namespaces);
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

static struct vec **
ns_slot(struct ns_table *table, const char *ns)
{
	size_t mask = table->cap - 1, at = hash_text(ns) & mask;
	while (table->keys[at] && strcmp(table->keys[at], ns) != 0)
		at = (at + 1) & mask;
	return &table->values[at];
}

static const struct vec *
ns_find(const struct ns_table *table, const char *ns)
{
	if (!table->cap)
		return NULL;
	size_t mask = table->cap - 1, at = hash_text(ns) & mask;
	while (table->keys[at] && strcmp(table->keys[at], ns) != 0)
		at = (at + 1) & mask;
	return table->keys[at] ? table->values[at] : NULL;
}

static void ns_add(struct arena *arena, struct ns_table *table, const char *ns, struct rule_ref *ref);

static void
ns_grow(struct arena *arena, struct ns_table *table)
{
	struct ns_table old = *table;
	table->cap = old.cap ? old.cap * 2 : 8;
	table->keys = arena_array(arena, table->cap, sizeof(*table->keys));
	table->values = arena_array(arena, table->cap, sizeof(*table->values));
	table->len = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i]) {
			struct vec **slot = ns_slot(table, old.keys[i]);
			table->keys[slot - table->values] = old.keys[i];
			*slot = old.values[i];
			table->len++;
		}
}

static void
ns_add(struct arena *arena, struct ns_table *table, const char *ns, struct rule_ref *ref)
{
	if (2 * (table->len + 1) > table->cap)
		ns_grow(arena, table);
	struct vec **slot = ns_slot(table, ns);
	if (!*slot) {
		table->keys[slot - table->values] = ns;
		*slot = arena_alloc(arena, sizeof(**slot));
		table->len++;
	}
	vec_push(arena, *slot, ref);
}

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
		ns_add(arena, &side->pinned, netpol_peer_namespace(ref->np, vec_at(peers, i)), ref);
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

static void
fill_entry(struct eval_world *world, struct pod_entry *entry)
{
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
pod_entry(struct eval_world *world, const struct eval_pod *pod)
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

/* One side of a connection: pod is the end whose policies decide, other
 * the far end. Not isolated: allowed. */
static void
decide_side(struct eval_world *world, const struct eval_pod *pod, bool ingress,
	const struct eval_end *other, const struct eval_port *port, struct eval_side *side)
{
	*side = (struct eval_side){ .allowed = true };
	if (!pod)
		return;
	const struct pod_side *rules = &pod_entry(world, pod)->sides[ingress];
	if (!rules->first)
		return;
	const struct rule_ref *best = best_admitting(world, &rules->general, other, port, NULL);
	if (other->pod)
		best = best_admitting(world, ns_find(&rules->pinned, other->pod->ns), other, port, best);
	side->isolated = true;
	side->allowed = best != NULL;
	side->by = best ? best->np : rules->first;
	if (best) {
		side->rule = best->rule;
		side->peer = matching_peer(world, best->rule, best->np->ns, other);
	}
}

void
eval_connection(struct eval_world *world, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, struct eval_verdict *out)
{
	decide_side(world, src->pod, false, dst, port, &out->egress);
	decide_side(world, dst->pod, true, src, port, &out->ingress);
	out->allowed = out->egress.allowed && out->ingress.allowed;
}
