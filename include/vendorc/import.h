#ifndef VENDORC_IMPORT_H
#define VENDORC_IMPORT_H

/* `vendorc import`: hand-written NetworkPolicies as vendor files
 * (docs/import.md). For each vendor namespace, the access its policies give
 * its pods, in the language: a peer of pods that a catalog Service selects
 * exactly, on ports the Service maps, is `allow service` on the Service's
 * ports; other pods of one namespace `allow pods`; an ipBlock `egress` or
 * `allow from` (its except subtracted into the ranges that remain). What
 * the language cannot say (a rule open to every peer or every port, a peer
 * across namespaces, matchExpressions, a range over the cluster's) is a
 * comment where it belongs and an import-inexpressible warning at the
 * rule, never dropped. The expiry is init_placeholder_expires, which
 * compile refuses until a person sets it. */

#include "vendorc/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct catalog;
struct cilium_rule;
struct ciliumpol;
struct diag_set;
struct net_cidr;
struct netpol;
struct netpol_peer;
struct netpol_rule;
struct project;

struct import_options {
	char *const *files;        /* the policy files: manifests or a kubectl get -o yaml dump */
	size_t file_count;
	const char *const *namespaces; /* --namespace: those alone; none: every namespace a policy is in */
	size_t namespace_count;
	const char *vendor;        /* --vendor: the name, with one namespace */
	bool verify;               /* --verify: write the files only when import_prove proves them */
};

/* What a file does not grant of the old policies' access, as its
 * comments say (import --verify matches differences against them). */
enum import_exception_kind {
	IMPORT_NOT_IMPORTED,   /* the policy's rule (and peer) grants what the file does not */
	IMPORT_NARROWED,       /* the file grants the rule's peer less than the rule did */
	IMPORT_WHOLE_NAMESPACE,/* the policy's podSelector is not the vendor's pods: the file grants the namespace */
	IMPORT_UNISOLATED,     /* no policy isolates the namespace's pods in a direction: the default-deny will */
};

/* Which far ends an exception can be about, when its peer does not say. */
enum import_far {
	IMPORT_FAR_ANY,
	IMPORT_FAR_OUTSIDE,    /* addresses outside the cluster (names, CIDR groups) */
	IMPORT_FAR_NOT_TCP,    /* any end, on a protocol other than TCP (ANY written as TCP) */
};

struct import_exception {
	enum import_exception_kind kind;
	const struct netpol *policy;     /* NULL for IMPORT_UNISOLATED */
	const struct netpol_rule *rule;  /* NULL: every rule of the policy */
	const struct netpol_peer *peer;  /* NULL: every peer of the rule */
	const struct net_cidr *range;    /* of an ipBlock peer, the part not granted; NULL: all of it */
	const struct ciliumpol *cilium;  /* a Cilium policy's: policy is its view (probe_cilium_view), and */
	const struct cilium_rule *cilium_rule; /* the rule (NULL: every rule) is what the evaluator names */
	enum import_far far;
	bool egress;                     /* IMPORT_UNISOLATED: the direction */
	const char *what;                /* as the file's comment says it */
};

/* One vendor file made, NAME.vendor in the canonical layout. */
struct import_file {
	const char *vendor;
	const char *ns;
	const char *text;
	size_t len;
	struct vec exceptions;     /* struct import_exception *, in the order made */
};

/* What import made, and what it read. */
struct import_result {
	struct vec files;          /* struct import_file * */
	struct vec policies;       /* struct netpol *: every NetworkPolicy read, sorted (netpol_compare) */
	struct vec ciliumpols;     /* struct ciliumpol *: every CiliumNetworkPolicy read, sorted (ciliumpol_compare) */
};

/* The files for the policies of options->files, against the project's
 * catalog and cluster ranges; false after errors (reported: a file that is
 * not YAML, a policy that is not one, a vendor name that is not DNS-1123),
 * with nothing made. */
bool import_policies(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct import_options *options, struct import_result *result);

/* The same from sources already read (struct source *). */
bool import_sources(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct vec *sources, const struct import_options *options,
	struct import_result *result);

/* import --verify (docs/import.md), as the command runs it. The files
 * (named as they will be written into dir) are compiled as a project of
 * their own: the project's lock, ranges and backend, but none of its
 * vendors and no isolate, so that only the files' access is compared, and
 * the placeholder expiry read as never (the proof asks what a file grants,
 * not until when). Of that compile only errors are reported: import's own
 * fault, or a name the lock lacks. Then the evaluator answers, for each
 * file, whether its vendor's namespace reaches and is reached by exactly
 * what the old policies gave it, but for the exceptions the file lists.
 * The old world is the catalog with the policies read in place of its own
 * of the same name; the new one the same without the imported namespaces'
 * policies (adopting replaces them), plus the compiled files. Prints on
 * out what each file's listed exceptions take away or add (each with one
 * connection it changes); a difference no exception lists is an
 * import-changed error. False after errors. */
bool import_prove(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct import_result *result, const char *dir, int64_t now, FILE *out);

#endif
