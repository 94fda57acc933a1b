#ifndef VENDORC_EVAL_H
#define VENDORC_EVAL_H

/* A NetworkPolicy evaluator (networking.k8s.io/v1 semantics), independent
 * of the backend: it reads policies as the catalog model holds them, parsed
 * from YAML, never the compiler's IR. Given two ends and a port it says
 * whether a connection is allowed, and which policy decided each side.
 *
 * Semantics: a pod is isolated for a direction when a policy in its
 * namespace selects it and covers that direction (policyTypes, defaults
 * applied when read). An isolated pod's traffic in that direction is
 * allowed when some rule of some such policy matches the other end and the
 * port; a connection needs both the source's egress and the destination's
 * ingress. ipBlock peers match addresses outside the cluster only (what
 * they do for pod IPs is left to the network plugin); named ports match by
 * name only, since the pods' container ports are not modelled.
 *
 * ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2) add two tiers
 * around it: a side is decided by the Admin tier (first matching rule of
 * the policies selecting the pod, by priority then name: Accept, Deny, or
 * Pass on), then by NetworkPolicies when they isolate the pod, then by the
 * Baseline tier, and is otherwise allowed.
 *
 * CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (cilium.io/v2)
 * join the NetworkPolicy tier, as Cilium enforces both kinds together
 * (src/eval_cilium.c cites the pages): a pod is isolated in a direction
 * when a NetworkPolicy isolates it or a Cilium policy selecting it has
 * default deny there (enableDefaultDeny, by default on for a direction it
 * has rules for); an ingressDeny or egressDeny rule that names the far end
 * and port denies, whatever allows it; an isolated side is otherwise
 * allowed when a rule of either kind admits the connection. */

#include "vendorc/arena.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"

#include <stdbool.h>
#include <stddef.h>

struct ciliumpol;
struct cilium_rule;
struct clusterpol;
struct clusterpol_rule;
struct netpol;
struct netpol_peer;
struct netpol_rule;

/* A namespace and the labels namespaceSelectors see. */
struct eval_namespace {
	const char *name;
	const struct label *labels;
	size_t label_count;
};

/* A pod, as much as policies can tell pods apart: namespace and labels. */
struct eval_pod {
	const char *ns;
	const struct label *labels;
	size_t label_count;
};

/* One end of a connection: a pod, or (pod NULL) an outside address. */
struct eval_end {
	const struct eval_pod *pod;
	struct net_cidr addr;
};

/* A destination port: a number, or a container port's name. */
struct eval_port {
	enum net_proto proto;
	int number;
	const char *name;
};

/* The tier that decided a side, in the order they are asked. */
enum eval_tier { EVAL_TIER_DEFAULT, EVAL_TIER_ADMIN, EVAL_TIER_NETWORKPOLICY, EVAL_TIER_BASELINE };

/* The decision on one side. NetworkPolicy tier: whether the end is
 * isolated there, and which policy let the connection through (or, when
 * denied, one that isolates); when allowed by a rule, that rule of by and
 * its peer that names the far end (NULL for a rule without peers, which
 * admits every end). Admin and Baseline tiers: the ClusterNetworkPolicy
 * whose rule decided. */
struct eval_side {
	enum eval_tier tier;                 /* which tier decided; DEFAULT: none, allowed */
	bool isolated;
	bool allowed;
	const struct netpol *by;
	const struct netpol_rule *rule;
	const struct netpol_peer *peer;
	const struct clusterpol *cnp;        /* ADMIN/BASELINE: the policy whose rule decided */
	const struct clusterpol_rule *cnp_rule;
	const struct clusterpol *passed_by;  /* the Admin policy whose Pass rule sent it on (or NULL) */
	const struct clusterpol_rule *pass_rule;
	const struct clusterpol *conflict;   /* another policy of the deciding (or passing) priority whose first
	                                      * matching rule has another action: an ambiguity the API leaves to the
	                                      * implementation */
	const struct ciliumpol *cilium;      /* NETWORKPOLICY tier, by NULL: the Cilium policy whose rule allowed
	                                      * or denied, or (rule NULL) that isolates */
	const struct cilium_rule *cilium_rule;
	bool cilium_deny;                    /* cilium_rule is an ingressDeny or egressDeny rule */
};

struct eval_verdict {
	bool allowed;
	struct eval_side egress;   /* the source's side */
	struct eval_side ingress;  /* the destination's side */
};

/* The policies and namespaces, and what it has worked out per pod (so a
 * world is not shared between threads). Pods are told apart by namespace
 * and labels; the world copies a pod's label array, so a caller's pod may
 * be temporary, but the strings must live as long as the world and never
 * be rewritten in place (a pod asked about again is known by where its
 * strings are). */
struct eval_world;

/* Policies read back from YAML, beside a catalog's: what compile emitted,
 * or what a dump of the live cluster holds. */
struct eval_policies {
	struct vec netpols;          /* struct netpol * */
	struct vec clusterpols;      /* struct clusterpol * */
	struct vec ciliumpols;       /* struct ciliumpol * */
};

/* namespaces: struct eval_namespace * (a namespace not listed has only
 * kubernetes.io/metadata.name). */
struct eval_world *eval_world_create(struct arena *arena, const struct eval_policies *policies,
	const struct vec *namespaces);

/* The world of a catalog plus more policies (extra NULL: none): the
 * catalog's policies of every kind and extra's, its Namespaces' labels,
 * and its Services, which toServices names. */
struct catalog;
struct eval_world *eval_world_of_catalog(struct arena *arena, const struct catalog *catalog,
	const struct eval_policies *extra);

/* Pod addresses lie in these ranges (struct net_cidr *): a networks peer
 * matches a pod when it holds one of them whole, or is a /0 of any family
 * (without ranges, only /0). */
void eval_world_set_cluster_cidrs(struct eval_world *world, const struct vec *cidrs);
/* What a domainNames peer can match: name (lower case, may be "*.x.y" as a
 * lock entry) resolves to cidrs (struct net_cidr *). */
void eval_world_add_domain(struct eval_world *world, const char *name, const struct vec *cidrs);
/* check --adversarial: every namespace also holds an allow-all ingress and
 * egress NetworkPolicy. */
void eval_world_set_adversary(struct eval_world *world);

void eval_connection(struct eval_world *world, const struct eval_end *src,
	const struct eval_end *dst, const struct eval_port *port, struct eval_verdict *out);

/* Whether src may look name up at dst (a resolver) on port: the
 * connection is allowed (out says how), and on the source's side an
 * allowing rule lets the name through: one without DNS rules (a
 * NetworkPolicy's, a ClusterNetworkPolicy's, a Cilium rule's with L4
 * ports alone), or a Cilium rule one of whose rules.dns entries matches
 * it. An unisolated source asks no proxy. */
bool eval_lookup(struct eval_world *world, const struct eval_end *src, const struct eval_end *dst,
	const struct eval_port *port, const char *name, struct eval_verdict *out);

/* The policy of the NetworkPolicy tier that decided a side, "NS/NAME" (a
 * CiliumClusterwideNetworkPolicy by its name alone), and its kind in
 * *kind; NULL when none did. */
const char *eval_side_policy(struct arena *arena, const struct eval_side *side, const char **kind);

/* What a Cilium policy's rule did on a side (other: the far end), as
 * people read it: the rule, "spec.egress[2] to name api.acme.io", or its
 * peer that names the far end alone, "name api.acme.io"; NULL when a
 * Cilium policy isolates without a rule of its own deciding, or none
 * decided. */
const char *eval_cilium_rule_text(struct arena *arena, struct eval_world *world,
	const struct eval_side *side, bool ingress, const struct eval_end *other);
const char *eval_cilium_peer_text(struct arena *arena, struct eval_world *world,
	const struct eval_side *side, const struct eval_end *other);

/* What the admin or baseline tier did on a side, as people read it:
 * "Admin tier: ClusterNetworkPolicy \"vendorc-acme-ceiling\" rule
 * \"deny-rest: ...\" denies" (or "accepts", or for a side the NetworkPolicy
 * tier decided after a Pass, "... passes it on"); NULL when no
 * ClusterNetworkPolicy had a say. */
const char *eval_tier_text(struct arena *arena, const struct eval_side *side);

/* A side as people read it: "allowed by NS/NAME", "isolated by NS/NAME,
 * and no policy admits it", "not isolated", after the admin tier's say
 * (eval_tier_text) where it had one. */
const char *eval_side_text(struct arena *arena, const struct eval_side *side);

/* The labels a namespaceSelector sees on ns. */
void eval_namespace_labels(const struct eval_world *world, const char *ns,
	const struct label **labels, size_t *count);

#endif
