#include "vendorc/graph.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/fmt.h"
#include "vendorc/ir.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"

#include <stdlib.h>
#include <string.h>

enum node_kind { NODE_VENDOR, NODE_EXPIRED, NODE_SERVICE, NODE_PODS, NODE_OUTSIDE };

/* How each kind of node looks. name: the Mermaid class, and the prefix of
 * Mermaid ids, which must be plain words. */
static const struct node_style {
	const char *name;
	const char *dot;
	const char *mermaid;
	const char *open, *close;  /* the Mermaid shape around the label */
} styles[] = {
	[NODE_VENDOR] = { "vendor", "fillcolor=\"#fde2c4\", color=\"#b35900\"",
		"fill:#fde2c4,stroke:#b35900", "[", "]" },
	[NODE_EXPIRED] = { "expired",
		"fillcolor=\"#eeeeee\", color=\"#999999\", fontcolor=\"#777777\", "
		"style=\"rounded,filled,dashed\"",
		"fill:#eeeeee,stroke:#999999,color:#777777,stroke-dasharray:5 5", "[", "]" },
	[NODE_SERVICE] = { "service", "fillcolor=\"#dbe8fb\", color=\"#3465a4\"",
		"fill:#dbe8fb,stroke:#3465a4", "(", ")" },
	[NODE_PODS] = { "pods", "fillcolor=\"#e2f2d9\", color=\"#4e9a06\"",
		"fill:#e2f2d9,stroke:#4e9a06", "[[", "]]" },
	[NODE_OUTSIDE] = { "outside", "shape=ellipse, fillcolor=\"#f2f2f2\", color=\"#666666\"",
		"fill:#f2f2f2,stroke:#666666", "([", "])" },
};

struct node {
	const char *key;       /* what it is and its name: "service:payments/api" */
	const char *ns;        /* the namespace that groups it; NULL outside the cluster */
	const char *label;     /* lines separated by '\n' */
	enum node_kind kind;
	size_t number;
};

struct edge {
	const char *from, *to; /* node keys */
	const char *label;
};

/* Invariant once built: nodes sorted by key, keys unique, each node's
 * number its place in that order from 1; every edge's ends are node keys. */
struct graph {
	struct arena *arena;
	struct vec nodes;      /* struct node * */
	struct vec edges;      /* struct edge * */
	const struct vec *denied; /* namespaces kept default-deny, sorted */
};

bool
graph_parse_format(const char *text, enum graph_format *format)
{
	enum graph_format parsed;
	if (strcmp(text, "dot") == 0)
		parsed = GRAPH_DOT;
	else if (strcmp(text, "mermaid") == 0)
		parsed = GRAPH_MERMAID;
	else
		return false;
	if (format)
		*format = parsed;
	return true;
}

/* ---- the graph ---- */

static const char *
add_node(struct graph *g, enum node_kind kind, const char *ns, const char *key, const char *label)
{
	struct node *node = arena_alloc(g->arena, sizeof(*node));
	*node = (struct node){ key, ns, label, kind, 0 };
	vec_push(g->arena, &g->nodes, node);
	return key;
}

static void
add_edge(struct graph *g, const char *from, const char *to, const char *label)
{
	struct edge *edge = arena_alloc(g->arena, sizeof(*edge));
	*edge = (struct edge){ from, to, label };
	vec_push(g->arena, &g->edges, edge);
}

/* Name, pods, owner and ticket, expiry: one line each, the empty left out. */
static const char *
add_vendor(struct graph *g, const struct ir_vendor *vendor)
{
	const char *contact = vendor->owner && vendor->ticket
		? arena_printf(g->arena, "%s, %s", vendor->owner, vendor->ticket)
		: vendor->owner ? vendor->owner : vendor->ticket;
	const char *expiry = ir_vendor_access_text(g->arena, vendor);
	/* Under enforce: admin no NetworkPolicy can widen what the edges show. */
	const char *ceiling = vendor->ceiling.len ? "\nadmin-tier ceiling" : "";
	const char *label = arena_printf(g->arena, "%s\n%s\n%s%s%s%s", vendor->name,
		selector_pods_text(g->arena, &vendor->pods.pods), contact ? contact : "", contact ? "\n" : "", expiry,
		ceiling);
	return add_node(g, vendor->expired ? NODE_EXPIRED : NODE_VENDOR, vendor->pods.ns,
		arena_printf(g->arena, "vendor:%s", vendor->name), label);
}

/* ref: NS/SVC, as resolve found it in the catalog. */
static const char *
add_service(struct graph *g, const char *ref)
{
	const char *slash = strchr(ref, '/');
	return add_node(g, NODE_SERVICE, arena_strndup(g->arena, ref, (size_t)(slash - ref)),
		arena_printf(g->arena, "service:%s", ref), arena_printf(g->arena, "service %s", slash + 1));
}

static const char *
add_pods(struct graph *g, const struct ir_pods *pods)
{
	const char *selector = selector_text(g->arena, &pods->pods);
	return add_node(g, NODE_PODS, pods->ns, arena_printf(g->arena, "pods:%s/%s", pods->ns, selector),
		selector_pods_text(g->arena, &pods->pods));
}

/* A domain or an address range: one node whichever vendor or direction. */
static const char *
add_outside(struct graph *g, const struct ir_flow *flow)
{
	const char *name = flow->kind == IR_PEER_DOMAIN ? flow->domain
		: net_format_cidr(g->arena, vec_at(&flow->cidrs, 0));
	return add_node(g, NODE_OUTSIDE, NULL, arena_printf(g->arena, "outside:%s", name), name);
}

/* The statement's edge, from the flow it resolved to: a Service stays the
 * Service the file names, whether it resolved to pods or to endpoints. */
static void
add_statement(struct graph *g, const char *vendor_key, const struct ir_vendor *vendor,
	const struct ast_stmt *stmt, const struct ir_flow *flow)
{
	const char *peer;
	switch (stmt->kind) {
	case AST_ALLOW_SERVICE:
	case AST_ALLOW_FROM_SERVICE:
		peer = add_service(g, stmt->arg.text);
		break;
	case AST_ALLOW_PODS:
		peer = add_pods(g, &flow->pods);
		break;
	case AST_ALLOW_FROM_CIDR:
	case AST_EGRESS:
		peer = add_outside(g, flow);
		break;
	default:
		abort(); /* the header grants nothing */
	}
	const char *ports = stmt->ports.count ? fmt_ports(g->arena, &stmt->ports) : "all ports";
	/* docs/admin-tier.md 4: the admin tier has no ingress peer for addresses. */
	const char *uncovered = vendor->ceiling.len && stmt->kind == AST_ALLOW_FROM_CIDR
		? "\noutside the admin ceiling: NetworkPolicy only" : "";
	const char *label = arena_printf(g->arena, "%s\n%s%s", ports, ir_vendor_access_text(g->arena, vendor),
		uncovered);
	if (flow->dir == IR_EGRESS)
		add_edge(g, vendor_key, peer, label);
	else
		add_edge(g, peer, vendor_key, label);
}

static const struct ast_stmt *
statement_at(const struct ast_vendor *ast, const struct loc *loc)
{
	for (const struct ast_stmt *stmt = ast->stmts; stmt; stmt = stmt->next)
		if (stmt->loc.line == loc->line && stmt->loc.col == loc->col)
			return stmt;
	abort(); /* every flow comes from a statement of its vendor's file */
}

static void
add_vendor_flows(struct graph *g, const struct ir_vendor *vendor, const struct ast_vendor *ast)
{
	const char *key = add_vendor(g, vendor);
	for (size_t i = 0; i < vendor->flows.len; i++) {
		const struct ir_flow *flow = vec_at(&vendor->flows, i);
		if (!flow->dns)
			add_statement(g, key, vendor, statement_at(ast, &flow->loc), flow);
	}
}

/* ---- order ---- */

static int
compare_ast_paths(const void *a, const void *b)
{
	return strcmp((*(const struct ast_vendor *const *)a)->src->path,
		(*(const struct ast_vendor *const *)b)->src->path);
}

static int
ast_path_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct ast_vendor *)item)->src->path);
}

static int
compare_node_keys(const void *a, const void *b)
{
	return strcmp((*(const struct node *const *)a)->key, (*(const struct node *const *)b)->key);
}

static int
node_key_order(const void *key, const void *item)
{
	return strcmp(key, ((const struct node *)item)->key);
}

/* By namespace, what is outside the cluster last, then by key: the order
 * drawn. */
static int
compare_node_places(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
	if (!x->ns != !y->ns)
		return x->ns ? -1 : 1;
	int by_ns = x->ns ? strcmp(x->ns, y->ns) : 0;
	return by_ns ? by_ns : strcmp(x->key, y->key);
}

static int
compare_edges(const void *a, const void *b)
{
	const struct edge *x = *(const struct edge *const *)a, *y = *(const struct edge *const *)b;
	int by_from = strcmp(x->from, y->from);
	int by_to = by_from ? by_from : strcmp(x->to, y->to);
	return by_to ? by_to : strcmp(x->label, y->label);
}

static void
build(struct graph *g, const struct ir *ir, const struct vec *asts)
{
	struct vec by_path = { 0 };
	for (size_t i = 0; i < asts->len; i++)
		vec_push(g->arena, &by_path, vec_at(asts, i));
	vec_sort(&by_path, compare_ast_paths);
	for (size_t i = 0; i < ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&ir->vendors, i);
		size_t at = vec_lower_bound(&by_path, vendor->loc.src->path, ast_path_order);
		add_vendor_flows(g, vendor, vec_at(&by_path, at));
	}
	/* A Service or range two statements name is one node; a statement
	 * resolved to several flows (endpoint groups) is one edge. */
	vec_sort_unique(&g->nodes, compare_node_keys);
	vec_sort_unique(&g->edges, compare_edges);
	for (size_t i = 0; i < g->nodes.len; i++)
		((struct node *)vec_at(&g->nodes, i))->number = i + 1;
}

/* ---- output ---- */

/* text in double quotes, each byte replaced by what escape gives for it
 * (NULL: kept), in the arena. */
static const char *
quote(struct arena *arena, const char *text, const char *(*escape)(char c))
{
	size_t len = 3;
	for (const char *c = text; *c; c++)
		len += escape(*c) ? strlen(escape(*c)) : 1;
	char *quoted = arena_alloc(arena, len), *at = quoted;
	*at++ = '"';
	for (const char *c = text; *c; c++) {
		const char *replaced = escape(*c);
		size_t n = replaced ? strlen(replaced) : 1;
		memcpy(at, replaced ? replaced : c, n);
		at += n;
	}
	*at++ = '"';
	*at = '\0';
	return quoted;
}

/* In a DOT string only \" ends nothing; a label reads \n as a line break
 * and \\ as a backslash, so no name or owner can end the string or turn
 * into one of DOT's label escapes (\N, \G, \l). */
static const char *
dot_escape(char c)
{
	switch (c) {
	case '\n': return "\\n";
	case '"': return "\\\"";
	case '\\': return "\\\\";
	default: return NULL;
	}
}

/* Mermaid has no escapes in strings, only entity codes (#quot;, #35;);
 * labels are HTML, so markup characters are codes too, and a backquote
 * would start Markdown. */
static const char *
mermaid_escape(char c)
{
	switch (c) {
	case '\n': return "<br>";
	case '"': return "#quot;";
	case '#': return "#35;";
	case '&': return "#amp;";
	case '<': return "#lt;";
	case '>': return "#gt;";
	case '`': return "#96;";
	default: return NULL;
	}
}

static bool
is_denied(const struct graph *g, const char *ns)
{
	return vec_find(g->denied, ns, vec_string_order) != NULL;
}

static const char *
namespace_label(const struct graph *g, const char *ns)
{
	return arena_printf(g->arena, "namespace %s%s", ns, is_denied(g, ns) ? " (default-deny)" : "");
}

/* The nodes in their order, each namespace's in one group: begin and end
 * are called around each group. In a fleet's picture each cluster's graph
 * is a group of its own: its ids carry the cluster (scope), and its lines
 * one more tab (indent). */
struct writer {
	FILE *out;
	const struct graph *g;
	const char *scope;        /* DOT: the ids' prefix ("staging/"); Mermaid: "c1_"; "" alone */
	const char *indent;
	void (*begin)(const struct writer *w, const char *ns, size_t number);
	void (*end)(const struct writer *w);
	void (*node)(const struct writer *w, const struct node *node);
	void (*edge)(const struct writer *w, const struct edge *edge);
};

static void
write_graph(const struct writer *w, const struct vec *placed)
{
	const char *open = NULL;
	size_t groups = 0;
	for (size_t i = 0; i < placed->len; i++) {
		const struct node *node = vec_at(placed, i);
		bool same = open && node->ns && strcmp(open, node->ns) == 0;
		if (open && !same)
			w->end(w);
		if (node->ns && !same)
			w->begin(w, node->ns, ++groups);
		open = node->ns;
		w->node(w, node);
	}
	if (open)
		w->end(w);
	for (size_t i = 0; i < w->g->edges.len; i++)
		w->edge(w, vec_at(&w->g->edges, i));
}

/* ---- DOT ---- */

static const char *
dot_string(const struct writer *w, const char *text)
{
	return quote(w->g->arena, text, dot_escape);
}

static void
dot_begin(const struct writer *w, const char *ns, size_t number)
{
	fprintf(w->out, "%s\tsubgraph %s {\n%s\t\tlabel=%s;\n%s\t\tstyle=\"rounded\";\n%s\t\tcolor=\"#888888\";\n",
		w->indent, dot_string(w, arena_printf(w->g->arena, "cluster_%s%s", w->scope, ns)), w->indent,
		dot_string(w, namespace_label(w->g, ns)), w->indent, w->indent);
}

static void
dot_end(const struct writer *w)
{
	fprintf(w->out, "%s\t}\n", w->indent);
}

static const char *
dot_id(const struct writer *w, const char *key)
{
	return dot_string(w, arena_printf(w->g->arena, "%s%s", w->scope, key));
}

static void
dot_node(const struct writer *w, const struct node *node)
{
	fprintf(w->out, "%s%s%s [label=%s, %s];\n", w->indent, node->ns ? "\t\t" : "\t", dot_id(w, node->key),
		dot_string(w, node->label), styles[node->kind].dot);
}

static void
dot_edge(const struct writer *w, const struct edge *edge)
{
	fprintf(w->out, "%s\t%s -> %s [label=%s];\n", w->indent, dot_id(w, edge->from), dot_id(w, edge->to),
		dot_string(w, edge->label));
}

/* ---- Mermaid ---- */

static const char *
mermaid_string(const struct writer *w, const char *text)
{
	return quote(w->g->arena, text, mermaid_escape);
}

/* A style name and a number: Mermaid ids must be plain words. */
static const char *
mermaid_id(const struct writer *w, const char *key)
{
	const struct vec *nodes = &w->g->nodes;
	const struct node *node = vec_at(nodes, vec_lower_bound(nodes, key, node_key_order));
	return arena_printf(w->g->arena, "%s%s%zu", w->scope, styles[node->kind].name, node->number);
}

static void
mermaid_begin(const struct writer *w, const char *ns, size_t number)
{
	fprintf(w->out, "%s\tsubgraph %snamespace%zu [%s]\n", w->indent, w->scope, number,
		mermaid_string(w, namespace_label(w->g, ns)));
}

static void
mermaid_end(const struct writer *w)
{
	fprintf(w->out, "%s\tend\n", w->indent);
}

static void
mermaid_node(const struct writer *w, const struct node *node)
{
	const struct node_style *style = &styles[node->kind];
	fprintf(w->out, "%s%s%s%s%s%s:::%s\n", w->indent, node->ns ? "\t\t" : "\t", mermaid_id(w, node->key),
		style->open, mermaid_string(w, node->label), style->close, style->name);
}

static void
mermaid_edge(const struct writer *w, const struct edge *edge)
{
	fprintf(w->out, "%s\t%s -->|%s| %s\n", w->indent, mermaid_id(w, edge->from),
		mermaid_string(w, edge->label), mermaid_id(w, edge->to));
}

static void
write_part(FILE *out, struct arena *arena, const struct graph_part *part, size_t number,
	enum graph_format format)
{
	struct graph g = { .arena = arena, .denied = &part->ir->denied_namespaces };
	build(&g, part->ir, part->asts);
	struct vec placed = { 0 };
	for (size_t i = 0; i < g.nodes.len; i++)
		vec_push(arena, &placed, vec_at(&g.nodes, i));
	vec_sort(&placed, compare_node_places);
	bool mermaid = format == GRAPH_MERMAID;
	struct writer w = { out, &g, "", "", mermaid ? mermaid_begin : dot_begin, mermaid ? mermaid_end : dot_end,
		mermaid ? mermaid_node : dot_node, mermaid ? mermaid_edge : dot_edge };
	if (part->cluster) {
		w.scope = mermaid ? arena_printf(arena, "c%zu_", number) : arena_printf(arena, "%s/", part->cluster);
		w.indent = "\t";
		const char *label = quote(arena, arena_printf(arena, "cluster %s", part->cluster),
			mermaid ? mermaid_escape : dot_escape);
		if (mermaid)
			fprintf(out, "\tsubgraph cluster%zu [%s]\n", number, label);
		else
			fprintf(out, "\tsubgraph %s {\n\t\tlabel=%s;\n\t\tstyle=\"bold\";\n",
				quote(arena, arena_printf(arena, "cluster_fleet_%s", part->cluster), dot_escape), label);
	}
	write_graph(&w, &placed);
	if (part->cluster)
		fputs(mermaid ? "\tend\n" : "\t}\n", out);
}

void
graph_write(FILE *out, struct arena *arena, const struct graph_part *parts, size_t count,
	enum graph_format format)
{
	if (format == GRAPH_MERMAID) {
		fputs("flowchart LR\n", out);
		for (size_t i = 0; i < sizeof(styles) / sizeof(*styles); i++)
			fprintf(out, "\tclassDef %s %s\n", styles[i].name, styles[i].mermaid);
	} else {
		fputs("digraph vendorc {\n"
		      "\tgraph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.3, ranksep=1.2];\n"
		      "\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
		      "\tedge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n", out);
	}
	for (size_t i = 0; i < count; i++)
		write_part(out, arena, &parts[i], i + 1, format);
	if (format == GRAPH_DOT)
		fputs("}\n", out);
}
