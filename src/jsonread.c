#include "vendorc/jsonread.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/source.h"
#include "vendorc/ynode.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* An open collection. Its items so far are the reader's stack from first
 * on: the stack holds the items of every open collection, outermost first,
 * and a collection that closes takes its own into one exact array, so that
 * growing buffers are the stack's alone, however many collections a
 * stream has. */
struct jr_frame {
	struct ynode *node;
	size_t first;
	size_t id;          /* unique in the stream, for the key table */
};

/* A key of an open object, in the table of duplicate keys. */
struct jr_key {
	const struct ynode *key;
	size_t id;          /* its object's frame id */
	size_t depth;       /* and that frame's depth */
};

struct jr {
	struct arena *arena;
	struct diag_set *diags;
	const struct source *src;
	const unsigned char *text;
	size_t len;
	size_t pos;
	size_t last_end;    /* just past the last token: a truncated text ends there */
	size_t comma;       /* a ',' just read, or SIZE_MAX: to tell a trailing one */
	struct vec *values;
	struct vec stack;
	struct jr_frame frames[YNODE_MAX_DEPTH];
	size_t depth;
	size_t ids;
	size_t nodes;
	/* Open addressing, at most half full of live entries: those of open
	 * objects. An entry of a closed object is dead, which is as good as
	 * empty, so closing an object costs nothing. That is sound because a
	 * key only ever probed past entries of its own object and its
	 * ancestors, which outlive it: no dead slot cuts a live key's chain. */
	struct jr_key *keys;
	size_t keys_cap;    /* 0 or a power of two */
	size_t open_keys;
	/* Where the last location was taken: offsets are asked for in text
	 * order, so counting on from there keeps locations linear. */
	size_t mark;
	uint32_t mark_line;
	uint32_t mark_col;
};

/* What the reader expects next, for the loop that stands for recursion. */
enum jr_state { JR_VALUE, JR_FIRST, JR_KEY, JR_NEXT };

static bool
jr_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
jr_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
jr_is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* The byte at pos, or -1 at the end: never a read past src->len. */
static int
jr_peek(const struct jr *r)
{
	return r->pos < r->len ? r->text[r->pos] : -1;
}

static void
jr_skip_space(struct jr *r)
{
	r->last_end = r->pos;
	while (r->pos < r->len && jr_is_space(r->text[r->pos]))
		r->pos++;
}

static void
jr_point(struct jr *r, size_t offset, uint32_t *line, uint32_t *col)
{
	if (offset < r->mark) {
		struct loc at = source_loc_at(r->src, offset);
		*line = at.line;
		*col = at.col;
		return;
	}
	for (size_t i = r->mark; i < offset; i++) {
		if (r->text[i] == '\n') {
			r->mark_line++;
			r->mark_col = 1;
		} else {
			r->mark_col += (r->text[i] & 0xC0) != 0x80;
		}
	}
	r->mark = offset;
	*line = r->mark_line;
	*col = r->mark_col;
}

/* The place of width ASCII characters at offset, for an error. */
static struct loc
jr_loc(const struct jr *r, size_t offset, size_t width)
{
	struct loc at = source_loc_at(r->src, offset);
	if (width > 1)
		at.end_col = at.col + (uint32_t)width;
	return at;
}

static struct diag *jr_error(struct jr *r, size_t offset, size_t width, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct diag *
jr_error(struct jr *r, size_t offset, size_t width, const char *fmt, ...)
{
	struct loc at = jr_loc(r, offset, width);
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(r->arena, fmt, args);
	va_end(args);
	return diag_report(r->diags, DIAG_JSON_SYNTAX, &at, "%s", message);
}

static bool
jr_bad_utf8(struct jr *r, size_t offset)
{
	jr_error(r, offset, 1, "invalid UTF-8 (byte 0x%02X)", r->text[offset]);
	return false;
}

/* The character at offset as a message names it; valid UTF-8 there. */
static const char *
jr_describe(const struct jr *r, size_t offset)
{
	unsigned char c = r->text[offset];
	if (c == '\n' || c == '\r')
		return "the end of the line";
	if (c > 0x20 && c < 0x7F)
		return arena_printf(r->arena, "'%c'", c);
	if (c < 0x80)
		return arena_printf(r->arena, "U+%04X", c);
	size_t len = source_utf8_length(r->text + offset, r->len - offset);
	return arena_printf(r->arena, "\"%.*s\"", (int)len, (const char *)r->text + offset);
}

static const char *
jr_kind_name(enum ynode_kind kind)
{
	return kind == YNODE_MAPPING ? "object" : "array";
}

/* "expected X, found Y" at pos; at the end of the text, just past the last
 * token, saying which collection is left open. */
static bool
jr_expected(struct jr *r, const char *what, const char *hint)
{
	if (r->pos >= r->len) {
		struct diag *d = jr_error(r, r->last_end, 1, "%s, but the input ends", what);
		const struct ynode *open = r->depth ? r->frames[r->depth - 1].node : NULL;
		if (open)
			diag_hint(d, "the %s opened at line %u, column %u is not closed",
				jr_kind_name(open->kind), open->loc.line, open->loc.col);
		return false;
	}
	if (r->text[r->pos] >= 0x80 && !source_utf8_length(r->text + r->pos, r->len - r->pos))
		return jr_bad_utf8(r, r->pos);
	struct diag *d = jr_error(r, r->pos, 1, "%s, found %s", what, jr_describe(r, r->pos));
	if (hint)
		diag_hint(d, "%s", hint);
	return false;
}

/* A new node at offset, counted against the limit. */
static struct ynode *
jr_node(struct jr *r, enum ynode_kind kind, size_t offset)
{
	if (r->nodes == YNODE_MAX_NODES) {
		struct loc at = jr_loc(r, offset, 1);
		struct diag *d = diag_report(r->diags, DIAG_LIMIT_EXCEEDED, &at,
			"more than %d JSON nodes", YNODE_MAX_NODES);
		diag_hint(d, "the whole tree of a file is kept: split it into smaller files");
		return NULL;
	}
	r->nodes++;
	struct ynode *node = arena_alloc(r->arena, sizeof(*node));
	node->kind = kind;
	node->loc.src = r->src;
	jr_point(r, offset, &node->loc.line, &node->loc.col);
	return node;
}

/* The node's span ends just before offset. */
static void
jr_end(struct jr *r, struct ynode *node, size_t offset)
{
	jr_point(r, offset, &node->loc.end_line, &node->loc.end_col);
}

/* A finished value goes to its collection, or is one of the stream's. */
static void
jr_attach(struct jr *r, struct ynode *node)
{
	vec_push(r->arena, r->depth ? &r->stack : r->values, node);
}

static size_t
jr_key_hash(const char *text, size_t id)
{
	return (size_t)(hash_text(text) ^ (id * UINT64_C(0x9E3779B97F4A7C15)));
}

static bool
jr_key_live(const struct jr *r, const struct jr_key *entry)
{
	return entry->key && entry->depth < r->depth && r->frames[entry->depth].id == entry->id;
}

/* In the object at depth, key's earlier twin, or the slot it goes into. */
static struct jr_key *
jr_key_slot(struct jr *r, const struct ynode *key, size_t depth)
{
	size_t id = r->frames[depth].id, mask = r->keys_cap - 1;
	for (size_t i = jr_key_hash(key->scalar, id) & mask;; i = (i + 1) & mask) {
		struct jr_key *slot = &r->keys[i];
		if (!jr_key_live(r, slot))
			return slot;
		if (slot->id == id && strcmp(slot->key->scalar, key->scalar) == 0)
			return slot;
	}
}

/* A table twice the size with the keys of the open objects, put back in
 * the order they came (outer objects first), which keeps every key's
 * probe chain made of entries that outlive it. */
static void
jr_key_grow(struct jr *r)
{
	r->keys_cap = r->keys_cap ? 2 * r->keys_cap : 64;
	r->keys = arena_array(r->arena, r->keys_cap, sizeof(*r->keys));
	for (size_t d = 0; d < r->depth; d++) {
		const struct jr_frame *frame = &r->frames[d];
		if (frame->node->kind != YNODE_MAPPING)
			continue;
		size_t end = d + 1 < r->depth ? r->frames[d + 1].first : r->stack.len;
		for (size_t i = frame->first; i < end; i += 2) {
			const struct ynode *key = vec_at(&r->stack, i);
			*jr_key_slot(r, key, d) = (struct jr_key){ key, frame->id, d };
		}
	}
}

/* Enters key into the innermost object; false (reported) if it is there. */
static bool
jr_key_add(struct jr *r, const struct ynode *key)
{
	while (2 * (r->open_keys + 1) > r->keys_cap)
		jr_key_grow(r);
	size_t depth = r->depth - 1;
	struct jr_key *slot = jr_key_slot(r, key, depth);
	if (jr_key_live(r, slot)) {
		struct diag *d = diag_report(r->diags, DIAG_JSON_SYNTAX, &key->loc,
			"duplicate key \"%s\"", key->scalar);
		diag_note(d, &slot->key->loc, "\"%s\" first appears here", key->scalar);
		return false;
	}
	*slot = (struct jr_key){ key, r->frames[depth].id, depth };
	r->open_keys++;
	return true;
}

/* Where the string whose text starts at from stops: its closing quote, a
 * control character (an error: a raw line break means the quote is
 * missing) or the end of the text. An escape is skipped whole, so that \"
 * does not end it. */
static size_t
jr_string_end(const struct jr *r, size_t from)
{
	size_t i = from;
	while (i < r->len) {
		unsigned char c = r->text[i];
		if (c == '"' || c < 0x20)
			break;
		i += c == '\\' && i + 1 < r->len && r->text[i + 1] >= 0x20 ? 2 : 1;
	}
	return i;
}

static bool
jr_hex4(const struct jr *r, size_t at, size_t end, unsigned *out)
{
	if (at > end || end - at < 4)
		return false;
	unsigned value = 0;
	for (size_t i = at; i < at + 4; i++) {
		unsigned char c = r->text[i];
		unsigned digit = jr_is_digit(c) ? (unsigned)(c - '0')
			: c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			: c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (digit == 16)
			return false;
		value = value << 4 | digit;
	}
	*out = value;
	return true;
}

static void
jr_put_utf8(char **out, unsigned code)
{
	unsigned char *p = (unsigned char *)*out;
	if (code < 0x80) {
		*p++ = (unsigned char)code;
	} else if (code < 0x800) {
		*p++ = (unsigned char)(0xC0 | code >> 6);
		*p++ = (unsigned char)(0x80 | (code & 0x3F));
	} else if (code < 0x10000) {
		*p++ = (unsigned char)(0xE0 | code >> 12);
		*p++ = (unsigned char)(0x80 | (code >> 6 & 0x3F));
		*p++ = (unsigned char)(0x80 | (code & 0x3F));
	} else {
		*p++ = (unsigned char)(0xF0 | code >> 18);
		*p++ = (unsigned char)(0x80 | (code >> 12 & 0x3F));
		*p++ = (unsigned char)(0x80 | (code >> 6 & 0x3F));
		*p++ = (unsigned char)(0x80 | (code & 0x3F));
	}
	*out = (char *)p;
}

/* The low half of a surrogate pair whose high half is at at, or 0. */
static unsigned
jr_low_surrogate(const struct jr *r, size_t at, size_t end)
{
	unsigned low;
	if (end - at < 12 || r->text[at + 6] != '\\' || r->text[at + 7] != 'u'
		|| !jr_hex4(r, at + 8, end, &low) || low < 0xDC00 || low > 0xDFFF)
		return 0;
	return low;
}

static bool
jr_lone_surrogate(struct jr *r, size_t at, unsigned code)
{
	struct diag *d = jr_error(r, at, 6, "lone surrogate \\u%04X in a string", code);
	if (code < 0xDC00)
		diag_hint(d, "a character past U+FFFF is a pair of a high and a low surrogate, "
			"as in \\uD83D\\uDE00");
	else
		diag_hint(d, "a low surrogate (\\uDC00 to \\uDFFF) comes only after a high one "
			"(\\uD800 to \\uDBFF)");
	return false;
}

/* \uXXXX at *at (with its low half after it, for a surrogate pair). */
static bool
jr_unicode(struct jr *r, size_t *at, size_t end, char **out)
{
	size_t start = *at;
	unsigned code;
	if (!jr_hex4(r, start + 2, end, &code)) {
		jr_error(r, start, 2, "expected four hex digits after '\\u'");
		return false;
	}
	if (code == 0) {
		struct diag *d = jr_error(r, start, 6, "a string may not hold \\u0000");
		diag_hint(d, "strings are kept NUL-terminated, so a NUL character would cut one short");
		return false;
	}
	size_t width = 6;
	if (code >= 0xD800 && code <= 0xDFFF) {
		unsigned low = code < 0xDC00 ? jr_low_surrogate(r, start, end) : 0;
		if (!low)
			return jr_lone_surrogate(r, start, code);
		code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
		width = 12;
	}
	jr_put_utf8(out, code);
	*at = start + width;
	return true;
}

/* The escape at *at, a backslash before end, decoded into *out. */
static bool
jr_escape(struct jr *r, size_t *at, size_t end, char **out)
{
	if (end - *at < 2) {
		*at = end; /* the backslash ends the text: the string is unterminated */
		return true;
	}
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned char c = r->text[*at + 1];
	if (c == 'u')
		return jr_unicode(r, at, end, out);
	const char *known = c ? strchr(from, c) : NULL;
	if (!known) {
		struct diag *d = c >= 0x80
			? jr_error(r, *at, 1, "unknown escape in a string")
			: jr_error(r, *at, 2, "unknown escape '\\%c' in a string", c);
		diag_hint(d, "JSON's escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
		return false;
	}
	*(*out)++ = to[known - from];
	*at += 2;
	return true;
}

/* Why the string opened at quote stops at end without its closing quote. */
static bool
jr_unterminated(struct jr *r, size_t quote, size_t end)
{
	unsigned char c = end < r->len ? r->text[end] : '\n';
	if (c == '\n' || c == '\r') {
		struct diag *d = jr_error(r, quote, 1, "unterminated string");
		diag_hint(d, end < r->len ? "a string ends on its line: write a line break in it as \\n"
			: "the input ends before its closing '\"'");
		return false;
	}
	struct diag *d = jr_error(r, end, 1, "control character U+%04X in a string", c);
	static const char controls[] = "\b\f\t", escapes[] = "bft";
	const char *known = c ? strchr(controls, c) : NULL;
	if (known)
		diag_hint(d, "write it escaped, as \\%c", escapes[known - controls]);
	else if (c)
		diag_hint(d, "write it escaped, as \\u%04X", c);
	else
		diag_hint(d, "strings are kept NUL-terminated, so a NUL character would cut one short");
	return false;
}

/* The text of the string at quote up to end, decoded. Escapes only
 * shrink a string, so its raw length is room enough. */
static char *
jr_decode(struct jr *r, size_t quote, size_t end)
{
	char *text = arena_alloc_bytes(r->arena, end - quote), *out = text;
	for (size_t i = quote + 1; i < end;) {
		unsigned char c = r->text[i];
		if (c == '\\') {
			if (!jr_escape(r, &i, end, &out))
				return NULL;
		} else if (c < 0x80) {
			*out++ = (char)c;
			i++;
		} else {
			size_t step = source_utf8_length(r->text + i, end - i);
			if (!step) {
				jr_bad_utf8(r, i);
				return NULL;
			}
			memcpy(out, r->text + i, step);
			out += step;
			i += step;
		}
	}
	*out = '\0';
	return text;
}

static struct ynode *
jr_string(struct jr *r)
{
	size_t quote = r->pos, end = jr_string_end(r, quote + 1);
	struct ynode *node = jr_node(r, YNODE_SCALAR, quote);
	if (!node || !(node->scalar = jr_decode(r, quote, end)))
		return NULL;
	if (end == r->len || r->text[end] != '"') {
		jr_unterminated(r, quote, end);
		return NULL;
	}
	r->pos = end + 1;
	jr_end(r, node, r->pos);
	return node;
}

static size_t
jr_digits(const struct jr *r, size_t at)
{
	while (at < r->len && jr_is_digit(r->text[at]))
		at++;
	return at;
}

/* A digit at at, as the number grammar wants after what. */
static bool
jr_want_digit(struct jr *r, size_t at, const char *what)
{
	if (at < r->len && jr_is_digit(r->text[at]))
		return true;
	r->pos = r->last_end = at;
	return jr_expected(r, what, NULL);
}

/* The end of the number at pos (RFC 8259 section 6), or 0 (reported). */
static size_t
jr_number_end(struct jr *r)
{
	size_t i = r->pos + (r->text[r->pos] == '-');
	if (!jr_want_digit(r, i, "expected a digit after '-'"))
		return 0;
	if (r->text[i] == '0' && i + 1 < r->len && jr_is_digit(r->text[i + 1])) {
		struct diag *d = jr_error(r, i, 1, "leading zero in a number");
		diag_hint(d, "JSON numbers are decimal, without leading zeros; "
			"quote digits that are a name");
		return 0;
	}
	i = r->text[i] == '0' ? i + 1 : jr_digits(r, i);
	if (i < r->len && r->text[i] == '.') {
		if (!jr_want_digit(r, i + 1, "expected a digit after '.'"))
			return 0;
		i = jr_digits(r, i + 1);
	}
	if (i < r->len && (r->text[i] == 'e' || r->text[i] == 'E')) {
		i++;
		if (i < r->len && (r->text[i] == '+' || r->text[i] == '-'))
			i++;
		if (!jr_want_digit(r, i, "expected a digit in the exponent"))
			return 0;
		i = jr_digits(r, i);
	}
	return i;
}

/* A number, true, false or null: a plain scalar of its own text. */
static struct ynode *
jr_plain(struct jr *r, size_t end)
{
	struct ynode *node = jr_node(r, YNODE_SCALAR, r->pos);
	if (!node)
		return NULL;
	node->scalar = arena_strndup(r->arena, (const char *)r->text + r->pos, end - r->pos);
	node->plain = true;
	r->pos = end;
	jr_end(r, node, end);
	return node;
}

static struct ynode *
jr_number(struct jr *r)
{
	size_t end = jr_number_end(r);
	return end ? jr_plain(r, end) : NULL;
}

static bool
jr_word_is(const struct jr *r, size_t len, const char *word, bool any_case)
{
	if (strlen(word) != len)
		return false;
	const char *text = (const char *)r->text + r->pos;
	return any_case ? strncasecmp(text, word, len) == 0 : memcmp(text, word, len) == 0;
}

/* true, false or null; any other word is an error, with a hint for the
 * words other languages have. */
static struct ynode *
jr_word(struct jr *r)
{
	size_t end = r->pos;
	while (end < r->len && (jr_is_letter(r->text[end]) || jr_is_digit(r->text[end])))
		end++;
	size_t len = end - r->pos;
	if (jr_word_is(r, len, "true", false) || jr_word_is(r, len, "false", false)
		|| jr_word_is(r, len, "null", false))
		return jr_plain(r, end);
	struct diag *d = jr_error(r, r->pos, len, "expected a value, found \"%.*s%s\"",
		len > 40 ? 40 : (int)len, (const char *)r->text + r->pos, len > 40 ? "..." : "");
	if (jr_word_is(r, len, "true", true) || jr_word_is(r, len, "false", true)
		|| jr_word_is(r, len, "null", true) || jr_word_is(r, len, "none", true)
		|| jr_word_is(r, len, "nil", true))
		diag_hint(d, "JSON's words are true, false and null, in lower case");
	else if (jr_word_is(r, len, "nan", true) || jr_word_is(r, len, "infinity", true))
		diag_hint(d, "JSON has no NaN or Infinity");
	else
		diag_hint(d, "a string is written in double quotes");
	return NULL;
}

/* A ',' before a closing bracket, or what else stands where a value or a
 * key should. */
static bool
jr_no_value(struct jr *r, const char *what)
{
	int c = jr_peek(r);
	if ((c == ']' || c == '}') && r->comma != SIZE_MAX) {
		struct diag *d = jr_error(r, r->comma, 1, "trailing comma before '%c'", c);
		diag_hint(d, "JSON allows no ',' after the last %s",
			c == '}' ? "member" : "item");
		return false;
	}
	const char *hint = c == '+' ? "a JSON number has no '+' sign"
		: c == '.' ? "a JSON number starts with a digit: 0.5, not .5"
		: c == '\'' ? "JSON strings are in double quotes"
		: c == '/' || c == '#' ? "JSON has no comments" : NULL;
	return jr_expected(r, what, hint);
}

static bool
jr_open(struct jr *r, enum ynode_kind kind, enum jr_state *state)
{
	if (r->depth == YNODE_MAX_DEPTH) {
		jr_error(r, r->pos, 1, "JSON nested deeper than %d levels", YNODE_MAX_DEPTH);
		return false;
	}
	struct ynode *node = jr_node(r, kind, r->pos);
	if (!node)
		return false;
	r->frames[r->depth++] = (struct jr_frame){ node, r->stack.len, ++r->ids };
	r->comma = SIZE_MAX;
	r->pos++;
	*state = JR_FIRST;
	return true;
}

/* The innermost collection is complete at its closing bracket. */
static void
jr_close(struct jr *r)
{
	struct jr_frame *frame = &r->frames[--r->depth];
	struct ynode *node = frame->node;
	size_t len = r->stack.len - frame->first;
	node->items = arena_array(r->arena, len, sizeof(*node->items));
	if (len)
		memcpy(node->items, r->stack.items + frame->first, len * sizeof(*node->items));
	r->stack.len = frame->first;
	node->count = node->kind == YNODE_MAPPING ? len / 2 : len;
	if (node->kind == YNODE_MAPPING)
		r->open_keys -= node->count;
	r->pos++;
	jr_end(r, node, r->pos);
	jr_attach(r, node);
}

static bool
jr_value(struct jr *r, enum jr_state *state)
{
	jr_skip_space(r);
	int c = jr_peek(r);
	if (c == '{' || c == '[')
		return jr_open(r, c == '{' ? YNODE_MAPPING : YNODE_SEQUENCE, state);
	struct ynode *node;
	if (c == '"')
		node = jr_string(r);
	else if (c == '-' || jr_is_digit(c))
		node = jr_number(r);
	else if (jr_is_letter(c))
		node = jr_word(r);
	else
		return jr_no_value(r, "expected a value");
	if (!node)
		return false;
	r->comma = SIZE_MAX;
	jr_attach(r, node);
	*state = JR_NEXT;
	return true;
}

/* Just inside '{' or '[': the closing bracket, or the first member or item. */
static bool
jr_first(struct jr *r, enum jr_state *state)
{
	jr_skip_space(r);
	enum ynode_kind kind = r->frames[r->depth - 1].node->kind;
	if (jr_peek(r) == (kind == YNODE_MAPPING ? '}' : ']')) {
		jr_close(r);
		*state = JR_NEXT;
	} else {
		*state = kind == YNODE_MAPPING ? JR_KEY : JR_VALUE;
	}
	return true;
}

/* A member's name and its ':'. */
static bool
jr_key(struct jr *r, enum jr_state *state)
{
	jr_skip_space(r);
	if (jr_peek(r) != '"')
		return jr_no_value(r, "expected a member name in double quotes");
	struct ynode *key = jr_string(r);
	if (!key || !jr_key_add(r, key))
		return false;
	r->comma = SIZE_MAX;
	vec_push(r->arena, &r->stack, key);
	jr_skip_space(r);
	if (jr_peek(r) != ':')
		return jr_expected(r, "expected ':' after the member name", NULL);
	r->pos++;
	*state = JR_VALUE;
	return true;
}

/* After an item or member: ',' and another, or the closing bracket. */
static bool
jr_next(struct jr *r, enum jr_state *state)
{
	jr_skip_space(r);
	bool object = r->frames[r->depth - 1].node->kind == YNODE_MAPPING;
	int c = jr_peek(r);
	if (c == ',') {
		r->comma = r->pos++;
		*state = object ? JR_KEY : JR_VALUE;
		return true;
	}
	if (c == (object ? '}' : ']')) {
		jr_close(r);
		return true;
	}
	const char *hint = c == (object ? ']' : '}')
		? (object ? "an object closes with '}'" : "an array closes with ']'")
		: c == '"' || c == '{' || c == '[' || jr_is_digit(c) ? "a ',' goes between two values"
		: NULL;
	return jr_expected(r, object ? "expected ',' or '}' after a member"
		: "expected ',' or ']' after an item", hint);
}

static bool
jr_step(struct jr *r, enum jr_state *state)
{
	switch (*state) {
	case JR_VALUE:
		return jr_value(r, state);
	case JR_FIRST:
		return jr_first(r, state);
	case JR_KEY:
		return jr_key(r, state);
	case JR_NEXT:
		return jr_next(r, state);
	}
	return false;
}

/* One value of the stream. Its open collections are the reader's frames,
 * not the C stack, so that no nesting costs recursion. */
static bool
jr_document(struct jr *r)
{
	enum jr_state state = JR_VALUE;
	r->comma = SIZE_MAX;
	do {
		if (!jr_step(r, &state))
			return false;
	} while (state != JR_NEXT || r->depth > 0);
	return true;
}

/* The values of the stream one after another, each handed to each when it
 * is read whole; false after an error (reported) or when each says stop. */
static bool
jr_values(struct jr *r, bool (*each)(struct jr *r, void *ctx), void *ctx)
{
	for (;;) {
		jr_skip_space(r);
		if (r->pos == r->len)
			return true;
		if (!jr_document(r))
			return false;
		if (r->pos < r->len && !jr_is_space(r->text[r->pos]))
			return jr_expected(r, "expected a line break after the value",
				"a stream holds one JSON value per line");
		if (each && !each(r, ctx))
			return false;
	}
}

static struct jr
jr_start(struct arena *arena, struct diag_set *diags, const struct source *src, struct vec *values)
{
	return (struct jr){
		.arena = arena, .diags = diags, .src = src,
		.text = (const unsigned char *)src->text, .len = src->len,
		.comma = SIZE_MAX, .values = values, .mark_line = 1, .mark_col = 1,
	};
}

bool
jsonread_stream(struct arena *arena, struct diag_set *diags, const struct source *src,
	struct vec *values)
{
	struct jr r = jr_start(arena, diags, src, values);
	return jr_values(&r, NULL, NULL);
}

struct jr_each {
	bool (*each)(const struct ynode *value, void *ctx);
	void *ctx;
};

/* Hands the value read over, then starts the next in an arena of its own:
 * the key table, the stack of open items and the vector of the value were
 * made in the old one. */
static bool
jr_hand_over(struct jr *r, void *ctx)
{
	const struct jr_each *e = ctx;
	bool go_on = e->each(vec_at(r->values, 0), e->ctx);
	arena_destroy(r->arena);
	r->arena = arena_create();
	*r->values = (struct vec){ 0 };
	r->stack = (struct vec){ 0 };
	r->keys = NULL;
	r->keys_cap = r->open_keys = 0;
	r->nodes = 0;
	return go_on;
}

bool
jsonread_each(struct diag_set *diags, const struct source *src, bool (*each)(const struct ynode *value, void *ctx),
	void *ctx)
{
	struct vec value = { 0 };
	struct jr_each e = { each, ctx };
	struct jr r = jr_start(arena_create(), diags, src, &value);
	bool ok = jr_values(&r, jr_hand_over, &e);
	arena_destroy(r.arena);
	return ok;
}
