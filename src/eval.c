#include "vendorc/eval.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"

#include <stdlib.h>
#include <string.h>

struct eval_world {
	struct arena *arena;
	struct vec netpols;          /* sorted by namespace */
	struct vec namespaces;       /* sorted by name */
};

static int
compare_policy_ns(const void *a, const void *b)
{
	return strcmp((*(const struct netpol *const *)a)->ns, (*(const struct netpol *const *)b)->ns);
}

static int
compare_namespace(const void *a, const void *b)
{
	return strcmp((*(const struct eval_namespace *const *)a)->name,
		(*(const struct eval_namespace *const *)b)->name);
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
	vec_sort(&world->netpols, compare_policy_ns);
	vec_sort(&world->namespaces, compare_namespace);
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
		memcpy(labels, cn->labels, cn->label_count * sizeof(*labels));
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

/* Policies are sorted by namespace: key is a namespace name. */
static int
policy_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct netpol *)item)->ns);
}

static bool
selects(const struct netpol *np, const struct eval_pod *pod)
{
	return selector_matches(&np->pod_selector, pod->labels, pod->label_count);
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

bool
eval_ports_match(const struct vec *netpol_ports, const struct eval_port *port)
{
	if (netpol_ports->len == 0)
		return true;
	for (size_t i = 0; i < netpol_ports->len; i++)
		if (port_matches(vec_at(netpol_ports, i), port))
			return true;
	return false;
}

static bool
rule_admits(const struct eval_world *world, const struct netpol_rule *rule, const char *policy_ns,
	const struct eval_end *other, const struct eval_port *port)
{
	if (!eval_ports_match(&rule->ports, port))
		return false;
	if (rule->peers.len == 0)
		return true;
	for (size_t i = 0; i < rule->peers.len; i++)
		if (peer_matches(world, vec_at(&rule->peers, i), policy_ns, other))
			return true;
	return false;
}

/* One side of a connection: pod is the end whose policies decide, other
 * the far end. Not isolated: allowed. */
static void
decide_side(const struct eval_world *world, const struct eval_pod *pod, bool ingress,
	const struct eval_end *other, const struct eval_port *port, struct eval_side *side)
{
	*side = (struct eval_side){ .allowed = true };
	if (!pod)
		return;
	for (size_t i = vec_lower_bound(&world->netpols, pod->ns, policy_ns_order); i < world->netpols.len; i++) {
		const struct netpol *np = vec_at(&world->netpols, i);
		if (strcmp(np->ns, pod->ns) != 0)
			break;
		if (!(ingress ? np->ingress : np->egress) || !selects(np, pod))
			continue;
		if (!side->isolated)
			side->by = np;
		side->isolated = true;
		const struct vec *rules = ingress ? &np->ingress_rules : &np->egress_rules;
		for (size_t r = 0; r < rules->len; r++)
			if (rule_admits(world, vec_at(rules, r), np->ns, other, port)) {
				side->by = np;
				return;
			}
	}
	side->allowed = !side->isolated;
}

void
eval_connection(const struct eval_world *world, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, struct eval_verdict *out)
{
	decide_side(world, src->pod, false, dst, port, &out->egress);
	decide_side(world, dst->pod, true, src, port, &out->ingress);
	out->allowed = out->egress.allowed && out->ingress.allowed;
}
