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

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct catalog;
struct diag_set;
struct project;
struct vec;

struct import_options {
	char *const *files;        /* the policy files: manifests or a kubectl get -o yaml dump */
	size_t file_count;
	const char *const *namespaces; /* --namespace: those alone; none: every namespace a policy is in */
	size_t namespace_count;
	const char *vendor;        /* --vendor: the name, with one namespace */
};

/* One vendor file made, NAME.vendor in the canonical layout. */
struct import_file {
	const char *vendor;
	const char *text;
	size_t len;
};

/* The files (struct import_file *) for the policies of options->files,
 * against the project's catalog and cluster ranges; false after errors
 * (reported: a file that is not YAML, a policy that is not one, a vendor
 * name that is not DNS-1123), with nothing made. */
bool import_policies(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct import_options *options, struct vec *files);

/* The same from sources already read (struct source *). */
struct vec;
bool import_sources(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, const struct vec *sources, const struct import_options *options,
	struct vec *files);

#endif
