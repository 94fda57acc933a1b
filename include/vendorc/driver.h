#ifndef VENDORC_DRIVER_H
#define VENDORC_DRIVER_H

/* The passes in order, as the commands run them: load the project, parse
 * the vendor files, read catalog and lock, resolve, emit, write. Each pass
 * reports into one diagnostic set; the driver stops after a pass that
 * reported errors and turns the outcome into the exit status. */

#include "vendorc/kit.h"
#include "vendorc/audit.h"
#include "vendorc/diag.h"
#include "vendorc/graph.h"
#include "vendorc/project.h"
#include "vendorc/report.h"

#include <stdbool.h>
#include <stdint.h>

enum driver_exit {
	DRIVER_OK = 0,
	DRIVER_INPUT_ERROR = 1,
	DRIVER_USAGE_ERROR = 2,
	DRIVER_IO_ERROR = 3,
};

struct driver_options {
	const char *project;  /* -c FILE, or NULL for ./vendorc.yaml */
	const char *output;   /* -o DIR, or NULL for the project's output */
	const char *backend;  /* --backend NAME, or NULL for the project's */
	const char *cluster;  /* --cluster NAME: in a fleet, that cluster alone */
	int64_t now;          /* nanoseconds since the epoch (when.h) */
	bool now_given;       /* --now was given: explain --at keeps it, else takes the commit's time */
	const char *at;       /* explain --at: a git revision or a date to answer as of, or NULL */
	const char *verify;   /* check: verify the files in this directory instead */
	bool write;           /* compile writes; check does not */
	bool strict;          /* warnings fail too, but expired and expires-soon */
	bool strict_expiry;   /* with strict: those two as well */
	bool coverage;        /* check: print the coverage report */
	bool adversarial;     /* check: an allow-all NetworkPolicy in every namespace too */
	enum diag_format format;
	enum project_paths paths; /* --paths: how diagnostics name files */
	enum report_format report;  /* expiring, explain: text or JSON */
	int64_t within;       /* expiring: the window; 0: the project's expiry-warning */
};

/* What `vendorc report` writes, and where. */
struct driver_report {
	enum audit_format format;
	const char *file;     /* -o FILE, or NULL for standard output */
	bool history;         /* --history */
	const char *range;    /* its REV_RANGE, or NULL for the whole history */
};

/* What `vendorc probe` makes (docs/probe.md). */
struct driver_probe {
	const char *vendor;   /* --vendor NAME: that vendor's cases alone */
	bool emit;            /* --emit KIT: write the kit into dir */
	enum kit_emit kit;
	const char *dir;      /* -o DIR */
	const char *results;  /* --results FILE: read what the kit's probes saw */
};

/* What `vendorc observe` reads and prints (docs/observe.md). */
struct driver_observe {
	const char *flows;    /* --flows FILE */
	bool has_since;
	int64_t since;        /* --since T */
	const char *vendor;   /* --vendor NAME */
	bool suggest;         /* --suggest: a vendor file of what the vendor's pods did */
	const char *ns;       /* --namespace NS: a new vendor's namespace (default vendor-NAME) */
};

/* compile and check */
enum driver_exit driver_compile(const struct driver_options *options);
/* explain: exit 1 also when a traced connection is denied. With --at, the
 * project as of that commit: its tree written to a temporary directory
 * (removed again), the project file at the same path in it; a vendor it
 * did not have is a usage error (exit 2) that names the commit that removed
 * it; a revision or date that names no commit is bad-revision (exit 2). */
struct explain_query;
enum driver_exit driver_explain(const struct driver_options *options,
	const struct explain_query *query);
/* lock: with --check, exit 1 also when the lock is stale */
struct locker_options;
enum driver_exit driver_lock(const struct driver_options *options,
	const struct locker_options *lock);
/* init: write a commented skeleton vendor file for a new vendor */
enum driver_exit driver_init(const struct driver_options *options, const char *vendor);
/* expiring: exit 1 also when a vendor has expired or ends within the window */
enum driver_exit driver_expiring(const struct driver_options *options);
/* plan: what compile would change in the output; exit 1 also when something would */
enum driver_exit driver_plan(const struct driver_options *options);
/* expire: the expired vendors' files removed from the output, from the
 * output alone */
enum driver_exit driver_expire(const struct driver_options *options);
/* fmt: exit 1 also when --check finds a file that is not canonical */
struct fmt_options;
enum driver_exit driver_fmt(const struct driver_options *options, const struct fmt_options *fmt);
/* report: the auditor's report; exit 1 also when the proof failed (the
 * report is written all the same, and says so) */
enum driver_exit driver_report(const struct driver_options *options, const struct driver_report *report);
/* graph: who can reach what, as DOT or Mermaid on standard output */
enum driver_exit driver_graph(const struct driver_options *options, enum graph_format format);
/* probe: the cases of the probe kit, from the evaluated policies. */
/* import: the vendor files of hand-written NetworkPolicies, written new
 * into -o DIR or the project's vendors directory (all or none) */
struct import_options;
enum driver_exit driver_import(const struct driver_options *options, const struct import_options *import);
/* observe: exit 1 also when a flow was widened or dropped against a file */
enum driver_exit driver_observe(const struct driver_options *options, const struct driver_observe *observe);
enum driver_exit driver_probe(const struct driver_options *options, const struct driver_probe *probe);

#endif
