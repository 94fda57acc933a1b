#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/lockfile.h"
#include "vendorc/project.h"

#include <stdlib.h>

static struct arena *arena;
static struct diag_set *diags;

#define reported(needle) unit_reported(arena, diags, needle)
#define reported_at(code, file, line, col) unit_reported_at(arena, diags, code, file, line, col)
static struct source *project_src;

/* fixtures/lock/NAME, as named on line 2 of a project file. */
static struct lockfile *
load(const char *name, bool must_exist)
{
	diags = diag_set_create(arena);
	struct project_path path = {
		.fs = arena_printf(arena, "fixtures/lock/%s", name),
		.display = name,
		.loc = { project_src, 2, 7, 2, 7 + (uint32_t)strlen(name) },
	};
	return lockfile_load(arena, diags, &path, must_exist);
}

static const char *
cidr_at(const struct lock_entry *entry, size_t i)
{
	return net_format_cidr(arena, vec_at(&entry->cidrs, i));
}

static void
test_plain(void)
{
	struct lockfile *lock = load("plain.lock", true);
	CHECK(lock && lock->src && lock->entries.len == 2);
	if (!lock || lock->entries.len != 2)
		return;
	const struct lock_entry *wild = vec_at(&lock->entries, 0);
	CHECK_STR(wild->domain, "*.ingest.acme.io");
	CHECK(wild->loc.line == 3 && wild->loc.col == 1);
	/* Sorted, IPv4 first, the repeated range once. */
	CHECK(wild->cidrs.len == 3);
	CHECK_STR(cidr_at(wild, 0), "192.0.2.0/24");
	CHECK_STR(cidr_at(wild, 1), "198.51.100.0/24");
	CHECK_STR(cidr_at(wild, 2), "2001:db8:100::/48");
	CHECK(lockfile_find(lock, "api.acme.io") == vec_at(&lock->entries, 1));
	CHECK(lockfile_find(lock, "API.Acme.IO") == vec_at(&lock->entries, 1));
	CHECK(lockfile_find(lock, "*.INGEST.acme.io") == wild);
	CHECK(lockfile_find(lock, "acme.io") == NULL);
	CHECK(lockfile_find(lock, "x.ingest.acme.io") == NULL);
}

static void
test_recorded(void)
{
	struct lockfile *lock = load("recorded.lock", false);
	CHECK(lock && lock->entries.len == 2);
	if (!lock || lock->entries.len != 2)
		return;
	const struct lock_entry *api = lockfile_find(lock, "api.example.com");
	CHECK(api && api == vec_at(&lock->entries, 0));
	CHECK_STR(api ? api->domain : NULL, "api.example.com");
	CHECK(api && api->cidrs.len == 2);
	if (api && api->cidrs.len == 2) {
		CHECK_STR(cidr_at(api, 0), "192.0.2.3/32");
		CHECK_STR(cidr_at(api, 1), "192.0.2.7/32");
	}
	const struct lock_entry *plain = lockfile_find(lock, "plain.example.com");
	CHECK(plain && plain->cidrs.len == 1);
}

static void
test_missing_and_empty(void)
{
	struct lockfile *lock = load("no-such.lock", false);
	CHECK(lock && !lock->src && lock->entries.len == 0);
	CHECK(diag_count(diags, DIAG_ERROR) == 0);
	CHECK(lock && lockfile_find(lock, "api.acme.io") == NULL);
	CHECK(load("no-such.lock", true) == NULL);
	CHECK(reported_at("path-not-found", "vendorc.yaml", 2, 7));
	CHECK(reported("lock file \\\"no-such.lock\\\" does not exist"));
	lock = load("empty.lock", true);
	CHECK(lock && lock->src && lock->entries.len == 0);
}

static void
test_bad_entries(void)
{
	CHECK(load("bad.lock", true) == NULL);
	const char *f = "bad.lock";
	CHECK(reported_at("lock-bad-entry", f, 1, 17));
	CHECK(reported("has host bits set\",\"hint\":\"did you mean \\\"10.0.0.1/32\\\" (1 address)? \\\"10.0.0.0/8\\\" (16777216 addresses) holds it and more\""));
	CHECK(reported_at("lock-bad-entry", f, 1, 29));
	CHECK(reported_at("lock-bad-entry", f, 1, 45));
	CHECK(reported_at("lock-bad-entry", f, 2, 16));
	CHECK(reported("has no \\\"addresses\\\""));
	CHECK(reported_at("lock-bad-entry", f, 3, 16));
	CHECK(reported_at("lock-bad-entry", f, 4, 17));
	CHECK(reported_at("lock-bad-entry", f, 6, 1));
	CHECK(reported("duplicate domain \\\"e.example.com\\\""));
	CHECK(diag_count(diags, DIAG_ERROR) == 7);
	CHECK(load("list.lock", true) == NULL);
	CHECK(reported_at("lock-bad-entry", "list.lock", 1, 1));
}

int
main(void)
{
	arena = arena_create();
	const char *project = "vendors: v\nlock: vendorc.lock\n";
	project_src = source_from_text(arena, "vendorc.yaml", project, strlen(project));
	test_plain();
	test_recorded();
	test_missing_and_empty();
	test_bad_entries();
	arena_destroy(arena);
	return unit_finish("lockfile");
}
