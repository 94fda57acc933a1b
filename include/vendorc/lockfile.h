#ifndef VENDORC_LOCKFILE_H
#define VENDORC_LOCKFILE_H

/* vendorc.lock: each domain (lower case) to the CIDRs it may reach. Entries
 * are either the plain form `api.acme.io: [203.0.113.0/24]` or a mapping
 * with `addresses` plus what `vendorc lock` recorded about the lookup. */

#include "vendorc/arena.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"

#include <stdbool.h>

struct diag_set;
struct project_path;

struct lock_entry {
	const char *domain;       /* lower case */
	struct loc loc;           /* the key in the lock file */
	struct vec cidrs;         /* struct net_cidr *, sorted, unique */
	/* Written by `vendorc lock` (a mapping with a resolver), which
	 * replaces it; otherwise a hand entry, which it keeps. */
	bool resolved;
	struct vec fields;        /* struct label *: a mapping's other scalar keys */
};

struct lockfile {
	const struct source *src; /* NULL when there is no lock file */
	struct vec entries;       /* struct lock_entry *, sorted by domain */
};

/* A missing file is an error only when must_exist; otherwise an empty lock. */
struct lockfile *lockfile_load(struct arena *arena, struct diag_set *diags,
	const struct project_path *path, bool must_exist);

/* The same from a source in memory. */
struct lockfile *lockfile_from_source(struct arena *arena, struct diag_set *diags,
	const struct source *src);

const struct lock_entry *lockfile_find(const struct lockfile *lock, const char *domain);

#endif
