#include "vendorc/isolation.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/selector.h"

#include <stdlib.h>
#include <string.h>

struct isolation {
	const struct vec *netpols;
	const struct vec *denied;
};

struct isolation *
isolation_build(struct arena *arena, const struct vec *netpols, const struct vec *denied)
{
	struct isolation *iso = arena_alloc(arena, sizeof(*iso));
	iso->netpols = netpols;
	iso->denied = denied;
	return iso;
}

static int
compare_name(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

bool
isolation_namespace_denied(const struct isolation *iso, const char *ns)
{
	/* no namespace denied (every vendor failed to resolve): no array to search */
	return iso->denied->len && bsearch(ns, iso->denied->items, iso->denied->len, sizeof(void *), compare_name) != NULL;
}

static bool
isolates(const struct netpol *np, enum isolation_dir dir)
{
	return dir == ISOLATION_INGRESS ? np->ingress : np->egress;
}

/* Adds cover unless one already there subsumes it; drops those it subsumes. */
static void
add_pruned(struct arena *arena, struct vec *covers, size_t start, struct selector *cover)
{
	for (size_t i = start; i < covers->len; i++)
		if (selector_subsumes(vec_at(covers, i), cover))
			return;
	size_t kept = start;
	for (size_t i = start; i < covers->len; i++)
		if (!selector_subsumes(cover, vec_at(covers, i)))
			covers->items[kept++] = covers->items[i];
	covers->len = kept;
	vec_push(arena, covers, cover);
}

void
isolation_cover(struct arena *arena, const struct isolation *iso, const char *ns,
	const struct selector *target, enum isolation_dir dir, struct vec *covers)
{
	size_t start = covers->len;
	if (isolation_namespace_denied(iso, ns)) {
		struct selector *all = arena_alloc(arena, sizeof(*all));
		*all = *target;
		vec_push(arena, covers, all);
		return;
	}
	size_t first, end;
	netpol_range(iso->netpols, ns, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct netpol *np = vec_at(iso->netpols, i);
		struct selector *cover = arena_alloc(arena, sizeof(*cover));
		if (isolates(np, dir) && selector_and(arena, target, &np->pod_selector, cover))
			add_pruned(arena, covers, start, cover);
	}
}
