#ifndef VENDORC_EXPLAIN_H
#define VENDORC_EXPLAIN_H

/* `vendorc explain`: the questions people ask of the evaluated policies
 * (catalog plus compiled output, through eval.h), answered with the policy
 * on each side and the vendor-file line behind it:
 *   explain VENDOR                  what its pods reach and what reaches them
 *   explain --to TARGET             which vendors reach TARGET, on what, until when
 *   explain --from END --to TARGET --port P
 *                                   one connection: allowed or denied, and why
 * END and TARGET are NS/SERVICE, NS/KEY=VALUE[,...], a namespace alone
 * (a pod without labels there) or an address. */

#include "vendorc/eval.h"
#include "vendorc/report.h"

#include <stdbool.h>
#include <stdio.h>

struct arena;
struct catalog;
struct eval_policies;
struct ir;
struct vec;

struct explain_query {
	const char *vendor;
	const char *from;
	const char *to;
	const char *port;
};

enum explain_result {
	EXPLAIN_DONE,
	EXPLAIN_DENIED,       /* a traced connection is denied */
	EXPLAIN_BAD_QUERY,    /* reported on stderr */
};

/* A peer of a declared flow as probed (a range by its first address) and
 * as the rule names it (the range itself, the ipBlock the policy holds). */
struct explain_peer {
	struct eval_end probe;
	const char *text;
	bool by_name;        /* a domain without lock addresses (verify_intent) */
};

/* Every peer of flow (struct explain_peer *): its pods, or each of its
 * ranges, probed at its first address but named as the range. */
struct ir_flow;
void explain_flow_peers(struct arena *arena, const struct ir_flow *flow, struct vec *peers);

/* emitted: the compiled policies read back; by_name: the backend
 * filters lookups by name (verify.h). */
enum explain_result explain(FILE *out, struct arena *arena, const struct explain_query *query,
	const struct ir *ir, const struct catalog *catalog, const struct eval_policies *emitted,
	bool by_name, enum report_format format);

#endif
