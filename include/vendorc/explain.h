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

struct history_commit;
struct history_event;

struct explain_query {
	const char *vendor;
	const char *from;
	const char *to;
	const char *port;
	/* --at: the commit the project is as of, or NULL. The text answer then
	 * starts with a line naming it, and the JSON object with a first member
	 * "at": {"commit", "date", "author", "subject"} (the other members as
	 * they are without --at). */
	const struct history_commit *at;
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

/* Who else reaches pod, by the catalog's own ingress rules: one source
 * per rule of a NetworkPolicy that selects it ("NS/NAME", its peers or
 * "every source", its ports or "every port"). An auditor asks "who", not
 * only "which vendor". */
struct explain_source {
	const char *policy;
	const char *from;
	const char *ports;
};
struct catalog;
void explain_catalog_sources(struct arena *arena, const struct catalog *catalog, const struct eval_pod *pod,
	struct vec *sources);

/* emitted: the compiled policies read back; by_name: the backend
 * filters lookups by name (verify.h). */
enum explain_result explain(FILE *out, struct arena *arena, const struct explain_query *query,
	const struct ir *ir, const struct catalog *catalog, const struct eval_policies *emitted,
	bool by_name, enum report_format format);

/* explain VENDOR --at a commit whose project has no such vendor: says so on
 * standard error, naming the commit that removed its file (removed: its
 * last event up to then, a VENDOR_DELETED; NULL: no file declared it
 * before). EXPLAIN_BAD_QUERY, as for a vendor the project never had. */
enum explain_result explain_gone(struct arena *arena, const char *vendor,
	const struct history_commit *at, const struct history_event *removed);

#endif
