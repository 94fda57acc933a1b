#ifndef VENDORC_FRONTEND_H
#define VENDORC_FRONTEND_H

/* Vendor files to syntax trees: reading, UTF-8 and size checks, scanning
 * and parsing. Files with errors yield no tree. */

#include <stdbool.h>

struct arena;
struct diag_set;
struct project;
struct project_path;
struct source;
struct vec;

/* Parses one vendor file; NULL when it has errors (all reported). */
struct ast_vendor *frontend_parse(struct arena *arena, struct diag_set *diags,
	const struct source *src);

/* Reads and parses one vendor file; NULL when it has errors (all reported). */
struct ast_vendor *frontend_parse_file(struct arena *arena, struct diag_set *diags,
	const struct project_path *path);

/* Every *.vendor file below the project's vendors directory, in path order.
 * Appends one struct ast_vendor * per file without errors. */
bool frontend_load(struct arena *arena, struct diag_set *diags,
	const struct project *project, struct vec *vendors);

#endif
