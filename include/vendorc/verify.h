#ifndef VENDORC_VERIFY_H
#define VENDORC_VERIFY_H

/* `vendorc check`'s proof: evaluate the catalog's policies plus the
 * emitted ones with the evaluator (eval.h) and compare with the declared
 * intent (the IR), as docs/semantics.md section 3 states the property:
 *   - each vendor's pods reach exactly what its file declares (plus DNS),
 *     and are reached exactly by its `allow from` sources; an expired
 *     vendor's pods reach nothing and nothing reaches them;
 *   - every other flow with an end in a namespace a policy was emitted
 *     for is allowed exactly when the catalog plus the default-deny allow it.
 * The pods tried are representatives: per namespace, a pod without labels,
 * one per selector that can apply there, one per satisfiable pair of them,
 * and the catalog's workloads; the addresses and ports tried are those the
 * policies and the intent name, their edges, and fresh ones.
 * The checks (one per vendor, emitted policy and default-denied namespace)
 * run on every core (parallel.h); what is reported, and in which order, is
 * what one thread checking them in turn would report. */

#include <stdbool.h>

struct arena;
struct catalog;
struct diag_set;
struct eval_policies;
struct ir;
struct project_path;
struct vec;

/* The policies in files (struct backend_file *) as the evaluator reads
 * them: every NetworkPolicy and ClusterNetworkPolicy document, parsed back
 * from its YAML. */
bool verify_read_policies(struct arena *arena, struct diag_set *diags, const struct vec *files,
	const char *display_dir, struct eval_policies *policies);

/* check --verify DIR: the policies DIR holds, checked against the files
 * compile would write (expected: struct backend_file *). When DIR holds
 * some of them, those files, and each one it lacks is an error. When it
 * holds none, the NetworkPolicies of its other manifests, a dump of the
 * live cluster (kubectl get networkpolicies -A -o yaml): vendorc's by
 * their label (catalog_is_ours), each it lacks an error, and the others
 * the cluster's own, which join *catalog as its policies do. False, with
 * one error, when DIR holds neither, or when reading failed. */
bool verify_read_dir(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const struct vec *expected, const struct catalog **catalog, struct eval_policies *policies);

/* The catalog as the probe reads it: its Cilium policies as views beside
 * its NetworkPolicies. */
const struct catalog *verify_probe_catalog(struct arena *arena, const struct catalog *catalog);

/* The intent as the proof reads it: ir itself, or with by_name a copy
 * whose vendors look up names as that backend lets them (no DNS for a
 * vendor with no name to look up) and whose domains the lock does not
 * resolve each stand for an address of their own. */
const struct ir *verify_intent(struct arena *arena, const struct ir *ir, bool by_name);

/* Whether addr is the stand-in verify_intent gave a domain. */
struct net_cidr;
bool verify_is_stand_in(const struct net_cidr *addr);

/* The names the evaluator judges domainNames and toFQDNs by: each
 * domain of intent (from verify_intent) with its addresses, and a name
 * nobody declares at the addresses no range names. */
struct eval_world;
void verify_add_names(struct arena *arena, struct eval_world *world, const struct ir *intent);

/* With by_name (the cilium backend, whose DNS rules filter lookups), a
 * vendor's lookups are proved name by name: it may look up exactly its
 * domains and the names of the Services it reaches, and a vendor with no
 * name to look up needs no DNS; a domain the lock does not resolve stands
 * for an address of its own.
 * With adversarial (check --adversarial), the same against an allow-all
 * NetworkPolicy in every namespace: only vendors and default-denied
 * namespaces are then checked, and ingress from addresses, which no admin
 * rule can name, is left out with a note.
 * Reports every violation, each naming the vendor or flow and the policy
 * responsible; false when there was one. */
bool verify(struct arena *arena, struct diag_set *diags, const struct ir *ir,
	const struct catalog *catalog, const struct eval_policies *emitted, bool by_name, bool adversarial);

#endif
