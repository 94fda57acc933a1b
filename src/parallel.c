#include "vendorc/parallel.h"

#include "vendorc/arena.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

enum { PARALLEL_MAX_THREADS = 16 };

struct parallel_worker {
	struct parallel_run *run;
	struct arena *arena;
	struct arena *scratch;
	pthread_t thread;
	bool started;
};

struct parallel_run {
	parallel_job *job;
	void *context;
	size_t count;
	atomic_size_t next; /* the next index to take: jobs vary in size */
};

static void *
work(void *data)
{
	struct parallel_worker *worker = data;
	struct parallel_run *run = worker->run;
	for (size_t i; (i = atomic_fetch_add(&run->next, 1)) < run->count;) {
		run->job(run->context, i, worker->arena, worker->scratch);
		arena_reset(worker->scratch);
	}
	return NULL;
}

size_t
parallel_threads(void)
{
	const char *wanted = getenv("VENDORC_THREADS");
	long threads = wanted && *wanted ? strtol(wanted, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		return 1;
	return threads > PARALLEL_MAX_THREADS ? PARALLEL_MAX_THREADS : (size_t)threads;
}

void
parallel_run(struct arena *into, size_t count, parallel_job *job, void *context)
{
	size_t threads = parallel_threads();
	if (threads > count)
		threads = count;
	struct parallel_run run = { job, context, count, 0 };
	if (threads <= 1) {
		struct parallel_worker alone = { .run = &run, .arena = into, .scratch = arena_create() };
		work(&alone);
		arena_destroy(alone.scratch);
		return;
	}
	struct parallel_worker workers[PARALLEL_MAX_THREADS] = { 0 };
	for (size_t t = 0; t < threads; t++)
		workers[t] = (struct parallel_worker){ .run = &run, .arena = arena_create(),
			.scratch = arena_create() };
	/* The calling thread is worker 0; a thread that cannot start leaves
	 * its share to the others. */
	for (size_t t = 1; t < threads; t++)
		workers[t].started = pthread_create(&workers[t].thread, NULL, work, &workers[t]) == 0;
	work(&workers[0]);
	for (size_t t = 0; t < threads; t++) {
		if (workers[t].started)
			pthread_join(workers[t].thread, NULL);
		arena_adopt(into, workers[t].arena);
		arena_destroy(workers[t].scratch);
	}
}
