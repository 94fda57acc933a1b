#include "vendorc/history.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/diag.h"
#include "vendorc/fmt.h"
#include "vendorc/frontend.h"
#include "vendorc/git.h"
#include "vendorc/limits.h"
#include "vendorc/path.h"
#include "vendorc/project.h"
#include "vendorc/source.h"
#include "vendorc/when.h"

#include <stdlib.h>
#include <string.h>

/* Every commit is read in this one format: a mark no field holds, then
 * its fields, each ended by a NUL (-z ends the last). Dates as seconds,
 * so that no configuration or locale changes them. */
static const char commit_format[] = "--format=%x01%H%x00%an <%ae>%x00%at%x00%ct%x00%s";

/* ---- a table of strings ---- */

/* ---- what history compares ---- */

/* A grant of a version, by its key (history.h) and its text. */
struct grant {
	enum ast_stmt_kind kind;
	const char *target;        /* "" for runs in */
	size_t nth;                /* among the grants of the same kind and target */
	const char *text;
	uint32_t line;
};

/* What one version of a vendor file means to its history. */
struct version {
	const char *vendor;
	const char *path;          /* relative to the project file's directory */
	const char *expires;       /* the statement, NULL when there is none */
	uint32_t expires_line;
	struct vec grants;         /* struct grant *, in the file's order */
};

/* A vendor as the replay goes: the versions of its files, and its events. */
struct track {
	const char *name;
	struct history_vendor *vendor; /* NULL until its first event */
	const struct version *now;     /* NULL while no file declares it */
	struct vec paths;              /* const char *: the files that declare it, sorted; the first counts */
};

/* A vendor file a commit changed, from git's raw diff. */
struct change {
	const char *path;          /* relative to the top level */
	const char *old_oid;       /* NULL: no file before */
	const char *new_oid;       /* NULL: no file after */
};

struct logged {
	struct history_commit *commit;
	struct vec changes;        /* struct change * */
};

struct collector {
	struct arena *arena;
	struct arena *scratch;     /* the syntax tree of one version at a time */
	const struct git *git;
	const char *vendors;       /* the vendors directory, relative to the top level ("" for it) */
	const char *project_dir;   /* the project file's directory as an absolute path from the top */
	struct text_table blobs;        /* object name -> struct git_blob * */
	struct text_table files;        /* path -> const struct version *, the files as they stand */
	struct text_table tracks;       /* vendor name -> struct track * */
	struct vec changes;        /* struct change *, every commit's, in the log's order */
	struct history *out;
};

static bool
is_grant(enum ast_stmt_kind kind)
{
	switch (kind) {
	case AST_CLUSTERS: /* where the vendor has access at all */
	case AST_RUNS_IN:
	case AST_ALLOW_SERVICE:
	case AST_ALLOW_PODS:
	case AST_ALLOW_FROM_SERVICE:
	case AST_ALLOW_FROM_CIDR:
	case AST_EGRESS:
		return true;
	case AST_OWNER:
	case AST_TICKET:
	case AST_JUSTIFICATION:
	case AST_REVIEWED:
	case AST_EXPIRES:
		return false;
	case AST_STMT_KIND_COUNT:
		break;
	}
	abort();
}

static const struct grant *
find_grant(const struct version *version, const struct grant *like)
{
	for (size_t i = 0; version && i < version->grants.len; i++) {
		const struct grant *grant = vec_at(&version->grants, i);
		if (grant->kind == like->kind && grant->nth == like->nth && strcmp(grant->target, like->target) == 0)
			return grant;
	}
	return NULL;
}

static void
add_grant(struct collector *c, struct version *version, const struct ast_stmt *stmt)
{
	struct grant *grant = arena_alloc(c->arena, sizeof(*grant));
	*grant = (struct grant){
		.kind = stmt->kind,
		.target = stmt->kind == AST_RUNS_IN ? "" : arena_strdup(c->arena, stmt->arg.text),
		.text = fmt_stmt(c->arena, stmt),
		.line = stmt->loc.line,
	};
	while (find_grant(version, grant))
		grant->nth++;
	vec_push(c->arena, &version->grants, grant);
}

static const struct version *
version_of(struct collector *c, const struct ast_vendor *tree, const char *path)
{
	struct version *version = arena_alloc(c->arena, sizeof(*version));
	version->vendor = arena_strdup(c->arena, tree->name.text);
	version->path = path;
	for (const struct ast_stmt *stmt = tree->stmts; stmt; stmt = stmt->next) {
		if (is_grant(stmt->kind)) {
			add_grant(c, version, stmt);
		} else if (stmt->kind == AST_EXPIRES) {
			version->expires = fmt_stmt(c->arena, stmt);
			version->expires_line = stmt->loc.line;
		}
	}
	return version;
}

/* The version in blob oid of the file at path, or NULL when it does not
 * parse (or would be too large to compile). Parse errors go to a set of
 * their own: they are no error of the command. */
static const struct version *
parse_version(struct collector *c, const char *oid, const char *path)
{
	const struct git_blob *blob = *text_table_at(c->arena, &c->blobs, oid);
	if (!blob->data || blob->len > LIMIT_VENDOR_FILE_SIZE)
		return NULL;
	const char *display = path_relative(c->arena, arena_printf(c->arena, "/%s", path), c->project_dir);
	arena_reset(c->scratch);
	struct diag_set *quiet = diag_set_create(c->scratch);
	const struct source *src = source_borrow(c->scratch, display, blob->data, blob->len);
	const struct ast_vendor *tree = frontend_parse(c->scratch, quiet, src);
	return tree ? version_of(c, tree, display) : NULL;
}

/* ---- events ---- */

static struct track *
track_of(struct collector *c, const char *name)
{
	void **slot = text_table_at(c->arena, &c->tracks, name);
	if (!*slot) {
		struct track *track = arena_alloc(c->arena, sizeof(*track));
		track->name = name;
		*slot = track;
	}
	return *slot;
}

static void
add_event(struct collector *c, struct track *track, struct history_event event)
{
	if (!track->vendor) {
		track->vendor = arena_alloc(c->arena, sizeof(*track->vendor));
		track->vendor->name = track->name;
		vec_push(c->arena, &c->out->vendors, track->vendor);
	}
	struct history_event *copy = arena_alloc(c->arena, sizeof(*copy));
	*copy = event;
	vec_push(c->arena, &track->vendor->events, copy);
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void
compare_grants(struct collector *c, const struct history_commit *commit, struct track *track,
	const struct version *was, const struct version *now)
{
	for (size_t i = 0; i < now->grants.len; i++) {
		const struct grant *grant = vec_at(&now->grants, i), *old = find_grant(was, grant);
		if (!old || strcmp(old->text, grant->text) != 0)
			add_event(c, track, (struct history_event){ old ? HISTORY_GRANT_CHANGED : HISTORY_GRANT_ADDED,
				commit, now->path, grant->text, old ? old->text : NULL, grant->line });
	}
	for (size_t i = 0; was && i < was->grants.len; i++) {
		const struct grant *old = vec_at(&was->grants, i);
		if (!find_grant(now, old))
			add_event(c, track, (struct history_event){ HISTORY_GRANT_REMOVED, commit, now->path,
				NULL, old->text, 0 });
	}
}

/* The events of a vendor that commit took from version was to now. */
static void
compare(struct collector *c, const struct history_commit *commit, struct track *track,
	const struct version *was, const struct version *now)
{
	if (!now) {
		if (was)
			add_event(c, track, (struct history_event){ HISTORY_VENDOR_DELETED, commit, was->path,
				NULL, was->expires, 0 });
		return;
	}
	if (!was)
		add_event(c, track, (struct history_event){ HISTORY_VENDOR_ADDED, commit, now->path,
			now->expires, NULL, now->expires ? now->expires_line : 0 });
	else if (!same_text(was->expires, now->expires))
		add_event(c, track, (struct history_event){ HISTORY_EXPIRY_CHANGED, commit, now->path,
			now->expires, was->expires, now->expires ? now->expires_line : 0 });
	compare_grants(c, commit, track, was, now);
}

/* ---- the replay ---- */

static void
untrack(struct track *track, const char *path)
{
	size_t i = vec_find_index(&track->paths, path, vec_string_order);
	if (i == SIZE_MAX)
		return;
	memmove(&track->paths.items[i], &track->paths.items[i + 1],
		(track->paths.len - i - 1) * sizeof(*track->paths.items));
	track->paths.len--;
}

/* The file at path holds version now (NULL: no vendor file there); the
 * vendors it declared and declares are touched. */
static void
place(struct collector *c, const char *path, const struct version *version, struct vec *touched)
{
	void **slot = text_table_at(c->arena, &c->files, path);
	const struct version *was = *slot;
	if (was) {
		untrack(track_of(c, was->vendor), path);
		vec_push(c->arena, touched, (void *)was->vendor);
	}
	*slot = (void *)version;
	if (version) {
		struct track *track = track_of(c, version->vendor);
		vec_push(c->arena, &track->paths, (void *)path);
		vec_sort(&track->paths, vec_compare_strings);
		vec_push(c->arena, touched, (void *)version->vendor);
	}
}

/* The touched vendors as their files now declare them; with a commit,
 * the events that took them there (without, the state a range starts from). */
static void
settle(struct collector *c, const struct history_commit *commit, struct vec *touched)
{
	vec_sort_unique(touched, vec_compare_strings);
	for (size_t i = 0; i < touched->len; i++) {
		struct track *track = track_of(c, vec_at(touched, i));
		const struct version *now = track->paths.len
			? *text_table_at(c->arena, &c->files, vec_at(&track->paths, 0)) : NULL;
		if (commit)
			compare(c, commit, track, track->now, now);
		track->now = now;
	}
}

static void
replay(struct collector *c, const struct logged *logged)
{
	struct vec touched = { 0 };
	for (size_t i = 0; i < logged->changes.len; i++) {
		const struct change *change = vec_at(&logged->changes, i);
		const struct version *version = change->new_oid ? parse_version(c, change->new_oid, change->path) : NULL;
		if (!change->new_oid || version) {
			place(c, change->path, version, &touched);
			continue;
		}
		struct history_skip *skip = arena_alloc(c->arena, sizeof(*skip));
		*skip = (struct history_skip){ logged->commit, path_relative(c->arena,
			arena_printf(c->arena, "/%s", change->path), c->project_dir) };
		vec_push(c->arena, &c->out->skipped, skip);
	}
	settle(c, logged->commit, &touched);
}

/* Before the range: each file as its first change in the range finds it. */
static void
place_start(struct collector *c, struct text_table *first)
{
	struct vec touched = { 0 };
	for (size_t i = 0; i < c->changes.len; i++) {
		const struct change *change = vec_at(&c->changes, i);
		const struct version *version;
		if (*text_table_at(c->arena, first, change->path) == change && change->old_oid
			&& (version = parse_version(c, change->old_oid, change->path)))
			place(c, change->path, version, &touched);
	}
	settle(c, NULL, &touched);
}

/* ---- git's log ---- */

/* The next field of git's output, NULL at its end. */
static char *
next_field(char **at, char *end)
{
	char *nul = *at < end ? memchr(*at, '\0', (size_t)(end - *at)) : NULL;
	if (!nul)
		return NULL;
	char *field = *at;
	*at = nul + 1;
	return field;
}

/* A commit in commit_format at *at; NULL when there is none. */
static struct history_commit *
read_commit(struct arena *arena, char **at, char *end)
{
	if (*at >= end || **at != '\001')
		return NULL;
	++*at;
	char *fields[5];
	for (size_t i = 0; i < 5; i++)
		if (!(fields[i] = next_field(at, end)))
			return NULL;
	int64_t authored = when_from_seconds(strtoll(fields[2], NULL, 10));
	struct history_commit *commit = arena_alloc(arena, sizeof(*commit));
	*commit = (struct history_commit){ fields[0], fields[1], when_format(arena, authored), authored,
		fields[4], when_from_seconds(strtoll(fields[3], NULL, 10)) };
	*at += *at < end && **at == '\n'; /* before the raw diff */
	return commit;
}

static bool
is_file_mode(const char *mode)
{
	return strcmp(mode, "100644") == 0 || strcmp(mode, "100755") == 0;
}

/* ":OLDMODE NEWMODE OLD NEW STATUS" and the path, as --raw -z prints
 * them; a link or a submodule is no file. */
static bool
read_change(char **at, char *end, struct change *out)
{
	char *meta = next_field(at, end), *path = next_field(at, end), *save = NULL;
	if (!meta || !path)
		return false;
	const char *old_mode = strtok_r(meta + 1, " ", &save), *new_mode = strtok_r(NULL, " ", &save);
	const char *old_oid = strtok_r(NULL, " ", &save), *new_oid = strtok_r(NULL, " ", &save);
	if (!new_oid)
		return false;
	*out = (struct change){ path, is_file_mode(old_mode) ? old_oid : NULL,
		is_file_mode(new_mode) ? new_oid : NULL };
	return true;
}

/* A *.vendor file below the vendors directory, no part of it hidden: what
 * frontend_load reads. */
static bool
is_vendor_path(const struct collector *c, const char *path)
{
	size_t dir = strlen(c->vendors), len = strlen(path);
	if (dir && (strncmp(path, c->vendors, dir) != 0 || path[dir] != '/'))
		return false;
	const char *rest = path + dir + (dir > 0);
	if (len <= strlen(".vendor") || strcmp(path + len - strlen(".vendor"), ".vendor") != 0 || rest[0] == '.')
		return false;
	return !strstr(rest, "/.");
}

static bool
read_log(struct collector *c, char *at, char *end, struct vec *logged)
{
	while (at < end) {
		struct logged *l = arena_alloc(c->arena, sizeof(*l));
		if (!(l->commit = read_commit(c->arena, &at, end)))
			return false;
		while (at < end && *at == ':') {
			struct change *change = arena_alloc(c->arena, sizeof(*change));
			if (!read_change(&at, end, change))
				return false;
			if (is_vendor_path(c, change->path)) {
				vec_push(c->arena, &l->changes, change);
				vec_push(c->arena, &c->changes, change);
			}
		}
		vec_push(c->arena, logged, l);
		vec_push(c->arena, &c->out->commits, l->commit);
	}
	return true;
}

static void
want_blob(struct collector *c, struct vec *blobs, const char *oid)
{
	void **slot = text_table_at(c->arena, &c->blobs, oid);
	if (*slot)
		return;
	struct git_blob *blob = arena_alloc(c->arena, sizeof(*blob));
	blob->oid = oid;
	*slot = blob;
	vec_push(c->arena, blobs, blob);
}

/* Every version the replay reads, in one batch: those the changes make,
 * and for each path the one its first change finds (first: path -> that
 * change). */
static bool
read_versions(struct collector *c, struct text_table *first)
{
	struct vec blobs = { 0 };
	for (size_t i = 0; i < c->changes.len; i++) {
		struct change *change = vec_at(&c->changes, i);
		void **slot = text_table_at(c->arena, first, change->path);
		if (!*slot && change->old_oid)
			want_blob(c, &blobs, change->old_oid);
		if (!*slot)
			*slot = change;
		if (change->new_oid)
			want_blob(c, &blobs, change->new_oid);
	}
	return git_read_blobs(c->git, &blobs);
}

/* ---- collecting ---- */

static int
vendor_order(const void *a, const void *b)
{
	const struct history_vendor *x = *(const struct history_vendor *const *)a;
	const struct history_vendor *y = *(const struct history_vendor *const *)b;
	return strcmp(x->name, y->name);
}

static bool
log_failed(const struct git *git, const char *range, const struct git_output *log)
{
	struct diag *d = range
		? diag_report(git->diags, DIAG_BAD_REVISION, NULL, "git log cannot read the revision range \"%s\"", range)
		: diag_report(git->diags, DIAG_HISTORY_UNAVAILABLE, NULL, "the repository has no history up to HEAD");
	diag_hint(d, "git: %s", log->error);
	return false;
}

static bool
collect(struct collector *c, const char *range)
{
	const char *args[] = { "log", "--no-color", "--reverse", "--date-order", "--no-renames", "--raw", "-z",
		"--no-abbrev", "--diff-merges=first-parent", commit_format, "--end-of-options", c->out->range, "--",
		*c->vendors ? c->vendors : ".", NULL };
	struct git_output log;
	if (!git_run(c->git, args, NULL, 0, &log))
		return false;
	if (log.status != 0)
		return log_failed(c->git, range, &log);
	struct vec logged = { 0 };
	struct text_table first = { 0 };
	if (!read_log(c, log.data, log.data + log.len, &logged)) {
		diag_report(c->git->diags, DIAG_IO_ERROR, NULL, "cannot read what \"git log\" printed");
		return false;
	}
	if (!read_versions(c, &first))
		return false;
	place_start(c, &first);
	for (size_t i = 0; i < logged.len; i++)
		replay(c, vec_at(&logged, i));
	for (size_t i = 0; i < c->out->vendors.len; i++) {
		struct history_vendor *vendor = vec_at(&c->out->vendors, i);
		vendor->deleted = !track_of(c, vendor->name)->now;
	}
	vec_sort(&c->out->vendors, vendor_order);
	return true;
}

/* The vendors directory as git names it: relative to the top level. */
static const char *
vendors_in_tree(struct arena *arena, struct diag_set *diags, const struct git *git,
	const struct project *project)
{
	const char *from_project = project_relative(arena, project, project->vendors.display);
	const char *project_dir = path_absolute(arena, git->top, *git->prefix ? git->prefix : ".");
	const char *dir = path_absolute(arena, project_dir, from_project);
	const char *in_tree = path_relative(arena, dir, path_absolute(arena, "/", git->top));
	if (strcmp(in_tree, "..") == 0 || strncmp(in_tree, "../", 3) == 0) {
		diag_report(diags, DIAG_HISTORY_UNAVAILABLE, &project->vendors.loc,
			"vendors \"%s\" is outside the git work tree %s, so it has no history there",
			project->vendors.display, git->top);
		return NULL;
	}
	return strcmp(in_tree, ".") == 0 ? "" : in_tree;
}

bool
history_collect_in(struct arena *arena, struct diag_set *diags, const struct git *git,
	const struct project *project, const char *range, struct history *out)
{
	*out = (struct history){ .range = range ? range : "HEAD" };
	struct collector c = { .arena = arena, .git = git, .out = out };
	if (!(c.vendors = vendors_in_tree(arena, diags, git, project)))
		return false;
	c.project_dir = arena_printf(arena, "/%s", git->prefix);
	c.scratch = arena_create();
	bool ok = collect(&c, range);
	arena_destroy(c.scratch);
	return ok;
}

bool
history_collect(struct arena *arena, struct diag_set *diags, const struct project *project,
	const char *range, struct history *out)
{
	struct git git;
	struct loc at = loc_file(project->src);
	const char *what = arena_printf(arena, "project file \"%s\"", project->src->path);
	return git_open(arena, diags, project->dir, what, &at, &git)
		&& history_collect_in(arena, diags, &git, project, range, out);
}

bool
history_head(struct arena *arena, const struct project *project, const char **commit, bool *dirty)
{
	struct git git;
	struct diag_set *quiet = diag_set_create(arena);
	*commit = NULL;
	*dirty = false;
	if (!git_open(arena, quiet, project->dir, "", NULL, &git))
		return false;
	const char *vendors = vendors_in_tree(arena, quiet, &git, project);
	const char *const head[] = { "rev-parse", "--verify", "-q", "HEAD^{commit}", NULL };
	struct git_output out;
	if (!vendors || !git_run(&git, head, NULL, 0, &out) || out.status != 0 || out.len < 40)
		return false;
	*commit = arena_strndup(arena, out.data, 40);
	const char *const status[] = { "status", "--porcelain", "-z", "--untracked-files=all", "--",
		*vendors ? vendors : ".", NULL };
	if (!git_run(&git, status, NULL, 0, &out) || out.status != 0)
		return false;
	*dirty = out.len > 0;
	return true;
}

static int
vendor_named(const void *key, const void *item)
{
	return strcmp(key, ((const struct history_vendor *)item)->name);
}

const struct history_vendor *
history_vendor(const struct history *history, const char *name)
{
	return vec_find(&history->vendors, name, vendor_named);
}

/* ---- a commit by revision or date ---- */

static const struct history_commit *
commit_named(const struct git *git, const char *hash)
{
	const char *const args[] = { "log", "-1", "-z", commit_format, "--end-of-options", hash, NULL };
	struct git_output log;
	if (!git_run(git, args, NULL, 0, &log))
		return NULL;
	char *at = log.data;
	const struct history_commit *commit = log.status == 0 ? read_commit(git->arena, &at, log.data + log.len) : NULL;
	if (!commit)
		diag_report(git->diags, DIAG_IO_ERROR, NULL, "cannot read commit %s (git: %s)", hash, log.error);
	return commit;
}

/* The one object name a rev-list or rev-parse printed, or NULL for none. */
static const char *
revision(const struct git *git, const char *const *args, struct git_output *out)
{
	if (!git_run(git, args, NULL, 0, out))
		return NULL;
	out->data[strcspn(out->data, "\n")] = '\0';
	return out->status == 0 && *out->data ? out->data : NULL;
}

static void
no_commit_before(const struct git *git, const char *text, const struct git_output *rev)
{
	struct diag *d = diag_report(git->diags, DIAG_BAD_REVISION, NULL,
		"no commit on HEAD's first-parent line was committed at or before %s", text);
	const char *const args[] = { "rev-list", "--first-parent", "--max-parents=0", "HEAD", NULL };
	struct git_output root = { 0 };
	const char *hash = rev->status == 0 ? revision(git, args, &root) : NULL;
	const struct history_commit *first = hash ? commit_named(git, hash) : NULL;
	if (first)
		diag_hint(d, "the first, %.8s, was committed at %s", first->hash, when_format(git->arena, first->committed));
	else
		diag_hint(d, "git: %s", rev->error);
}

const struct history_commit *
history_commit_at(const struct git *git, const char *text, int64_t *instant)
{
	bool is_date;
	struct git_output rev = { 0 };
	if (when_parse_instant(text, instant, &is_date)) {
		int64_t seconds = *instant / WHEN_SECOND - (*instant % WHEN_SECOND < 0);
		const char *before = arena_printf(git->arena, "--before=@%lld", (long long)seconds);
		const char *const args[] = { "rev-list", "-1", "--first-parent", before, "HEAD", NULL };
		const char *hash = revision(git, args, &rev);
		if (!hash && rev.data)
			no_commit_before(git, text, &rev);
		return hash ? commit_named(git, hash) : NULL;
	}
	const char *spec = arena_printf(git->arena, "%s^{commit}", text);
	const char *const args[] = { "rev-parse", "--verify", "--quiet", "--end-of-options", spec, NULL };
	const char *hash = revision(git, args, &rev);
	if (!hash && rev.data)
		diag_hint(diag_report(git->diags, DIAG_BAD_REVISION, NULL, "no commit \"%s\" in the repository", text),
			"--at takes a revision (a commit, tag or branch, HEAD~2) or a date (2026-11-14 or an RFC 3339 time)");
	const struct history_commit *commit = hash ? commit_named(git, hash) : NULL;
	if (commit)
		*instant = commit->committed;
	return commit;
}

const char *
history_commit_text(struct arena *arena, const struct history_commit *commit)
{
	return arena_printf(arena, "%.8s (%s, %s): %s", commit->hash, commit->date, commit->author,
		commit->subject);
}
