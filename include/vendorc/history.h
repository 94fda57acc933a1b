#ifndef VENDORC_HISTORY_H
#define VENDORC_HISTORY_H

/* The project's vendor files through their git history: which commit
 * granted what, changed it or took it away, for the audit questions ("did
 * the contractor still have access after the 14th?") that `vendorc report`
 * and `explain --at` answer. A vendor is known by its name (`vendor NAME
 * {`), so a renamed file is neither a removal nor an addition. git runs as
 * git.h says. */

#include "vendorc/arena.h"

#include <stdbool.h>
#include <stdint.h>

struct diag_set;
struct git;
struct project;

enum history_event_kind {
	HISTORY_VENDOR_ADDED,    /* a vendor file appeared (grants listed as GRANT_ADDED events in the same
	                          * commit); grant: its `expires` statement */
	HISTORY_VENDOR_DELETED,  /* its file disappeared: every grant ended with this commit (no
	                          * GRANT_REMOVED each); before: its `expires` statement */
	HISTORY_GRANT_ADDED,
	HISTORY_GRANT_CHANGED,   /* same kind and target, other ports/labels */
	HISTORY_GRANT_REMOVED,
	HISTORY_EXPIRY_CHANGED,  /* the `expires` statement changed */
};

struct history_commit {
	const char *hash;
	const char *author;      /* "Name <email>" */
	const char *date;        /* author date, RFC 3339 UTC, e.g. 2026-11-14T09:30:00Z */
	int64_t instant;         /* when.h nanoseconds */
	const char *subject;
	int64_t committed;       /* the committer date (when.h): when it landed on its branch, which is
	                          * what `explain --at` goes by */
};

/* A grant is an allow or egress statement, or `runs in` (the vendor's
 * placement); it is known by its kind and target (the statement's
 * argument; `runs in` by its kind alone, so moving the vendor's pods is a
 * GRANT_CHANGED) and, where a file repeats a kind and target, by which of
 * them it is. Its value is its canonical text (fmt_stmt, fmt.h). */
struct history_event {
	enum history_event_kind kind;
	const struct history_commit *commit;
	const char *path;        /* the vendor file, relative to the project file's directory, at that commit */
	const char *grant;       /* the statement now (canonical text, fmt_stmt from fmt.h), NULL when none */
	const char *before;      /* the statement before (CHANGED, REMOVED, EXPIRY_CHANGED old value), NULL when none */
	uint32_t line;           /* the line of `grant` in the file at that commit, 0 when none */
};

/* Within one commit a vendor's events come in this order: added or
 * deleted, the expiry, then added and changed grants in the file's order,
 * then removed ones in the order the file had them. */
struct history_vendor {
	const char *name;
	bool deleted;            /* no file at the range's end */
	struct vec events;       /* struct history_event *, oldest first */
};

/* A version of a vendor file that does not parse: skipped, its vendor
 * kept the state it had. Not a diagnostic: an old commit's mistake is not
 * the command's, and would be repeated on every run. */
struct history_skip {
	const struct history_commit *commit;
	const char *path;        /* as in history_event */
};

/* Vendors that have no event in the range (their files untouched) are not
 * listed. The state a range starts from is each file as the commit before
 * its first change in the range had it. */
struct history {
	const char *range;       /* as given, or the default */
	struct vec commits;      /* struct history_commit *, oldest first, those that changed a vendor file */
	struct vec vendors;      /* struct history_vendor *, sorted by name, deleted vendors included */
	struct vec skipped;      /* struct history_skip *, oldest first */
};

/* The history of the project's vendor files in range (a git revision range as `git log` takes it,
 * e.g. "v1.0..HEAD"; NULL: the whole history up to HEAD). Errors (not a git work tree, git missing,
 * bad range; a file that does not parse at some commit is NOT an error: it is skipped) are reported
 * into diags at the project file or command line and false returned: history-unavailable,
 * io-error (git cannot run), bad-revision (a range git cannot read). Commits come in
 * `git log --date-order` order; a merge counts with its changes against its first parent,
 * which repeat its branch's and so add no event of their own unless it resolved them otherwise. */
bool history_collect(struct arena *arena, struct diag_set *diags, const struct project *project,
	const char *range, struct history *out);

/* The same through a work tree opened already (git.h), the project's
 * vendors directory taken relative to the directory git was opened at:
 * for a project read from a tree git_export wrote, whose own directory has
 * no history. */
bool history_collect_in(struct arena *arena, struct diag_set *diags, const struct git *git,
	const struct project *project, const char *range, struct history *out);

/* The commit the project's work tree is at (40 hex digits), and whether
 * its vendor files differ from it (changed, added or removed, untracked
 * ones too): the report's provenance. False, *commit NULL, outside a work
 * tree or without a commit; nothing is reported, since a report needs no
 * history to be made. */
bool history_head(struct arena *arena, const struct project *project, const char **commit, bool *dirty);

/* The vendor called name in history, or NULL. */
const struct history_vendor *history_vendor(const struct history *history, const char *name);

/* The commit text names, for `explain --at`. A DATE or RFC 3339 time
 * (when.h) is the last commit on HEAD's first-parent line whose committer
 * date is at or before it, and *instant that time: the commit that was in
 * force then on the branch, not one of a branch merged later. Anything
 * else is a revision (`git rev-parse REV^{commit}`), *instant its
 * committer date. NULL, with bad-revision reported at the command line,
 * when there is no such commit. */
const struct history_commit *history_commit_at(const struct git *git, const char *text,
	int64_t *instant);

/* "1a2b3c4d (2026-11-14T09:30:00Z, Jane Doe <jane@example.com>): remove contractor",
 * the way commands name a commit to people. */
const char *history_commit_text(struct arena *arena, const struct history_commit *commit);

#endif
