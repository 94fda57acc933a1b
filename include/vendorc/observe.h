#ifndef VENDORC_OBSERVE_H
#define VENDORC_OBSERVE_H

/* `vendorc observe --flows FILE`: the access review from traffic a cluster
 * saw (docs/observe.md). Each flow from or to a vendor's pods is put
 * beside its file, through the same evaluated policies as check:
 *   used      a grant that some forwarded flow used, with how often and when last;
 *   unused    a grant no flow used in the period: a candidate to remove at review;
 *   denied    a dropped attempt the file does not grant: what the vendor tried that it may not;
 *   widened   a forwarded flow the file does not grant: another policy widens the
 *             vendor's access (the evaluator says which), or the cluster does not
 *             enforce the policies vendorc proved;
 *   dropped   a dropped flow the file grants: the cluster does not run what compile wrote.
 * Widened and dropped break the promise, so observe exits 1 on either.
 * With suggest, the vendor file of what a vendor's pods were seen to do,
 * for onboarding a vendor whose needs are not known yet. */

#include "vendorc/eval.h"
#include "vendorc/flows.h"
#include "vendorc/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct catalog;
struct ir;

struct observe_input {
	const struct ir *ir;
	const struct catalog *catalog;
	const struct eval_policies *emitted;
	bool by_name;              /* backend cilium: domains by name */
	const struct flow_log *log;
	const char *path;          /* the flows file, as the report names it */
	const char *vendor;        /* --vendor: that one alone; NULL: every vendor */
	bool has_since;
	int64_t since;             /* --since: flows before it are not of the period */
	int64_t now;
};

/* The review in text or JSON; true when a flow was widened or dropped
 * against the file. */
bool observe_review(FILE *out, struct arena *arena, const struct observe_input *in, enum report_format format);

/* What a vendor's pods were seen to do (every attempt, forwarded or not),
 * as a vendor file in the canonical layout: name the vendor; its pods are
 * those of ns with the labels of sel (NULL: every pod of ns). Services
 * are recognised from the catalog, DNS to the cluster's resolver is left
 * to compile, and what the language cannot say is a comment. False when
 * the text does not parse (what was seen holds a name the language
 * refuses: reported). */
struct diag_set;
struct selector;
bool observe_suggest(FILE *out, struct arena *arena, struct diag_set *diags, const struct observe_input *in,
	const char *name, const char *ns, const struct selector *sel);

#endif
