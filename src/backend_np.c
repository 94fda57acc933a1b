/* Backend networkpolicy: the IR as networking.k8s.io/v1 NetworkPolicies
 * (docs/semantics.md section 3). Per vendor, one policy for its pods' egress, one for
 * their ingress, and the peer-side grants of docs/semantics.md 3.4; per default-denied
 * namespace, a deny-all (src/backend.c, shared with the other backends). */

#include "vendorc/backend.h"

#include "vendorc/arena.h"
#include "vendorc/emit.h"
#include "vendorc/ir.h"


/* ---- policies ---- */

/* A domain is the ranges the lock file gives it: NetworkPolicy cannot name
 * a host. */
static struct vec
vendor_rules(struct arena *arena, const struct ir_vendor *vendor, enum ir_direction dir)
{
	struct vec pairs = { 0 };
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (flow->dir != dir)
			continue;
		if (flow->kind == IR_PEER_PODS)
			backend_add_rule(arena, &pairs, &(struct backend_peer){ .pods = &flow->pods },
				&flow->ports);
		for (size_t c = 0; flow->kind != IR_PEER_PODS && c < flow->cidrs.len; c++)
			backend_add_rule(arena, &pairs,
				&(struct backend_peer){ .cidr = vec_at(&flow->cidrs, c) }, &flow->ports);
	}
	return backend_group_rules(arena, &pairs, false);
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
		struct backend_policy *policy = backend_policy_new(arena, vendor,
			arena_printf(arena, "vendorc-%s-%s", vendor->name, own[i].suffix),
			vendor->pods.ns, &vendor->pods.pods, own[i].dir);
		policy->rules = rules;
		vec_push(arena, out, policy);
	}
	backend_peer_policies(arena, vendor, out);
}

/* ---- YAML ---- */

static void
emit_peer(struct arena *arena, struct emit *e, const struct backend_peer *peer)
{
	emit_map_begin(e);
	if (peer->cidr) {
		emit_word(e, "ipBlock");
		emit_map_begin(e);
		emit_field(e, "cidr", net_format_cidr(arena, peer->cidr));
		emit_map_end(e);
	} else {
		struct label ns_label = { "kubernetes.io/metadata.name", peer->pods->ns };
		struct selector ns_sel = { .labels = &ns_label, .label_count = 1 };
		backend_emit_selector(e, "namespaceSelector", &ns_sel);
		backend_emit_selector(e, "podSelector", &peer->pods->pods);
	}
	emit_map_end(e);
}

static void
emit_port(struct emit *e, const struct ir_port *port)
{
	emit_map_begin(e);
	emit_word(e, "protocol");
	emit_word(e, net_proto_name(port->proto));
	if (port->name)
		emit_field(e, "port", port->name);
	else
		emit_pair_int(e, "port", port->port);
	if (port->end)
		emit_pair_int(e, "endPort", port->end);
	emit_map_end(e);
}

static void
emit_rules(struct arena *arena, struct emit *e, const struct backend_policy *policy)
{
	bool ingress = policy->dir == IR_INGRESS;
	emit_word(e, ingress ? "ingress" : "egress");
	emit_seq_begin(e);
	for (size_t i = 0; i < policy->rules.len; i++) {
		const struct backend_rule *rule = vec_at(&policy->rules, i);
		emit_map_begin(e);
		emit_word(e, ingress ? "from" : "to");
		emit_seq_begin(e);
		for (size_t p = 0; p < rule->peers.len; p++)
			emit_peer(arena, e, vec_at(&rule->peers, p));
		emit_seq_end(e);
		emit_word(e, "ports");
		emit_seq_begin(e);
		for (size_t p = 0; p < rule->ports.len; p++)
			emit_port(e, vec_at(&rule->ports, p));
		emit_seq_end(e);
		emit_map_end(e);
	}
	emit_seq_end(e);
}

static void
emit_policy(struct arena *arena, struct emit *e, const struct backend_policy *policy)
{
	backend_emit_object_begin(arena, e, "networking.k8s.io/v1", "NetworkPolicy", policy->name,
		policy->ns, policy->vendor, &policy->grants);
	emit_word(e, "spec");
	emit_map_begin(e);
	backend_emit_selector(e, "podSelector", policy->pods);
	emit_word(e, "policyTypes");
	emit_seq_begin(e);
	emit_word(e, policy->dir == IR_INGRESS ? "Ingress" : "Egress");
	emit_seq_end(e);
	emit_rules(arena, e, policy);
	emit_map_end(e);
	backend_emit_object_end(e);
}

/* ---- files ---- */

static struct backend_file *
vendor_file(const struct backend_pass *pass, size_t index, struct arena *arena,
	struct arena *scratch)
{
	const struct ir_vendor *vendor = vec_at(&pass->ir->vendors, index);
	struct vec policies = { 0 };
	vendor_policies(scratch, vendor, &policies);
	if (policies.len == 0 && vendor->ceiling.len == 0)
		return NULL;
	struct emit *e = emit_create();
	for (size_t p = 0; e && p < policies.len; p++)
		emit_policy(scratch, e, vec_at(&policies, p));
	if (e)
		backend_emit_ceiling(scratch, e, &vendor->ceiling, vendor);
	return backend_file_finish(arena, pass->sink, e,
		arena_printf(arena, "vendor-%s.yaml", vendor->name));
}

bool
backend_networkpolicy(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct backend_sink *sink, struct vec *files)
{
	size_t first = files->len;
	struct backend_pass pass = { ir, sink };
	bool ok = backend_namespace_files(arena, diags, &pass, files);
	ok &= backend_parallel_files(arena, diags, ir->vendors.len, vendor_file, &pass, files);
	ok &= backend_kustomization(arena, diags, sink, files, first);
	return ok;
}
