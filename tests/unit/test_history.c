#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/fswalk.h"
#include "vendorc/git.h"
#include "vendorc/history.h"
#include "vendorc/project.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scripted repository in a temporary directory: the project in proj/
 * (so the vendors directory is not at the top level), its commits made
 * at fixed dates by fixed people, git's own configuration out of the way. */
static struct arena *arena;
static struct git repo;

static void
git(const char *const *args)
{
	struct git_output out;
	CHECK(git_run(&repo, args, NULL, 0, &out));
	if (out.status != 0)
		fprintf(stderr, "    git %s: %s\n", args[0], out.error);
	CHECK(out.status == 0);
}

#define GIT(...) git((const char *const[]){ __VA_ARGS__, NULL })

/* The repository's path to a file, its directories made. */
static const char *
path_to(const char *path)
{
	char *full = arena_printf(arena, "%s/%s", repo.top, path);
	for (char *slash = strchr(full + strlen(repo.top) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		CHECK(mkdir(full, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	return full;
}

static void
write_file(const char *path, const char *text)
{
	FILE *file = fopen(path_to(path), "w");
	CHECK(file != NULL);
	if (file) {
		fputs(text, file);
		fclose(file);
	}
}

/* Who commits next, and when. */
static void
as(const char *date, const char *name, const char *email)
{
	setenv("GIT_AUTHOR_DATE", date, 1);
	setenv("GIT_COMMITTER_DATE", date, 1);
	setenv("GIT_AUTHOR_NAME", name, 1);
	setenv("GIT_AUTHOR_EMAIL", email, 1);
	setenv("GIT_COMMITTER_NAME", name, 1);
	setenv("GIT_COMMITTER_EMAIL", email, 1);
}

static void
commit(const char *subject, const char *date, const char *name, const char *email)
{
	as(date, name, email);
	GIT("add", "-A");
	GIT("commit", "-q", "--allow-empty", "-m", subject);
}

static const char acme_5432[] =
	"vendor acme {\n"
	"    expires 2027-03-31\n"
	"    runs in vendor-acme where app=agent\n"
	"    allow service billing/postgres port 5432\n"
	"    egress api.acme.io port 443\n"
	"}\n";
static const char acme_6432[] =
	"vendor acme {\n"
	"    expires 2027-03-31\n"
	"    runs in vendor-acme where app=agent\n"
	"    allow service billing/postgres port 6432\n"
	"    allow from 198.51.100.0/24 port 8443\n"
	"}\n";
static const char acme_later[] =
	"vendor acme {\n"
	"    expires 2027-06-30\n"
	"    runs in vendor-acme where app=agent\n"
	"    allow service billing/postgres port 6432\n"
	"    allow from 198.51.100.0/24 port 8443\n"
	"}\n";
static const char beta[] =
	"vendor beta {\n"
	"    expires never\n"
	"    runs in vendor-beta\n"
	"    egress 203.0.113.0/24 port 443\n"
	"}\n";
static const char beta_later[] =
	"vendor beta {\n"
	"    expires 2027-01-31\n"
	"    runs in vendor-beta\n"
	"    egress 203.0.113.0/24 port 443\n"
	"}\n";
static const char gamma[] =
	"vendor gamma {\n"
	"    expires 2027-01-31\n"
	"    runs in vendor-gamma\n"
	"    egress 192.0.2.0/24 port 443\n"
	"}\n";

/* add acme, add beta, change acme's port (and its grants), move beta's
 * file, break acme's file, mend it with a later expiry, a commit outside
 * the vendors, offboard acme; then gamma added on a branch while main
 * extends beta, and the branch merged. */
static void
make_history(void)
{
	GIT("-c", "init.defaultBranch=main", "init", "-q");
	write_file("proj/vendorc.yaml", "vendors: vendors/\noutput: out/\ncatalog: [cluster/]\n");
	write_file("proj/cluster/README", "no objects\n");
	write_file("proj/vendors/acme.vendor", acme_5432);
	commit("add acme", "2026-10-01T09:00:00Z", "Jane Doe", "jane@example.com");
	write_file("proj/vendors/beta.vendor", beta);
	commit("add beta", "2026-10-05T09:00:00Z", "Jane Doe", "jane@example.com");
	write_file("proj/vendors/acme.vendor", acme_6432);
	commit("acme: postgres moves to 6432", "2026-10-10T14:15:00Z", "John Roe", "john@example.com");
	CHECK(rename(path_to("proj/vendors/beta.vendor"), path_to("proj/vendors/team-b/beta.vendor")) == 0);
	commit("move beta to its team", "2026-10-12T09:00:00Z", "Jane Doe", "jane@example.com");
	write_file("proj/vendors/acme.vendor", "vendor acme {\n    allow service\n");
	commit("half an edit", "2026-10-13T09:00:00Z", "John Roe", "john@example.com");
	write_file("proj/vendors/acme.vendor", acme_later);
	commit("acme: extended", "2026-10-14T09:00:00Z", "John Roe", "john@example.com");
	write_file("proj/README", "not a vendor\n");
	commit("readme", "2026-10-20T09:00:00Z", "Jane Doe", "jane@example.com");
	GIT("rm", "-q", "proj/vendors/acme.vendor");
	commit("offboard acme", "2026-11-14T09:30:00Z", "Jane Doe", "jane@example.com");
	GIT("checkout", "-q", "-b", "side");
	write_file("proj/vendors/gamma.vendor", gamma);
	commit("add gamma", "2026-11-16T09:00:00Z", "John Roe", "john@example.com");
	GIT("checkout", "-q", "main");
	write_file("proj/vendors/team-b/beta.vendor", beta_later);
	commit("beta: until January", "2026-11-17T09:00:00Z", "Jane Doe", "jane@example.com");
	as("2026-11-18T09:00:00Z", "Jane Doe", "jane@example.com");
	GIT("merge", "-q", "--no-ff", "-m", "merge side", "side");
}

static const struct history_event *
event(const struct history_vendor *vendor, size_t i)
{
	return vendor && i < vendor->events.len ? vec_at(&vendor->events, i) : NULL;
}

static void
check_event(const struct history_event *e, enum history_event_kind kind, const char *subject,
	const char *grant, const char *before, uint32_t line)
{
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK(e->kind == kind);
	CHECK_STR(e->commit->subject, subject);
	CHECK(grant ? e->grant && strcmp(e->grant, grant) == 0 : !e->grant);
	CHECK(before ? e->before && strcmp(e->before, before) == 0 : !e->before);
	CHECK(e->line == line);
}

static struct project *
load_project(struct diag_set *diags)
{
	struct project *project = project_load(arena, diags, arena_printf(arena, "%s/proj/vendorc.yaml", repo.top),
		PROJECT_PATHS_FROM_PROJECT);
	CHECK(project != NULL);
	return project;
}

static void
check_whole_history(void)
{
	struct diag_set *diags = diag_set_create(arena);
	struct history history;
	CHECK(history_collect(arena, diags, load_project(diags), NULL, &history));
	CHECK(!diag_has_errors(diags));
	CHECK_STR(history.range, "HEAD");
	CHECK(history.commits.len == 10); /* not the readme's */
	CHECK(history.vendors.len == 3);
	const struct history_vendor *acme = history_vendor(&history, "acme");
	const struct history_vendor *b = history_vendor(&history, "beta");
	CHECK(acme && acme->deleted && acme->events.len == 9);
	check_event(event(acme, 0), HISTORY_VENDOR_ADDED, "add acme", "expires 2027-03-31", NULL, 2);
	CHECK_STR(event(acme, 0)->path, "vendors/acme.vendor");
	check_event(event(acme, 1), HISTORY_GRANT_ADDED, "add acme", "runs in vendor-acme where app=agent", NULL, 3);
	check_event(event(acme, 2), HISTORY_GRANT_ADDED, "add acme", "allow service billing/postgres port 5432", NULL, 4);
	check_event(event(acme, 3), HISTORY_GRANT_ADDED, "add acme", "egress api.acme.io port 443", NULL, 5);
	const struct history_event *moved = event(acme, 4);
	check_event(moved, HISTORY_GRANT_CHANGED, "acme: postgres moves to 6432",
		"allow service billing/postgres port 6432", "allow service billing/postgres port 5432", 4);
	CHECK_STR(moved->commit->author, "John Roe <john@example.com>");
	CHECK_STR(moved->commit->date, "2026-10-10T14:15:00Z");
	CHECK(moved->commit->instant == moved->commit->committed);
	CHECK(strlen(moved->commit->hash) == 40);
	check_event(event(acme, 5), HISTORY_GRANT_ADDED, "acme: postgres moves to 6432",
		"allow from 198.51.100.0/24 port 8443", NULL, 5);
	check_event(event(acme, 6), HISTORY_GRANT_REMOVED, "acme: postgres moves to 6432", NULL,
		"egress api.acme.io port 443", 0);
	/* the broken version is skipped: the mended one changes only the expiry */
	check_event(event(acme, 7), HISTORY_EXPIRY_CHANGED, "acme: extended", "expires 2027-06-30",
		"expires 2027-03-31", 2);
	check_event(event(acme, 8), HISTORY_VENDOR_DELETED, "offboard acme", NULL, "expires 2027-06-30", 0);
	CHECK_STR(event(acme, 8)->commit->date, "2026-11-14T09:30:00Z");
	CHECK(history.skipped.len == 1);
	const struct history_skip *skip = history.skipped.len ? vec_at(&history.skipped, 0) : NULL;
	CHECK(skip && strcmp(skip->commit->subject, "half an edit") == 0
		&& strcmp(skip->path, "vendors/acme.vendor") == 0);
	/* moving beta's file is neither a removal nor an addition */
	CHECK(b && !b->deleted && b->events.len == 4);
	check_event(event(b, 0), HISTORY_VENDOR_ADDED, "add beta", "expires never", NULL, 2);
	check_event(event(b, 2), HISTORY_GRANT_ADDED, "add beta", "egress 203.0.113.0/24 port 443", NULL, 4);
	check_event(event(b, 3), HISTORY_EXPIRY_CHANGED, "beta: until January", "expires 2027-01-31",
		"expires never", 2);
	CHECK_STR(event(b, 3)->path, "vendors/team-b/beta.vendor");
	/* the merge repeats the branch's addition against its first parent: no event of its own */
	const struct history_vendor *g = history_vendor(&history, "gamma");
	CHECK(g && !g->deleted && g->events.len == 3);
	check_event(event(g, 0), HISTORY_VENDOR_ADDED, "add gamma", "expires 2027-01-31", NULL, 2);
	check_event(event(g, 2), HISTORY_GRANT_ADDED, "add gamma", "egress 192.0.2.0/24 port 443", NULL, 4);
	const struct history_commit *last = vec_at(&history.commits, history.commits.len - 1);
	CHECK_STR(last->subject, "merge side");
}

/* From the commit that changed acme's port on: the state before is each
 * file's as that commit left it, so acme starts with an expiry change. */
static void
check_range(void)
{
	struct diag_set *diags = diag_set_create(arena);
	struct history whole, later;
	struct project *project = load_project(diags);
	CHECK(history_collect(arena, diags, project, NULL, &whole));
	const struct history_commit *port = whole.commits.len == 10 ? vec_at(&whole.commits, 2) : NULL;
	CHECK(port && strcmp(port->subject, "acme: postgres moves to 6432") == 0);
	if (!port)
		return;
	const char *range = arena_printf(arena, "%s..HEAD", port->hash);
	CHECK(history_collect(arena, diags, project, range, &later));
	CHECK_STR(later.range, range);
	CHECK(later.commits.len == 7);
	CHECK(later.vendors.len == 3);
	const struct history_vendor *b = history_vendor(&later, "beta");
	CHECK(b && b->events.len == 1); /* the move of its file is none */
	check_event(event(b, 0), HISTORY_EXPIRY_CHANGED, "beta: until January", "expires 2027-01-31",
		"expires never", 2);
	const struct history_vendor *acme = history_vendor(&later, "acme");
	CHECK(acme && acme->events.len == 2);
	check_event(event(acme, 0), HISTORY_EXPIRY_CHANGED, "acme: extended", "expires 2027-06-30",
		"expires 2027-03-31", 2);
	check_event(event(acme, 1), HISTORY_VENDOR_DELETED, "offboard acme", NULL, "expires 2027-06-30", 0);
	CHECK(!diag_has_errors(diags));
	CHECK(!history_collect(arena, diags, project, "no-such-rev..HEAD", &later));
	CHECK(unit_reported(arena, diags, "\"code\":\"bad-revision\""));
}

static void
check_commit_at(void)
{
	struct diag_set *diags = diag_set_create(arena);
	struct git at;
	CHECK(git_open(arena, diags, arena_printf(arena, "%s/proj", repo.top), "here", NULL, &at));
	CHECK_STR(at.prefix, "proj");
	int64_t instant = 0;
	const struct history_commit *commit = history_commit_at(&at, "2026-10-11", &instant);
	CHECK(commit && strcmp(commit->subject, "acme: postgres moves to 6432") == 0);
	CHECK_STR(history_commit_text(arena, commit) + 8,
		" (2026-10-10T14:15:00Z, John Roe <john@example.com>): acme: postgres moves to 6432");
	commit = history_commit_at(&at, "2026-11-14T09:30:00Z", &instant);
	CHECK(commit && strcmp(commit->subject, "offboard acme") == 0);
	commit = history_commit_at(&at, "HEAD~1", &instant);
	CHECK(commit && strcmp(commit->subject, "beta: until January") == 0 && instant == commit->committed);
	/* gamma's commit came before that date, but on a branch merged later */
	commit = history_commit_at(&at, "2026-11-16T12:00:00Z", &instant);
	CHECK(commit && strcmp(commit->subject, "offboard acme") == 0);
	CHECK(!diag_has_errors(diags));
	CHECK(!history_commit_at(&at, "2026-09-30", &instant));
	CHECK(unit_reported(arena, diags, "no commit on HEAD's first-parent line was committed at or before 2026-09-30"));
	CHECK(!history_commit_at(&at, "no-such-rev", &instant));
	CHECK(unit_reported(arena, diags, "no commit \\\"no-such-rev\\\" in the repository"));
}

/* A tree written out holds the committed bytes; outside a work tree there is no history. */
static void
check_export_and_outside(void)
{
	struct diag_set *diags = diag_set_create(arena);
	const char *dir = git_export(&repo, "HEAD");
	CHECK(dir != NULL);
	struct stat st;
	CHECK(dir && stat(arena_printf(arena, "%s/proj/vendors/team-b/beta.vendor", dir), &st) == 0
		&& (size_t)st.st_size == strlen(beta_later));
	CHECK(dir && stat(arena_printf(arena, "%s/proj/vendors/gamma.vendor", dir), &st) == 0);
	CHECK(dir && stat(arena_printf(arena, "%s/proj/vendors/acme.vendor", dir), &st) != 0);
	git_export_remove(dir);
	CHECK(dir && stat(dir, &st) != 0);
	char outside[] = "/tmp/vendorc-unit-outside-XXXXXX";
	CHECK(mkdtemp(outside) != NULL);
	struct git none;
	setenv("GIT_CEILING_DIRECTORIES", "/tmp", 1);
	CHECK(!git_open(arena, diags, outside, "the directory", NULL, &none));
	unsetenv("GIT_CEILING_DIRECTORIES");
	CHECK(unit_reported(arena, diags, "\"code\":\"history-unavailable\""));
	rmdir(outside);
}

int
main(void)
{
	arena = arena_create();
	char dir[] = "/tmp/vendorc-unit-history-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	repo = (struct git){ arena, diag_set_create(arena), dir, "" };
	make_history();
	check_whole_history();
	check_range();
	check_commit_at();
	check_export_and_outside();
	fswalk_remove_tree(dir);
	arena_destroy(arena);
	return unit_finish("history");
}
