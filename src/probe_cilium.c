/* Cilium policies as the probe sees them (include/vendorc/probe.h,
 * probe_cilium_views): NetworkPolicy-shaped views whose selectors, ranges
 * and ports make the probe try the pods, addresses and ports a Cilium
 * policy names. The evaluator never sees a view. */
#include "vendorc/probe.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval_cilium.h"

#include <string.h>

enum key_kind { KEY_POD, KEY_NAMESPACE, KEY_NAMESPACE_LABEL };

static enum key_kind
key_kind(const char *key)
{
	if (strcmp(key, cilium_namespace_label) == 0)
		return KEY_NAMESPACE;
	return strncmp(key, cilium_namespace_labels_prefix, strlen(cilium_namespace_labels_prefix)) == 0
		? KEY_NAMESPACE_LABEL : KEY_POD;
}

/* The part of sel about keys of one kind: a pod's own labels, or its
 * namespace's (their prefix dropped). */
static struct selector
selector_part(struct arena *arena, const struct selector *sel, enum key_kind want)
{
	size_t skip = want == KEY_NAMESPACE_LABEL ? strlen(cilium_namespace_labels_prefix) : 0;
	struct selector part = { 0 };
	part.labels = arena_array(arena, sel->label_count + 1, sizeof(*part.labels));
	part.exprs = arena_array(arena, sel->expr_count + 1, sizeof(*part.exprs));
	for (size_t i = 0; i < sel->label_count; i++)
		if (key_kind(sel->labels[i].key) == want)
			part.labels[part.label_count++] = (struct label){ sel->labels[i].key + skip, sel->labels[i].value };
	for (size_t i = 0; i < sel->expr_count; i++)
		if (key_kind(sel->exprs[i].key) == want) {
			part.exprs[part.expr_count] = sel->exprs[i];
			part.exprs[part.expr_count++].key += skip;
		}
	return part;
}

static struct netpol_peer *
new_peer(struct arena *arena, struct netpol_rule *rule)
{
	struct netpol_peer *peer = arena_alloc(arena, sizeof(*peer));
	vec_push(arena, &rule->peers, peer);
	return peer;
}

static void
endpoint_peer(struct arena *arena, const struct ciliumpol *cp, const struct selector *sel,
	struct netpol_rule *rule)
{
	struct netpol_peer *peer = new_peer(arena, rule);
	peer->has_pod_selector = true;
	peer->pod_selector = selector_part(arena, sel, KEY_POD);
	peer->has_namespace_selector = true;
	const char *ns = ciliumpol_endpoint_namespace(cp, sel);
	if (ns) {
		struct label *name = arena_alloc(arena, sizeof(*name));
		*name = (struct label){ "kubernetes.io/metadata.name", ns };
		peer->namespace_selector = (struct selector){ name, 1, NULL, 0 };
	} else {
		peer->namespace_selector = selector_part(arena, sel, KEY_NAMESPACE_LABEL);
	}
}

static void
range_peer(struct arena *arena, const struct net_cidr *cidr, const struct vec *except, struct netpol_rule *rule)
{
	struct netpol_peer *peer = new_peer(arena, rule);
	peer->has_cidr = true;
	peer->cidr = *cidr;
	for (size_t i = 0; except && i < except->len; i++)
		vec_push(arena, &peer->except, vec_at(except, i));
}

static void
entity_peers(struct arena *arena, unsigned entities, struct netpol_rule *rule)
{
	if (entities & CILIUM_ENTITY_WORLD) {
		static const char *const everywhere[] = { "0.0.0.0/0", "::/0" };
		for (size_t i = 0; i < 2; i++) {
			struct net_cidr all;
			net_parse_cidr(everywhere[i], &all);
			range_peer(arena, &all, NULL, rule);
		}
	}
	if (entities & CILIUM_ENTITY_CLUSTER) {
		struct netpol_peer *peer = new_peer(arena, rule);
		peer->has_namespace_selector = true;
	}
}

static void
view_port(struct arena *arena, const struct cilium_port *entry, struct netpol_rule *rule)
{
	for (int proto = NET_TCP; proto <= NET_SCTP; proto++) {
		if (!entry->proto_any && entry->proto != (enum net_proto)proto)
			continue;
		struct netpol_port *port = arena_alloc(arena, sizeof(*port));
		*port = (struct netpol_port){ .proto = (enum net_proto)proto, .port = entry->name ? 0 : entry->port,
			.port_name = entry->name, .end_port = entry->end, .has_proto_only = !entry->name && !entry->port };
		vec_push(arena, &rule->ports, port);
	}
}

static void
view_rules(struct arena *arena, const struct ciliumpol *cp, const struct vec *rules, struct vec *out)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct cilium_rule *rule = vec_at(rules, r);
		struct netpol_rule *view = arena_alloc(arena, sizeof(*view));
		view->loc = rule->loc;
		for (size_t i = 0; i < rule->endpoints.len; i++)
			endpoint_peer(arena, cp, vec_at(&rule->endpoints, i), view);
		for (size_t i = 0; i < rule->cidrs.len; i++) {
			const struct cilium_cidr *cidr = vec_at(&rule->cidrs, i);
			if (!cidr->group_ref)
				range_peer(arena, &cidr->cidr, &cidr->except, view);
		}
		entity_peers(arena, rule->entities, view);
		for (size_t i = 0; i < rule->port_rules.len; i++) {
			const struct cilium_port_rule *item = vec_at(&rule->port_rules, i);
			for (size_t p = 0; p < item->ports.len; p++)
				view_port(arena, vec_at(&item->ports, p), view);
		}
		vec_push(arena, out, view);
	}
}

/* The namespace a policy's pods are in: its own, or the one a
 * clusterwide policy's endpointSelector names. */
static const char *
view_namespace(const struct ciliumpol *cp)
{
	if (cp->ns)
		return cp->ns;
	for (size_t i = 0; i < cp->endpoints.label_count; i++)
		if (strcmp(cp->endpoints.labels[i].key, cilium_namespace_label) == 0)
			return cp->endpoints.labels[i].value;
	return NULL;
}

struct netpol *
probe_cilium_view(struct arena *arena, const struct ciliumpol *cp)
{
	const char *ns = view_namespace(cp);
	if (!ns || cp->node_selector)
		return NULL;
	struct netpol *view = arena_alloc(arena, sizeof(*view));
	*view = (struct netpol){ .ns = ns, .name = cp->name, .loc = cp->loc,
		.pod_selector = selector_part(arena, &cp->endpoints, KEY_POD),
		.ingress = cp->default_deny_ingress || cp->ingress.len || cp->ingress_deny.len,
		.egress = cp->default_deny_egress || cp->egress.len || cp->egress_deny.len };
	view_rules(arena, cp, &cp->ingress, &view->ingress_rules);
	view_rules(arena, cp, &cp->ingress_deny, &view->ingress_rules);
	view_rules(arena, cp, &cp->egress, &view->egress_rules);
	view_rules(arena, cp, &cp->egress_deny, &view->egress_rules);
	return view;
}

void
probe_cilium_views(struct arena *arena, const struct vec *ciliumpols, struct vec *out)
{
	for (size_t i = 0; i < ciliumpols->len; i++) {
		struct netpol *view = probe_cilium_view(arena, vec_at(ciliumpols, i));
		if (view)
			vec_push(arena, out, view);
	}
}
