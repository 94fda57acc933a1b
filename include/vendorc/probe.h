#ifndef VENDORC_PROBE_H
#define VENDORC_PROBE_H

/* What to try when checking policies, and what was meant. The evaluator
 * answers for one connection; the probe set is the finite set of
 * connections worth asking about:
 *   - pods: per namespace in play, a pod without labels, the fewest labels
 *     satisfying each selector that can apply there (a witness), a witness
 *     of each pair of them that can hold together (while few enough to
 *     pair), and the catalog's workloads;
 *   - outside addresses: each range's first and last address and those
 *     just outside it, and two addresses no range names; each filed under
 *     the namespace whose policy or vendor names the range;
 *   - ports: each port and range edge named, and port 1 in every protocol.
 * Two pods that agree on every selector are treated alike by every policy,
 * which is why witnesses suffice (up to the pairs' depth). */

#include "vendorc/eval.h"
#include "vendorc/ir.h"

#include <stddef.h>

struct arena;
struct catalog;
struct netpol;
struct vec;

struct probe;

/* emitted: struct netpol *; world: the one whose namespace labels count. */
struct probe *probe_build(struct arena *arena, const struct ir *ir, const struct catalog *catalog,
	const struct vec *emitted, const struct eval_world *world);

/* Cilium policies (struct ciliumpol *) as NetworkPolicies for the probe
 * alone (struct netpol *, pushed onto out): what they select, the pods and
 * ranges their rules name (endpoints as pods of their namespace, namespace
 * labels as a namespaceSelector, world as every address) and their ports,
 * so that probe_build picks pods, addresses and ports for them as for any
 * policy. Never evaluated: the evaluator reads the Cilium policies
 * themselves. A clusterwide policy is seen in the one namespace its
 * endpointSelector names, else not at all. */
void probe_cilium_views(struct arena *arena, const struct vec *ciliumpols, struct vec *out);
/* One policy's view, or NULL for one the probe does not see. Its rules
 * are the policy's ingress then ingressDeny rules, and egress then
 * egressDeny rules, each in order (import reads them so). */
struct ciliumpol;
struct netpol *probe_cilium_view(struct arena *arena, const struct ciliumpol *cp);

/* The outside addresses no range names (struct net_cidr *, pushed onto
 * out), which the probe tries everywhere. */
void probe_unnamed_addresses(struct arena *arena, struct vec *out);

/* The arena that the vectors and ports handed out from now on are made in
 * (the probe's own until set): a caller that asks per vendor can free them
 * with its own arena after each. */
void probe_set_scratch(struct probe *probe, struct arena *scratch);

/* A probe with probe's pods, addresses and ports but arenas of its own,
 * for a thread that asks while others ask probe: what it hands out is
 * made in arena until probe_set_scratch. */
struct probe *probe_share(struct arena *arena, const struct probe *probe);

/* The pods of namespace ns. */
void probe_pods(const struct probe *probe, const char *ns, struct eval_pod *const **pods,
	size_t *count);
/* Appends struct eval_end *: the pods of the namespaces given and of a
 * namespace nobody names, and the outside addresses at the edges of the
 * ranges that those namespaces' policies and vendors name, and of none. */
void probe_far_ends(struct probe *probe, const struct vec *namespaces, struct vec *ends);
/* Picks pods: those of ns (NULL: of any namespace) that sel picks (NULL:
 * every one). */
struct probe_pick {
	const char *ns;
	const struct selector *sel;
};
/* probe_far_ends with, of the pods, only those without labels and those a
 * pick (struct probe_pick *) picks, in the same order: found through their
 * labels, not by trying each pod of a namespace, whose pods grow with the
 * vendors that name it. */
void probe_far_ends_picked(struct probe *probe, const struct vec *namespaces,
	const struct vec *picks, struct vec *ends);
/* Appends struct eval_pod *: the pods of ns that sel picks (NULL: all), in
 * probe_pods' order, found through their labels. */
void probe_pods_picked(struct probe *probe, const char *ns, const struct selector *sel,
	struct vec *pods);
/* The policies of ns, the catalog's and the emitted. */
void probe_policies(const struct probe *probe, const char *ns, struct netpol *const **policies,
	size_t *count);
/* Appends the namespaces a policy's peers can name. */
void probe_peer_namespaces(struct probe *probe, const struct netpol *np, struct vec *out);

/* Ports to try (struct eval_port *): of a flow, of policy rules, of every
 * policy in some namespaces, and the fresh ones. probe_unique_ports then
 * sorts them and drops repeats. */
void probe_flow_ports(struct probe *probe, struct vec *ports, const struct ir_flow *flow);
void probe_rule_ports(struct probe *probe, struct vec *ports, const struct vec *rules);
void probe_policy_ports(struct probe *probe, struct vec *ports, const struct vec *namespaces);
void probe_fresh_ports(struct probe *probe, struct vec *ports);
void probe_unique_ports(struct vec *ports);

/* Whether a flow's peers (its pods, or its ranges) hold the end. */
bool probe_flow_names(const struct ir_flow *flow, const struct eval_end *peer);

/* The intent: the vendor's flow that grants a connection with peer in
 * direction dir on port, or NULL; the vendor whose pod this is, or NULL. */
const struct ir_flow *probe_declared(const struct ir_vendor *vendor, enum ir_direction dir,
	const struct eval_end *peer, const struct eval_port *port);
/* The same, with the index of the flow's port that grants it, and for a
 * peer outside reached by name also a domain flow that names it (name:
 * what the peer was looked up as, or NULL). */
const struct ir_flow *probe_declared_port(const struct ir_vendor *vendor, enum ir_direction dir,
	const struct eval_end *peer, const char *name, const struct eval_port *port, size_t *port_index);
const struct ir_vendor *probe_vendor_of(const struct probe *probe, const struct eval_pod *pod);

/* For messages: "pods of "payments" labelled app=api", "203.0.113.7";
 * "TCP 8080", "TCP port "http"". */
const char *probe_end_text(struct arena *arena, const struct eval_end *end);
const char *probe_port_text(struct arena *arena, const struct eval_port *port);

#endif
