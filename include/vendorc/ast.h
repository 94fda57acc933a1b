#ifndef VENDORC_AST_H
#define VENDORC_AST_H

/* The syntax tree of one vendor file: statements as written, every piece
 * with its span. Meaning (labels, ports, CIDRs, dates) is the resolve
 * pass's business; the tree only keeps the words. */

#include "vendorc/arena.h"
#include "vendorc/source.h"

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* A token's text (NUL-terminated, in the arena) and where it stands. */
struct ast_word {
	const char *text;
	struct loc loc;
};

/* A comment, kept aside for fmt: its bytes (any but a line break, NUL
 * included, so the length counts) and where it starts. */
struct ast_comment {
	const char *text;
	size_t len;
	struct loc loc;
};

struct ast_label {
	struct ast_word key;
	struct ast_word value;
	bool quoted;           /* value was written "..." */
	struct loc loc;
};

/* A comma-separated list of labels or ports, in order. */
struct ast_list {
	struct ast_label *labels;
	struct ast_word *words;
	size_t count;
	struct loc loc;
};

/* Where in a fleet (docs/fleet.md): `clusters NAME, ...` (names) or
 * `clusters where LABELS` (labels), a vendor's own statement or after
 * `on` at the end of an allow or egress statement. */
struct ast_scope {
	struct ast_list names;
	struct ast_list labels;
	struct loc loc;
};

/* The header comes first: the statements that describe the vendor with one
 * value each (owner to reviewed), whose values fmt aligns, then runs in.
 * Each statement up to AST_RUNS_IN may appear once (resolve). */
enum ast_stmt_kind {
	AST_OWNER,
	AST_TICKET,
	AST_JUSTIFICATION,     /* arg: why the vendor has this access */
	AST_EXPIRES,           /* arg: the date, or "never" with is_never */
	AST_REVIEWED,          /* arg: the date or time of the last review */
	AST_CLUSTERS,          /* on: the fleet's clusters the vendor applies to */
	AST_RUNS_IN,           /* arg: namespace; labels: the where clause */
	AST_ALLOW_SERVICE,     /* arg: NS/SVC; ports may be empty */
	AST_ALLOW_PODS,        /* arg: namespace; labels; ports */
	AST_ALLOW_FROM_SERVICE,/* arg: NS/SVC; ports */
	AST_ALLOW_FROM_CIDR,   /* arg: CIDR or address; ports */
	AST_EGRESS,            /* arg: domain, CIDR or address; ports */
	AST_STMT_KIND_COUNT
};

struct ast_stmt {
	enum ast_stmt_kind kind;
	struct loc loc;        /* the whole statement */
	struct ast_word arg;
	bool is_never;
	struct ast_list labels;
	struct ast_list ports;
	const struct ast_scope *on; /* AST_CLUSTERS; an allow or egress limited to some clusters; else NULL */
	struct ast_stmt *next;
};

struct ast_vendor {
	const struct source *src;
	struct ast_word name;
	struct loc loc;        /* the `vendor` keyword: where "missing" points */
	struct loc open;       /* the braces, which fmt places comments around */
	struct loc close;
	struct ast_stmt *stmts;
	struct vec comments;   /* struct ast_comment *, every comment of the file in order; only fmt reads them */
};

/* The builder the parser calls: it owns the arena and the list in progress. */
struct ast_builder {
	struct arena *arena;
	const struct source *src;
	struct ast_vendor *vendor;
	struct ast_stmt **tail;  /* where the next statement goes */
};

struct ast_word ast_word(struct ast_builder *b, const char *text, size_t len, const struct loc *loc);
struct ast_list ast_list_first_word(struct ast_builder *b, struct ast_word word);
struct ast_list ast_list_add_word(struct ast_builder *b, struct ast_list list, struct ast_word word);
struct ast_list ast_list_first_label(struct ast_builder *b, struct ast_label label);
struct ast_list ast_list_add_label(struct ast_builder *b, struct ast_list list, struct ast_label label);

struct ast_stmt *ast_stmt(struct ast_builder *b, enum ast_stmt_kind kind, const struct loc *loc,
	struct ast_word arg);
struct ast_stmt *ast_stmt_labels(struct ast_stmt *stmt, struct ast_list labels);
struct ast_stmt *ast_stmt_ports(struct ast_stmt *stmt, struct ast_list ports);
struct ast_stmt *ast_stmt_never(struct ast_stmt *stmt);
struct ast_scope *ast_scope_names(struct ast_builder *b, const struct loc *loc, struct ast_list names);
struct ast_scope *ast_scope_labels(struct ast_builder *b, const struct loc *loc, struct ast_list labels);
struct ast_stmt *ast_stmt_on(struct ast_stmt *stmt, const struct ast_scope *on);

void ast_vendor_begin(struct ast_builder *b, const struct loc *loc, struct ast_word name);
void ast_vendor_add(struct ast_builder *b, struct ast_stmt *stmt);

const char *ast_stmt_kind_name(enum ast_stmt_kind kind);

#endif
