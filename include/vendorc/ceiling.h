#ifndef VENDORC_CEILING_H
#define VENDORC_CEILING_H

/* The admin pass (enforce: admin): from the IR's flows and the catalog's
 * NetworkPolicies, the ClusterNetworkPolicies that make each vendor file
 * the upper bound of its pods' access, and each default-denied namespace's
 * access what the catalog allowed at compile time and the vendors declare
 * (docs/admin-tier.md). Backends emit them as they are. */

#include <stdbool.h>

struct arena;
struct catalog;
struct diag_set;
struct ir;
struct project;

/* Fills each vendor's ceiling and ir->ceilings. Reports, at the vendor
 * file, what the priority band cannot hold; false then. Does nothing
 * with enforce: namespace. */
bool ceiling_build(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct catalog *catalog, struct ir *ir);

#endif
