#ifndef VENDORC_EVAL_CILIUM_H
#define VENDORC_EVAL_CILIUM_H

/* Cilium's policy semantics for one rule of a CiliumNetworkPolicy or
 * CiliumClusterwideNetworkPolicy, as the evaluator (src/eval.c) asks them:
 * which pods a policy selects, and whether a rule names the far end of a
 * connection, its port, and a DNS name looked up over it. The pages each
 * rule comes from are cited where it is implemented (src/eval_cilium.c).
 *
 * Pods are seen through their Cilium identity: their own labels, plus
 * io.kubernetes.pod.namespace and io.cilium.k8s.namespace.labels.KEY for
 * each label of their namespace (selector keys have lost their "k8s:"
 * source prefix when read, include/vendorc/catalog.h). */

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/eval.h"

#include <stdbool.h>
#include <stddef.h>

/* The far end of a connection as a Cilium rule sees it. */
struct cilium_end {
	const struct eval_pod *pod;      /* NULL: an address outside the cluster */
	const struct label *identity;    /* a pod's identity labels */
	size_t identity_count;
	struct net_cidr addr;            /* an outside end's address */
	const char *const *names;        /* the names an outside address is known by (a lock's
	                                  * "*.S" stands for every name one label under S) */
	size_t name_count;
	const struct catalog *catalog;   /* the Services toServices names (NULL: none) */
};

/* A pod's identity labels: its own and those of its namespace, whose
 * labels are ns_labels. Made in arena. */
void cilium_identity(struct arena *arena, const struct eval_pod *pod, const struct label *ns_labels,
	size_t ns_count, const struct label **out, size_t *count);

/* Whether cp's endpointSelector selects a pod of that identity (a
 * namespaced policy only pods of its namespace; a nodeSelector no pod). */
bool cilium_selects(const struct ciliumpol *cp, const char *pod_ns, const struct label *identity,
	size_t identity_count);

/* Whether rule, of policy cp, names end and port; port_rule gets the toPorts item that matched (NULL
 * when the rule has none and so admits every port). */
bool cilium_rule_matches(const struct cilium_rule *rule, const struct ciliumpol *cp,
	const struct cilium_end *end, const struct eval_port *port,
	const struct cilium_port_rule **port_rule);

/* Whether a DNS name passes a matching toPorts item: it has no DNS rules
 * (an L4 rule lets every lookup through), or one of them matches. */
bool cilium_dns_admits(const struct cilium_port_rule *port_rule, const char *name);

/* Whether a matchName/matchPattern entry names a DNS name, or (name a
 * lock's "*.S") one of the names it stands for. */
bool cilium_name_matches(const struct cilium_name *entry, const char *name);

/* The peer of rule that names end, as people read it ("pods app=db in
 * namespace billing", "10.0.0.0/8", "name api.acme.io", "entities world";
 * "every peer" for a rule with ports alone). */
const char *cilium_matching_peer_text(struct arena *arena, const struct ciliumpol *cp,
	const struct cilium_rule *rule, const struct cilium_end *end);

#endif
