#include "vendorc/ast.h"

#include "vendorc/arena.h"

#include <string.h>

struct ast_word
ast_word(struct ast_builder *b, const char *text, size_t len, const struct loc *loc)
{
	return (struct ast_word){ arena_strndup(b->arena, text, len), *loc };
}

/* Lists grow by doubling into fresh arena arrays; capacity is the next
 * power of two at or above count, so it need not be stored. */
static void *
list_grow(struct ast_builder *b, void *items, size_t count, size_t size)
{
	bool full = count == 0 || (count & (count - 1)) == 0;
	if (!full)
		return items;
	size_t cap = count ? count * 2 : 1;
	void *grown = arena_array(b->arena, cap, size);
	if (count)
		memcpy(grown, items, count * size);
	return grown;
}

struct ast_list
ast_list_first_word(struct ast_builder *b, struct ast_word word)
{
	struct ast_list list = { 0 };
	list.loc = word.loc;
	return ast_list_add_word(b, list, word);
}

struct ast_list
ast_list_add_word(struct ast_builder *b, struct ast_list list, struct ast_word word)
{
	list.words = list_grow(b, list.words, list.count, sizeof(*list.words));
	list.words[list.count++] = word;
	list.loc = loc_span(list.loc, word.loc);
	return list;
}

struct ast_list
ast_list_first_label(struct ast_builder *b, struct ast_label label)
{
	struct ast_list list = { 0 };
	list.loc = label.loc;
	return ast_list_add_label(b, list, label);
}

struct ast_list
ast_list_add_label(struct ast_builder *b, struct ast_list list, struct ast_label label)
{
	list.labels = list_grow(b, list.labels, list.count, sizeof(*list.labels));
	list.labels[list.count++] = label;
	list.loc = loc_span(list.loc, label.loc);
	return list;
}

struct ast_stmt *
ast_stmt(struct ast_builder *b, enum ast_stmt_kind kind, const struct loc *loc, struct ast_word arg)
{
	struct ast_stmt *stmt = arena_alloc(b->arena, sizeof(*stmt));
	stmt->kind = kind;
	stmt->loc = *loc;
	stmt->arg = arg;
	return stmt;
}

struct ast_stmt *
ast_stmt_labels(struct ast_stmt *stmt, struct ast_list labels)
{
	stmt->labels = labels;
	return stmt;
}

struct ast_stmt *
ast_stmt_ports(struct ast_stmt *stmt, struct ast_list ports)
{
	stmt->ports = ports;
	return stmt;
}

struct ast_scope *
ast_scope_names(struct ast_builder *b, const struct loc *loc, struct ast_list names)
{
	struct ast_scope *scope = arena_alloc(b->arena, sizeof(*scope));
	*scope = (struct ast_scope){ .names = names, .loc = *loc };
	return scope;
}

struct ast_scope *
ast_scope_labels(struct ast_builder *b, const struct loc *loc, struct ast_list labels)
{
	struct ast_scope *scope = arena_alloc(b->arena, sizeof(*scope));
	*scope = (struct ast_scope){ .labels = labels, .loc = *loc };
	return scope;
}

struct ast_stmt *
ast_stmt_on(struct ast_stmt *stmt, const struct ast_scope *on)
{
	stmt->on = on;
	return stmt;
}

struct ast_stmt *
ast_stmt_never(struct ast_stmt *stmt)
{
	stmt->is_never = true;
	return stmt;
}

void
ast_vendor_begin(struct ast_builder *b, const struct loc *loc, struct ast_word name)
{
	struct ast_vendor *vendor = arena_alloc(b->arena, sizeof(*vendor));
	vendor->src = b->src;
	vendor->loc = *loc;
	vendor->name = name;
	b->vendor = vendor;
	b->tail = &vendor->stmts;
}

void
ast_vendor_add(struct ast_builder *b, struct ast_stmt *stmt)
{
	if (!b->vendor || !stmt)
		return;
	*b->tail = stmt;
	b->tail = &stmt->next;
}

const char *
ast_stmt_kind_name(enum ast_stmt_kind kind)
{
	static const char *const names[AST_STMT_KIND_COUNT] = {
		[AST_OWNER] = "owner",
		[AST_TICKET] = "ticket",
		[AST_JUSTIFICATION] = "justification",
		[AST_EXPIRES] = "expires",
		[AST_REVIEWED] = "reviewed",
		[AST_CLUSTERS] = "clusters",
		[AST_RUNS_IN] = "runs in",
		[AST_ALLOW_SERVICE] = "allow service",
		[AST_ALLOW_PODS] = "allow pods",
		[AST_ALLOW_FROM_SERVICE] = "allow from service",
		[AST_ALLOW_FROM_CIDR] = "allow from",
		[AST_EGRESS] = "egress",
	};
	return names[kind];
}
