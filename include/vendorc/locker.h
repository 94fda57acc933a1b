#ifndef VENDORC_LOCKER_H
#define VENDORC_LOCKER_H

/* `vendorc lock` (docs/semantics.md section 4): resolve every domain the vendor files
 * name (A and AAAA) and write the lock file. Entries it wrote before (a
 * mapping with a resolver) it replaces when their addresses change and
 * drops when no vendor names the domain any more; hand entries (a plain
 * list, or a mapping without a resolver) it keeps as they are. Comments
 * are not kept: libyaml reads none, so notes belong in a `note:` key of a
 * mapping entry. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct diag_set;
struct lockfile;
struct project;
struct vec;

struct locker_options {
	const char *hosts;        /* resolve from this hosts-format file, not DNS */
	bool check;               /* write nothing: only say whether it is stale */
	int64_t now;
};

/* domains: struct resolve_domain *. Prints what changes on report; sets
 * *changed. A domain that cannot be locked (a wildcard without a hand
 * entry, a name that does not resolve) is an error that keeps its old entry,
 * if any, while the others are written; false on any error. */
bool locker_run(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *domains, const struct lockfile *old, const struct locker_options *options,
	FILE *report, bool *changed);

#endif
