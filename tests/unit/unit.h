#ifndef VENDORC_UNIT_H
#define VENDORC_UNIT_H

/* A tiny assertion kit for the unit tests: every CHECK counts, a failed one
 * prints its place and the test exits non-zero at the end. */

#include "vendorc/eval.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int unit_failures;
extern int unit_checks;

struct arena;
struct diag_set;

void unit_fail(const char *file, int line, const char *what);

/* What print writes about subject, as a string in the arena. */
typedef void unit_printer(FILE *out, void *subject);
const char *unit_capture(struct arena *arena, unit_printer *print, void *subject);

/* The queued diagnostics as JSON lines, and whether one holds needle (a
 * miss prints them all, to see what was reported instead). */
const char *unit_diag_json(struct arena *arena, struct diag_set *diags);
bool unit_reported(struct arena *arena, struct diag_set *diags, const char *needle);
/* Diagnostic code reported at file:line:col. */
bool unit_reported_at(struct arena *arena, struct diag_set *diags, const char *code,
	const char *file, int line, int col);
int unit_finish(const char *name);

/* The evaluator's tests: a world of documents, each a body after a mark
 * that heads names (its apiVersion and kind lines; a mark not there adds
 * none), read as a catalog (no diagnostic allowed); one connection in it,
 * from a pod to a pod or to an outside address; and a name the world
 * resolves to a range. */
struct unit_head {
	char mark;
	const char *head;
};
struct eval_world *unit_world_of(struct arena *arena, const struct unit_head *heads, size_t head_count,
	const char *const *docs, size_t count);
#define UNIT_WORLD(arena, heads, ...) unit_world_of(arena, heads, sizeof(heads) / sizeof((heads)[0]), \
	(const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
struct eval_verdict unit_connect(struct eval_world *world, const struct eval_pod *from,
	const struct eval_pod *to, const struct eval_port *port);
struct eval_verdict unit_connect_out(struct eval_world *world, const struct eval_pod *from, const char *addr,
	const struct eval_port *port);
void unit_add_domain(struct arena *arena, struct eval_world *world, const char *name, const char *cidr);

#define CHECK(cond) \
	do { \
		unit_checks++; \
		if (!(cond)) \
			unit_fail(__FILE__, __LINE__, #cond); \
	} while (0)

#define CHECK_STR(actual, expected) \
	do { \
		unit_checks++; \
		const char *a_ = (actual), *e_ = (expected); \
		if (!a_ || strcmp(a_, e_) != 0) { \
			unit_fail(__FILE__, __LINE__, #actual " == " #expected); \
			fprintf(stderr, "    got \"%s\", want \"%s\"\n", a_ ? a_ : "(null)", e_); \
		} \
	} while (0)

/* depth '[' then as many ']' and a line break: a document nested depth deep
 * in YAML's flow style and in JSON alike. */
char *unit_nested(struct arena *arena, size_t depth);

#endif
