#ifndef VENDORC_FLEET_H
#define VENDORC_FLEET_H

/* A fleet (docs/fleet.md): one vendors directory, many clusters. A vendor
 * file's `clusters` statement says where it applies (every cluster when it
 * has none), and an allow or egress statement may end `on clusters ...`;
 * this pass reads them against the project's clusters before any cluster
 * is resolved, so that what is wrong with them is said once. */

#include <stdbool.h>

struct arena;
struct diag_set;
struct project;
struct vec;

/* Every vendor's (struct ast_vendor *) scopes against the project: a name
 * no cluster has is an error with the nearest name, as is a bad label and
 * any scope in a project without clusters; a vendor that applies to no
 * cluster, and a statement limited to clusters its vendor is not in, are
 * warned of. False when there was an error. */
bool fleet_check(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *vendors);

/* Whether vendor (struct ast_vendor) applies to cluster, one of a fleet's. */
struct ast_vendor;
bool fleet_applies(struct arena *arena, const struct ast_vendor *vendor, const struct project *cluster);

/* The vendors that apply to cluster, in order, as the cluster sees them
 * (copies without the statements limited to other clusters), pushed onto
 * out. */
void fleet_vendors(struct arena *arena, const struct project *cluster, const struct vec *vendors,
	struct vec *out);

#endif
