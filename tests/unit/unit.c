#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int unit_failures;
int unit_checks;

void
unit_fail(const char *file, int line, const char *what)
{
	unit_failures++;
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

int
unit_finish(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

const char *
unit_capture(struct arena *arena, unit_printer *print, void *subject)
{
	char *buffer = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buffer, &len);
	print(out, subject);
	fclose(out);
	const char *copy = arena_strdup(arena, buffer);
	free(buffer);
	return copy;
}

static void
print_diag_json(FILE *out, void *diags)
{
	diag_print(diags, out, DIAG_FORMAT_JSON);
}

const char *
unit_diag_json(struct arena *arena, struct diag_set *diags)
{
	return unit_capture(arena, print_diag_json, diags);
}

bool
unit_reported(struct arena *arena, struct diag_set *diags, const char *needle)
{
	const char *json = unit_diag_json(arena, diags);
	bool found = strstr(json, needle) != NULL;
	if (!found)
		fprintf(stderr, "    no diagnostic with %s in:\n%s", needle, json);
	return found;
}

bool
unit_reported_at(struct arena *arena, struct diag_set *diags, const char *code, const char *file,
	int line, int col)
{
	char needle[256];
	snprintf(needle, sizeof(needle), "\"code\":\"%s\",\"file\":\"%s\",\"line\":%d,\"column\":%d,",
		code, file, line, col);
	return unit_reported(arena, diags, needle);
}

struct eval_world *
unit_world_of(struct arena *arena, const struct unit_head *heads, size_t head_count,
	const char *const *docs, size_t count)
{
	const char *text = "";
	for (size_t i = 0; i < count; i++) {
		const char *head = "";
		for (size_t h = 0; h < head_count; h++)
			if (heads[h].mark == docs[i][0])
				head = heads[h].head;
		text = arena_printf(arena, "%s---\n%s%s", text, head, docs[i] + 1);
	}
	struct diag_set *diags = diag_set_create(arena);
	struct vec sources = { 0 };
	vec_push(arena, &sources, source_from_text(arena, "world.yaml", text, strlen(text)));
	struct catalog *catalog = catalog_from_sources(arena, diags, &sources);
	CHECK(catalog && diag_count(diags, DIAG_ERROR) == 0);
	if (!catalog)
		catalog = arena_alloc(arena, sizeof(*catalog));
	return eval_world_of_catalog(arena, catalog, NULL);
}

struct eval_verdict
unit_connect(struct eval_world *world, const struct eval_pod *from, const struct eval_pod *to,
	const struct eval_port *port)
{
	struct eval_end src = { .pod = from }, dst = { .pod = to };
	struct eval_verdict verdict;
	eval_connection(world, &src, &dst, port, &verdict);
	return verdict;
}

struct eval_verdict
unit_connect_out(struct eval_world *world, const struct eval_pod *from, const char *addr,
	const struct eval_port *port)
{
	struct eval_end src = { .pod = from }, dst = { 0 };
	CHECK(net_parse_cidr(addr, &dst.addr) == NET_CIDR_OK);
	struct eval_verdict verdict;
	eval_connection(world, &src, &dst, port, &verdict);
	return verdict;
}

void
unit_add_domain(struct arena *arena, struct eval_world *world, const char *name, const char *cidr)
{
	struct net_cidr *range = arena_alloc(arena, sizeof(*range));
	CHECK(net_parse_cidr(cidr, range) == NET_CIDR_OK);
	struct vec *cidrs = arena_alloc(arena, sizeof(*cidrs));
	vec_push(arena, cidrs, range);
	eval_world_add_domain(world, name, cidrs);
}

char *
unit_nested(struct arena *arena, size_t depth)
{
	char *text = arena_alloc(arena, 2 * depth + 2);
	memset(text, '[', depth);
	memset(text + depth, ']', depth);
	text[2 * depth] = '\n';
	return text;
}
