#ifndef VENDORC_SELECTOR_H
#define VENDORC_SELECTOR_H

/* Kubernetes label selectors: matchLabels plus matchExpressions, and the
 * algebra the isolation analysis needs (conjunction, overlap, subsumption). */

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum selector_op {
	SELECTOR_IN,
	SELECTOR_NOT_IN,
	SELECTOR_EXISTS,
	SELECTOR_DOES_NOT_EXIST,
};

struct label {
	const char *key;
	const char *value;
};

struct selector_expr {
	const char *key;
	enum selector_op op;
	const char **values; /* sorted, unique; empty for (Does Not) Exists */
	size_t value_count;
};

/* Invariant (after selector_normalize): labels sorted by key with unique
 * keys, exprs sorted and unique. The empty selector selects every pod. */
struct selector {
	struct label *labels;
	size_t label_count;
	struct selector_expr *exprs;
	size_t expr_count;
};

/* Sorts and dedupes in place. Returns false when the selector can match no
 * label set at all (a key required with two values, k In [] ...); *sel is
 * then of no use and must be dropped or replaced. */
bool selector_normalize(struct arena *arena, struct selector *sel);

struct selector selector_from_labels(struct arena *arena, const struct label *labels, size_t count);

bool selector_is_everything(const struct selector *sel);
bool selector_matches(const struct selector *sel, const struct label *labels, size_t count);

/* a AND b into *out; false when no label set satisfies both. */
bool selector_and(struct arena *arena, const struct selector *a,
	const struct selector *b, struct selector *out);
/* Whether some label set could satisfy both. */
bool selector_can_overlap(struct arena *arena, const struct selector *a, const struct selector *b);
/* Whether every label set that satisfies specific also satisfies general. */
bool selector_subsumes(const struct selector *general, const struct selector *specific);

int selector_compare(const struct selector *a, const struct selector *b);
/* "app=api,tier!=x,..." for messages and stable names. */
const char *selector_text(struct arena *arena, const struct selector *sel);
/* The pods sel selects, in words: "all pods" or "pods app=api,...". */
const char *selector_pods_text(struct arena *arena, const struct selector *sel);

const char *selector_op_name(enum selector_op op);
bool selector_parse_op(const char *text, enum selector_op *out);

#endif
