/* The admin tier's ClusterNetworkPolicies (policy.networking.k8s.io/
 * v1alpha2) as YAML, exactly as the admin pass (src/ceiling.c) made them:
 * every backend writes them beside its own policies. */

#include "vendorc/backend.h"

#include "vendorc/arena.h"
#include "vendorc/emit.h"
#include "vendorc/ir.h"

static const char *const action_names[] = {
	[IR_CNP_PASS] = "Pass", [IR_CNP_DENY] = "Deny", [IR_CNP_ACCEPT] = "Accept",
};

static const char *const proto_keys[] = { [NET_TCP] = "tcp", [NET_UDP] = "udp", [NET_SCTP] = "sctp" };

static void
emit_namespaced_pods(struct emit *e, const struct selector *namespaces, const struct selector *pods)
{
	emit_word(e, "pods");
	emit_map_begin(e);
	backend_emit_selector(e, "namespaceSelector", namespaces);
	backend_emit_selector(e, "podSelector", pods);
	emit_map_end(e);
}

static void
emit_peer(struct arena *arena, struct emit *e, const struct ir_cnp_peer *peer)
{
	emit_map_begin(e);
	switch (peer->kind) {
	case IR_CNP_PODS:
		emit_namespaced_pods(e, &peer->namespaces, &peer->pods);
		break;
	case IR_CNP_NAMESPACES:
		backend_emit_selector(e, "namespaces", &peer->namespaces);
		break;
	case IR_CNP_NETWORKS:
		emit_word(e, "networks");
		emit_seq_begin(e);
		for (size_t i = 0; i < peer->networks.len; i++)
			emit_str(e, net_format_cidr(arena, vec_at(&peer->networks, i)));
		emit_seq_end(e);
		break;
	case IR_CNP_DOMAINS:
		emit_word(e, "domainNames");
		emit_seq_begin(e);
		for (size_t i = 0; i < peer->domains.len; i++)
			emit_str(e, vec_at(&peer->domains, i));
		emit_seq_end(e);
		break;
	}
	emit_map_end(e);
}

/* A name, or a protocol with its port or range. */
static void
emit_protocol(struct emit *e, const struct ir_port *port)
{
	emit_map_begin(e);
	if (port->name) {
		emit_field(e, "destinationNamedPort", port->name);
	} else {
		emit_word(e, proto_keys[port->proto]);
		emit_map_begin(e);
		emit_word(e, "destinationPort");
		emit_map_begin(e);
		if (port->end) {
			emit_word(e, "range");
			emit_map_begin(e);
			emit_pair_int(e, "start", port->port);
			emit_pair_int(e, "end", port->end);
			emit_map_end(e);
		} else {
			emit_pair_int(e, "number", port->port);
		}
		emit_map_end(e);
		emit_map_end(e);
	}
	emit_map_end(e);
}

static void
emit_rules(struct arena *arena, struct emit *e, const char *key, const char *peers_key,
	const struct vec *rules)
{
	if (rules->len == 0)
		return;
	emit_word(e, key);
	emit_seq_begin(e);
	for (size_t i = 0; i < rules->len; i++) {
		const struct ir_cnp_rule *rule = vec_at(rules, i);
		emit_map_begin(e);
		emit_field(e, "name", rule->name);
		emit_word(e, "action");
		emit_word(e, action_names[rule->action]);
		emit_word(e, peers_key);
		emit_seq_begin(e);
		for (size_t p = 0; p < rule->peers.len; p++)
			emit_peer(arena, e, vec_at(&rule->peers, p));
		emit_seq_end(e);
		if (rule->ports.len) {
			emit_word(e, "protocols");
			emit_seq_begin(e);
			for (size_t p = 0; p < rule->ports.len; p++)
				emit_protocol(e, vec_at(&rule->ports, p));
			emit_seq_end(e);
		}
		emit_map_end(e);
	}
	emit_seq_end(e);
}

static void
emit_cnp(struct arena *arena, struct emit *e, const struct ir_cnp *cnp, const struct ir_vendor *vendor)
{
	backend_emit_object_begin(arena, e, "policy.networking.k8s.io/v1alpha2", "ClusterNetworkPolicy",
		cnp->name, NULL, vendor, NULL);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_word(e, "tier");
	emit_word(e, "Admin");
	emit_pair_int(e, "priority", cnp->priority);
	emit_word(e, "subject");
	emit_map_begin(e);
	if (cnp->subject_pods)
		emit_namespaced_pods(e, &cnp->subject_namespaces, &cnp->subject_pod_selector);
	else
		backend_emit_selector(e, "namespaces", &cnp->subject_namespaces);
	emit_map_end(e);
	emit_rules(arena, e, "ingress", "from", &cnp->ingress);
	emit_rules(arena, e, "egress", "to", &cnp->egress);
	emit_map_end(e);
	backend_emit_object_end(e);
}

void
backend_emit_ceiling(struct arena *arena, struct emit *e, const struct vec *cnps,
	const struct ir_vendor *vendor)
{
	for (size_t i = 0; i < cnps->len; i++)
		emit_cnp(arena, e, vec_at(cnps, i), vendor);
}
