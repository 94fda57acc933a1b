#include "vendorc/ynode.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Anchors of the current document, open addressing. A later anchor of the
 * same name replaces the earlier one, as YAML wants for later aliases.
 * sizes[i] is the number of nodes nodes[i] stands for, aliases expanded. */
struct ynode_anchors {
	const char **names;
	struct ynode **nodes;
	size_t *sizes;
	size_t cap; /* 0 or a power of two, at most half full */
	size_t count;
};

/* A collection being read: its node and the items seen so far. The items
 * buffer is the loader's, kept per depth and reused by every collection at
 * that depth (only the finished node's exact array goes into the arena),
 * since parsing back ten thousand files would otherwise leave each
 * collection's growing buffers behind in the arena. */
struct ynode_frame {
	struct ynode *node;
	const char *anchor;
	size_t first; /* the loader's node count before this node */
	struct ynode **items;
	size_t len;
	size_t cap;
};

struct ynode_loader {
	struct arena *arena;           /* nodes, item arrays, anchors */
	struct arena *texts;           /* scalars, which readers keep */
	struct diag_set *diags;
	const struct source *src;
	struct vec *docs;
	struct ynode_frame stack[YNODE_MAX_DEPTH];
	size_t depth;
	size_t nodes;                  /* in the file so far, aliases expanded */
	struct ynode *root;
	struct ynode_anchors anchors;
	struct ynode_key *keys;        /* scratch for the duplicate-key check */
	size_t keys_cap;
	bool ok;
};

static size_t
ynode_anchor_slot(const struct ynode_anchors *anchors, const char *name)
{
	size_t slot = hash_text(name) & (anchors->cap - 1);
	while (anchors->names[slot] && strcmp(anchors->names[slot], name) != 0)
		slot = (slot + 1) & (anchors->cap - 1);
	return slot;
}

static void
ynode_anchor_grow(struct arena *arena, struct ynode_anchors *anchors)
{
	struct ynode_anchors bigger = { .cap = anchors->cap ? anchors->cap * 2 : 16 };
	bigger.names = arena_array(arena, bigger.cap, sizeof(*bigger.names));
	bigger.nodes = arena_array(arena, bigger.cap, sizeof(*bigger.nodes));
	bigger.sizes = arena_array(arena, bigger.cap, sizeof(*bigger.sizes));
	for (size_t i = 0; i < anchors->cap; i++) {
		if (!anchors->names[i])
			continue;
		size_t slot = ynode_anchor_slot(&bigger, anchors->names[i]);
		bigger.names[slot] = anchors->names[i];
		bigger.nodes[slot] = anchors->nodes[i];
		bigger.sizes[slot] = anchors->sizes[i];
		bigger.count++;
	}
	*anchors = bigger;
}

static void
ynode_anchor_set(struct arena *arena, struct ynode_anchors *anchors, const char *name,
	struct ynode *node, size_t size)
{
	if (2 * (anchors->count + 1) > anchors->cap)
		ynode_anchor_grow(arena, anchors);
	size_t slot = ynode_anchor_slot(anchors, name);
	if (!anchors->names[slot]) {
		anchors->names[slot] = name;
		anchors->count++;
	}
	anchors->nodes[slot] = node;
	anchors->sizes[slot] = size;
}

/* The anchored node, or NULL; *size the nodes it stands for. */
static struct ynode *
ynode_anchor_get(const struct ynode_anchors *anchors, const char *name, size_t *size)
{
	if (anchors->cap == 0)
		return NULL;
	size_t slot = ynode_anchor_slot(anchors, name);
	*size = anchors->sizes[slot];
	return anchors->nodes[slot];
}

static struct loc
ynode_mark_loc(const struct source *src, yaml_mark_t mark)
{
	uint32_t line = (uint32_t)mark.line + 1, col = (uint32_t)mark.column + 1;
	return (struct loc){ src, line, col, line, col + 1 };
}

/* Columns count characters, as libyaml's marks do. */
static uint32_t
ynode_line_end_col(const struct source *src, uint32_t line)
{
	size_t len;
	const char *text = source_line(src, line, &len);
	uint32_t col = 1;
	for (size_t i = 0; text && i < len; i++)
		col += ((unsigned char)text[i] & 0xC0) != 0x80;
	return col;
}

/* An event's span. A multi-line scalar (block or folded) is marked on its
 * first line only, so that the caret line under it makes sense. */
static struct loc
ynode_event_loc(const struct source *src, const yaml_event_t *event)
{
	struct loc loc = ynode_mark_loc(src, event->start_mark);
	struct loc end = ynode_mark_loc(src, event->end_mark);
	loc.end_col = end.line == loc.line ? end.col : ynode_line_end_col(src, loc.line);
	if (loc.end_col <= loc.col)
		loc.end_col = loc.col + 1;
	return loc;
}

static struct diag *ynode_error(struct ynode_loader *l, const yaml_event_t *event,
	enum diag_code code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct diag *
ynode_error(struct ynode_loader *l, const yaml_event_t *event, enum diag_code code,
	const char *fmt, ...)
{
	struct loc loc = ynode_event_loc(l->src, event);
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(l->arena, fmt, args);
	va_end(args);
	l->ok = false;
	return diag_report(l->diags, code, &loc, "%s", message);
}

static void
ynode_parse_error(struct ynode_loader *l, const yaml_parser_t *parser)
{
	struct loc loc = ynode_mark_loc(l->src, parser->problem_mark);
	/* Reader errors (bad encoding) have an offset but no mark. */
	if (parser->error == YAML_READER_ERROR)
		loc = source_loc_at(l->src, parser->problem_offset < l->src->len
			? parser->problem_offset : l->src->len);
	const char *problem = parser->problem ? parser->problem : "cannot parse the YAML";
	const char *context = parser->context ? parser->context : "";
	/* For an unclosed flow collection or a key missing its ':', the mistake
	 * is where the construct begins (the context mark); libyaml notices it
	 * only later, often a line on. Elsewhere the problem mark is the place. */
	bool at_start = strstr(context, "flow") || strstr(context, "simple key");
	struct loc start = at_start ? ynode_mark_loc(l->src, parser->context_mark) : loc;
	struct diag *d = diag_report(l->diags, DIAG_YAML_SYNTAX, &start, "%s%s%s", problem,
		*context ? " " : "", context);
	if (at_start)
		diag_note(d, &loc, "noticed here");
	l->ok = false;
}

/* Counts size nodes more. The readers walk the tree as if aliases were
 * expanded, so an alias counts as every node of what it names: a few
 * kilobytes of nested aliases (the "billion laughs") stop here, at the
 * alias that passes the budget, instead of costing the readers minutes. */
static bool
ynode_count(struct ynode_loader *l, const yaml_event_t *event, size_t size)
{
	if (size <= YNODE_MAX_NODES - l->nodes) {
		l->nodes += size;
		return true;
	}
	struct diag *d = ynode_error(l, event, DIAG_LIMIT_EXCEEDED,
		"more than %d YAML nodes, aliases expanded", YNODE_MAX_NODES);
	if (event->type == YAML_ALIAS_EVENT)
		diag_hint(d, "an alias counts as every node of what it names (%zu here)", size);
	return false;
}

static struct ynode *
ynode_new(struct ynode_loader *l, enum ynode_kind kind, const yaml_event_t *event)
{
	if (!ynode_count(l, event, 1))
		return NULL;
	struct ynode *node = arena_alloc(l->arena, sizeof(*node));
	node->kind = kind;
	node->loc = ynode_mark_loc(l->src, event->start_mark);
	return node;
}

static const char *
ynode_anchor_name(struct ynode_loader *l, const yaml_char_t *anchor)
{
	return anchor ? arena_strdup(l->arena, (const char *)anchor) : NULL;
}

static void
frame_push(struct ynode_frame *frame, struct ynode *node)
{
	if (frame->len == frame->cap) {
		size_t cap = frame->cap ? frame->cap * 2 : 16;
		struct ynode **items = realloc(frame->items, cap * sizeof(*items));
		if (!items) {
			fputs("vendorc: out of memory\n", stderr);
			abort();
		}
		frame->items = items;
		frame->cap = cap;
	}
	frame->items[frame->len++] = node;
}

/* Hands a finished node to its parent, or makes it the document's root. */
static void
ynode_attach(struct ynode_loader *l, struct ynode *node, const char *anchor, size_t size)
{
	if (anchor)
		ynode_anchor_set(l->arena, &l->anchors, anchor, node, size);
	if (l->depth == 0)
		l->root = node;
	else
		frame_push(&l->stack[l->depth - 1], node);
}


static bool
ynode_on_scalar(struct ynode_loader *l, const yaml_event_t *event)
{
	struct ynode *node = ynode_new(l, YNODE_SCALAR, event);
	if (!node)
		return false;
	const char *value = (const char *)event->data.scalar.value;
	size_t length = event->data.scalar.length;
	/* Our strings are C strings: a "\0" escape would silently cut one. */
	if (memchr(value, '\0', length))
		ynode_error(l, event, DIAG_YAML_SYNTAX, "a scalar may not hold a NUL character");
	node->loc = ynode_event_loc(l->src, event);
	node->scalar = arena_strndup(l->texts, value, length);
	/* A tag (!!str 123) makes the scalar a string whatever it looks like. */
	node->plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
		&& event->data.scalar.plain_implicit;
	ynode_attach(l, node, ynode_anchor_name(l, event->data.scalar.anchor), 1);
	return true;
}

static bool
ynode_on_start(struct ynode_loader *l, const yaml_event_t *event, enum ynode_kind kind)
{
	if (l->depth == YNODE_MAX_DEPTH) {
		ynode_error(l, event, DIAG_YAML_SYNTAX, "YAML nested deeper than %d levels",
			YNODE_MAX_DEPTH);
		return false;
	}
	size_t first = l->nodes;
	struct ynode *node = ynode_new(l, kind, event);
	if (!node)
		return false;
	const yaml_char_t *anchor = kind == YNODE_MAPPING
		? event->data.mapping_start.anchor : event->data.sequence_start.anchor;
	struct ynode_frame *frame = &l->stack[l->depth++];
	frame->node = node;
	frame->anchor = ynode_anchor_name(l, anchor);
	frame->first = first;
	frame->len = 0;
	return true;
}

struct ynode_key {
	const struct ynode *key;
	size_t index;
};

static int
ynode_key_compare(const void *a, const void *b)
{
	const struct ynode_key *x = a, *y = b;
	int by_text = strcmp(x->key->scalar, y->key->scalar);
	if (by_text)
		return by_text;
	return (x->index > y->index) - (x->index < y->index);
}

/* Sorting keeps a mapping of n keys at n log n, whatever its size. */
static void
ynode_check_duplicates(struct ynode_loader *l, const struct ynode *map)
{
	if (map->count > l->keys_cap) {
		struct ynode_key *grown = realloc(l->keys, map->count * sizeof(*grown));
		if (!grown) {
			fputs("vendorc: out of memory\n", stderr);
			abort();
		}
		l->keys = grown;
		l->keys_cap = map->count;
	}
	struct ynode_key *keys = l->keys;
	size_t count = 0;
	for (size_t i = 0; i < map->count; i++)
		if (map->items[2 * i]->kind == YNODE_SCALAR)
			keys[count++] = (struct ynode_key){ map->items[2 * i], i };
	if (count > 1)
		qsort(keys, count, sizeof(*keys), ynode_key_compare);
	for (size_t i = 1, first = 0; i < count; i++) {
		const struct ynode *key = keys[i].key, *earlier = keys[first].key;
		if (strcmp(key->scalar, earlier->scalar) != 0) {
			first = i;
			continue;
		}
		struct diag *d = diag_report(l->diags, DIAG_YAML_SYNTAX, &key->loc,
			"duplicate key \"%s\"", key->scalar);
		diag_note(d, &earlier->loc, "\"%s\" first appears here", earlier->scalar);
		l->ok = false;
	}
}

static void
ynode_on_end(struct ynode_loader *l, const yaml_event_t *event)
{
	struct ynode_frame *frame = &l->stack[--l->depth];
	struct ynode *node = frame->node;
	/* A block collection ends where the next token starts. */
	struct loc end = ynode_mark_loc(l->src, event->end_mark);
	node->loc.end_line = end.line;
	node->loc.end_col = end.line != node->loc.line || end.col > node->loc.col
		? end.col : node->loc.col + 1;
	node->items = arena_array(l->arena, frame->len, sizeof(*node->items));
	if (frame->len)
		memcpy(node->items, frame->items, frame->len * sizeof(*node->items));
	node->count = node->kind == YNODE_MAPPING ? frame->len / 2 : frame->len;
	if (node->kind == YNODE_MAPPING)
		ynode_check_duplicates(l, node);
	ynode_attach(l, node, frame->anchor, l->nodes - frame->first);
}

static bool
ynode_on_alias(struct ynode_loader *l, const yaml_event_t *event)
{
	const char *name = (const char *)event->data.alias.anchor;
	size_t size = 0;
	struct ynode *node = ynode_anchor_get(&l->anchors, name, &size);
	if (!node) {
		ynode_error(l, event, DIAG_YAML_SYNTAX, "alias to unknown anchor \"%s\"", name);
		return false;
	}
	/* The alias shares its node; it counts as the nodes it stands for. */
	if (!ynode_count(l, event, size))
		return false;
	ynode_attach(l, node, NULL, 0);
	return true;
}

static void
ynode_on_document_end(struct ynode_loader *l)
{
	if (l->root && !ynode_is_null(l->root))
		vec_push(l->arena, l->docs, l->root);
	l->root = NULL;
	l->anchors = (struct ynode_anchors){ 0 };
}

/* Returns false to stop reading (the error is reported). */
static bool
ynode_on_event(struct ynode_loader *l, const yaml_event_t *event)
{
	switch (event->type) {
	case YAML_SCALAR_EVENT:
		return ynode_on_scalar(l, event);
	case YAML_SEQUENCE_START_EVENT:
		return ynode_on_start(l, event, YNODE_SEQUENCE);
	case YAML_MAPPING_START_EVENT:
		return ynode_on_start(l, event, YNODE_MAPPING);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		ynode_on_end(l, event);
		return true;
	case YAML_ALIAS_EVENT:
		return ynode_on_alias(l, event);
	case YAML_DOCUMENT_END_EVENT:
		ynode_on_document_end(l);
		return true;
	default:
		return true;
	}
}

static void
ynode_run(struct ynode_loader *l, yaml_parser_t *parser)
{
	for (;;) {
		yaml_event_t event;
		if (!yaml_parser_parse(parser, &event)) {
			ynode_parse_error(l, parser);
			return;
		}
		bool more = ynode_on_event(l, &event) && event.type != YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		if (!more)
			return;
	}
}

bool
ynode_load(struct arena *arena, struct diag_set *diags, const struct source *src,
	struct vec *docs)
{
	return ynode_load_split(arena, arena, diags, src, docs);
}

bool
ynode_load_split(struct arena *nodes, struct arena *texts, struct diag_set *diags,
	const struct source *src, struct vec *docs)
{
	struct ynode_loader l = {
		.arena = nodes, .texts = texts, .diags = diags, .src = src, .docs = docs, .ok = true,
	};
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "out of memory reading \"%s\"", src->path);
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	ynode_run(&l, &parser);
	yaml_parser_delete(&parser);
	for (size_t i = 0; i < YNODE_MAX_DEPTH; i++)
		free(l.stack[i].items);
	free(l.keys);
	return l.ok;
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < map->count; i++) {
		const struct ynode *k = map->items[2 * i];
		if (k->kind == YNODE_SCALAR && strcmp(k->scalar, key) == 0)
			return map->items[2 * i + 1];
	}
	return NULL;
}

/* An absent node (NULL) counts as null too, so callers can test a lookup. */
bool
ynode_is_null(const struct ynode *node)
{
	if (!node)
		return true;
	if (node->kind != YNODE_SCALAR || !node->plain)
		return false;
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(node->scalar, nulls[i]) == 0)
			return true;
	return false;
}

const char *
ynode_string(const struct ynode *node)
{
	if (!node || node->kind != YNODE_SCALAR || ynode_is_null(node))
		return NULL;
	return node->scalar;
}

bool
ynode_int(const struct ynode *node, long min, long max, long *out)
{
	if (!node || node->kind != YNODE_SCALAR || !node->plain)
		return false;
	const char *digits = node->scalar + (node->scalar[0] == '-');
	size_t len = strlen(digits);
	if (len == 0 || len > 18 || (len > 1 && digits[0] == '0'))
		return false;
	long value = 0;
	for (size_t i = 0; i < len; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return false;
		value = value * 10 + (digits[i] - '0');
	}
	if (digits != node->scalar)
		value = -value;
	if (value < min || value > max)
		return false;
	*out = value;
	return true;
}
