#ifndef VENDORC_COVERAGE_H
#define VENDORC_COVERAGE_H

/* The coverage report auditors ask for (`vendorc check --coverage`), from
 * the evaluated policies, catalog's plus emitted:
 *   - namespaces of the catalog that are not default-deny in a direction
 *     (no policy there selects every pod for it);
 *   - workloads of the catalog that no policy selects at all;
 *   - vendor access that rests on catalog policies: a declared flow the
 *     far side admits through a catalog policy, or leaves open, so that
 *     a change outside vendorc's files changes it. */

#include "vendorc/report.h"

#include <stdio.h>

struct arena;
struct catalog;
struct eval_policies;
struct ir;
struct vec;

/* One finding: the section it belongs to (one of those above) and a line
 * of text naming what it is about. */
struct coverage_finding {
	const char *section;
	const char *text;
};

/* The findings (struct coverage_finding *), by section in the order above. */
void coverage_findings(struct arena *arena, const struct ir *ir, const struct catalog *catalog,
	const struct eval_policies *emitted, struct vec *findings);
/* The findings printed, as text or JSON. */
void coverage_report(FILE *out, struct arena *arena, const struct ir *ir,
	const struct catalog *catalog, const struct eval_policies *emitted, enum report_format format);

#endif
