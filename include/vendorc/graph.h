#ifndef VENDORC_GRAPH_H
#define VENDORC_GRAPH_H

/* The graph pass: who can reach what, drawn from the resolved project as
 * Graphviz DOT or a Mermaid flowchart. Each vendor is a node in the
 * cluster of the namespace its pods run in; each allow or egress statement
 * is one edge, in the direction of the connection, labelled with its ports
 * as the file writes them and the vendor's expiry. Expired vendors are
 * drawn greyed and dashed, without edges: they have no access. DNS, which
 * compile adds on its own (docs/semantics.md 3.2), is not drawn. */

#include <stdbool.h>
#include <stdio.h>

struct arena;
struct ir;
struct vec;

enum graph_format { GRAPH_DOT, GRAPH_MERMAID };

/* "dot" or "mermaid" into *format (which may be NULL); false otherwise. */
bool graph_parse_format(const char *text, enum graph_format *format);

/* What one picture shows: a resolved project (ir) and the vendor files'
 * syntax trees (struct ast_vendor *) it was resolved from, which give each
 * statement's words as written; cluster, in a fleet, the cluster it is. */
struct graph_part {
	const char *cluster;
	const struct ir *ir;
	const struct vec *asts;
};

/* Writes the picture to out, sorted, so the same project gives the same
 * bytes: one part (cluster NULL) as it is, or a fleet's clusters, each
 * drawn within a box of its own. */
void graph_write(FILE *out, struct arena *arena, const struct graph_part *parts, size_t count,
	enum graph_format format);

#endif
