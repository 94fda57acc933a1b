/* Backend networkpolicy: the IR as networking.k8s.io/v1 NetworkPolicies
 * (SPEC section 3). Per vendor, one policy for its pods' egress, one for
 * their ingress, and the peer-side grants of SPEC 3.4; per default-denied
 * namespace, a deny-all. */

#include "vendorc/backend.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/emit.h"
#include "vendorc/ir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A peer as a policy rule names it: pods of a namespace, or a range. */
struct np_peer {
	const struct ir_pods *pods;
	const struct net_cidr *cidr;
};

/* An allow rule: any peer, on any port. Both vectors sorted and unique. */
struct np_rule {
	struct vec peers; /* struct np_peer * */
	struct vec ports; /* struct ir_port * */
};

struct np_policy {
	const char *name;
	const char *ns;
	const struct selector *pods;
	enum ir_direction dir;      /* the one direction it covers */
	struct vec rules;           /* struct np_rule * */
	struct vec grants;          /* const char *: the statements it serves */
	const struct ir_vendor *vendor;
};

static const char managed_by_key[] = "app.kubernetes.io/managed-by";

/* ---- ordering ---- */

static int
peer_compare(const struct np_peer *a, const struct np_peer *b)
{
	if ((a->pods == NULL) != (b->pods == NULL))
		return a->pods ? -1 : 1;
	if (a->cidr)
		return net_cidr_compare(a->cidr, b->cidr);
	int by_ns = strcmp(a->pods->ns, b->pods->ns);
	return by_ns ? by_ns : selector_compare(&a->pods->pods, &b->pods->pods);
}

static int
peer_compare_indirect(const void *a, const void *b)
{
	return peer_compare(*(struct np_peer *const *)a, *(struct np_peer *const *)b);
}

static int
port_compare_indirect(const void *a, const void *b)
{
	return ir_port_compare(*(struct ir_port *const *)a, *(struct ir_port *const *)b);
}

static int
ports_compare(const struct vec *a, const struct vec *b)
{
	for (size_t i = 0; i < a->len && i < b->len; i++) {
		int c = ir_port_compare(vec_at(a, i), vec_at(b, i));
		if (c)
			return c;
	}
	return (a->len > b->len) - (a->len < b->len);
}

static int
rule_compare_by_ports(const void *a, const void *b)
{
	const struct np_rule *x = *(struct np_rule *const *)a, *y = *(struct np_rule *const *)b;
	int c = ports_compare(&x->ports, &y->ports);
	return c ? c : peer_compare(vec_at(&x->peers, 0), vec_at(&y->peers, 0));
}

static int
rule_compare_by_peer(const void *a, const void *b)
{
	const struct np_rule *x = *(struct np_rule *const *)a, *y = *(struct np_rule *const *)b;
	int c = peer_compare(vec_at(&x->peers, 0), vec_at(&y->peers, 0));
	return c ? c : ports_compare(&x->ports, &y->ports);
}

static void
append_all(struct arena *arena, struct vec *to, const struct vec *from)
{
	for (size_t i = 0; i < from->len; i++)
		vec_push(arena, to, vec_at(from, i));
}

/* ---- rules ---- */

static void
add_pair(struct arena *arena, struct vec *rules, const struct ir_pods *pods,
	const struct net_cidr *cidr, const struct vec *ports)
{
	struct np_peer *peer = arena_alloc(arena, sizeof(*peer));
	*peer = (struct np_peer){ pods, cidr };
	struct np_rule *rule = arena_alloc(arena, sizeof(*rule));
	vec_push(arena, &rule->peers, peer);
	append_all(arena, &rule->ports, ports);
	vec_push(arena, rules, rule);
}

/* Rules that are equal in key (peers or ports) become one, uniting the
 * other part. Both merges keep exactly the allowed (peer, port) pairs. */
static struct vec
merge_rules(struct arena *arena, struct vec *rules, bool by_peer)
{
	vec_sort(rules, by_peer ? rule_compare_by_peer : rule_compare_by_ports);
	struct vec merged = { 0 };
	for (size_t i = 0; i < rules->len; i++) {
		struct np_rule *rule = vec_at(rules, i);
		struct np_rule *last = merged.len ? vec_at(&merged, merged.len - 1) : NULL;
		bool same = last && (by_peer
			? peer_compare(vec_at(&last->peers, 0), vec_at(&rule->peers, 0)) == 0
			: ports_compare(&last->ports, &rule->ports) == 0);
		if (!same) {
			vec_push(arena, &merged, rule);
			continue;
		}
		append_all(arena, by_peer ? &last->ports : &last->peers, by_peer ? &rule->ports : &rule->peers);
		vec_sort_unique(by_peer ? &last->ports : &last->peers,
			by_peer ? port_compare_indirect : peer_compare_indirect);
	}
	return merged;
}

static struct vec
vendor_rules(struct arena *arena, const struct ir_vendor *vendor, enum ir_direction dir)
{
	struct vec pairs = { 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != dir)
			continue;
		if (flow->kind == IR_PEER_PODS)
			add_pair(arena, &pairs, &flow->pods, NULL, &flow->ports);
		for (size_t c = 0; flow->kind != IR_PEER_PODS && c < flow->cidrs.len; c++)
			add_pair(arena, &pairs, NULL, vec_at(&flow->cidrs, c), &flow->ports);
	}
	struct vec by_peer = merge_rules(arena, &pairs, true);
	for (size_t i = 0; i < by_peer.len; i++) {
		struct np_rule *rule = vec_at(&by_peer, i);
		vec_sort_unique(&rule->ports, port_compare_indirect);
	}
	struct vec rules = merge_rules(arena, &by_peer, false);
	vec_sort(&rules, rule_compare_by_peer);
	return rules;
}

/* ---- policies ---- */

static uint32_t
fnv1a(const char *text, uint32_t hash)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		hash = (hash ^ *c) * 16777619u;
	return hash;
}

static struct np_policy *
policy_new(struct arena *arena, const struct ir_vendor *vendor, const char *name, const char *ns,
	const struct selector *pods, enum ir_direction dir)
{
	struct np_policy *policy = arena_alloc(arena, sizeof(*policy));
	*policy = (struct np_policy){ .name = name, .ns = ns, .pods = pods, .dir = dir, .vendor = vendor };
	return policy;
}

/* The grant on the peer's side for one isolated selector: its name hashes
 * namespace, selector and direction, so it stays put as others come and go. */
static struct np_policy *
peer_policy(struct arena *arena, struct vec *policies, const struct ir_vendor *vendor,
	const char *ns, const struct selector *pods, enum ir_direction dir)
{
	for (size_t i = 0; i < policies->len; i++) {
		struct np_policy *policy = vec_at(policies, i);
		if (policy->dir == dir && strcmp(policy->ns, ns) == 0
			&& selector_compare(policy->pods, pods) == 0)
			return policy;
	}
	uint32_t hash = fnv1a(ns, 2166136261u);
	hash = fnv1a(selector_text(arena, pods), fnv1a("|", hash));
	hash = fnv1a(dir == IR_INGRESS ? "|ingress" : "|egress", hash);
	const char *name = arena_printf(arena, "vendorc-%s-peer-%08x", vendor->name, hash);
	struct np_policy *policy = policy_new(arena, vendor, name, ns, pods, dir);
	struct np_rule *rule = arena_alloc(arena, sizeof(*rule));
	struct np_peer *peer = arena_alloc(arena, sizeof(*peer));
	peer->pods = &vendor->pods;
	vec_push(arena, &rule->peers, peer);
	vec_push(arena, &policy->rules, rule);
	vec_push(arena, policies, policy);
	return policy;
}

static int
string_compare_indirect(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
policy_compare(const void *a, const void *b)
{
	const struct np_policy *x = *(struct np_policy *const *)a, *y = *(struct np_policy *const *)b;
	int by_ns = strcmp(x->ns, y->ns);
	return by_ns ? by_ns : strcmp(x->name, y->name);
}

/* SPEC 3.4: for each isolated selector on the peer's side, a policy that
 * selects exactly it and admits exactly the vendor's flows. */
static void
peer_policies(struct arena *arena, const struct ir_vendor *vendor, struct vec *out)
{
	struct vec policies = { 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		enum ir_direction peer_dir = flow->dir == IR_EGRESS ? IR_INGRESS : IR_EGRESS;
		for (size_t s = 0; s < flow->peer_isolated.len; s++) {
			struct np_policy *policy = peer_policy(arena, &policies, vendor, flow->pods.ns,
				vec_at(&flow->peer_isolated, s), peer_dir);
			struct np_rule *rule = vec_at(&policy->rules, 0);
			append_all(arena, &rule->ports, &flow->ports);
			vec_sort_unique(&rule->ports, port_compare_indirect);
			vec_push(arena, &policy->grants, (void *)flow->origin);
			vec_sort_unique(&policy->grants, string_compare_indirect);
		}
	}
	vec_sort(&policies, policy_compare);
	append_all(arena, out, &policies);
}

static void
vendor_policies(struct arena *arena, const struct ir_vendor *vendor, struct vec *out)
{
	static const struct {
		enum ir_direction dir;
		const char *suffix;
	} own[] = { { IR_EGRESS, "egress" }, { IR_INGRESS, "ingress" } };
	for (size_t i = 0; i < 2; i++) {
		struct vec rules = vendor_rules(arena, vendor, own[i].dir);
		if (rules.len == 0)
			continue;
		struct np_policy *policy = policy_new(arena, vendor,
			arena_printf(arena, "vendorc-%s-%s", vendor->name, own[i].suffix),
			vendor->pods.ns, &vendor->pods.pods, own[i].dir);
		policy->rules = rules;
		vec_push(arena, out, policy);
	}
	peer_policies(arena, vendor, out);
}

/* ---- YAML ---- */

static void
emit_selector(struct emit *e, const char *key, const struct selector *sel)
{
	emit_str(e, key);
	emit_map_begin(e);
	if (sel->label_count) {
		emit_str(e, "matchLabels");
		emit_map_begin(e);
		for (size_t i = 0; i < sel->label_count; i++)
			emit_pair_str(e, sel->labels[i].key, sel->labels[i].value);
		emit_map_end(e);
	}
	if (sel->expr_count) {
		emit_str(e, "matchExpressions");
		emit_seq_begin(e);
		for (size_t i = 0; i < sel->expr_count; i++) {
			const struct selector_expr *expr = &sel->exprs[i];
			emit_map_begin(e);
			emit_pair_str(e, "key", expr->key);
			emit_pair_str(e, "operator", selector_op_name(expr->op));
			if (expr->op == SELECTOR_IN || expr->op == SELECTOR_NOT_IN) {
				emit_str(e, "values");
				emit_seq_begin(e);
				for (size_t v = 0; v < expr->value_count; v++)
					emit_str(e, expr->values[v]);
				emit_seq_end(e);
			}
			emit_map_end(e);
		}
		emit_seq_end(e);
	}
	emit_map_end(e);
}

static void
emit_peer(struct arena *arena, struct emit *e, const struct np_peer *peer)
{
	emit_map_begin(e);
	if (peer->cidr) {
		emit_str(e, "ipBlock");
		emit_map_begin(e);
		emit_pair_str(e, "cidr", net_format_cidr(arena, peer->cidr));
		emit_map_end(e);
	} else {
		struct label ns_label = { "kubernetes.io/metadata.name", peer->pods->ns };
		struct selector ns_sel = { .labels = &ns_label, .label_count = 1 };
		emit_selector(e, "namespaceSelector", &ns_sel);
		emit_selector(e, "podSelector", &peer->pods->pods);
	}
	emit_map_end(e);
}

static void
emit_port(struct emit *e, const struct ir_port *port)
{
	emit_map_begin(e);
	emit_pair_str(e, "protocol", net_proto_name(port->proto));
	if (port->name)
		emit_pair_str(e, "port", port->name);
	else
		emit_pair_int(e, "port", port->port);
	if (port->end)
		emit_pair_int(e, "endPort", port->end);
	emit_map_end(e);
}

static void
emit_rules(struct arena *arena, struct emit *e, const struct np_policy *policy)
{
	bool ingress = policy->dir == IR_INGRESS;
	emit_str(e, ingress ? "ingress" : "egress");
	emit_seq_begin(e);
	for (size_t i = 0; i < policy->rules.len; i++) {
		const struct np_rule *rule = vec_at(&policy->rules, i);
		emit_map_begin(e);
		emit_str(e, ingress ? "from" : "to");
		emit_seq_begin(e);
		for (size_t p = 0; p < rule->peers.len; p++)
			emit_peer(arena, e, vec_at(&rule->peers, p));
		emit_seq_end(e);
		emit_str(e, "ports");
		emit_seq_begin(e);
		for (size_t p = 0; p < rule->ports.len; p++)
			emit_port(e, vec_at(&rule->ports, p));
		emit_seq_end(e);
		emit_map_end(e);
	}
	emit_seq_end(e);
}

static void
emit_labels(struct emit *e, const struct ir_vendor *vendor)
{
	emit_str(e, "labels");
	emit_map_begin(e);
	emit_pair_str(e, managed_by_key, "vendorc");
	if (vendor)
		emit_pair_str(e, "vendorc.io/vendor", vendor->name);
	emit_map_end(e);
}

static const char *
join(struct arena *arena, const struct vec *strings, const char *separator)
{
	const char *text = "";
	for (size_t i = 0; i < strings->len; i++)
		text = arena_printf(arena, "%s%s%s", text, i ? separator : "", (const char *)vec_at(strings, i));
	return text;
}

/* Annotations in key order: what an auditor needs to trace a policy back. */
static void
emit_annotations(struct arena *arena, struct emit *e, const struct np_policy *policy)
{
	const struct ir_vendor *vendor = policy->vendor;
	emit_str(e, "annotations");
	emit_map_begin(e);
	emit_pair_str(e, "vendorc.io/expires", vendor->expires);
	if (policy->grants.len)
		emit_pair_str(e, "vendorc.io/grants", join(arena, &policy->grants, "; "));
	if (vendor->owner)
		emit_pair_str(e, "vendorc.io/owner", vendor->owner);
	emit_pair_str(e, "vendorc.io/source", vendor->source);
	if (vendor->ticket)
		emit_pair_str(e, "vendorc.io/ticket", vendor->ticket);
	emit_map_end(e);
}

static void
emit_policy_head(struct emit *e, const char *name, const char *ns)
{
	emit_document_begin(e);
	emit_map_begin(e);
	emit_pair_str(e, "apiVersion", "networking.k8s.io/v1");
	emit_pair_str(e, "kind", "NetworkPolicy");
	emit_str(e, "metadata");
	emit_map_begin(e);
	emit_pair_str(e, "name", name);
	emit_pair_str(e, "namespace", ns);
}

static void
emit_policy(struct arena *arena, struct emit *e, const struct np_policy *policy)
{
	emit_policy_head(e, policy->name, policy->ns);
	emit_labels(e, policy->vendor);
	emit_annotations(arena, e, policy);
	emit_map_end(e);
	emit_str(e, "spec");
	emit_map_begin(e);
	emit_selector(e, "podSelector", policy->pods);
	emit_str(e, "policyTypes");
	emit_seq_begin(e);
	emit_str(e, policy->dir == IR_INGRESS ? "Ingress" : "Egress");
	emit_seq_end(e);
	emit_rules(arena, e, policy);
	emit_map_end(e);
	emit_map_end(e);
	emit_document_end(e);
}

static void
emit_default_deny(struct emit *e, const char *ns)
{
	emit_policy_head(e, "vendorc-default-deny", ns);
	emit_labels(e, NULL);
	emit_map_end(e);
	emit_str(e, "spec");
	emit_map_begin(e);
	emit_selector(e, "podSelector", &(struct selector){ 0 });
	emit_str(e, "policyTypes");
	emit_seq_begin(e);
	emit_str(e, "Ingress");
	emit_str(e, "Egress");
	emit_seq_end(e);
	emit_map_end(e);
	emit_map_end(e);
	emit_document_end(e);
}

/* Lists files from first on: namespace files then vendor files, each in
 * name order, which is name order overall. */
static void
emit_kustomization(struct emit *e, const struct vec *files, size_t first)
{
	emit_document_begin(e);
	emit_map_begin(e);
	emit_pair_str(e, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	emit_pair_str(e, "kind", "Kustomization");
	emit_str(e, "resources");
	emit_seq_begin(e);
	for (size_t i = first; i < files->len; i++)
		emit_str(e, ((const struct backend_file *)vec_at(files, i))->name);
	emit_seq_end(e);
	emit_map_end(e);
	emit_document_end(e);
}

/* ---- files ---- */

static bool
finish_file(struct arena *arena, struct diag_set *diags, struct emit *e, const char *name,
	struct vec *files)
{
	struct backend_file *file = arena_alloc(arena, sizeof(*file));
	file->name = name;
	bool ok = e && emit_finish(e, arena, &file->data, &file->len);
	emit_destroy(e);
	if (!ok) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "internal error: cannot emit \"%s\"", name);
		return false;
	}
	vec_push(arena, files, file);
	return true;
}

bool
backend_networkpolicy(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	struct vec *files)
{
	bool ok = true;
	size_t first = files->len;
	for (size_t i = 0; i < ir->denied_namespaces.len; i++) {
		const char *ns = vec_at(&ir->denied_namespaces, i);
		struct emit *e = emit_create();
		if (e)
			emit_default_deny(e, ns);
		ok &= finish_file(arena, diags, e, arena_printf(arena, "namespace-%s.yaml", ns), files);
	}
	for (size_t i = 0; i < ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&ir->vendors, i);
		struct vec policies = { 0 };
		vendor_policies(arena, vendor, &policies);
		if (policies.len == 0)
			continue;
		struct emit *e = emit_create();
		for (size_t p = 0; e && p < policies.len; p++)
			emit_policy(arena, e, vec_at(&policies, p));
		ok &= finish_file(arena, diags, e, arena_printf(arena, "vendor-%s.yaml", vendor->name), files);
	}
	struct emit *e = emit_create();
	if (e)
		emit_kustomization(e, files, first);
	ok &= finish_file(arena, diags, e, "kustomization.yaml", files);
	return ok;
}
