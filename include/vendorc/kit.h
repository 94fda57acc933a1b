#ifndef VENDORC_KIT_H
#define VENDORC_KIT_H

/* `vendorc probe`: the probe kit (docs/probe.md). From the policies check
 * evaluates (catalog plus compiled output, eval.h), the connections worth
 * trying in a real cluster, each with the verdict the evaluator gives it:
 * every declared flow on each port (must connect), and the attempts an
 * attacker makes first (must not): one port off each allowed port, a pod
 * beside the peer that the grant does not select, the peer namespace's
 * other Services, an outside address and a name no file declares, DNS to
 * a resolver that is not the cluster's, the vendor's pods from a namespace
 * with no grant, and an expired vendor's old flows. The emitters
 * (kit_emit.c) turn the cases into Jobs or NetAssert tests; kit_results.c
 * reads what they report.
 *
 * A probe never leaves the cluster but for the vendor's declared outside
 * destinations: the undeclared address and resolver are documentation
 * addresses (RFC 5737), which no network routes, and the undeclared name
 * is under .invalid (RFC 6761). */

#include "vendorc/arena.h"
#include "vendorc/eval.h"
#include "vendorc/report.h"

#include <stdbool.h>
#include <stdio.h>

struct catalog;
struct ir;

enum kit_kind {
	KIT_DECLARED,       /* a declared flow on one port */
	KIT_PORT_OFF,       /* the same peer, one port off an allowed one */
	KIT_NEIGHBOUR,      /* a pod beside the peer that the grant does not select */
	KIT_OTHER_SERVICE,  /* another Service of the peer's namespace */
	KIT_OUTSIDE,        /* an outside address no vendor file declares */
	KIT_DOMAIN,         /* a lookup of a name no vendor file declares */
	KIT_OTHER_DNS,      /* DNS to a resolver other than the cluster's */
	KIT_UNRELATED,      /* the vendor's pods, from a namespace with no grant */
	KIT_EXPIRED,        /* an expired vendor's old flow */
	KIT_KINDS
};

/* One end of a case as the evaluator sees it, and as a probe reaches it:
 * through a Service of the catalog, an outside address or name, or a
 * listener the kit runs with the end's labels. */
struct kit_end {
	struct eval_end end;
	const char *text;          /* probe_end_text */
	const char *host;          /* where a probe connects: "SVC.NS.svc", an address, a
	                            * domain; NULL: the kit's listener */
	int host_port;             /* the Service's port for the case's port; else the port */
	const char *listener;      /* host NULL: the listener's name, "vendorc-probe-l3" */
};

struct kit_case {
	size_t number;             /* from 1: how results name it */
	const char *vendor;
	enum kit_kind kind;
	struct kit_end from, to;
	struct eval_port port;
	const char *lookup;        /* KIT_DOMAIN: the name the source looks up at to */
	bool expect_allowed;       /* the evaluator's verdict */
	const char *source;        /* FILE:LINE of the statement it tests, or of `runs in` */
	const char *statement;     /* the statement, or what the case tries */
	const char *decided_by;    /* how each side decides: "egress: ...; ingress: ..." */
};

struct kit {
	struct vec cases;          /* struct kit_case *, by vendor, then as built */
	const char *now;           /* the instant access was judged at */
};

struct kit_input {
	const struct ir *ir;
	const struct ir *expired;  /* the same project as of just before each expired vendor
	                            * ended (its old flows), or NULL */
	const struct catalog *catalog;
	const struct eval_policies *emitted;
	bool by_name;              /* backend cilium: domains by name */
	const char *vendor;        /* --vendor: that one alone; NULL: every vendor */
	int64_t now;
};

struct kit *kit_build(struct arena *arena, const struct kit_input *in);

/* Where a probe of c connects, HOST:PORT as a dialer takes it ([IPV6]:PORT;
 * a listener by its headless Service's name; a lookup case's name). */
const char *kit_dial(struct arena *arena, const struct kit_case *c);

/* The same namespace and labels, in the same order. */
bool kit_same_pod(const struct eval_pod *a, const struct eval_pod *b);

/* "declared", "port-off", ...: as the listing and the results name kinds. */
const char *kit_kind_name(enum kit_kind kind);

/* What `probe --emit` writes. */
enum kit_emit { KIT_EMIT_JOBS, KIT_EMIT_NETASSERT };
bool kit_parse_emit(const char *text, enum kit_emit *out);

/* Why a case is not in a kit of that kind (a probe could not observe it),
 * or NULL when it is. */
const char *kit_unprobed(const struct kit_case *c, enum kit_emit how);

/* The kit's files (struct backend_file *, pushed onto files), whose
 * containers run image: namespace.yaml, listeners.yaml, and jobs.yaml or
 * sources.yaml and netassert.yaml, and kustomization.yaml. False when
 * emitting failed (a bug). */
bool kit_emit(struct arena *arena, const struct kit *kit, enum kit_emit how, const char *image,
	struct vec *files);

/* What a probe of the kit saw for a case (kit_results.c). */
enum kit_result { KIT_MISSING, KIT_CONNECTED, KIT_BLOCKED, KIT_INCONCLUSIVE };
struct kit_outcome {
	enum kit_result result;
	const char *detail;        /* agnhost's reason, when it gave one */
};

/* The results file at path, a Jobs' line listing or NetAssert's TAP, read
 * into *out (one outcome per case, by index), and in *how which kit made
 * it; a line that names no case of kit is an error at its line. */
struct diag_set;
bool kit_read_results(struct arena *arena, struct diag_set *diags, const char *path, const struct kit *kit,
	struct kit_outcome **out, enum kit_emit *how);
/* The same from a source in memory. */
struct source;
bool kit_parse_results(struct arena *arena, struct diag_set *diags, const struct source *src, const struct kit *kit,
	struct kit_outcome **out, enum kit_emit *how);
/* Each case's outcome against its verdict; true when every case that the
 * kit probes came out as expected (a case without a result did not). */
bool kit_print_results(FILE *out, const struct kit *kit, const struct kit_outcome *outcomes, enum kit_emit how);

/* The cases as a table (text) or JSON. */
void kit_print(FILE *out, struct arena *arena, const struct kit *kit, enum report_format format);

#endif
