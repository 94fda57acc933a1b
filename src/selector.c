#include "vendorc/selector.h"

#include "vendorc/arena.h"

#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {
	[SELECTOR_IN] = "In",
	[SELECTOR_NOT_IN] = "NotIn",
	[SELECTOR_EXISTS] = "Exists",
	[SELECTOR_DOES_NOT_EXIST] = "DoesNotExist",
};

const char *
selector_op_name(enum selector_op op)
{
	return op_names[op];
}

bool
selector_parse_op(const char *text, enum selector_op *out)
{
	for (size_t i = 0; i < sizeof(op_names) / sizeof(*op_names); i++)
		if (strcmp(text, op_names[i]) == 0) {
			*out = (enum selector_op)i;
			return true;
		}
	return false;
}

static int
compare_labels(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	int by_key = strcmp(x->key, y->key);
	return by_key ? by_key : strcmp(x->value, y->value);
}

static int
compare_exprs(const void *a, const void *b)
{
	const struct selector_expr *x = a, *y = b;
	int by_key = strcmp(x->key, y->key);
	if (by_key)
		return by_key;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value_count != y->value_count)
		return x->value_count < y->value_count ? -1 : 1;
	for (size_t i = 0; i < x->value_count; i++) {
		int by_value = strcmp(x->values[i], y->values[i]);
		if (by_value)
			return by_value;
	}
	return 0;
}

static size_t
unique_strings(const char **values, size_t count)
{
	size_t kept = 0;
	for (size_t i = 0; i < count; i++)
		if (kept == 0 || strcmp(values[kept - 1], values[i]) != 0)
			values[kept++] = values[i];
	return kept;
}

static void
sort(void *items, size_t count, size_t size, int (*compare)(const void *, const void *))
{
	if (count > 1)
		qsort(items, count, size, compare);
}

static bool
normalize_labels(struct selector *sel)
{
	sort(sel->labels, sel->label_count, sizeof(*sel->labels), compare_labels);
	size_t kept = 0;
	bool satisfiable = true;
	for (size_t i = 0; i < sel->label_count; i++) {
		if (kept && strcmp(sel->labels[kept - 1].key, sel->labels[i].key) == 0) {
			satisfiable &= strcmp(sel->labels[kept - 1].value, sel->labels[i].value) == 0;
			continue;
		}
		sel->labels[kept++] = sel->labels[i];
	}
	sel->label_count = kept;
	return satisfiable;
}

static const char *
required_value(const struct selector *sel, const char *key)
{
	size_t lo = 0, hi = sel->label_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(sel->labels[mid].key, key);
		if (c == 0)
			return sel->labels[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool
contains_value(const struct selector_expr *expr, const char *value)
{
	return expr->value_count && bsearch(&value, expr->values, expr->value_count,
		sizeof(*expr->values), vec_compare_strings) != NULL;
}

/* Whether a pod whose label key has value (NULL: no such label) passes. */
static bool
expr_accepts(const struct selector_expr *expr, const char *value)
{
	switch (expr->op) {
	case SELECTOR_IN:
		return value && contains_value(expr, value);
	case SELECTOR_NOT_IN:
		return !value || !contains_value(expr, value);
	case SELECTOR_EXISTS:
		return value != NULL;
	case SELECTOR_DOES_NOT_EXIST:
		return value == NULL;
	}
	abort();
}

/* Expressions on a key that matchLabels pins are decided by that value:
 * drop those that hold, report those that fail. */
static bool
fold_pinned_exprs(struct selector *sel)
{
	size_t kept = 0;
	bool satisfiable = true;
	for (size_t i = 0; i < sel->expr_count; i++) {
		const char *pinned = required_value(sel, sel->exprs[i].key);
		if (!pinned) {
			sel->exprs[kept++] = sel->exprs[i];
			continue;
		}
		satisfiable &= expr_accepts(&sel->exprs[i], pinned);
	}
	sel->expr_count = kept;
	return satisfiable;
}

bool
selector_normalize(struct arena *arena, struct selector *sel)
{
	(void)arena;
	bool satisfiable = normalize_labels(sel);
	for (size_t i = 0; i < sel->expr_count; i++) {
		struct selector_expr *expr = &sel->exprs[i];
		sort(expr->values, expr->value_count, sizeof(*expr->values), vec_compare_strings);
		expr->value_count = unique_strings(expr->values, expr->value_count);
		satisfiable &= !(expr->op == SELECTOR_IN && expr->value_count == 0);
	}
	satisfiable &= fold_pinned_exprs(sel);
	sort(sel->exprs, sel->expr_count, sizeof(*sel->exprs), compare_exprs);
	size_t kept = 0;
	for (size_t i = 0; i < sel->expr_count; i++)
		if (kept == 0 || compare_exprs(&sel->exprs[kept - 1], &sel->exprs[i]) != 0)
			sel->exprs[kept++] = sel->exprs[i];
	sel->expr_count = kept;
	return satisfiable && selector_can_overlap(arena, sel, &(struct selector){ 0 });
}

struct selector
selector_from_labels(struct arena *arena, const struct label *labels, size_t count)
{
	struct selector sel = { 0 };
	sel.labels = arena_array(arena, count, sizeof(*sel.labels));
	copy_items(sel.labels, labels, count, sizeof(*labels));
	sel.label_count = count;
	normalize_labels(&sel);
	return sel;
}

bool
selector_is_everything(const struct selector *sel)
{
	return sel->label_count == 0 && sel->expr_count == 0;
}

bool
selector_matches(const struct selector *sel, const struct label *labels, size_t count)
{
	for (size_t i = 0; i < sel->label_count; i++) {
		const char *have = NULL;
		for (size_t j = 0; j < count && !have; j++)
			if (strcmp(labels[j].key, sel->labels[i].key) == 0)
				have = labels[j].value;
		if (!have || strcmp(have, sel->labels[i].value) != 0)
			return false;
	}
	for (size_t i = 0; i < sel->expr_count; i++) {
		const char *have = NULL;
		for (size_t j = 0; j < count && !have; j++)
			if (strcmp(labels[j].key, sel->exprs[i].key) == 0)
				have = labels[j].value;
		if (!expr_accepts(&sel->exprs[i], have))
			return false;
	}
	return true;
}

bool
selector_and(struct arena *arena, const struct selector *a, const struct selector *b,
	struct selector *out)
{
	struct selector both = { 0 };
	both.label_count = a->label_count + b->label_count;
	both.labels = arena_array(arena, both.label_count, sizeof(*both.labels));
	copy_items(both.labels, a->labels, a->label_count, sizeof(*a->labels));
	copy_items(both.labels + a->label_count, b->labels, b->label_count, sizeof(*b->labels));
	both.expr_count = a->expr_count + b->expr_count;
	both.exprs = arena_array(arena, both.expr_count, sizeof(*both.exprs));
	copy_items(both.exprs, a->exprs, a->expr_count, sizeof(*a->exprs));
	copy_items(both.exprs + a->expr_count, b->exprs, b->expr_count, sizeof(*b->exprs));
	/* Normalizing sorts each expression's values in place: they must be
	 * both's own, not a's or b's, which other threads may be reading. */
	for (size_t i = 0; i < both.expr_count; i++) {
		struct selector_expr *expr = &both.exprs[i];
		const char **values = arena_array(arena, expr->value_count, sizeof(*values));
		copy_items(values, expr->values, expr->value_count, sizeof(*values));
		expr->values = values;
	}
	bool satisfiable = selector_normalize(arena, &both);
	*out = both;
	return satisfiable;
}

/* What one side demands of one key: a pinned value and expressions. */
static bool
side_accepts(const struct selector *sel, const char *key, const char *value)
{
	const char *pinned = required_value(sel, key);
	if (pinned && (!value || strcmp(pinned, value) != 0))
		return false;
	for (size_t i = 0; i < sel->expr_count; i++)
		if (strcmp(sel->exprs[i].key, key) == 0 && !expr_accepts(&sel->exprs[i], value))
			return false;
	return true;
}

/* Keys are independent, so both sides can hold together exactly when each
 * key has some value (or absence) they both accept. The values worth
 * trying are absence, every value either side names, and one that none
 * names (no label value holds a control character). */
static bool
key_satisfiable(const struct selector *a, const struct selector *b, const char *key)
{
	static const char fresh[] = "\x01";
	if ((side_accepts(a, key, NULL) && side_accepts(b, key, NULL))
		|| (side_accepts(a, key, fresh) && side_accepts(b, key, fresh)))
		return true;
	const struct selector *sides[] = { a, b };
	for (size_t s = 0; s < 2; s++) {
		const char *pinned = required_value(sides[s], key);
		if (pinned)
			return side_accepts(a, key, pinned) && side_accepts(b, key, pinned);
		for (size_t i = 0; i < sides[s]->expr_count; i++) {
			const struct selector_expr *expr = &sides[s]->exprs[i];
			for (size_t v = 0; strcmp(expr->key, key) == 0 && v < expr->value_count; v++)
				if (side_accepts(a, key, expr->values[v]) && side_accepts(b, key, expr->values[v]))
					return true;
		}
	}
	return false;
}

static bool
keys_satisfiable(const struct selector *a, const struct selector *b, const struct selector *keys)
{
	for (size_t i = 0; i < keys->label_count; i++)
		if (!key_satisfiable(a, b, keys->labels[i].key))
			return false;
	for (size_t i = 0; i < keys->expr_count; i++)
		if (!key_satisfiable(a, b, keys->exprs[i].key))
			return false;
	return true;
}

bool
selector_can_overlap(struct arena *arena, const struct selector *a, const struct selector *b)
{
	(void)arena;
	return keys_satisfiable(a, b, a) && keys_satisfiable(a, b, b);
}

static bool
implies_expr(const struct selector *specific, const struct selector_expr *expr)
{
	const char *pinned = required_value(specific, expr->key);
	if (pinned)
		return expr_accepts(expr, pinned);
	for (size_t i = 0; i < specific->expr_count; i++) {
		const struct selector_expr *have = &specific->exprs[i];
		if (strcmp(have->key, expr->key) != 0)
			continue;
		if (compare_exprs(have, expr) == 0)
			return true;
		if (expr->op == SELECTOR_EXISTS && have->op == SELECTOR_IN)
			return true;
	}
	return false;
}

/* Sound, not complete: a false "no" only costs a redundant policy. */
bool
selector_subsumes(const struct selector *general, const struct selector *specific)
{
	for (size_t i = 0; i < general->label_count; i++) {
		const char *pinned = required_value(specific, general->labels[i].key);
		if (!pinned || strcmp(pinned, general->labels[i].value) != 0)
			return false;
	}
	for (size_t i = 0; i < general->expr_count; i++)
		if (!implies_expr(specific, &general->exprs[i]))
			return false;
	return true;
}

int
selector_compare(const struct selector *a, const struct selector *b)
{
	for (size_t i = 0; i < a->label_count && i < b->label_count; i++) {
		int c = compare_labels(&a->labels[i], &b->labels[i]);
		if (c)
			return c;
	}
	if (a->label_count != b->label_count)
		return a->label_count < b->label_count ? -1 : 1;
	for (size_t i = 0; i < a->expr_count && i < b->expr_count; i++) {
		int c = compare_exprs(&a->exprs[i], &b->exprs[i]);
		if (c)
			return c;
	}
	if (a->expr_count != b->expr_count)
		return a->expr_count < b->expr_count ? -1 : 1;
	return 0;
}

static const char *
expr_text(struct arena *arena, const struct selector_expr *expr)
{
	if (expr->op == SELECTOR_EXISTS)
		return expr->key;
	if (expr->op == SELECTOR_DOES_NOT_EXIST)
		return arena_printf(arena, "!%s", expr->key);
	const char *values = "";
	for (size_t i = 0; i < expr->value_count; i++)
		values = arena_printf(arena, "%s%s%s", values, i ? "," : "", expr->values[i]);
	return arena_printf(arena, "%s %s (%s)", expr->key,
		expr->op == SELECTOR_IN ? "in" : "notin", values);
}

const char *
selector_pods_text(struct arena *arena, const struct selector *sel)
{
	return selector_is_everything(sel) ? "all pods"
		: arena_printf(arena, "pods %s", selector_text(arena, sel));
}

/* kubectl's selector syntax: app=api,tier in (a,b),!legacy */
const char *
selector_text(struct arena *arena, const struct selector *sel)
{
	const char *text = "";
	for (size_t i = 0; i < sel->label_count; i++)
		text = arena_printf(arena, "%s%s%s=%s", text, *text ? "," : "",
			sel->labels[i].key, sel->labels[i].value);
	for (size_t i = 0; i < sel->expr_count; i++)
		text = arena_printf(arena, "%s%s%s", text, *text ? "," : "",
			expr_text(arena, &sel->exprs[i]));
	return text;
}
