#ifndef VENDORC_AUDIT_H
#define VENDORC_AUDIT_H

/* `vendorc report`: the auditor's report. audit_build evaluates every
 * declared flow on the policies check and explain evaluate (catalog plus
 * compiled output, through eval.h) and arranges the answers as an auditor
 * asks for them: a summary, the access matrix (vendors by what they reach,
 * each cell the ports, the end of access, the vendor-file line and the
 * policy objects), the view from each target, one page per vendor, the
 * expiry timeline and the provenance that makes it evidence. The writers
 * (audit_html.c, audit_markdown.c, audit_json.c) only lay it out. */

#include "vendorc/arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct catalog;
struct eval_policies;
struct history;
struct ir;
struct ir_flow;
struct ir_vendor;
struct project;

enum audit_format { AUDIT_HTML, AUDIT_MARKDOWN, AUDIT_JSON };

/* "html", "markdown" or "json"; false for another word. */
bool audit_parse_format(const char *text, enum audit_format *out);

enum audit_state { AUDIT_ACTIVE, AUDIT_EXPIRING, AUDIT_EXPIRED };

/* One declared flow to or from one peer, evaluated port by port. */
struct audit_flow {
	const struct ir_flow *flow;
	const char *anchor;        /* "v-NAME-f2": its row on the vendor's page */
	bool inbound;              /* the peer connects to the vendor */
	const char *peer;          /* as the policies name it: pods, a range, an address */
	const char *ports;         /* "TCP 5432, UDP 53" */
	bool allowed;              /* the evaluated policies admit every port */
	const char *source;        /* FILE:LINE of the statement */
	const char *statement;     /* the statement, or what compile added it for */
	const char *egress;        /* how the source's side decided (eval_side_text) */
	const char *ingress;       /* how the destination's side decided */
	struct vec objects;        /* const char *, "KIND NS/NAME": the policies that carry it */
};

struct audit_vendor;
struct audit_target;

/* A vendor and one thing it reaches or is reached from: a matrix cell. */
struct audit_cell {
	const struct audit_vendor *vendor;
	const struct audit_target *target;
	bool inbound;
	const char *ports;         /* of every flow of the cell, each once */
	struct vec port_texts;     /* const char *: the same, one by one */
	bool allowed;              /* every flow allowed */
	struct vec flows;          /* struct audit_flow * */
};

/* A column of the matrix: a Service, a pod group, a domain, a range, or
 * the cluster DNS. */
struct audit_target {
	const char *kind;          /* "Service", "pods", "domain", "range", "DNS" */
	const char *name;
	const char *anchor;        /* "t3": where its view is */
	struct vec cells;          /* struct audit_cell *, by vendor name */
	bool in_cluster;           /* pods: catalog sources apply */
	struct vec sources;        /* struct explain_source *: who else the catalog's policies admit */
};

struct audit_vendor {
	const struct ir_vendor *ir;
	enum audit_state state;
	const char *anchor;        /* "v-NAME" */
	const char *pods;          /* where its pods run, as the policies select them */
	const char *access;        /* "until ...", "expired at ...", "never expires" */
	const char *ends;          /* the end of access, RFC 3339, or "never" */
	bool review_overdue;       /* ir_vendor_review_overdue */
	struct vec flows;          /* struct audit_flow * */
	struct vec cells;          /* struct audit_cell *, by target */
};

/* What makes the report evidence: what it was made from and by. */
struct audit_provenance {
	const char *version;       /* vendorc's */
	const char *now;           /* the instant access was judged at */
	const char *project;       /* the project file, as diagnostics name it */
	const char *cluster;       /* in a fleet, the cluster the report is of; else NULL */
	const char *backend;
	const char *enforce;
	const char *commit;        /* of the vendor files; NULL outside a git work tree */
	bool dirty;                /* the vendor files differ from that commit */
	const char *output_hash;   /* SHA-256 of the output tree's manifest (audit_tree_hash) */
	size_t output_files;
	bool proved;               /* check's proof passed: set by the caller, who runs it */
	size_t proof_errors;
};

struct audit {
	struct audit_provenance provenance;
	const char *part;          /* in a fleet's report, the cluster this part is of; else NULL */
	int64_t now;
	int64_t warning;           /* the project's expiry-warning */
	int64_t review_interval;   /* and its review-interval */
	struct vec vendors;        /* struct audit_vendor *, by name */
	struct vec by_end;         /* the same, soonest end of access first */
	struct vec targets;        /* struct audit_target *, by kind then name */
	struct vec denied_namespaces; /* const char * */
	struct vec coverage;       /* struct coverage_finding * */
	size_t counts[3];          /* vendors per enum audit_state */
	size_t flows_denied;       /* declared flows the evaluated policies do not admit */
	size_t reviews_overdue;
	size_t never_reviewed;     /* vendors with access and no `reviewed` */
};

/* What one report holds: the project's audit, or a fleet's, one per
 * cluster in the project's order (each a part of the document that names
 * its cluster), and the history of the vendor files they share. */
struct audit_report {
	struct vec audits;         /* struct audit * */
	bool fleet;
	const struct history *history; /* --history, else NULL */
};

struct audit_input {
	const struct project *project;
	const struct ir *ir;
	const struct catalog *catalog;
	const struct eval_policies *emitted;
	const struct vec *files;   /* struct backend_file *: the output tree */
	int64_t now;
	const char *commit;
	bool dirty;
	bool part;                 /* one cluster's part of a fleet's report */
};

struct audit *audit_build(struct arena *arena, const struct audit_input *in);

/* The hash an auditor recomputes from the output directory:
 *   (cd OUT && LC_ALL=C find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum
 * that is, SHA-256 of the lines "HEX  NAME" of the files (struct
 * backend_file *) sorted by name. */
const char *audit_tree_hash(struct arena *arena, const struct vec *files);

/* The writers; each writes the whole report. */
void audit_write(FILE *out, struct arena *arena, const struct audit_report *report, enum audit_format format);
void audit_html(FILE *out, struct arena *arena, const struct audit_report *report);
void audit_markdown(FILE *out, struct arena *arena, const struct audit_report *report);
void audit_json(FILE *out, struct arena *arena, const struct audit_report *report);

/* An anchor of the document: id itself, or in a fleet's part
 * "CLUSTER.id" (a cluster's name has no dot, so the parts' anchors never
 * meet, nor meet the fleet's own). */
const char *audit_id(struct arena *arena, const struct audit *audit, const char *id);

/* For the HTML writer's parts: s as HTML text or attribute value (the
 * five characters HTML gives a meaning escaped), and the expiry timeline,
 * an SVG figure drawn from the audit. */
void audit_html_text(FILE *out, const char *s);
/* A section's heading, the controls it serves and what it shows (intro:
 * HTML of vendorc's own, or NULL); of audit's part of the document, or
 * with audit NULL of the whole report. */
void audit_html_heading(FILE *out, struct arena *arena, const struct audit *audit, const char *id,
	const char *title, const char *controls, const char *intro);
void audit_timeline(FILE *out, struct arena *arena, const struct audit *audit);

/* What the HTML and the Markdown both say, as terms and values: the
 * provenance, the summary's counts, a vendor's page (a value is never
 * NULL: "none" where the file gives nothing). */
struct audit_fact {
	const char *term;
	const char *value;
};
enum { AUDIT_PROVENANCE_FACTS = 7, AUDIT_SUMMARY_FACTS = 8, AUDIT_VENDOR_FACTS = 7 };
void audit_provenance_facts(struct arena *arena, const struct audit_provenance *p, struct audit_fact *out);
/* A fleet's report opens with what its clusters share and a row per
 * cluster: the overview that says which clusters the report answers for. */
enum { AUDIT_FLEET_FACTS = 6, AUDIT_CLUSTER_COLUMNS = 8 };
void audit_fleet_facts(struct arena *arena, const struct audit_report *report, struct audit_fact *out);
extern const char *const audit_cluster_columns[AUDIT_CLUSTER_COLUMNS];
void audit_cluster_row(struct arena *arena, const struct audit *audit, const char **out);
/* A section's title in audit's part: "CLUSTER: title" in a fleet. */
const char *audit_title(struct arena *arena, const struct audit *audit, const char *title);
void audit_summary_facts(struct arena *arena, const struct audit *audit, struct audit_fact *out);
/* What the summary's expiring and overdue mean, with the project's windows. */
const char *audit_summary_note(struct arena *arena, const struct audit *audit);
void audit_vendor_facts(struct arena *arena, const struct audit *audit, const struct audit_vendor *av,
	struct audit_fact *out);

/* "2026-04-20, next due 2026-10-17T00:00:00Z (overdue)", or "never". */
const char *audit_review_text(struct arena *arena, const struct audit *audit, const struct audit_vendor *av);

/* An event of the history as people read it: "grant changed", and its
 * statement ("before -> now" for a change). */
struct history_event;
const char *audit_event_text(const struct history_event *event);
const char *audit_event_statement(struct arena *arena, const struct history_event *event);

/* For the writers: a state's word, and the controls each section serves. */
const char *audit_state_name(enum audit_state state);
extern const char audit_controls_summary[], audit_controls_matrix[], audit_controls_targets[],
	audit_controls_vendors[], audit_controls_timeline[], audit_controls_history[], audit_controls_signoff[];

#endif
