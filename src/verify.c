#include "vendorc/verify.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/ir.h"
#include "vendorc/ynode.h"

#include <stdlib.h>
#include <string.h>

/* A namespace no selector can name, for "any other namespace". */
static const char fresh_namespace[] = "vendorc.invalid";
/* Violations reported per vendor or policy, and in all: past them the
 * rest says nothing new. */
enum { VERIFY_PER_SUBJECT = 3, VERIFY_IN_ALL = 50, VERIFY_PAIR_LIMIT = 48 };

struct verifier {
	struct arena *arena;
	struct diag_set *diags;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct vec *emitted;
	struct eval_world *after;    /* catalog and emitted policies */
	struct eval_world *before;   /* catalog and the intended default-deny */
	struct vec scopes;           /* struct scope *: (namespace, selector) pairs */
	struct vec namespaces;       /* const char *, every namespace in play */
	struct vec pods;             /* struct eval_pod *, sorted by namespace */
	struct vec addresses;        /* struct eval_end * outside the cluster */
	struct vec flows_reported;   /* const char *: flows already reported */
	size_t reported;
};

/* A selector that can apply to pods of a namespace. */
struct scope {
	const char *ns;
	const struct selector *sel;
};

/* ---- reading the emitted policies back ---- */

static bool
is_netpol(const struct ynode *doc)
{
	const char *kind = ynode_string(ynode_get(doc, "kind"));
	return kind && strcmp(kind, "NetworkPolicy") == 0;
}

bool
verify_read_policies(struct arena *arena, struct diag_set *diags, const struct vec *files,
	const char *display_dir, struct vec *netpols)
{
	bool ok = true;
	for (size_t i = 0; i < files->len; i++) {
		const struct backend_file *file = vec_at(files, i);
		const char *path = arena_printf(arena, "%s/%s", display_dir, file->name);
		struct source *src = source_from_text(arena, path, file->data, file->len);
		struct vec docs = { 0 };
		ok &= ynode_load(arena, diags, src, &docs);
		for (size_t d = 0; d < docs.len; d++) {
			struct netpol *np = is_netpol(vec_at(&docs, d))
				? catalog_read_netpol(arena, diags, vec_at(&docs, d)) : NULL;
			ok &= !is_netpol(vec_at(&docs, d)) || np;
			if (np)
				vec_push(arena, netpols, np);
		}
	}
	return ok;
}

/* ---- the worlds ---- */

static struct netpol *
intended_deny(struct arena *arena, const char *ns)
{
	struct netpol *np = arena_alloc(arena, sizeof(*np));
	np->ns = ns;
	np->name = "vendorc-default-deny";
	np->ingress = np->egress = true;
	return np;
}

static struct vec *
eval_namespaces(struct verifier *v)
{
	struct vec *out = arena_alloc(v->arena, sizeof(*out));
	for (size_t i = 0; i < v->catalog->namespaces.len; i++) {
		const struct catalog_namespace *cn = vec_at(&v->catalog->namespaces, i);
		struct label *labels = arena_array(v->arena, cn->label_count + 1, sizeof(*labels));
		memcpy(labels, cn->labels, cn->label_count * sizeof(*labels));
		labels[cn->label_count] = (struct label){ "kubernetes.io/metadata.name", cn->name };
		struct eval_namespace *en = arena_alloc(v->arena, sizeof(*en));
		*en = (struct eval_namespace){ cn->name, labels, cn->label_count + 1 };
		vec_push(v->arena, out, en);
	}
	return out;
}

static void
build_worlds(struct verifier *v)
{
	struct vec *namespaces = eval_namespaces(v);
	struct vec after = { 0 }, before = { 0 };
	for (size_t i = 0; i < v->catalog->netpols.len; i++) {
		vec_push(v->arena, &after, vec_at(&v->catalog->netpols, i));
		vec_push(v->arena, &before, vec_at(&v->catalog->netpols, i));
	}
	for (size_t i = 0; i < v->emitted->len; i++)
		vec_push(v->arena, &after, vec_at(v->emitted, i));
	for (size_t i = 0; i < v->ir->denied_namespaces.len; i++)
		vec_push(v->arena, &before, intended_deny(v->arena, vec_at(&v->ir->denied_namespaces, i)));
	v->after = eval_world_create(v->arena, &after, namespaces);
	v->before = eval_world_create(v->arena, &before, namespaces);
}

/* ---- the representative pods ---- */

static void
add_scope(struct verifier *v, const char *ns, const struct selector *sel)
{
	struct scope *scope = arena_alloc(v->arena, sizeof(*scope));
	*scope = (struct scope){ ns, sel };
	vec_push(v->arena, &v->scopes, scope);
}

static const struct selector everything;

/* A peer's pods can be in the namespaces its namespaceSelector matches:
 * the one it names when it is kubernetes.io/metadata.name alone (as
 * vendorc writes them), else any namespace in play that matches. */
static void
add_peer_scopes(struct verifier *v, const struct netpol *np, const struct netpol_peer *peer)
{
	const struct selector *pods = peer->has_pod_selector ? &peer->pod_selector : &everything;
	const struct selector *ns = &peer->namespace_selector;
	if (peer->has_cidr)
		return;
	if (!peer->has_namespace_selector) {
		add_scope(v, np->ns, pods);
		return;
	}
	if (ns->label_count == 1 && ns->expr_count == 0
		&& strcmp(ns->labels[0].key, "kubernetes.io/metadata.name") == 0) {
		add_scope(v, ns->labels[0].value, pods);
		return;
	}
	for (size_t i = 0; i < v->namespaces.len; i++) {
		const struct label *labels;
		size_t count;
		eval_namespace_labels(v->after, vec_at(&v->namespaces, i), &labels, &count);
		if (selector_matches(ns, labels, count))
			add_scope(v, vec_at(&v->namespaces, i), pods);
	}
}

static void
add_policy_scopes(struct verifier *v, const struct netpol *np)
{
	add_scope(v, np->ns, &np->pod_selector);
	const struct vec *lists[] = { &np->ingress_rules, &np->egress_rules };
	for (size_t l = 0; l < 2; l++)
		for (size_t r = 0; r < lists[l]->len; r++) {
			const struct netpol_rule *rule = vec_at(lists[l], r);
			for (size_t p = 0; p < rule->peers.len; p++)
				add_peer_scopes(v, np, vec_at(&rule->peers, p));
		}
}

static void
add_intent_scopes(struct verifier *v)
{
	for (size_t i = 0; i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		add_scope(v, vendor->pods.ns, &vendor->pods.pods);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			if (flow->kind == IR_PEER_PODS)
				add_scope(v, flow->pods.ns, &flow->pods.pods);
		}
	}
	for (size_t i = 0; i < v->ir->denied_namespaces.len; i++)
		add_scope(v, vec_at(&v->ir->denied_namespaces, i), &everything);
	add_scope(v, fresh_namespace, &everything);
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
add_namespace(struct verifier *v, const char *ns)
{
	vec_push(v->arena, &v->namespaces, (void *)ns);
}

/* Every namespace in play: those a namespaceSelector may match. */
static void
collect_namespaces(struct verifier *v)
{
	const struct vec *policies[] = { &v->catalog->netpols, v->emitted };
	for (size_t i = 0; i < v->catalog->namespaces.len; i++)
		add_namespace(v, ((const struct catalog_namespace *)vec_at(&v->catalog->namespaces, i))->name);
	for (size_t i = 0; i < v->catalog->workloads.len; i++)
		add_namespace(v, ((const struct workload *)vec_at(&v->catalog->workloads, i))->ns);
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++)
			add_namespace(v, ((const struct netpol *)vec_at(policies[s], i))->ns);
	for (size_t i = 0; i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		add_namespace(v, vendor->pods.ns);
		for (size_t f = 0; f < vendor->flows.len; f++)
			if (((const struct ir_flow *)vec_at(&vendor->flows, f))->kind == IR_PEER_PODS)
				add_namespace(v, ((const struct ir_flow *)vec_at(&vendor->flows, f))->pods.ns);
	}
	for (size_t i = 0; i < v->ir->denied_namespaces.len; i++)
		add_namespace(v, vec_at(&v->ir->denied_namespaces, i));
	add_namespace(v, fresh_namespace);
	vec_sort_unique(&v->namespaces, compare_strings);
}

static void
collect_scopes(struct verifier *v)
{
	const struct vec *policies[] = { &v->catalog->netpols, v->emitted };
	add_intent_scopes(v);
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++)
			add_policy_scopes(v, vec_at(policies[s], i));
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
witness(struct verifier *v, const char *ns, const struct selector *sel)
{
	struct label *labels = arena_array(v->arena, sel->label_count + sel->expr_count + 1, sizeof(*labels));
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
	struct eval_pod *pod = arena_alloc(v->arena, sizeof(*pod));
	*pod = (struct eval_pod){ ns, labels, count };
	return pod;
}

static void
add_pod(struct verifier *v, struct eval_pod *pod)
{
	if (pod)
		vec_push(v->arena, &v->pods, pod);
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
add_namespace_pods(struct verifier *v, const char *ns, struct scope **scopes, size_t count)
{
	add_pod(v, witness(v, ns, &everything));
	for (size_t i = 0; i < count; i++) {
		add_pod(v, witness(v, ns, scopes[i]->sel));
		for (size_t j = i + 1; count <= VERIFY_PAIR_LIMIT && j < count; j++) {
			struct selector both;
			if (selector_and(v->arena, scopes[i]->sel, scopes[j]->sel, &both))
				add_pod(v, witness(v, ns, &both));
		}
	}
}

static void
build_pods(struct verifier *v)
{
	vec_sort_unique(&v->scopes, compare_scopes);
	for (size_t i = 0; i < v->scopes.len; i++)
		add_namespace(v, ((const struct scope *)vec_at(&v->scopes, i))->ns);
	vec_sort_unique(&v->namespaces, compare_strings);
	struct scope **scopes = (struct scope **)v->scopes.items;
	size_t at = 0;
	for (size_t n = 0; n < v->namespaces.len; n++) {
		const char *ns = vec_at(&v->namespaces, n);
		size_t first = at;
		while (at < v->scopes.len && strcmp(scopes[at]->ns, ns) == 0)
			at++;
		add_namespace_pods(v, ns, scopes + first, at - first);
	}
	for (size_t i = 0; i < v->catalog->workloads.len; i++) {
		const struct workload *w = vec_at(&v->catalog->workloads, i);
		struct eval_pod *pod = arena_alloc(v->arena, sizeof(*pod));
		struct label *labels = arena_array(v->arena, w->label_count + 1, sizeof(*labels));
		memcpy(labels, w->labels, w->label_count * sizeof(*labels));
		if (w->label_count > 1)
			qsort(labels, w->label_count, sizeof(*labels), compare_labels_by_key);
		*pod = (struct eval_pod){ w->ns, labels, w->label_count };
		add_pod(v, pod);
	}
	vec_sort_unique(&v->pods, compare_pods);
}

/* ---- addresses and ports ---- */

static void
add_address(struct verifier *v, const struct net_cidr *addr)
{
	struct eval_end *end = arena_alloc(v->arena, sizeof(*end));
	end->addr = *addr;
	end->addr.prefix = addr->family == 4 ? 32 : 128;
	vec_push(v->arena, &v->addresses, end);
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
add_range(struct verifier *v, const struct net_cidr *cidr)
{
	static const struct {
		bool last;
		int delta;
	} edges[] = { { false, 0 }, { true, 0 }, { false, -1 }, { true, 1 } };
	for (size_t i = 0; i < 4; i++) {
		struct net_cidr addr;
		if (step(cidr, edges[i].last, edges[i].delta, &addr))
			add_address(v, &addr);
	}
}

static void
add_rule_ranges(struct verifier *v, const struct vec *rules)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct netpol_rule *rule = vec_at(rules, r);
		for (size_t p = 0; p < rule->peers.len; p++) {
			const struct netpol_peer *peer = vec_at(&rule->peers, p);
			if (peer->has_cidr)
				add_range(v, &peer->cidr);
			for (size_t e = 0; e < peer->except.len; e++)
				add_range(v, vec_at(&peer->except, e));
		}
	}
}

static void
build_addresses(struct verifier *v)
{
	static const char *const elsewhere[] = { "192.0.2.1", "2001:db8::1" };
	for (size_t i = 0; i < 2; i++) {
		struct net_cidr addr;
		net_parse_cidr(elsewhere[i], &addr);
		add_address(v, &addr);
	}
	const struct vec *policies[] = { &v->catalog->netpols, v->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++) {
			const struct netpol *np = vec_at(policies[s], i);
			add_rule_ranges(v, &np->ingress_rules);
			add_rule_ranges(v, &np->egress_rules);
		}
	for (size_t i = 0; i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		for (size_t f = 0; f < vendor->flows.len; f++) {
			const struct ir_flow *flow = vec_at(&vendor->flows, f);
			for (size_t c = 0; c < flow->cidrs.len; c++)
				add_range(v, vec_at(&flow->cidrs, c));
		}
	}
}

static void
add_port(struct verifier *v, struct vec *ports, enum net_proto proto, int number, const char *name)
{
	if (!name && (number < 1 || number > 65535))
		return;
	struct eval_port *port = arena_alloc(v->arena, sizeof(*port));
	*port = (struct eval_port){ proto, number, name };
	vec_push(v->arena, ports, port);
}

/* A port, or a range's edges and the numbers just outside it. */
static void
add_port_edges(struct verifier *v, struct vec *ports, enum net_proto proto, int number, int end,
	const char *name)
{
	add_port(v, ports, proto, number, name);
	if (!end)
		return;
	add_port(v, ports, proto, number - 1, NULL);
	add_port(v, ports, proto, end, NULL);
	add_port(v, ports, proto, end + 1, NULL);
}

/* Ports no one names, in every protocol: what must stay as it was. */
static void
add_fresh_ports(struct verifier *v, struct vec *ports)
{
	for (int proto = NET_TCP; proto <= NET_SCTP; proto++)
		add_port(v, ports, (enum net_proto)proto, 1, NULL);
}

static void
add_rule_ports(struct verifier *v, struct vec *ports, const struct vec *rules)
{
	for (size_t r = 0; r < rules->len; r++) {
		const struct netpol_rule *rule = vec_at(rules, r);
		for (size_t p = 0; p < rule->ports.len; p++) {
			const struct netpol_port *np = vec_at(&rule->ports, p);
			add_port_edges(v, ports, np->proto, np->has_proto_only ? 1 : np->port,
				np->end_port, np->port_name);
		}
	}
}

static void
add_flow_ports(struct verifier *v, struct vec *ports, const struct ir_flow *flow)
{
	for (size_t p = 0; p < flow->ports.len; p++) {
		const struct ir_port *port = vec_at(&flow->ports, p);
		add_port_edges(v, ports, port->proto, port->port, port->end, port->name);
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

/* ---- intent ---- */

static bool
intent_port(const struct ir_port *p, const struct eval_port *q)
{
	if (p->proto != q->proto || (p->name == NULL) != (q->name == NULL))
		return false;
	if (p->name)
		return strcmp(p->name, q->name) == 0;
	return p->end ? q->number >= p->port && q->number <= p->end : q->number == p->port;
}

static bool
intent_peer(const struct ir_flow *flow, const struct eval_end *peer)
{
	if (flow->kind == IR_PEER_PODS)
		return peer->pod && strcmp(peer->pod->ns, flow->pods.ns) == 0
			&& selector_matches(&flow->pods.pods, peer->pod->labels, peer->pod->label_count);
	for (size_t i = 0; !peer->pod && i < flow->cidrs.len; i++)
		if (net_cidr_contains(vec_at(&flow->cidrs, i), &peer->addr))
			return true;
	return false;
}

/* The flow of the vendor's file that grants this, or NULL. */
static const struct ir_flow *
declared(const struct ir_vendor *vendor, enum ir_direction dir, const struct eval_end *peer,
	const struct eval_port *port)
{
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != dir || !intent_peer(flow, peer))
			continue;
		for (size_t p = 0; p < flow->ports.len; p++)
			if (intent_port(vec_at(&flow->ports, p), port))
				return flow;
	}
	return NULL;
}

static const struct ir_vendor *
vendor_of(const struct verifier *v, const struct eval_pod *pod)
{
	for (size_t i = 0; pod && i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		if (strcmp(vendor->pods.ns, pod->ns) == 0
			&& selector_matches(&vendor->pods.pods, pod->labels, pod->label_count))
			return vendor;
	}
	return NULL;
}

/* ---- reporting ---- */

static const char *
end_text(struct arena *arena, const struct eval_end *end)
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

static const char *
port_text(struct arena *arena, const struct eval_port *port)
{
	return port->name ? arena_printf(arena, "%s port \"%s\"", net_proto_name(port->proto), port->name)
			  : arena_printf(arena, "%s %d", net_proto_name(port->proto), port->number);
}

static void
note_side(struct diag *d, const char *side, const struct eval_side *verdict)
{
	if (!verdict->by)
		return;
	const struct netpol *np = verdict->by;
	if (verdict->allowed)
		diag_note(d, np->loc.src ? &np->loc : NULL, "%s: allowed by NetworkPolicy \"%s/%s\"",
			side, np->ns, np->name);
	else
		diag_note(d, np->loc.src ? &np->loc : NULL, "%s: denied, isolated by NetworkPolicy \"%s/%s\"",
			side, np->ns, np->name);
}

static bool
may_report(struct verifier *v, size_t *per_subject)
{
	if (v->reported >= VERIFY_IN_ALL || *per_subject >= VERIFY_PER_SUBJECT)
		return false;
	v->reported++;
	(*per_subject)++;
	return true;
}

/* ---- the checks ---- */

/* The pods of ns: a range of v->pods, which is sorted by namespace. */
static void
pods_of(const struct verifier *v, const char *ns, size_t *first, size_t *end)
{
	size_t lo = 0, hi = v->pods.len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(((const struct eval_pod *)vec_at(&v->pods, mid))->ns, ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < v->pods.len && strcmp(((const struct eval_pod *)vec_at(&v->pods, lo))->ns, ns) == 0)
		lo++;
	*end = lo;
}

/* Far ends worth trying: the pods of the namespaces named, of a namespace
 * nobody names, and the outside addresses. */
static void
far_ends(struct verifier *v, const struct vec *namespaces, struct vec *ends)
{
	struct vec names = { 0 };
	for (size_t i = 0; i < namespaces->len; i++)
		vec_push(v->arena, &names, vec_at(namespaces, i));
	vec_push(v->arena, &names, (void *)fresh_namespace);
	vec_sort_unique(&names, compare_strings);
	for (size_t n = 0; n < names.len; n++) {
		size_t first, end;
		pods_of(v, vec_at(&names, n), &first, &end);
		for (size_t i = first; i < end; i++) {
			struct eval_end *e = arena_alloc(v->arena, sizeof(*e));
			e->pod = vec_at(&v->pods, i);
			vec_push(v->arena, ends, e);
		}
	}
	for (size_t i = 0; i < v->addresses.len; i++)
		vec_push(v->arena, ends, vec_at(&v->addresses, i));
}

static void
report_vendor(struct verifier *v, const struct ir_vendor *vendor, enum ir_direction dir,
	const struct eval_end *peer, const struct eval_port *port, const struct eval_verdict *got,
	size_t *per_vendor)
{
	if (!may_report(v, per_vendor))
		return;
	const struct ir_flow *flow = declared(vendor, dir, peer, port);
	const char *what = dir == IR_EGRESS
		? arena_printf(v->arena, "vendor \"%s\" %s %s on %s", vendor->name,
			got->allowed ? "can reach" : "cannot reach", end_text(v->arena, peer), port_text(v->arena, port))
		: arena_printf(v->arena, "%s %s vendor \"%s\" on %s", end_text(v->arena, peer),
			got->allowed ? "can reach" : "cannot reach", vendor->name, port_text(v->arena, port));
	struct diag *d = diag_report(v->diags, DIAG_VERIFY_VENDOR_FLOW, flow ? &flow->loc : &vendor->loc,
		"%s, which %s", what, got->allowed ? (vendor->expired ? "an expired vendor must not"
			: "its file does not declare")
			: flow->dns ? "it needs to look up the names of this statement" : "its file declares");
	note_side(d, "the source's egress", &got->egress);
	note_side(d, "the destination's ingress", &got->ingress);
}

static void
check_vendor_pod(struct verifier *v, const struct ir_vendor *vendor, const struct eval_pod *pod,
	const struct vec *ends, const struct vec *ports, size_t *per_vendor)
{
	struct eval_end self = { .pod = pod };
	for (size_t e = 0; e < ends->len; e++) {
		const struct eval_end *peer = vec_at(ends, e);
		if (peer->pod == pod)
			continue;
		for (size_t p = 0; p < ports->len; p++) {
			const struct eval_port *port = vec_at(ports, p);
			struct eval_verdict out, in;
			eval_connection(v->after, &self, peer, port, &out);
			eval_connection(v->after, peer, &self, port, &in);
			if (out.allowed != (declared(vendor, IR_EGRESS, peer, port) != NULL))
				report_vendor(v, vendor, IR_EGRESS, peer, port, &out, per_vendor);
			if (in.allowed != (declared(vendor, IR_INGRESS, peer, port) != NULL))
				report_vendor(v, vendor, IR_INGRESS, peer, port, &in, per_vendor);
		}
	}
}

static bool
contains_string(const struct vec *strings, const char *text)
{
	for (size_t i = 0; i < strings->len; i++)
		if (strcmp(vec_at(strings, i), text) == 0)
			return true;
	return false;
}

/* The ports of every rule of the policies, catalog's or emitted, in the
 * namespaces: a port a policy opens by mistake gets tried too. */
static void
add_policy_ports(struct verifier *v, struct vec *ports, const struct vec *namespaces)
{
	const struct vec *policies[] = { &v->catalog->netpols, v->emitted };
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < policies[s]->len; i++) {
			const struct netpol *np = vec_at(policies[s], i);
			if (!contains_string(namespaces, np->ns))
				continue;
			add_rule_ports(v, ports, &np->ingress_rules);
			add_rule_ports(v, ports, &np->egress_rules);
		}
}

/* SPEC 3: the vendor's pods reach exactly what it declares and are
 * reached exactly by its sources; expired, nothing at all. */
static void
check_vendor(struct verifier *v, const struct ir_vendor *vendor)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	vec_push(v->arena, &namespaces, (void *)vendor->pods.ns);
	for (size_t f = 0; f < vendor->flows.len; f++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, f);
		if (flow->kind == IR_PEER_PODS)
			vec_push(v->arena, &namespaces, (void *)flow->pods.ns);
		add_flow_ports(v, &ports, flow);
	}
	add_fresh_ports(v, &ports);
	add_policy_ports(v, &ports, &namespaces);
	vec_sort_unique(&ports, compare_ports);
	far_ends(v, &namespaces, &ends);
	size_t first, end, per_vendor = 0;
	pods_of(v, vendor->pods.ns, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct eval_pod *pod = vec_at(&v->pods, i);
		if (vendor_of(v, pod) == vendor)
			check_vendor_pod(v, vendor, pod, &ends, &ports, &per_vendor);
	}
}

/* Whether the flow was reported already (from another policy that
 * selects the same pods): once is enough. */
static bool
reported_before(struct verifier *v, const char *flow)
{
	for (size_t i = 0; i < v->flows_reported.len; i++)
		if (strcmp(vec_at(&v->flows_reported, i), flow) == 0)
			return true;
	vec_push(v->arena, &v->flows_reported, (void *)flow);
	return false;
}

static void
report_other(struct verifier *v, const struct loc *loc, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, const struct eval_verdict *before,
	const struct eval_verdict *after, size_t *per_policy)
{
	const char *flow = arena_printf(v->arena, "the flow from %s to %s on %s",
		end_text(v->arena, src), end_text(v->arena, dst), port_text(v->arena, port));
	if (reported_before(v, flow) || !may_report(v, per_policy))
		return;
	struct diag *d = diag_report(v->diags, DIAG_VERIFY_OTHER_FLOW, loc,
		"%s is %s, but the catalog and the default-deny %s it", flow,
		after->allowed ? "allowed" : "denied", before->allowed ? "allow" : "deny");
	note_side(d, "the source's egress", &after->egress);
	note_side(d, "the destination's ingress", &after->ingress);
}

/* A flow neither end of which is a vendor's pod must be as the catalog
 * and the default-deny make it, whatever was emitted. */
static void
compare_flow(struct verifier *v, const struct loc *loc, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, size_t *per_policy)
{
	if (vendor_of(v, src->pod) || vendor_of(v, dst->pod))
		return;
	struct eval_verdict before, after;
	eval_connection(v->before, src, dst, port, &before);
	eval_connection(v->after, src, dst, port, &after);
	if (before.allowed != after.allowed)
		report_other(v, loc, src, dst, port, &before, &after, per_policy);
}

/* The pods of namespace ns that np selects (all of ns when np is NULL),
 * against the far ends and ports given, in np's directions (both);
 * violations are reported at loc. */
static void
check_region(struct verifier *v, const char *ns, const struct netpol *np, const struct loc *loc,
	const struct vec *ends, const struct vec *ports, size_t *per_policy)
{
	size_t first, end;
	pods_of(v, ns, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct eval_pod *pod = vec_at(&v->pods, i);
		if (np && !selector_matches(&np->pod_selector, pod->labels, pod->label_count))
			continue;
		struct eval_end here = { .pod = pod };
		for (size_t e = 0; e < ends->len; e++)
			for (size_t p = 0; p < ports->len; p++) {
				const struct eval_end *far = vec_at(ends, e);
				if (!np || np->ingress)
					compare_flow(v, loc, far, &here, vec_at(ports, p), per_policy);
				if (!np || np->egress)
					compare_flow(v, loc, &here, far, vec_at(ports, p), per_policy);
			}
	}
}


/* The namespaces a policy's peers can name, and its own. */
static void
rule_namespaces(struct verifier *v, const struct netpol *np, struct vec *out)
{
	vec_push(v->arena, out, (void *)np->ns);
	size_t before = v->scopes.len;
	add_policy_scopes(v, np);
	for (size_t i = before; i < v->scopes.len; i++)
		vec_push(v->arena, out, (void *)((const struct scope *)vec_at(&v->scopes, i))->ns);
	v->scopes.len = before;
}

static void
check_emitted(struct verifier *v, const struct netpol *np)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	rule_namespaces(v, np, &namespaces);
	far_ends(v, &namespaces, &ends);
	add_rule_ports(v, &ports, &np->ingress_rules);
	add_rule_ports(v, &ports, &np->egress_rules);
	add_fresh_ports(v, &ports);
	vec_sort_unique(&ports, compare_ports);
	size_t per_policy = 0;
	check_region(v, np->ns, np, np->loc.src ? &np->loc : NULL, &ends, &ports, &per_policy);
}

static const struct loc *
vendor_loc_in(const struct verifier *v, const char *ns)
{
	for (size_t i = 0; i < v->ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&v->ir->vendors, i);
		if (strcmp(vendor->pods.ns, ns) == 0)
			return &vendor->loc;
	}
	return NULL;
}

/* A default-denied namespace: its other pods as the catalog and the
 * default-deny alone make them, whether or not the deny was emitted. */
static void
check_denied(struct verifier *v, const char *ns)
{
	struct vec namespaces = { 0 }, ends = { 0 }, ports = { 0 };
	vec_push(v->arena, &namespaces, (void *)ns);
	far_ends(v, &namespaces, &ends);
	add_policy_ports(v, &ports, &namespaces);
	add_fresh_ports(v, &ports);
	vec_sort_unique(&ports, compare_ports);
	size_t per_namespace = 0;
	check_region(v, ns, NULL, vendor_loc_in(v, ns), &ends, &ports, &per_namespace);
}

bool
verify(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct catalog *catalog, const struct vec *emitted)
{
	struct verifier v = { .arena = arena, .diags = diags, .ir = ir, .catalog = catalog,
		.emitted = emitted };
	build_worlds(&v);
	collect_namespaces(&v);
	collect_scopes(&v);
	build_pods(&v);
	build_addresses(&v);
	for (size_t i = 0; i < ir->vendors.len; i++)
		check_vendor(&v, vec_at(&ir->vendors, i));
	for (size_t i = 0; i < emitted->len; i++)
		check_emitted(&v, vec_at(emitted, i));
	for (size_t i = 0; i < ir->denied_namespaces.len; i++)
		check_denied(&v, vec_at(&ir->denied_namespaces, i));
	return v.reported == 0;
}
