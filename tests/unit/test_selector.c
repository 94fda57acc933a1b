#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/selector.h"

static struct arena *arena;

/* "app=api" labels only. */
static struct selector
labels(const char *k1, const char *v1, const char *k2, const char *v2)
{
	struct label list[2] = { { k1, v1 }, { k2, v2 } };
	return selector_from_labels(arena, list, k2 ? 2 : (k1 ? 1 : 0));
}

static struct selector
with_expr(struct selector sel, const char *key, enum selector_op op, const char *v1, const char *v2)
{
	struct selector_expr *exprs = arena_array(arena, sel.expr_count + 1, sizeof(*exprs));
	for (size_t i = 0; i < sel.expr_count; i++)
		exprs[i] = sel.exprs[i];
	const char **values = arena_array(arena, 2, sizeof(*values));
	size_t count = 0;
	if (v1)
		values[count++] = v1;
	if (v2)
		values[count++] = v2;
	exprs[sel.expr_count] = (struct selector_expr){ key, op, values, count };
	sel.exprs = exprs;
	sel.expr_count++;
	return sel;
}

static void
test_and(void)
{
	struct selector out;
	struct selector api = labels("app", "api", NULL, NULL);
	struct selector web = labels("app", "web", NULL, NULL);
	struct selector tier = labels("tier", "db", NULL, NULL);
	CHECK(!selector_and(arena, &api, &web, &out));
	CHECK(selector_and(arena, &api, &tier, &out));
	CHECK_STR(selector_text(arena, &out), "app=api,tier=db");
	struct selector everything = { 0 };
	CHECK(selector_and(arena, &api, &everything, &out));
	CHECK(selector_compare(&out, &api) == 0);
	/* An expression on a pinned key is decided by the pin. */
	struct selector not_api = with_expr((struct selector){ 0 }, "app", SELECTOR_NOT_IN, "api", NULL);
	CHECK(!selector_and(arena, &api, &not_api, &out));
	CHECK(selector_and(arena, &web, &not_api, &out));
	CHECK_STR(selector_text(arena, &out), "app=web");
	struct selector in_ab = with_expr((struct selector){ 0 }, "app", SELECTOR_IN, "web", "api");
	CHECK(selector_and(arena, &tier, &in_ab, &out));
	CHECK_STR(selector_text(arena, &out), "tier=db,app in (api,web)");
	struct selector gone = with_expr((struct selector){ 0 }, "app", SELECTOR_DOES_NOT_EXIST, NULL, NULL);
	CHECK(!selector_and(arena, &api, &gone, &out));
}

static void
test_overlap(void)
{
	struct selector api = labels("app", "api", NULL, NULL);
	struct selector web = labels("app", "web", NULL, NULL);
	struct selector team = labels("team", "x", NULL, NULL);
	struct selector everything = { 0 };
	CHECK(!selector_can_overlap(arena, &api, &web));
	CHECK(selector_can_overlap(arena, &api, &team));
	CHECK(selector_can_overlap(arena, &api, &everything));
	struct selector has_app = with_expr((struct selector){ 0 }, "app", SELECTOR_EXISTS, NULL, NULL);
	struct selector no_app = with_expr((struct selector){ 0 }, "app", SELECTOR_DOES_NOT_EXIST, NULL, NULL);
	CHECK(!selector_can_overlap(arena, &has_app, &no_app));
	CHECK(selector_can_overlap(arena, &has_app, &api));
	struct selector in_a = with_expr((struct selector){ 0 }, "k", SELECTOR_IN, "a", "b");
	struct selector not_ab = with_expr((struct selector){ 0 }, "k", SELECTOR_NOT_IN, "a", "b");
	struct selector in_b = with_expr((struct selector){ 0 }, "k", SELECTOR_IN, "b", "c");
	CHECK(!selector_can_overlap(arena, &in_a, &not_ab));
	CHECK(selector_can_overlap(arena, &in_a, &in_b));
	CHECK(selector_can_overlap(arena, &not_ab, &no_app));
}

static void
test_subsumes_and_match(void)
{
	struct selector api = labels("app", "api", NULL, NULL);
	struct selector api_db = labels("app", "api", "tier", "db");
	struct selector everything = { 0 };
	CHECK(selector_subsumes(&api, &api_db));
	CHECK(!selector_subsumes(&api_db, &api));
	CHECK(selector_subsumes(&everything, &api));
	struct selector has_app = with_expr((struct selector){ 0 }, "app", SELECTOR_EXISTS, NULL, NULL);
	CHECK(selector_subsumes(&has_app, &api));
	CHECK(!selector_subsumes(&api, &has_app));

	struct label pod[] = { { "app", "api" }, { "tier", "db" } };
	CHECK(selector_matches(&api_db, pod, 2));
	CHECK(selector_matches(&everything, pod, 0));
	CHECK(!selector_matches(&api, pod + 1, 1));
	struct selector not_db = with_expr(api, "tier", SELECTOR_NOT_IN, "db", NULL);
	CHECK(!selector_matches(&not_db, pod, 2));
	CHECK(selector_matches(&not_db, pod, 1));
}

static void
test_normalize(void)
{
	struct label conflicting[] = { { "app", "api" }, { "app", "web" } };
	struct selector twice = { .labels = conflicting, .label_count = 2 };
	CHECK(!selector_normalize(arena, &twice));
	struct selector empty_in = with_expr((struct selector){ 0 }, "k", SELECTOR_IN, NULL, NULL);
	CHECK(!selector_normalize(arena, &empty_in));
	struct selector both = with_expr(with_expr((struct selector){ 0 }, "k", SELECTOR_EXISTS, NULL, NULL),
		"k", SELECTOR_DOES_NOT_EXIST, NULL, NULL);
	CHECK(!selector_normalize(arena, &both));
	struct selector dup = with_expr(with_expr((struct selector){ 0 }, "k", SELECTOR_IN, "b", "a"),
		"k", SELECTOR_IN, "a", "b");
	CHECK(selector_normalize(arena, &dup));
	CHECK(dup.expr_count == 1);
	CHECK_STR(selector_text(arena, &dup), "k in (a,b)");
	enum selector_op op;
	CHECK(selector_parse_op("NotIn", &op) && op == SELECTOR_NOT_IN);
	CHECK(!selector_parse_op("notin", &op));
}

int
main(void)
{
	arena = arena_create();
	test_and();
	test_overlap();
	test_subsumes_and_match();
	test_normalize();
	arena_destroy(arena);
	return unit_finish("selector");
}
