#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/parallel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { JOBS = 10000 };

/* Where each job's scratch began: emptied after every job, a thread's
 * scratch gives each of its jobs the same memory. */
static void *scratch_starts[JOBS];

/* Each job writes its own slot, with a text from its thread's arena made
 * from one in its scratch. */
static void
name_job(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	char **names = context;
	char *draft = arena_printf(scratch, "vendor-%zu", index);
	scratch_starts[index] = draft;
	names[index] = arena_printf(arena, "%s", draft);
}

static size_t
distinct_scratch_starts(void)
{
	size_t distinct = 0;
	for (size_t i = 0; i < JOBS; i++) {
		bool seen = false;
		for (size_t j = 0; j < distinct && !seen; j++)
			seen = scratch_starts[j] == scratch_starts[i];
		if (!seen)
			scratch_starts[distinct++] = scratch_starts[i];
	}
	return distinct;
}

static bool
all_named(char **names)
{
	for (size_t i = 0; i < JOBS; i++) {
		char want[32];
		snprintf(want, sizeof(want), "vendor-%zu", i);
		if (!names[i] || strcmp(names[i], want) != 0)
			return false;
	}
	return true;
}

static void
run_with(const char *threads, size_t count)
{
	setenv("VENDORC_THREADS", threads, 1);
	struct arena *arena = arena_create();
	arena_alloc(arena, 1); /* into has a current block the adopted ones go behind */
	static char *names[JOBS];
	memset(names, 0, sizeof(names));
	parallel_run(arena, JOBS, name_job, names);
	/* Adopted: still readable after the run, released with arena (ASan and
	 * valgrind see a leak or a use after free). */
	CHECK(all_named(names));
	char *after = arena_printf(arena, "%s", "after");
	CHECK_STR(after, "after");
	CHECK(all_named(names));
	CHECK(distinct_scratch_starts() <= count);
	arena_destroy(arena);
}

int
main(void)
{
	setenv("VENDORC_THREADS", "3", 1);
	CHECK(parallel_threads() == 3);
	setenv("VENDORC_THREADS", "0", 1);
	CHECK(parallel_threads() == 1);
	setenv("VENDORC_THREADS", "1000", 1);
	CHECK(parallel_threads() == 16);
	run_with("1", 1);
	run_with("4", 4);
	run_with("16", 16);
	/* No jobs, and more threads than jobs. */
	setenv("VENDORC_THREADS", "4", 1);
	struct arena *arena = arena_create();
	parallel_run(arena, 0, name_job, NULL);
	char *one[1] = { NULL };
	parallel_run(arena, 1, name_job, one);
	CHECK_STR(one[0], "vendor-0");
	arena_destroy(arena);
	return unit_finish("parallel");
}
