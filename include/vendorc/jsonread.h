#ifndef VENDORC_JSONREAD_H
#define VENDORC_JSONREAD_H

/* A strict RFC 8259 JSON reader into the YAML reader's tree (ynode.h), so
 * that readers of either take values with the same ynode_get, ynode_string,
 * ynode_int and ynode_is_null. It maps
 *
 *   object           YNODE_MAPPING, members in document order: items[2i]
 *                    the key (a string scalar), items[2i + 1] its value
 *   array            YNODE_SEQUENCE
 *   string           YNODE_SCALAR, plain false, the text decoded to UTF-8
 *   number, true,    YNODE_SCALAR, plain true, the literal as written
 *   false, null      ("null" reads as null, 80 as ynode_int's integer)
 *
 * and every node's loc spans its value, columns in code points, as ynode's.
 *
 * Strict means anything RFC 8259 does not allow is an error (json-syntax):
 * trailing commas, comments, single quotes, leading zeros, '+', NaN, raw
 * control characters in strings, lone surrogates, bytes that are not
 * UTF-8, a key twice in an object. Strings are kept NUL-terminated, so
 * \u0000 is an error too. The limits are the YAML reader's: collections
 * nest at most YNODE_MAX_DEPTH deep (an error, never a deep C stack), and
 * a source (with jsonread_each: a value) holds at most YNODE_MAX_NODES
 * nodes, keys counted (then limit-exceeded). The time is linear in the
 * size of the text. */

#include <stdbool.h>

struct arena;
struct diag_set;
struct source;
struct vec;

/* Appends to values each JSON value of src (struct ynode *), a stream of
 * values separated by whitespace, as JSON Lines and `hubble observe -o
 * json` print them. Returns false after reporting the first error at its
 * place; the values read before it stay in values. */
bool jsonread_stream(struct arena *arena, struct diag_set *diags, const struct source *src,
	struct vec *values);

/* The same one value at a time: each(value, ctx) is called as soon as a
 * value is read whole, its nodes in an arena of their own that goes when
 * each returns, so a reader keeps what it needs by copying it, and a
 * stream of any length costs the memory of its largest value. Stops, with
 * false, when each returns false. */
struct ynode;
bool jsonread_each(struct diag_set *diags, const struct source *src,
	bool (*each)(const struct ynode *value, void *ctx), void *ctx);

#endif
