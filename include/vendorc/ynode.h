#ifndef VENDORC_YNODE_H
#define VENDORC_YNODE_H

/* YAML documents read with libyaml into an immutable tree in the arena,
 * each node with its source span. Aliases share the anchored node (the tree
 * is a DAG, never expanded), but readers walk it expanded, so the node limit
 * counts an alias as every node it stands for: an alias bomb stops loading
 * at the alias that passes YNODE_MAX_NODES. */

#include "vendorc/source.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag_set;
struct vec;

enum ynode_kind { YNODE_SCALAR, YNODE_SEQUENCE, YNODE_MAPPING };

struct ynode {
	enum ynode_kind kind;
	struct loc loc;
	/* Scalars: the value, NUL-terminated; plain says it was unquoted (so
	 * "null", "~" and "" mean null, and numbers are numbers). */
	const char *scalar;
	bool plain;
	/* Sequences: count items. Mappings: count pairs, items[2i] the key and
	 * items[2i+1] the value. */
	struct ynode **items;
	size_t count;
};

/* Limits that keep hostile input from costing more than its size. */
enum {
	YNODE_MAX_DEPTH = 64,
	YNODE_MAX_NODES = 4 * 1000 * 1000, /* per file, aliases expanded */
};

/* Appends the root node of each document of src to docs (empty documents are
 * skipped). Syntax errors are reported at their place; returns false then. */
bool ynode_load(struct arena *arena, struct diag_set *diags, const struct source *src,
	struct vec *docs);
/* The same with the tree (nodes, their item arrays, docs' items) in nodes
 * and the scalars in texts: a reader that keeps only strings and locations
 * can drop nodes once it has read the tree. */
bool ynode_load_split(struct arena *nodes, struct arena *texts, struct diag_set *diags,
	const struct source *src, struct vec *docs);

/* The value under key in a mapping, or NULL (also when node is no mapping). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
bool ynode_is_null(const struct ynode *node);
/* A scalar that is not null, else NULL. */
const char *ynode_string(const struct ynode *node);
/* A plain scalar holding a decimal integer in [min, max]. */
bool ynode_int(const struct ynode *node, long min, long max, long *out);

#endif
