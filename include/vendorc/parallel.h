#ifndef VENDORC_PARALLEL_H
#define VENDORC_PARALLEL_H

/* The passes whose jobs are many and independent (emitting a file per
 * vendor, writing or comparing a file) run on every core. A job reads
 * shared data and writes only its own result slot, so the outcome does not
 * depend on which thread ran it or when. */

#include <stddef.h>

struct arena;

/* job(context, index, arena, scratch) for each index below count. arena is
 * the running thread's: what a job allocates there lives as long as into,
 * which adopts the threads' arenas at the end. scratch is the thread's too,
 * emptied after every job: for what a job needs only while it runs, so that
 * ten thousand jobs do not leave their working memory behind. Jobs must not
 * report diagnostics or touch into; they leave what went wrong in their
 * result slot. */
typedef void parallel_job(void *context, size_t index, struct arena *arena,
	struct arena *scratch);
void parallel_run(struct arena *into, size_t count, parallel_job *job, void *context);

/* The threads parallel_run uses: the online processors (at most 16), or
 * VENDORC_THREADS when set (1 runs every job on the calling thread). */
size_t parallel_threads(void);

#endif
