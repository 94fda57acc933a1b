#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/ynode.h"

#include <stdlib.h>
#include <time.h>

static struct arena *arena;
static struct diag_set *diags;

#define reported(needle) unit_reported(arena, diags, needle)
static struct vec docs;

/* Loads text as "t.yaml" with fresh diagnostics and documents. */
static bool
load(const char *text, size_t len)
{
	diags = diag_set_create(arena);
	docs = (struct vec){ 0 };
	struct source *src = source_from_text(arena, "t.yaml", text, len);
	return ynode_load(arena, diags, src, &docs);
}

static bool
load_text(const char *text)
{
	return load(text, strlen(text));
}

static const struct ynode *
root(void)
{
	return docs.len ? vec_at(&docs, 0) : NULL;
}

static bool
at(const struct ynode *node, uint32_t line, uint32_t col, uint32_t end_line, uint32_t end_col)
{
	return node && node->loc.line == line && node->loc.col == col
		&& node->loc.end_line == end_line && node->loc.end_col == end_col;
}

static void
test_tree(void)
{
	CHECK(load_text("name: web\nports:\n  - 80\n  - \"443\"\nempty: ''\nnothing: ~\n"));
	CHECK(docs.len == 1);
	const struct ynode *map = root();
	CHECK(map && map->kind == YNODE_MAPPING && map->count == 4);
	CHECK_STR(ynode_string(ynode_get(map, "name")), "web");
	const struct ynode *ports = ynode_get(map, "ports");
	CHECK(ports && ports->kind == YNODE_SEQUENCE && ports->count == 2);
	long value = 0;
	CHECK(ynode_int(ports->items[0], 1, 65535, &value) && value == 80);
	CHECK(!ynode_int(ports->items[1], 1, 65535, &value));
	CHECK_STR(ynode_string(ports->items[1]), "443");
	CHECK(!ports->items[1]->plain && ports->items[0]->plain);
	CHECK(!ynode_is_null(ynode_get(map, "empty")));
	CHECK_STR(ynode_string(ynode_get(map, "empty")), "");
	CHECK(ynode_is_null(ynode_get(map, "nothing")));
	CHECK(ynode_string(ynode_get(map, "nothing")) == NULL);
	CHECK(ynode_get(map, "missing") == NULL && ynode_is_null(NULL));
	CHECK(ynode_get(ports, "name") == NULL);
	CHECK(ynode_string(ports) == NULL);
}

static void
test_ints(void)
{
	CHECK(load_text("[0, 080, -5, 65536, 1e3, 0x10, '7', !!str 8, -0, 99999999999999999999, -]\n"));
	const struct ynode *seq = root();
	long v = 42;
	CHECK(ynode_int(seq->items[0], 0, 10, &v) && v == 0);
	CHECK(!ynode_int(seq->items[1], 0, 100, &v));
	CHECK(ynode_int(seq->items[2], -10, 10, &v) && v == -5);
	CHECK(!ynode_int(seq->items[2], 0, 10, &v));
	CHECK(!ynode_int(seq->items[3], 1, 65535, &v));
	CHECK(ynode_int(seq->items[3], 1, 65536, &v) && v == 65536);
	CHECK(!ynode_int(seq->items[4], 0, 100000, &v));
	CHECK(!ynode_int(seq->items[5], 0, 100000, &v));
	CHECK(!ynode_int(seq->items[6], 0, 10, &v));
	CHECK(!ynode_int(seq->items[7], 0, 10, &v));
	CHECK_STR(ynode_string(seq->items[7]), "8");
	CHECK(ynode_int(seq->items[8], -1, 1, &v) && v == 0);
	CHECK(!ynode_int(seq->items[9], 0, 2147483647L, &v));
	CHECK(!ynode_int(seq->items[10], -10, 10, &v));
	CHECK(!ynode_int(NULL, 0, 10, &v));
}

static void
test_null_forms(void)
{
	CHECK(load_text("[null, Null, NULL, ~, 'null', \"~\", nil]\n"));
	const struct ynode *seq = root();
	CHECK(ynode_is_null(seq->items[0]) && ynode_is_null(seq->items[1]));
	CHECK(ynode_is_null(seq->items[2]) && ynode_is_null(seq->items[3]));
	CHECK(!ynode_is_null(seq->items[4]) && !ynode_is_null(seq->items[5]));
	CHECK(!ynode_is_null(seq->items[6]));
	CHECK(!ynode_is_null(seq));
}

static void
test_locations(void)
{
	CHECK(load_text("a: hello\nb:\n  - x\nc: {k: v}\nd: |\n  one\n  two\ne: \"é\"\nä: ö\n"));
	const struct ynode *map = root();
	CHECK(at(ynode_get(map, "a"), 1, 4, 1, 9));
	CHECK(at(map->items[0], 1, 1, 1, 2));
	CHECK(at(ynode_get(map, "b")->items[0], 3, 5, 3, 6));
	CHECK(at(ynode_get(map, "c"), 4, 4, 4, 10));
	/* A block scalar is marked on its first line, to the line's end. */
	CHECK(at(ynode_get(map, "d"), 5, 4, 5, 5));
	CHECK(at(ynode_get(map, "e"), 8, 4, 8, 7));
	/* Columns count characters, not bytes. */
	CHECK(at(ynode_get(map, "ä"), 9, 4, 9, 5));
	CHECK(map->loc.line == 1 && map->loc.col == 1);
	CHECK(load_text("a: 1\r\nb: two\r\n"));
	CHECK(at(ynode_get(root(), "b"), 2, 4, 2, 7));
	CHECK(load_text("# comment\n\n  key: value\n"));
	CHECK(at(ynode_get(root(), "key"), 3, 8, 3, 13));
}

static void
test_documents(void)
{
	CHECK(load_text("---\na: 1\n---\n---\n# only a comment\n---\n- b\n...\n"));
	CHECK(docs.len == 2);
	CHECK(root()->kind == YNODE_MAPPING);
	CHECK(((const struct ynode *)vec_at(&docs, 1))->kind == YNODE_SEQUENCE);
	CHECK(load_text(""));
	CHECK(docs.len == 0);
	CHECK(load_text("# nothing\n"));
	CHECK(docs.len == 0);
	/* Anchors do not reach into the next document. */
	CHECK(!load_text("a: &x 1\n---\nb: *x\n"));
	CHECK(reported("\"code\":\"yaml-syntax\",\"file\":\"t.yaml\",\"line\":3,\"column\":4,"));
	CHECK(reported("alias to unknown anchor \\\"x\\\""));
}

static void
test_aliases(void)
{
	CHECK(load_text("base: &base {app: web, tier: front}\ncopy: *base\nlist: [*base, *base]\n"));
	const struct ynode *map = root();
	const struct ynode *base = ynode_get(map, "base");
	CHECK(base && base == ynode_get(map, "copy"));
	CHECK(ynode_get(map, "list")->items[1] == base);
	/* A later anchor of the same name wins for later aliases. */
	CHECK(load_text("- &a 1\n- *a\n- &a 2\n- *a\n"));
	CHECK_STR(ynode_string(root()->items[1]), "1");
	CHECK_STR(ynode_string(root()->items[3]), "2");
	/* Enough anchors to grow the table several times. */
	char many[8192] = "";
	for (int i = 0; i < 200; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "- &a%d v%d\n", i, i);
	strcat(many, "- [*a0, *a57, *a199]\n");
	CHECK(load_text(many));
	const struct ynode *refs = root()->items[200];
	CHECK(refs->count == 3 && refs->items[1] == root()->items[57]);
	CHECK_STR(ynode_string(refs->items[2]), "v199");
	/* A collection cannot contain itself: the tree stays a DAG. */
	CHECK(!load_text("a: &a [1, *a]\n"));
	CHECK(reported("\"line\":1,\"column\":11,"));
}

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* The "billion laughs" at depth levels: 9^depth leaves if expanded. */
static char *
alias_bomb(char last)
{
	char *text = arena_alloc(arena, 2048);
	strcpy(text, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (char level = 'b'; level <= last; level++) {
		char line[128];
		char prev = (char)(level - 1);
		snprintf(line, sizeof(line), "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			level, level, prev, prev, prev, prev, prev, prev, prev, prev, prev);
		strcat(text, line);
	}
	return text;
}

/* Aliases share their node, and count as what they stand for: six levels
 * (9^6 leaves) load as a few dozen nodes; ten stop at the alias that
 * passes the node limit, at once rather than when a reader walks them. */
static void
test_alias_bomb(void)
{
	CHECK(load_text(alias_bomb('f')));
	const struct ynode *f = ynode_get(root(), "f");
	CHECK(f && f->count == 9 && f->items[0] == ynode_get(root(), "e"));
	CHECK(f->items[0]->items[8] == ynode_get(root(), "d"));
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	CHECK(!load_text(alias_bomb('j')));
	CHECK(seconds_since(&start) < 1.0);
	CHECK(reported("\"code\":\"limit-exceeded\",\"file\":\"t.yaml\",\"line\":7,\"column\":"));
	CHECK(reported("more than 4000000 YAML nodes, aliases expanded"));
}

static void
test_depth_limit(void)
{
	CHECK(load_text(unit_nested(arena, YNODE_MAX_DEPTH)));
	CHECK(!load_text(unit_nested(arena, YNODE_MAX_DEPTH + 1)));
	CHECK(reported("\"line\":1,\"column\":65,"));
	CHECK(reported("nested deeper than 64 levels"));
	/* Block nesting counts the same way. */
	char block[8192] = "";
	for (int i = 0; i <= YNODE_MAX_DEPTH; i++) {
		size_t len = strlen(block);
		snprintf(block + len, sizeof(block) - len, "%*sk%d:\n", i, "", i);
	}
	CHECK(!load_text(block));
	CHECK(reported("nested deeper than 64 levels"));
}

/* An alias to a scalar counts one node, so a flood of them is bounded. */
static void
test_node_limit(void)
{
	size_t count = YNODE_MAX_NODES;
	size_t len = strlen("a: &a x\nb: [") + 4 * count + 3;
	char *text = arena_alloc(arena, len + 1);
	char *p = text + sprintf(text, "a: &a x\nb: [");
	for (size_t i = 0; i < count; i++, p += 4)
		memcpy(p, "*a, ", 4);
	memcpy(p, "]\n", 3);
	CHECK(!load(text, strlen(text)));
	CHECK(reported("more than 4000000 YAML nodes"));
}

static void
test_duplicate_keys(void)
{
	CHECK(!load_text("a: 1\nb: 2\n\"a\": 3\nb: 4\na: 5\n"));
	CHECK(reported("\"line\":3,\"column\":1,\"end_line\":3,\"end_column\":4,"
		"\"message\":\"duplicate key \\\"a\\\"\",\"notes\":[{\"file\":\"t.yaml\",\"line\":1,"));
	CHECK(reported("\"line\":4,\"column\":1,"));
	CHECK(reported("\"line\":5,\"column\":1,"));
	CHECK(diag_count(diags, DIAG_ERROR) == 3);
	/* Nested mappings are checked too; equal keys in different maps are fine. */
	CHECK(load_text("x: {a: 1}\ny: {a: 2}\n"));
	CHECK(!load_text("x:\n  a: 1\n  a: 1\n"));
	CHECK(reported("\"line\":3,\"column\":3,"));
}

static void
test_syntax_errors(void)
{
	CHECK(!load_text("a: b: c\n"));
	CHECK(reported("\"code\":\"yaml-syntax\",\"file\":\"t.yaml\",\"line\":1,\"column\":5,"));
	CHECK(reported("mapping values are not allowed"));
	CHECK(!load_text("a:\n  b: 1\n c: 2\n"));
	CHECK(reported("\"line\":3,\"column\":2,"));
	CHECK(reported("while parsing a block mapping"));
	CHECK(!load_text("ok: 1\nbad: [1, 2\n"));
	CHECK(reported("while parsing a flow sequence"));
	/* Bad UTF-8 is placed by its byte offset, in characters. */
	CHECK(!load_text("a: é\nb: x\xff\n"));
	CHECK(reported("\"line\":2,\"column\":5,"));
	CHECK(!load("a: \"x\\0y\"\n", 10));
	CHECK(reported("NUL character"));
	CHECK(diag_count(diags, DIAG_ERROR) == 1);
}

/* Scalars (and aliases of them) outlive the arena of the tree, which a
 * reader drops once read; ASan and valgrind see any pointer left into it. */
static void
test_split_arenas(void)
{
	diags = diag_set_create(arena);
	struct source *src = source_borrow(arena, "t.yaml", "k: &v text\nl: [*v, two]\n", 24);
	struct arena *nodes = arena_create();
	struct vec split_docs = { 0 };
	CHECK(ynode_load_split(nodes, arena, diags, src, &split_docs));
	const struct ynode *map = split_docs.len == 1 ? vec_at(&split_docs, 0) : NULL;
	const struct ynode *list = ynode_get(map, "l");
	const char *kept[] = {
		ynode_string(ynode_get(map, "k")),
		list && list->count == 2 ? ynode_string(list->items[0]) : NULL,
		list && list->count == 2 ? ynode_string(list->items[1]) : NULL,
	};
	arena_destroy(nodes);
	CHECK_STR(kept[0], "text");
	CHECK_STR(kept[1], "text");
	CHECK_STR(kept[2], "two");
}

int
main(void)
{
	arena = arena_create();
	test_tree();
	test_ints();
	test_null_forms();
	test_locations();
	test_documents();
	test_aliases();
	test_alias_bomb();
	test_depth_limit();
	test_node_limit();
	test_duplicate_keys();
	test_syntax_errors();
	test_split_arenas();
	arena_destroy(arena);
	return unit_finish("ynode");
}
