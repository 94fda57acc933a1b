#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/jsonread.h"
#include "vendorc/source.h"
#include "vendorc/ynode.h"

#include <stdint.h>
#include <stdlib.h>

static struct arena *arena;
static struct diag_set *diags;
static struct vec values;

#define reported(needle) unit_reported(arena, diags, needle)
/* A json-syntax error at t.json:line:col. */
#define syntax_at(line, col) unit_reported_at(arena, diags, "json-syntax", "t.json", line, col)

/* Reads text as "t.json" with fresh diagnostics and values. */
static bool
load(const char *text, size_t len)
{
	diags = diag_set_create(arena);
	values = (struct vec){ 0 };
	struct source *src = source_from_text(arena, "t.json", text, len);
	return jsonread_stream(arena, diags, src, &values);
}

static bool
load_text(const char *text)
{
	return load(text, strlen(text));
}

/* Reads text, which must fail with exactly one diagnostic. */
static bool
fails(const char *text)
{
	return !load_text(text) && diag_count(diags, DIAG_ERROR) == 1;
}

static const struct ynode *
root(void)
{
	return values.len ? vec_at(&values, 0) : NULL;
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
	CHECK(load_text("{\"name\": \"web\", \"ports\": [80, \"443\", -1.5e3], \"on\": true,"
		" \"off\": false, \"none\": null, \"empty\": {}, \"list\": [], \"deep\": {\"a\": [[{}]]}}\n"));
	CHECK(values.len == 1 && diag_count(diags, DIAG_ERROR) == 0);
	const struct ynode *map = root();
	CHECK(map && map->kind == YNODE_MAPPING && map->count == 8);
	/* Members keep document order. */
	CHECK_STR(map->items[0]->scalar, "name");
	CHECK_STR(map->items[14]->scalar, "deep");
	CHECK(!map->items[0]->plain);
	CHECK_STR(ynode_string(ynode_get(map, "name")), "web");
	const struct ynode *ports = ynode_get(map, "ports");
	CHECK(ports && ports->kind == YNODE_SEQUENCE && ports->count == 3);
	long value = 0;
	CHECK(ynode_int(ports->items[0], 1, 65535, &value) && value == 80);
	/* A string of digits is a string, as a quoted YAML scalar is. */
	CHECK(!ynode_int(ports->items[1], 1, 65535, &value) && !ports->items[1]->plain);
	CHECK_STR(ynode_string(ports->items[1]), "443");
	CHECK(ports->items[2]->plain && !ynode_int(ports->items[2], -10000, 10000, &value));
	CHECK_STR(ports->items[2]->scalar, "-1.5e3");
	CHECK_STR(ynode_string(ynode_get(map, "on")), "true");
	CHECK(ynode_get(map, "on")->plain && ynode_get(map, "off")->plain);
	CHECK(ynode_get(map, "none") && ynode_is_null(ynode_get(map, "none")));
	CHECK(ynode_string(ynode_get(map, "none")) == NULL);
	const struct ynode *empty = ynode_get(map, "empty");
	CHECK(empty && empty->kind == YNODE_MAPPING && empty->count == 0 && !ynode_is_null(empty));
	CHECK(ynode_get(map, "list")->kind == YNODE_SEQUENCE && ynode_get(map, "list")->count == 0);
	const struct ynode *a = ynode_get(ynode_get(map, "deep"), "a");
	CHECK(a && a->kind == YNODE_SEQUENCE && a->count == 1 && a->items[0]->count == 1);
	CHECK(a->items[0]->items[0]->kind == YNODE_MAPPING);
	/* "null" quoted is a string, not null; an empty string is a string. */
	CHECK(load_text("[\"null\", \"\", 0, -0, 0.25, 1E+2, 2e-7]"));
	const struct ynode *seq = root();
	CHECK(!ynode_is_null(seq->items[0]) && !ynode_is_null(seq->items[1]));
	CHECK_STR(ynode_string(seq->items[1]), "");
	CHECK(ynode_int(seq->items[0 + 2], 0, 10, &value) && value == 0);
	CHECK(ynode_int(seq->items[3], -1, 1, &value) && value == 0);
	CHECK_STR(seq->items[6]->scalar, "2e-7");
	/* A bare scalar is a value too. */
	CHECK(load_text("  \"x\"  "));
	CHECK(values.len == 1 && root()->kind == YNODE_SCALAR);
	CHECK(load_text("") && values.len == 0);
	CHECK(load_text(" \n\t\r\n") && values.len == 0);
}

static void
test_escapes(void)
{
	CHECK(load_text("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\uD83D\\uDE00!\","
		" \"caf\xC3\xA9 \xF0\x9F\x98\x80\", \"\\u0041\\u007f\"]"));
	const struct ynode *seq = root();
	CHECK(seq && seq->count == 5);
	CHECK_STR(seq->items[0]->scalar, "a\"b\\c/d\b\f\n\r\t");
	CHECK_STR(seq->items[1]->scalar, "\xC3\xA9\xE2\x82\xAC");
	/* A surrogate pair is one character past U+FFFF: four bytes. */
	CHECK_STR(seq->items[2]->scalar, "\xF0\x9F\x98\x80!");
	CHECK(strlen(seq->items[2]->scalar) == 5);
	CHECK_STR(seq->items[3]->scalar, "caf\xC3\xA9 \xF0\x9F\x98\x80");
	CHECK_STR(seq->items[4]->scalar, "A\x7F");
	/* Escaped keys are decoded before they are compared. */
	CHECK(load_text("{\"\\u0061\": 1, \"b\": 2}"));
	CHECK(ynode_get(root(), "a") && ynode_get(root(), "b"));
	CHECK(!load_text("{\"\\u0061\": 1, \"a\": 2}"));
	CHECK(reported("duplicate key \\\"a\\\""));
}

static void
test_locations(void)
{
	CHECK(load_text("{\n  \"a\": 1,\n  \"b\": [true, \"x\\ny\"],\n  \"\xC3\xA4\": \"\xC3\xB6\"\n}\n"));
	const struct ynode *map = root();
	CHECK(at(map, 1, 1, 5, 2));
	CHECK(at(map->items[0], 2, 3, 2, 6));
	CHECK(at(ynode_get(map, "a"), 2, 8, 2, 9));
	const struct ynode *b = ynode_get(map, "b");
	CHECK(at(b, 3, 8, 3, 22));
	CHECK(at(b->items[0], 3, 9, 3, 13));
	/* The span of a string is its text as written, escapes and quotes. */
	CHECK(at(b->items[1], 3, 15, 3, 21));
	/* Columns count characters, not bytes. */
	CHECK(at(map->items[4], 4, 3, 4, 6));
	CHECK(at(ynode_get(map, "\xC3\xA4"), 4, 8, 4, 11));
	CHECK(load_text("{\"a\": 1}\r\n{\"b\": 2}\r\n"));
	CHECK(values.len == 2 && at(vec_at(&values, 1), 2, 1, 2, 9));
}

/* jsonread_each's callback: the verdict and line of each value, kept by
 * copying (the value goes when the call returns); stops after stop_after. */
struct seen {
	char verdicts[4][16];
	uint32_t lines[4];
	size_t count, stop_after;
};

static bool
see(const struct ynode *value, void *ctx)
{
	struct seen *seen = ctx;
	const char *verdict = ynode_string(ynode_get(ynode_get(value, "flow"), "verdict"));
	if (seen->count < 4) {
		snprintf(seen->verdicts[seen->count], sizeof(seen->verdicts[0]), "%s", verdict ? verdict : "");
		seen->lines[seen->count] = value->loc.line;
	}
	return ++seen->count < seen->stop_after;
}

static void
test_each(void)
{
	static const char text[] = "{\"flow\": {\"verdict\": \"FORWARDED\"}}\n\n{\"flow\": {\"verdict\": \"DROPPED\"}}\n"
		"{\"flow\": {\"verdict\": \"AUDIT\", \"a\": 1, \"a\": 2}}\n";
	struct source *src = source_from_text(arena, "t.json", text, strlen(text));
	struct seen seen = { .stop_after = 10 };
	diags = diag_set_create(arena);
	/* A key twice in the third value is still found: each value has a key table of its own. */
	CHECK(!jsonread_each(diags, src, see, &seen));
	CHECK(seen.count == 2 && diag_count(diags, DIAG_ERROR) == 1 && reported("duplicate"));
	CHECK_STR(seen.verdicts[0], "FORWARDED");
	CHECK_STR(seen.verdicts[1], "DROPPED");
	CHECK(seen.lines[0] == 1 && seen.lines[1] == 3);
	/* The callback stops the stream. */
	seen = (struct seen){ .stop_after = 1 };
	diags = diag_set_create(arena);
	CHECK(!jsonread_each(diags, src, see, &seen));
	CHECK(seen.count == 1 && diag_count(diags, DIAG_ERROR) == 0);
	/* Many values, each in a fresh arena: nothing of the last one is reused. */
	char *many = arena_alloc(arena, 64 * 200 + 1), *p = many;
	for (int i = 0; i < 200; i++)
		p += sprintf(p, "{\"flow\": {\"verdict\": \"V%d\", \"x\": [%d, {\"y\": %d}]}}\n", i, i, i);
	seen = (struct seen){ .stop_after = 1000 };
	CHECK(jsonread_each(diags, source_from_text(arena, "t.json", many, (size_t)(p - many)), see, &seen));
	CHECK(seen.count == 200);
	/* The same key in two values is fine. */
	static const char two[] = "{\"a\": 1}\n{\"a\": 2}\n";
	seen = (struct seen){ .stop_after = 10 };
	CHECK(jsonread_each(diags, source_from_text(arena, "t.json", two, strlen(two)), see, &seen));
	CHECK(seen.count == 2);
}

static void
test_stream(void)
{
	CHECK(load_text("{\"flow\": {\"verdict\": \"FORWARDED\"}, \"node_name\": \"n1\"}\n"
		"{\"flow\": {\"verdict\": \"DROPPED\"}, \"node_name\": \"n2\"}\n"
		"\n"
		"  {\"flow\": {\"verdict\": \"AUDIT\"}, \"node_name\": \"n3\"}"));
	CHECK(values.len == 3);
	static const char *const verdicts[] = { "FORWARDED", "DROPPED", "AUDIT" };
	for (size_t i = 0; i < values.len && i < 3; i++) {
		const struct ynode *line = vec_at(&values, i);
		CHECK_STR(ynode_string(ynode_get(ynode_get(line, "flow"), "verdict")), verdicts[i]);
		CHECK(line->loc.line == (i == 2 ? 4 : i + 1));
	}
	CHECK(((const struct ynode *)vec_at(&values, 2))->loc.col == 3);
	/* Values on one line are a stream too; the same key in two is fine. */
	CHECK(load_text("1 \"two\" [3]\t{\"a\": 4} {\"a\": 5}"));
	CHECK(values.len == 5);
	/* Values before an error stay read. */
	CHECK(!load_text("{\"a\": 1}\n{\"a\": 2,}\n{\"a\": 3}\n"));
	CHECK(values.len == 1);
}

static void
test_trailing_comma(void)
{
	CHECK(fails("{\"a\": 1,\n \"b\": [1, 2, ],\n}"));
	CHECK(syntax_at(2, 12));
	CHECK(reported("trailing comma before ']'"));
	CHECK(fails("{\"a\": 1, }"));
	CHECK(syntax_at(1, 8));
	CHECK(reported("trailing comma before '}'"));
	CHECK(fails("[,1]"));
	CHECK(syntax_at(1, 2));
	CHECK(reported("expected a value, found ','"));
	CHECK(fails("{\"a\": }"));
	CHECK(syntax_at(1, 7));
	CHECK(reported("expected a value, found '}'"));
	/* A comma in an earlier line is no trailing one. */
	CHECK(fails("[1,[]]\n]"));
	CHECK(syntax_at(2, 1));
	CHECK(reported("expected a value, found ']'"));
}

static void
test_bad_escape(void)
{
	CHECK(fails("{\"a\": \"x\\qy\"}"));
	CHECK(reported("\"code\":\"json-syntax\",\"file\":\"t.json\",\"line\":1,\"column\":9,"
		"\"end_line\":1,\"end_column\":11,"));
	CHECK(reported("unknown escape '\\\\q' in a string"));
	CHECK(fails("[\n\"\\u12G4\"]"));
	CHECK(syntax_at(2, 2));
	CHECK(reported("expected four hex digits after '\\\\u'"));
	CHECK(fails("[\"\\u12\"]"));
	CHECK(syntax_at(1, 3));
	CHECK(fails("[\"ab\\u0000\"]"));
	CHECK(syntax_at(1, 5));
	CHECK(reported("a string may not hold \\\\u0000"));
	CHECK(reported("NUL-terminated"));
}

static void
test_lone_surrogate(void)
{
	CHECK(fails("[\"ok\", \"\\uD83Dx\"]"));
	CHECK(reported("\"line\":1,\"column\":9,\"end_line\":1,\"end_column\":15,"));
	CHECK(reported("lone surrogate \\\\uD83D in a string"));
	CHECK(fails("\"\\uDE00\\uD83D\""));
	CHECK(syntax_at(1, 2));
	CHECK(reported("lone surrogate \\\\uDE00"));
	/* A high surrogate followed by another high one. */
	CHECK(fails("\"\\uD83D\\uD83D\""));
	CHECK(syntax_at(1, 2));
	CHECK(fails("\"\\uD83D\""));
	CHECK(syntax_at(1, 2));
}

static void
test_control_character(void)
{
	CHECK(fails("{\"a\": \"tab\there\"}"));
	CHECK(syntax_at(1, 11));
	CHECK(reported("control character U+0009 in a string"));
	CHECK(reported("write it escaped, as \\\\t"));
	CHECK(fails("[\"\x01\"]"));
	CHECK(syntax_at(1, 3));
	CHECK(reported("as \\\\u0001"));
	/* A NUL in the text, in a string or out of one, never ends it early. */
	CHECK(!load("[\"a\0b\"]", 7));
	CHECK(syntax_at(1, 4));
	CHECK(reported("control character U+0000 in a string"));
	CHECK(!load("[1,\0]", 5));
	CHECK(syntax_at(1, 4));
	CHECK(reported("expected a value, found U+0000"));
	CHECK(!load("{}\0", 3));
	CHECK(syntax_at(1, 3));
}

static void
test_numbers(void)
{
	CHECK(fails("[0, 1, 012]"));
	CHECK(syntax_at(1, 8));
	CHECK(reported("leading zero in a number"));
	CHECK(fails("-00"));
	CHECK(syntax_at(1, 2));
	CHECK(fails("[+1]"));
	CHECK(syntax_at(1, 2));
	CHECK(reported("no '+' sign"));
	CHECK(fails("[.5]"));
	CHECK(syntax_at(1, 2));
	CHECK(fails("[1.]"));
	CHECK(syntax_at(1, 4));
	CHECK(reported("expected a digit after '.', found ']'"));
	CHECK(fails("[1e+]"));
	CHECK(syntax_at(1, 5));
	CHECK(reported("expected a digit in the exponent"));
	CHECK(fails("[-x]"));
	CHECK(syntax_at(1, 3));
	CHECK(fails("[NaN]"));
	CHECK(syntax_at(1, 2));
	CHECK(reported("no NaN or Infinity"));
	CHECK(fails("[-Infinity]"));
	CHECK(syntax_at(1, 3));
	CHECK(fails("[True]"));
	CHECK(reported("in lower case"));
	CHECK(fails("[nullx]"));
	CHECK(reported("expected a value, found \\\"nullx\\\""));
	CHECK(fails("[0x10]"));
	CHECK(syntax_at(1, 3));
	CHECK(reported("expected ',' or ']' after an item, found 'x'"));
	CHECK(fails("1-"));
	CHECK(syntax_at(1, 2));
	CHECK(reported("expected a line break after the value"));
}

static void
test_depth_limit(void)
{
	CHECK(load_text(unit_nested(arena, YNODE_MAX_DEPTH)));
	CHECK(fails(unit_nested(arena, YNODE_MAX_DEPTH + 1)));
	CHECK(syntax_at(1, 65));
	CHECK(reported("JSON nested deeper than 64 levels"));
	/* Objects count as arrays do; a deep stream of values costs nothing. */
	char text[1024] = "";
	for (int i = 0; i <= YNODE_MAX_DEPTH; i++)
		strcat(text, "{\"k\":");
	CHECK(fails(text));
	CHECK(syntax_at(1, 1 + 5 * YNODE_MAX_DEPTH));
	/* A hundred thousand levels stop at the limit, without a deep C stack. */
	size_t deep = 100000;
	char *bomb = arena_alloc(arena, deep + 1);
	memset(bomb, '[', deep);
	CHECK(fails(bomb));
	CHECK(syntax_at(1, 65));
}

static void
test_duplicate_key(void)
{
	CHECK(fails("{\"a\": 1,\n \"b\": {\"a\": 2, \"b\": 3},\n \"c\": [{\"a\": 4}, {\"a\": 5}],\n \"b\": 6}"));
	CHECK(reported("\"code\":\"json-syntax\",\"file\":\"t.json\",\"line\":4,\"column\":2,"
		"\"end_line\":4,\"end_column\":5,\"message\":\"duplicate key \\\"b\\\"\","
		"\"notes\":[{\"file\":\"t.json\",\"line\":2,\"column\":2,"));
	/* The first duplicate in the text is the one reported, at once. */
	CHECK(fails("{\"x\": {\"k\": 1, \"k\": 2}, \"x\": 3, \"y\": ]"));
	CHECK(syntax_at(1, 16));
	/* Keys of a closed object never collide with a later object's. */
	CHECK(load_text("{\"a\": {\"b\": 1}, \"b\": {\"a\": {\"a\": 1, \"b\": 2}}, \"c\": {\"b\": 3}}"));
}

static void
test_unterminated_string(void)
{
	CHECK(fails("{\"a\": \"abc"));
	CHECK(syntax_at(1, 7));
	CHECK(reported("unterminated string"));
	CHECK(reported("the input ends before its closing"));
	/* A line break in a string ends it too early (JSON Lines). */
	CHECK(fails("[\"abc\ndef\"]\n"));
	CHECK(syntax_at(1, 2));
	CHECK(reported("write a line break in it as \\\\n"));
	CHECK(fails("[\"abc\\"));
	CHECK(syntax_at(1, 2));
	CHECK(fails("\"abc\\\n\""));
	CHECK(syntax_at(1, 1));
}

static void
test_truncated(void)
{
	/* The place is just past the last token, not the empty last line. */
	CHECK(fails("{\"a\": [1, 2\n\n"));
	CHECK(syntax_at(1, 12));
	CHECK(reported("expected ',' or ']' after an item, but the input ends"));
	CHECK(reported("the array opened at line 1, column 7 is not closed"));
	CHECK(fails("{\"flow\": {\"a\": 1}"));
	CHECK(syntax_at(1, 18));
	CHECK(reported("expected ',' or '}' after a member, but the input ends"));
	CHECK(fails("{\"a\""));
	CHECK(syntax_at(1, 5));
	CHECK(reported("expected ':' after the member name, but the input ends"));
	CHECK(fails("{\"a\":"));
	CHECK(syntax_at(1, 6));
	CHECK(reported("expected a value, but the input ends"));
	CHECK(fails("[1, -"));
	CHECK(syntax_at(1, 6));
	CHECK(fails("{"));
	CHECK(reported("expected a member name in double quotes, but the input ends"));
	CHECK(fails("[1 2]"));
	CHECK(syntax_at(1, 4));
	CHECK(reported("a ',' goes between two values"));
	CHECK(fails("[1}"));
	CHECK(reported("an array closes with ']'"));
	CHECK(fails("{\"a\":1}}"));
	CHECK(syntax_at(1, 8));
	CHECK(fails("{a: 1}"));
	CHECK(syntax_at(1, 2));
	CHECK(fails("[1] // note"));
	CHECK(syntax_at(1, 5));
	CHECK(fails("[1, /* note */ 2]"));
	CHECK(reported("JSON has no comments"));
	CHECK(fails("['a']"));
	CHECK(reported("JSON strings are in double quotes"));
}

static void
test_invalid_utf8(void)
{
	CHECK(fails("[\"\xC3\xA9\", \"ab\xFF\"]"));
	CHECK(syntax_at(1, 10));
	CHECK(reported("invalid UTF-8 (byte 0xFF)"));
	/* A sequence cut short, a surrogate in UTF-8, an overlong form. */
	CHECK(fails("\n\"\xE2\x82\""));
	CHECK(syntax_at(2, 2));
	CHECK(fails("\"\xED\xA0\x80\""));
	CHECK(fails("\"\xC0\xAF\""));
	/* Outside a string too, where any non-ASCII byte is wrong anyway. */
	CHECK(fails("[1, \xFE]"));
	CHECK(syntax_at(1, 5));
	CHECK(reported("invalid UTF-8 (byte 0xFE)"));
	CHECK(fails("[1, \xC3\xA9]"));
	CHECK(reported("expected a value, found \\\"\xC3\xA9\\\""));
}

/* Random objects whose keys repeat across objects (parent, child,
 * sibling) and, now and then, within one: the reader must report exactly
 * the first repeat in the text. Big objects nested make the key table
 * grow while objects are open. */
struct gen {
	char *text;
	size_t len;
	size_t cap;
	uint64_t seed;
	size_t first_dup; /* offset of the first repeated key, or SIZE_MAX */
};

static unsigned
gen_random(struct gen *g, unsigned below)
{
	g->seed ^= g->seed << 13;
	g->seed ^= g->seed >> 7;
	g->seed ^= g->seed << 17;
	return (unsigned)(g->seed % below);
}

static void
gen_put(struct gen *g, const char *text)
{
	size_t len = strlen(text);
	if (g->len + len + 1 > g->cap) {
		size_t cap = 2 * (g->cap + len + 1);
		char *bigger = arena_alloc(arena, cap);
		copy_items(bigger, g->text, g->len, 1);
		g->text = bigger;
		g->cap = cap;
	}
	memcpy(g->text + g->len, text, len + 1);
	g->len += len;
}

static void gen_value(struct gen *g, int depth);

static void
gen_object(struct gen *g, int depth)
{
	unsigned count = gen_random(g, 30), used[30];
	gen_put(g, "{");
	for (unsigned i = 0; i < count; i++) {
		unsigned key;
		bool repeat = i > 0 && gen_random(g, 150) == 0;
		if (repeat) {
			key = used[gen_random(g, i)];
		} else {
			bool fresh;
			do {
				key = gen_random(g, 40);
				fresh = true;
				for (unsigned j = 0; j < i; j++)
					fresh = fresh && used[j] != key;
			} while (!fresh);
		}
		used[i] = key;
		if (i)
			gen_put(g, ", ");
		if (repeat && g->first_dup == SIZE_MAX)
			g->first_dup = g->len;
		char name[16];
		snprintf(name, sizeof(name), "\"k%u\": ", key);
		gen_put(g, name);
		gen_value(g, depth + 1);
	}
	gen_put(g, "}");
}

static void
gen_value(struct gen *g, int depth)
{
	unsigned pick = gen_random(g, 10);
	if (depth < 3 && pick < 2) {
		gen_object(g, depth);
	} else if (depth < 3 && pick == 2) {
		gen_put(g, "[");
		gen_object(g, depth);
		gen_put(g, ", 1]");
	} else {
		gen_put(g, pick % 2 ? "1" : "\"v\"");
	}
}

static void
test_random_keys(void)
{
	struct gen g = { .seed = 0x9E3779B97F4A7C15u };
	int failed = 0, dups = 0;
	for (int round = 0; round < 3000 && failed < 3; round++) {
		g.len = 0;
		g.first_dup = SIZE_MAX;
		gen_put(&g, "");
		gen_object(&g, 0);
		bool ok = load(g.text, g.len);
		bool want = g.first_dup == SIZE_MAX;
		bool right = ok == want && (ok || (diag_count(diags, DIAG_ERROR) == 1
			&& syntax_at(1, (int)g.first_dup + 1) && reported("duplicate key")));
		dups += !want;
		if (!right) {
			failed++;
			fprintf(stderr, "    round %d: %s\n", round, g.text);
		}
	}
	CHECK(failed == 0);
	CHECK(dups > 100 && dups < 2900);
}

/* Long lines, wide objects, many lines read whole, with the right
 * locations at the far end (their speed is bench/'s to measure). */
static void
test_linear(void)
{
	size_t keys = 200000;
	char *text = arena_alloc(arena, 24 * keys + 2);
	char *p = text;
	*p++ = '{';
	for (size_t i = 0; i < keys; i++)
		p += sprintf(p, "%s\"key%zu\": [%zu]", i ? ", " : "", i, i);
	*p++ = '}';
	CHECK(load(text, (size_t)(p - text)));
	CHECK(root() && root()->count == keys);
	const struct ynode *last = root()->items[2 * keys - 1];
	CHECK(last && last->loc.line == 1 && last->loc.end_col == (uint32_t)(p - text));
	/* Twenty thousand flow-like lines. */
	size_t lines = 20000;
	char *stream = arena_alloc(arena, 128 * lines + 1);
	p = stream;
	for (size_t i = 0; i < lines; i++)
		p += sprintf(p, "{\"flow\": {\"time\": \"t%zu\", \"l4\": {\"TCP\": {\"destination_port\": %zu}}}}\n",
			i, i % 65536);
	CHECK(load(stream, (size_t)(p - stream)));
	CHECK(values.len == lines);
	const struct ynode *tail = vec_at(&values, lines - 1);
	CHECK(tail->loc.line == lines);
}

int
main(void)
{
	arena = arena_create();
	test_tree();
	test_escapes();
	test_locations();
	test_stream();
	test_each();
	test_trailing_comma();
	test_bad_escape();
	test_lone_surrogate();
	test_control_character();
	test_numbers();
	test_depth_limit();
	test_duplicate_key();
	test_unterminated_string();
	test_truncated();
	test_invalid_utf8();
	test_random_keys();
	test_linear();
	arena_destroy(arena);
	return unit_finish("jsonread");
}
