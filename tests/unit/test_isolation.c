#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/isolation.h"
#include "vendorc/selector.h"

static struct arena *arena;

static struct netpol *
policy(const char *ns, const char *key, const char *value, bool ingress, bool egress)
{
	struct netpol *np = arena_alloc(arena, sizeof(*np));
	np->ns = ns;
	np->name = "p";
	struct label label = { key, value };
	np->pod_selector = selector_from_labels(arena, &label, key ? 1 : 0);
	np->ingress = ingress;
	np->egress = egress;
	return np;
}

static const char *
cover_text(struct vec *covers)
{
	const char *text = "";
	for (size_t i = 0; i < covers->len; i++)
		text = arena_printf(arena, "%s[%s]", text, selector_text(arena, vec_at(covers, i)));
	return text;
}

int
main(void)
{
	arena = arena_create();
	struct vec netpols = { 0 }, denied = { 0 };
	vec_push(arena, &netpols, policy("a-open", "app", "other", true, false));
	vec_push(arena, &netpols, policy("payments", "tier", "db", true, false));
	vec_push(arena, &netpols, policy("payments", "team", "core", true, false));
	vec_push(arena, &netpols, policy("payments", "app", "web", true, false));
	vec_push(arena, &netpols, policy("payments", "tier", "db", false, true));
	vec_push(arena, &netpols, policy("shop", NULL, NULL, true, false));
	vec_push(arena, &netpols, policy("shop", "app", "api", true, false));
	vec_push(arena, &denied, "contractors");
	struct isolation *iso = isolation_build(arena, &netpols, &denied);
	struct label api_label = { "app", "api" };
	struct selector api = selector_from_labels(arena, &api_label, 1);
	struct vec covers = { 0 };

	/* Only the isolated part of the target: never pods that were open. */
	isolation_cover(arena, iso, "payments", &api, ISOLATION_INGRESS, &covers);
	CHECK_STR(cover_text(&covers), "[app=api,tier=db][app=api,team=core]");

	/* The direction matters. */
	covers.len = 0;
	isolation_cover(arena, iso, "payments", &api, ISOLATION_EGRESS, &covers);
	CHECK_STR(cover_text(&covers), "[app=api,tier=db]");

	/* A select-all policy covers the whole target; the narrower one is pruned. */
	covers.len = 0;
	isolation_cover(arena, iso, "shop", &api, ISOLATION_INGRESS, &covers);
	CHECK_STR(cover_text(&covers), "[app=api]");

	/* A policy whose selector contradicts the target isolates none of it. */
	covers.len = 0;
	isolation_cover(arena, iso, "a-open", &api, ISOLATION_INGRESS, &covers);
	CHECK(covers.len == 0);

	/* No policy at all: open, so no grant is needed. */
	isolation_cover(arena, iso, "elsewhere", &api, ISOLATION_INGRESS, &covers);
	CHECK(covers.len == 0);

	/* A default-denied namespace isolates every pod in both directions. */
	isolation_cover(arena, iso, "contractors", &api, ISOLATION_EGRESS, &covers);
	CHECK_STR(cover_text(&covers), "[app=api]");
	CHECK(isolation_namespace_denied(iso, "contractors"));
	CHECK(!isolation_namespace_denied(iso, "payments"));
	arena_destroy(arena);
	return unit_finish("isolation");
}
