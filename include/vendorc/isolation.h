#ifndef VENDORC_ISOLATION_H
#define VENDORC_ISOLATION_H

/* Which pods are already isolated, per direction: the analysis behind
 * docs/semantics.md 3.4. A pod is isolated for ingress (egress) when some policy that
 * covers that direction selects it: a catalog NetworkPolicy, or the
 * default-deny vendorc adds to a namespace. */

#include <stdbool.h>

struct arena;
struct selector;
struct vec;

enum isolation_dir { ISOLATION_INGRESS, ISOLATION_EGRESS };

struct isolation;

/* netpols: struct netpol *, sorted by namespace (the catalog's order).
 * denied: const char *, the default-denied namespaces, sorted. */
struct isolation *isolation_build(struct arena *arena, const struct vec *netpols,
	const struct vec *denied);

/* Appends to covers (struct selector *) selectors that together select
 * exactly the pods of ns matching target that are isolated in dir: target
 * combined with each isolating policy's podSelector, unsatisfiable ones
 * dropped, none subsuming another. Empty when none is isolated. */
void isolation_cover(struct arena *arena, const struct isolation *iso, const char *ns,
	const struct selector *target, enum isolation_dir dir, struct vec *covers);

bool isolation_namespace_denied(const struct isolation *iso, const char *ns);

#endif
