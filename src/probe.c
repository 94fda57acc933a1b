#include "vendorc/probe.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"

#include <stdlib.h>
#include <string.h>

/* A namespace no selector can name, for "any other namespace". */
static const char fresh_namespace[] = "vendorc.invalid";
/* Past this many selectors in one namespace, pairs are not tried. */
enum { PROBE_PAIR_LIMIT = 48 };

struct probe {
	struct arena *arena;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct vec *emitted;
	const struct eval_world *world;
	struct vec scopes;           /* struct scope *: (namespace, selector) pairs */
	struct vec namespaces;       /* const char *, every namespace in play */
	struct vec pods;             /* struct eval_pod *, sorted by namespace */
	struct vec addresses;        /* struct address *, sorted by namespace */
	struct vec pod_ends;         /* struct eval_end * of each pod, in the same order */
	struct vec postings;         /* struct posting *, by namespace, key, value, place */
	struct vec vendors;          /* struct ir_vendor *, sorted by namespace */
	struct vec policies;         /* struct netpol *, catalog's and emitted, by namespace */
	struct arena *scratch;       /* where the vectors handed out are made */
};

/* An outside address worth trying, and the namespace whose policies or
 * vendor named its range (NULL: try it everywhere). Tried only where that
 * namespace is in play, so that a thousand vendors' ranges are not each
 * tried against every other vendor. */
struct address {
	const char *ns;
	struct eval_end end;
};

/* One label of one pod (key "" for a pod without labels: no label key is
 * empty). The pods a selector can pick are among those that carry one of
 * its matchLabels: found here without trying every pod of a namespace,
 * whose pods grow with the vendors that name it. */
struct posting {
	const char *ns;
	const char *key;
	const char *value;
	size_t at; /* the pod's place in pods and pod_ends */
};

/* A selector that can apply to pods of a namespace. */
struct scope {
	const char *ns;
	const struct selector *sel;
};

static const struct selector everything;

static void
push_scope(struct arena *arena, struct vec *scopes, const char *ns, const struct selector *sel)
{
	struct scope *scope = arena_alloc(arena, sizeof(*scope));
	*scope = (struct scope){ ns, sel };
	vec_push(arena, scopes, scope);
}

static void
add_scope(struct probe *p, const char *ns, const struct selector *sel)
{
	push_scope(p->arena, &p->scopes, ns, sel);
}

/* A peer's pods can be in the namespaces its namespaceSelector matches:
 * the one it names when it is kubernetes.io/metadata.name alone (as
 * vendorc writes them), else any namespace in play that matches. */
static void
push_peer_scopes(const struct probe *p, struct arena *arena, struct vec *scopes,
	const struct netpol *np, const struct netpol_peer *peer)
{
	const struct selector *pods = peer->has_pod_selector ? &peer->pod_selector : &everything;
	const struct selector *ns = &peer->namespace_selector;
	if (peer->has_cidr)
		return;
	if (!peer->has_namespace_selector) {
		push_scope(arena, scopes, np->ns, pods);
		return;
	}
	if (ns->label_count == 1 && ns->expr_count == 0
		&& strcmp(ns->labels[0].key, "kubernetes.io/metadata.name") == 0) {
		push_scope(arena, scopes, ns->labels[0].value, pods);
		return;
	}
	for (size_t i = 0; i < p->namespaces.len; i++) {
		const struct label *labels;
		size_t count;
		eval_namespace_labels(p->world, vec_at(&p->namespaces, i), &labels, &count);
		if (selector_matches(ns, labels, count))
			push_scope(arena, scopes, vec_at(&p->namespaces, i), pods);
	}
}

static void
push_rule_scopes(const struct probe *p, struct arena *arena, struct vec *scopes,
	const struct netpol *np)
{
	const struct vec *lists[] = { &np->ingress_rules, &np->egress_rules };
	for (size_t l = 0; l < 2; l++)
		for (size_t r = 0; r < lists[l]->len; r++) {
			const struct netpol_rule *rule = vec_at(lists[l], r);
			for (size_t k = 0; k < rule->peers.len; k++)
				push_peer_scopes(p, arena, scopes, np, vec_at(&rule->peers, k));
		}
}

static void
add_policy_scopes(struct probe *p, const struct netpol *np)
{
	add_scope(p, np->ns, &np->pod_selector);
	push_rule_scopes(p, p->arena, &p->scopes, np);
}

static void
add_intent_scopes(struct probe *p)
{
	for (size_t i = 0; i < p->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&p->ir->vendors, i);
		add_scope(p, vendor->pods.ns, &vendor->pods.pods);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			if (flow->kind == IR_PEER_PODS)
				add_scope(p, flow->pods.ns, &flow->pods.pods);
		}
	}
	for (size_t i = 0; i < p->ir->denied_namespaces.len; i++)
		add_scope(p, vec_at(&p->ir->denied_namespaces, i), &everything);
	add_scope(p, fresh_namespace, &everything);
}

static void
add_namespace(struct probe *p, const char *ns)
{
	vec_push(p->arena, &p->namespaces, (void *)ns);
}

/* Every namespace in play: those a namespaceSelector may match. */
static void
collect_namespaces(struct probe *p)
{
	const struct vec *policies[] = { &p->catalog->netpols, p->emitted };
	for (size_t i = 0; i < p->catalog->namespaces.len; i++)
		add_namespace(p, ((const struct catalog_namespace *)vec_at(&p->catalog->namespaces, i))->name);
	for (size_t i = 0; i < p->catalog->workloads.len; i++)
		add_namespace(p, ((const struct workload *)vec_at(&p->catalog->workloads, i))->ns);
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++)
			add_namespace(p, ((const struct netpol *)vec_at(policies[s], i))->ns);
	for (size_t i = 0; i < p->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&p->ir->vendors, i);
		add_namespace(p, vendor->pods.ns);
		for (size_t f = 0; f < vendor->flows.len; f++)
			if (((const struct ir_flow *)vec_at(&vendor->flows, f))->kind == IR_PEER_PODS)
				add_namespace(p, ((const struct ir_flow *)vec_at(&vendor->flows, f))->pods.ns);
	}
	for (size_t i = 0; i < p->ir->denied_namespaces.len; i++)
		add_namespace(p, vec_at(&p->ir->denied_namespaces, i));
	add_namespace(p, fresh_namespace);
	vec_sort_unique(&p->namespaces, vec_compare_strings);
}

static void
collect_scopes(struct probe *p)
{
	const struct vec *policies[] = { &p->catalog->netpols, p->emitted };
	add_intent_scopes(p);
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++)
			add_policy_scopes(p, vec_at(policies[s], i));
}

static int
compare_scopes(const void *a, const void *b)
{
	const struct scope *x = *(const struct scope *const *)a, *y = *(const struct scope *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	return by_ns ? by_ns : selector_compare(x->sel, y->sel);
}

static int
compare_labels_by_key(const void *a, const void *b)
{
	return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

/* The fewest labels that satisfy sel: its matchLabels, the first value of
 * each In, any value for Exists; NotIn and DoesNotExist hold by absence. */
static struct eval_pod *
witness(struct probe *p, const char *ns, const struct selector *sel)
{
	struct label *labels = arena_array(p->arena, sel->label_count + sel->expr_count + 1, sizeof(*labels));
	size_t count = 0;
	for (size_t i = 0; i < sel->label_count; i++)
		labels[count++] = sel->labels[i];
	for (size_t i = 0; i < sel->expr_count; i++) {
		const struct selector_expr *expr = &sel->exprs[i];
		if (expr->op == SELECTOR_IN && expr->value_count)
			labels[count++] = (struct label){ expr->key, expr->values[0] };
		else if (expr->op == SELECTOR_EXISTS)
			labels[count++] = (struct label){ expr->key, "vendorc-any" };
	}
	if (count > 1)
		qsort(labels, count, sizeof(*labels), compare_labels_by_key);
	if (!selector_matches(sel, labels, count))
		return NULL;
	struct eval_pod *pod = arena_alloc(p->arena, sizeof(*pod));
	*pod = (struct eval_pod){ ns, labels, count };
	return pod;
}

static void
add_pod(struct probe *p, struct eval_pod *pod)
{
	if (pod)
		vec_push(p->arena, &p->pods, pod);
}

static int
compare_pods(const void *a, const void *b)
{
	const struct eval_pod *x = *(const struct eval_pod *const *)a, *y = *(const struct eval_pod *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	if (by_ns || x->label_count != y->label_count)
		return by_ns ? by_ns : (x->label_count < y->label_count ? -1 : 1);
	for (size_t i = 0; i < x->label_count; i++) {
		int c = strcmp(x->labels[i].key, y->labels[i].key);
		if (!c)
			c = strcmp(x->labels[i].value, y->labels[i].value);
		if (c)
			return c;
	}
	return 0;
}

/* The pods of one namespace: one without labels, a witness of each scope
 * and of each pair of scopes that can hold together (while there are few
 * enough to pair), and the catalog's workloads there. */
static void
add_namespace_pods(struct probe *p, const char *ns, struct scope **scopes, size_t count)
{
	add_pod(p, witness(p, ns, &everything));
	for (size_t i = 0; i < count; i++) {
		add_pod(p, witness(p, ns, scopes[i]->sel));
		for (size_t j = i + 1; count <= PROBE_PAIR_LIMIT && j < count; j++) {
			struct selector both;
			if (selector_and(p->arena, scopes[i]->sel, scopes[j]->sel, &both))
				add_pod(p, witness(p, ns, &both));
		}
	}
}

static void
build_pods(struct probe *p)
{
	vec_sort_unique(&p->scopes, compare_scopes);
	for (size_t i = 0; i < p->scopes.len; i++)
		add_namespace(p, ((const struct scope *)vec_at(&p->scopes, i))->ns);
	vec_sort_unique(&p->namespaces, vec_compare_strings);
	struct scope **scopes = (struct scope **)p->scopes.items;
	size_t at = 0;
	for (size_t n = 0; n < p->namespaces.len; n++) {
		const char *ns = vec_at(&p->namespaces, n);
		size_t first = at;
		while (at < p->scopes.len && strcmp(scopes[at]->ns, ns) == 0)
			at++;
		add_namespace_pods(p, ns, scopes + first, at - first);
	}
	for (size_t i = 0; i < p->catalog->workloads.len; i++) {
		const struct workload *w = vec_at(&p->catalog->workloads, i);
		struct eval_pod *pod = arena_alloc(p->arena, sizeof(*pod));
		struct label *labels = arena_array(p->arena, w->label_count + 1, sizeof(*labels));
		copy_items(labels, w->labels, w->label_count, sizeof(*labels));
		if (w->label_count > 1)
			qsort(labels, w->label_count, sizeof(*labels), compare_labels_by_key);
		*pod = (struct eval_pod){ w->ns, labels, w->label_count };
		add_pod(p, pod);
	}
	vec_sort_unique(&p->pods, compare_pods);
	for (size_t i = 0; i < p->pods.len; i++) {
		struct eval_end *end = arena_alloc(p->arena, sizeof(*end));
		end->pod = vec_at(&p->pods, i);
		vec_push(p->arena, &p->pod_ends, end);
	}
}

static int
posting_order(const void *key, const void *item)
{
	const struct posting *x = key, *y = item;
	int c = strcmp(x->ns, y->ns);
	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static int
compare_postings(const void *a, const void *b)
{
	const struct posting *x = *(const struct posting *const *)a;
	const struct posting *y = *(const struct posting *const *)b;
	int c = posting_order(x, y);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

static void
index_labels(struct probe *p)
{
	for (size_t i = 0; i < p->pods.len; i++) {
		const struct eval_pod *pod = vec_at(&p->pods, i);
		size_t count = pod->label_count ? pod->label_count : 1;
		struct posting *postings = arena_array(p->arena, count, sizeof(*postings));
		for (size_t l = 0; l < count; l++) {
			postings[l] = pod->label_count
				? (struct posting){ pod->ns, pod->labels[l].key, pod->labels[l].value, i }
				: (struct posting){ pod->ns, "", "", i };
			vec_push(p->arena, &p->postings, &postings[l]);
		}
	}
	vec_sort(&p->postings, compare_postings);
}

static void
add_address(struct probe *p, const char *ns, const struct net_cidr *addr)
{
	struct address *address = arena_alloc(p->arena, sizeof(*address));
	address->ns = ns;
	address->end.addr = *addr;
	address->end.addr.prefix = addr->family == 4 ? 32 : 128;
	vec_push(p->arena, &p->addresses, address);
}

static int
address_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct address *)item)->ns);
}

static int
compare_address_ns(const void *a, const void *b)
{
	return address_ns_order((*(const struct address *const *)a)->ns, *(const void *const *)b);
}

/* The address delta away from the range's first (delta -1) or last (+1)
 * address, when there is one. */
static bool
step(const struct net_cidr *cidr, bool last, int delta, struct net_cidr *out)
{
	*out = *cidr;
	int bits = cidr->family == 4 ? 32 : 128;
	for (int bit = cidr->prefix; last && bit < bits; bit++)
		out->addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	for (int byte = bits / 8 - 1; delta && byte >= 0; byte--) {
		int value = out->addr[byte] + delta;
		out->addr[byte] = (uint8_t)value;
		if (value >= 0 && value <= 255)
			return true;
	}
	return delta == 0;
}

/* A range's edges: its first and last address and those just outside. */
static void
add_range(struct probe *p, const char *ns, const struct net_cidr *cidr)
{
	static const struct {
		bool last;
		int delta;
	} edges[] = { { false, 0 }, { true, 0 }, { false, -1 }, { true, 1 } };
	for (size_t i = 0; i < 4; i++) {
		struct net_cidr addr;
		if (step(cidr, edges[i].last, edges[i].delta, &addr))
			add_address(p, ns, &addr);
	}
}

static void
add_rule_ranges(struct probe *p, const char *ns, const struct vec *rules)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct netpol_rule *rule = vec_at(rules, r);
		for (size_t k = 0; k < rule->peers.len; k++) {
			const struct netpol_peer *peer = vec_at(&rule->peers, k);
			if (peer->has_cidr)
				add_range(p, ns, &peer->cidr);
			for (size_t e = 0; e < peer->except.len; e++)
				add_range(p, ns, vec_at(&peer->except, e));
		}
	}
}

void
probe_unnamed_addresses(struct arena *arena, struct vec *out)
{
	static const char *const elsewhere[] = { "192.0.2.1/32", "2001:db8::1/128" };
	for (size_t i = 0; i < 2; i++) {
		struct net_cidr *addr = arena_alloc(arena, sizeof(*addr));
		net_parse_cidr(elsewhere[i], addr);
		vec_push(arena, out, addr);
	}
}

static void
build_addresses(struct probe *p)
{
	struct vec unnamed = { 0 };
	probe_unnamed_addresses(p->arena, &unnamed);
	for (size_t i = 0; i < unnamed.len; i++)
		add_address(p, fresh_namespace, vec_at(&unnamed, i));
	const struct vec *policies[] = { &p->catalog->netpols, p->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++) {
			const struct netpol *np = vec_at(policies[s], i);
			add_rule_ranges(p, np->ns, &np->ingress_rules);
			add_rule_ranges(p, np->ns, &np->egress_rules);
		}
	for (size_t i = 0; i < p->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&p->ir->vendors, i);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			for (size_t c = 0; c < flow->cidrs.len; c++)
				add_range(p, vendor->pods.ns, vec_at(&flow->cidrs, c));
		}
	}
	vec_sort(&p->addresses, compare_address_ns);
}

static void
add_port(struct probe *p, struct vec *ports, enum net_proto proto, int number, const char *name)
{
	if (!name && (number < 1 || number > 65535))
		return;
	struct eval_port *port = arena_alloc(p->scratch, sizeof(*port));
	*port = (struct eval_port){ proto, number, name };
	vec_push(p->scratch, ports, port);
}

/* A port, or a range's edges and the numbers just outside it. */
static void
add_port_edges(struct probe *p, struct vec *ports, enum net_proto proto, int number, int end,
	const char *name)
{
	add_port(p, ports, proto, number, name);
	if (!end)
		return;
	add_port(p, ports, proto, number - 1, NULL);
	add_port(p, ports, proto, end, NULL);
	add_port(p, ports, proto, end + 1, NULL);
}

/* Ports no one names, in every protocol: what must stay as it was. */
void
probe_fresh_ports(struct probe *p, struct vec *ports)
{
	for (int proto = NET_TCP; proto <= NET_SCTP; proto++)
		add_port(p, ports, (enum net_proto)proto, 1, NULL);
}

void
probe_rule_ports(struct probe *p, struct vec *ports, const struct vec *rules)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct netpol_rule *rule = vec_at(rules, r);
		for (size_t k = 0; k < rule->ports.len; k++) {
			const struct netpol_port *np = vec_at(&rule->ports, k);
			add_port_edges(p, ports, np->proto, np->has_proto_only ? 1 : np->port,
				np->end_port, np->port_name);
		}
	}
}

void
probe_flow_ports(struct probe *p, struct vec *ports, const struct ir_flow *flow)
{
	for (size_t k = 0; k < flow->ports.len; k++) {
		const struct ir_port *port = vec_at(&flow->ports, k);
		add_port_edges(p, ports, port->proto, port->port, port->end, port->name);
	}
}

static int
compare_ports(const void *a, const void *b)
{
	const struct eval_port *x = *(const struct eval_port *const *)a;
	const struct eval_port *y = *(const struct eval_port *const *)b;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if ((x->name == NULL) != (y->name == NULL))
		return x->name ? 1 : -1;
	return x->name ? strcmp(x->name, y->name) : (x->number > y->number) - (x->number < y->number);
}

static bool
intent_port(const struct ir_port *p, const struct eval_port *q)
{
	if (p->proto != q->proto || (p->name == NULL) != (q->name == NULL))
		return false;
	if (p->name)
		return strcmp(p->name, q->name) == 0;
	return p->end ? q->number >= p->port && q->number <= p->end : q->number == p->port;
}

bool
probe_flow_names(const struct ir_flow *flow, const struct eval_end *peer)
{
	if (flow->kind == IR_PEER_PODS)
		return peer->pod && strcmp(peer->pod->ns, flow->pods.ns) == 0
			&& selector_matches(&flow->pods.pods, peer->pod->labels, peer->pod->label_count);
	for (size_t i = 0; !peer->pod && i < flow->cidrs.len; i++)
		if (net_cidr_contains(vec_at(&flow->cidrs, i), &peer->addr))
			return true;
	return false;
}

/* A domain flow's name: the same, or under a "*." wildcard's parent. */
static bool
domain_names(const char *domain, const char *name)
{
	if (strncmp(domain, "*.", 2) != 0)
		return strcmp(domain, name) == 0;
	size_t parent = strlen(domain + 1), len = strlen(name);
	return len > parent && strcmp(name + len - parent, domain + 1) == 0;
}

const struct ir_flow *
probe_declared_port(const struct ir_vendor *vendor, enum ir_direction dir, const struct eval_end *peer,
	const char *name, const struct eval_port *port, size_t *port_index)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != dir || !(probe_flow_names(flow, peer)
			|| (name && !peer->pod && flow->domain && domain_names(flow->domain, name))))
			continue;
		for (size_t p = 0; p < flow->ports.len; p++)
			if (intent_port(vec_at(&flow->ports, p), port)) {
				*port_index = p;
				return flow;
			}
	}
	return NULL;
}

/* The flow of the vendor's file that grants this, or NULL. */
const struct ir_flow *
probe_declared(const struct ir_vendor *vendor, enum ir_direction dir, const struct eval_end *peer,
	const struct eval_port *port)
{
	size_t port_index;
	return probe_declared_port(vendor, dir, peer, NULL, port, &port_index);
}

static int
vendor_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct ir_vendor *)item)->pods.ns);
}

static int
compare_vendor_ns(const void *a, const void *b)
{
	return vendor_ns_order((*(const struct ir_vendor *const *)a)->pods.ns, *(const void *const *)b);
}

const struct ir_vendor *
probe_vendor_of(const struct probe *p, const struct eval_pod *pod)
{
	if (!pod)
		return NULL;
	size_t first, end;
	vec_equal_range(&p->vendors, pod->ns, vendor_ns_order, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct ir_vendor *vendor = vec_at(&p->vendors, i);
		if (selector_matches(&vendor->pods.pods, pod->labels, pod->label_count))
			return vendor;
	}
	return NULL;
}

const char *
probe_end_text(struct arena *arena, const struct eval_end *end)
{
	if (!end->pod) {
		const char *cidr = net_format_cidr(arena, &end->addr);
		return arena_strndup(arena, cidr, strcspn(cidr, "/"));
	}
	if (end->pod->label_count == 0)
		return arena_printf(arena, "pods of \"%s\" without labels", end->pod->ns);
	struct selector labels = { (struct label *)end->pod->labels, end->pod->label_count, NULL, 0 };
	return arena_printf(arena, "pods of \"%s\" labelled %s", end->pod->ns,
		selector_text(arena, &labels));
}

const char *
probe_port_text(struct arena *arena, const struct eval_port *port)
{
	return port->name ? arena_printf(arena, "%s port \"%s\"", net_proto_name(port->proto), port->name)
			  : arena_printf(arena, "%s %d", net_proto_name(port->proto), port->number);
}

/* The pods of ns: a range of p->pods, which is sorted by namespace. */
static int
pod_ns_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct eval_pod *)item)->ns);
}

/* The range of ns in the pods, which are sorted by namespace. */
static void
pods_range(const struct probe *p, const char *ns, size_t *first, size_t *end)
{
	vec_equal_range(&p->pods, ns, pod_ns_order, first, end);
}

void
probe_pods(const struct probe *p, const char *ns, struct eval_pod *const **pods, size_t *count)
{
	size_t first, end;
	pods_range(p, ns, &first, &end);
	*pods = (struct eval_pod *const *)p->pods.items + first;
	*count = end - first;
}

/* The namespaces of far ends: those given and one nobody names, sorted. */
static struct vec
far_namespaces(struct probe *p, const struct vec *namespaces)
{
	struct vec names = { 0 };
	for (size_t i = 0; i < namespaces->len; i++)
		vec_push(p->scratch, &names, vec_at(namespaces, i));
	vec_push(p->scratch, &names, (void *)fresh_namespace);
	vec_sort_unique(&names, vec_compare_strings);
	return names;
}

static void
push_addresses(struct probe *p, const char *ns, struct vec *ends)
{
	size_t first, end;
	vec_equal_range(&p->addresses, ns, address_ns_order, &first, &end);
	for (size_t i = first; i < end; i++)
		vec_push(p->scratch, ends, &((struct address *)vec_at(&p->addresses, i))->end);
}

/* Far ends worth trying: the pods of the namespaces named, of a namespace
 * nobody names, and the outside addresses. */
void
probe_far_ends(struct probe *p, const struct vec *namespaces, struct vec *ends)
{
	struct vec names = far_namespaces(p, namespaces);
	for (size_t n = 0; n < names.len; n++) {
		const char *ns = vec_at(&names, n);
		size_t first, end;
		pods_range(p, ns, &first, &end);
		for (size_t i = first; i < end; i++)
			vec_push(p->scratch, ends, vec_at(&p->pod_ends, i));
		push_addresses(p, ns, ends);
	}
}

static bool
pick_applies(const struct probe_pick *pick, const char *ns)
{
	return !pick->ns || strcmp(pick->ns, ns) == 0;
}

static bool
picked(const struct vec *picks, const struct eval_pod *pod)
{
	for (size_t i = 0; i < picks->len; i++) {
		const struct probe_pick *pick = vec_at(picks, i);
		if (pick_applies(pick, pod->ns)
			&& (!pick->sel || selector_matches(pick->sel, pod->labels, pod->label_count)))
			return true;
	}
	return false;
}

/* Whether a pick of ns names no label: it can pick any pod there. */
static bool
picks_unlabelled(const struct vec *picks, const char *ns)
{
	for (size_t i = 0; i < picks->len; i++) {
		const struct probe_pick *pick = vec_at(picks, i);
		if (pick_applies(pick, ns) && (!pick->sel || pick->sel->label_count == 0))
			return true;
	}
	return false;
}

/* Appends the postings of (ns, key, value) whose pod sel picks (sel NULL:
 * every one). */
static void
push_postings(struct probe *p, const char *ns, const char *key, const char *value,
	const struct selector *sel, struct vec *found)
{
	struct posting want = { ns, key, value, 0 };
	size_t first, end;
	vec_equal_range(&p->postings, &want, posting_order, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct posting *posting = vec_at(&p->postings, i);
		const struct eval_pod *pod = vec_at(&p->pods, posting->at);
		if (!sel || selector_matches(sel, pod->labels, pod->label_count))
			vec_push(p->scratch, found, (void *)posting);
	}
}

static int
compare_places(const void *a, const void *b)
{
	size_t x = (*(const struct posting *const *)a)->at, y = (*(const struct posting *const *)b)->at;
	return (x > y) - (x < y);
}

/* Calls take(at) for the place of each pod of ns that a pick picks (and,
 * with unlabelled, of each without labels), in their order. */
static void
each_picked(struct probe *p, const char *ns, const struct vec *picks, bool unlabelled,
	void (*take)(struct probe *p, size_t at, struct vec *out), struct vec *out)
{
	size_t first, end;
	pods_range(p, ns, &first, &end);
	if (picks_unlabelled(picks, ns)) {
		for (size_t i = first; i < end; i++) {
			const struct eval_pod *pod = vec_at(&p->pods, i);
			if ((unlabelled && pod->label_count == 0) || picked(picks, pod))
				take(p, i, out);
		}
		return;
	}
	struct vec found = { 0 };
	if (unlabelled)
		push_postings(p, ns, "", "", NULL, &found);
	for (size_t i = 0; i < picks->len; i++) {
		const struct probe_pick *pick = vec_at(picks, i);
		if (pick_applies(pick, ns))
			push_postings(p, ns, pick->sel->labels[0].key, pick->sel->labels[0].value, pick->sel,
				&found);
	}
	vec_sort_unique(&found, compare_places);
	for (size_t i = 0; i < found.len; i++)
		take(p, ((const struct posting *)vec_at(&found, i))->at, out);
}

static void
take_end(struct probe *p, size_t at, struct vec *ends)
{
	vec_push(p->scratch, ends, vec_at(&p->pod_ends, at));
}

static void
take_pod(struct probe *p, size_t at, struct vec *pods)
{
	vec_push(p->scratch, pods, vec_at(&p->pods, at));
}

void
probe_pods_picked(struct probe *p, const char *ns, const struct selector *sel, struct vec *pods)
{
	struct probe_pick pick = { ns, sel };
	struct probe_pick *only = &pick;
	struct vec picks = { .items = (void **)&only, .len = 1, .cap = 1 };
	each_picked(p, ns, &picks, false, take_pod, pods);
}

void
probe_far_ends_picked(struct probe *p, const struct vec *namespaces, const struct vec *picks,
	struct vec *ends)
{
	struct vec names = far_namespaces(p, namespaces);
	for (size_t n = 0; n < names.len; n++) {
		const char *ns = vec_at(&names, n);
		each_picked(p, ns, picks, true, take_end, ends);
		push_addresses(p, ns, ends);
	}
}

/* The ports of every rule of the policies, catalog's or emitted, in the
 * namespaces: a port a policy opens by mistake gets tried too. */
void
probe_policy_ports(struct probe *p, struct vec *ports, const struct vec *namespaces)
{
	for (size_t n = 0; n < namespaces->len; n++) {
		struct netpol *const *policies;
		size_t count;
		probe_policies(p, vec_at(namespaces, n), &policies, &count);
		for (size_t i = 0; i < count; i++) {
			probe_rule_ports(p, ports, &policies[i]->ingress_rules);
			probe_rule_ports(p, ports, &policies[i]->egress_rules);
		}
	}
}

void
probe_policies(const struct probe *p, const char *ns, struct netpol *const **policies,
	size_t *count)
{
	size_t first, end;
	netpol_range(&p->policies, ns, &first, &end);
	*policies = (struct netpol *const *)p->policies.items + first;
	*count = end - first;
}

void
probe_peer_namespaces(struct probe *p, const struct netpol *np, struct vec *out)
{
	struct vec scopes = { 0 };
	push_rule_scopes(p, p->scratch, &scopes, np);
	for (size_t i = 0; i < scopes.len; i++)
		vec_push(p->scratch, out, (void *)((const struct scope *)vec_at(&scopes, i))->ns);
}

void
probe_set_scratch(struct probe *p, struct arena *scratch)
{
	p->scratch = scratch;
}

struct probe *
probe_share(struct arena *arena, const struct probe *probe)
{
	struct probe *shared = arena_alloc(arena, sizeof(*shared));
	*shared = *probe;
	shared->arena = arena;
	shared->scratch = arena;
	return shared;
}

void
probe_unique_ports(struct vec *ports)
{
	vec_sort_unique(ports, compare_ports);
}

struct probe *
probe_build(struct arena *arena, const struct ir *ir, const struct catalog *catalog,
	const struct vec *emitted, const struct eval_world *world)
{
	struct probe *p = arena_alloc(arena, sizeof(*p));
	*p = (struct probe){ .arena = arena, .ir = ir, .catalog = catalog, .emitted = emitted,
		.world = world, .scratch = arena };
	for (size_t i = 0; i < ir->vendors.len; i++)
		vec_push(arena, &p->vendors, vec_at(&ir->vendors, i));
	vec_sort(&p->vendors, compare_vendor_ns);
	for (size_t i = 0; i < catalog->netpols.len; i++)
		vec_push(arena, &p->policies, vec_at(&catalog->netpols, i));
	for (size_t i = 0; i < emitted->len; i++)
		vec_push(arena, &p->policies, vec_at(emitted, i));
	vec_sort(&p->policies, netpol_compare);
	collect_namespaces(p);
	collect_scopes(p);
	build_pods(p);
	index_labels(p);
	build_addresses(p);
	return p;
}
