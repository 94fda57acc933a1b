#ifndef VENDORC_RESOLVE_H
#define VENDORC_RESOLVE_H

/* The resolve pass: syntax trees plus project, catalog and lock in, the IR
 * of flows out. It gives every word its meaning (labels, ports, CIDRs,
 * domains, dates, Services), applies expiry, and reports every error and
 * warning of docs/semantics.md section 5 at the span it concerns. */

#include <stdbool.h>
#include <stdint.h>

#include "vendorc/source.h"

struct arena;
struct catalog;
struct diag_set;
struct lockfile;
struct project;
struct vec;

struct resolve_input {
	const struct project *project;
	const struct catalog *catalog;
	const struct lockfile *lock;
	const struct vec *vendors; /* struct ast_vendor *, in path order */
	int64_t now;               /* when.h instant */
};

/* NULL when any error was reported. */
struct ir *resolve(struct arena *arena, struct diag_set *diags, const struct resolve_input *in);

/* A domain a vendor file names, where it names it first. */
struct resolve_domain {
	const char *domain;       /* lower case */
	struct loc loc;
};

/* Every domain the vendor files (struct ast_vendor *) name, sorted and
 * unique, expired vendors' too: what `vendorc lock` resolves. Reports
 * malformed domains; false then. */
bool resolve_domains(struct arena *arena, struct diag_set *diags, const struct vec *vendors,
	struct vec *domains);

/* Whether any vendor file names a domain: only then must a lock file the
 * project names exist. */
bool resolve_names_domain(const struct vec *vendors);

/* Whether a label of a vendor file is one: its key and value valid, an
 * empty value only quoted; reports what is wrong. */
struct ast_label;
bool resolve_check_label(struct diag_set *diags, const struct ast_label *label);

/* Only each vendor's header (name, owner, ticket, expiry, pods), without
 * catalog or lock: what `vendorc expiring` needs. Appends struct
 * ir_vendor * by end of access, soonest first; false on errors. */
bool resolve_headers(struct arena *arena, struct diag_set *diags, const struct resolve_input *in,
	struct vec *vendors);

#endif
